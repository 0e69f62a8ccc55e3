"""``crashlens data ...``: ingest raw files, list the store, pull from online providers."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from crashlens.cli._common import AsJson, console, dump_json, err_console, parse_date, progress

data_app = typer.Typer(help="Ingest, list and pull the data crashlens works on.",
                       no_args_is_help=True)


@data_app.command("ingest")
def ingest_cmd(
    path: Path | None = typer.Argument(
        None, help="Folder of raw files (default: $CRASHLENS_DATA; unset = synthetic market)."),
    force: bool = typer.Option(False, "--force", help="Rebuild even if the inputs are unchanged."),
    skip_bad: bool = typer.Option(
        False, "--skip-bad", help="Skip series whose files fail validation instead of failing."),
    as_json: AsJson = False,
) -> None:
    """Load every catalog series into the local store (idempotent and atomic)."""
    from crashlens import data
    from crashlens.data.catalog import CATALOG

    with progress("ingesting series", total=len(CATALOG)) as advance:
        report = data.ingest(path, force=force, skip_bad=skip_bad,
                             on_progress=lambda _name: advance(1))
    payload = {
        "version": report.version, "source": report.source, "series": report.series,
        "rows": report.rows, "seconds": round(report.seconds, 3),
        "up_to_date": report.up_to_date, "skipped": report.skipped,
    }
    if as_json:
        dump_json(payload)
        return
    state = "already up to date" if report.up_to_date else "ingested"
    console.print(f"{state}: {report.series} series, {report.rows:,} rows from {report.source} "
                  f"(version {report.version}, {report.seconds:.1f} s)", highlight=False)
    for s in report.skipped:
        err_console.print(f"skipped {s}", highlight=False)


@data_app.command("list")
def list_cmd(
    as_json: AsJson = False,
) -> None:
    """List every series in the store with its coverage and source files."""
    from crashlens import data

    frame = data.list_series()
    records = [
        {"name": r["name"], "kind": r["kind"], "unit": r["unit"], "frequency": r["frequency"],
         "first": r["first"].date().isoformat(), "last": r["last"].date().isoformat(),
         "rows": int(r["rows"]), "sources": r["sources"], "licence": r["licence"]}
        for _, r in frame.iterrows()
    ]
    if as_json:
        dump_json({"synthetic": data.is_synthetic(), "series": records})
        return
    table = Table(title="crashlens store" + (" — SYNTHETIC DATA" if data.is_synthetic() else ""))
    for col in ("name", "kind", "frequency", "first", "last", "rows", "sources"):
        table.add_column(col, justify="right" if col == "rows" else "left")
    for r in records:
        table.add_row(r["name"], r["kind"], r["frequency"], r["first"], r["last"],
                      f"{r['rows']:,}", r["sources"])
    console.print(table)


@data_app.command("show")
def show_cmd(
    name: str = typer.Argument(..., help="Catalog series name, e.g. SPX."),
    start: str | None = typer.Option(None, "--start", help="First date, YYYY-MM-DD "
                                      "(default: the first)."),
    end: str | None = typer.Option(None, "--end", help="Last date, YYYY-MM-DD "
                                    "(default: the last)."),
    as_json: AsJson = False,
) -> None:
    """Print a series from the store."""
    from crashlens import data

    frame = data.get(name, parse_date(start, "--start"), parse_date(end, "--end"))
    if as_json:
        dump_json(frame)
    else:
        console.print(frame.to_string(), highlight=False)


@data_app.command("pull")
def pull_cmd(
    names: list[str] = typer.Argument(
        ..., help="Catalog series (SPX VIX UST10Y ...) or provider forms YAHOO:SYM, FRED:ID, "
        "CHAIN:SYM (an option-chain snapshot)."),
    since: str | None = typer.Option(
        None, "--since", help="Fetch from this date, YYYY-MM-DD (default: each provider's "
        "full history)."),
    out: Path | None = typer.Option(
        None, "--out", help="Also write one file per series into this folder."),
    store: bool = typer.Option(
        True, "--store/--no-store", help="Merge catalog series into the local store."),
    as_json: AsJson = False,
) -> None:
    """Fetch series from public online providers (Yahoo, FRED, CBOE, CFTC, Binance).

    Catalog series are merged into the store (fetched dates replace stored ones, a new store
    version is swapped in atomically); provider forms and chains are written to --out
    (default: $CRASHLENS_HOME/pulled).
    """
    from crashlens import data
    from crashlens.config import home_dir
    from crashlens.data import providers

    wanted = [n if ":" in n else data.spec(n).name for n in names]  # unknown names fail first
    since_ts = parse_date(since, "--since")
    with progress("pulling", total=len(wanted)) as advance:
        results = providers.pull(wanted, since_ts.date() if since_ts is not None else None,
                                 on_progress=lambda *_: advance(1))
    catalog_frames = {n: (r.frame, f"{r.provenance.provider}:{r.symbol}")
                      for n, r in results.items() if n in data.CATALOG and r.kind != "chain"}
    if store and catalog_frames:
        data.store().upsert(catalog_frames)
    folder = out or home_dir() / "pulled"
    summary = {}
    for name, res in results.items():
        entry: dict[str, object] = {"rows": len(res.frame), "provider": res.provenance.provider,
                                    "stored": store and name in catalog_frames,
                                    "warnings": list(res.warnings)}
        if out is not None or name not in catalog_frames:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{name.replace(':', '_')}.csv"
            res.frame.to_csv(path, index=res.kind != "chain")
            entry["file"] = str(path)
        summary[name] = entry
    if as_json:
        dump_json(summary)
        return
    for name, e in summary.items():
        where = "store" if e["stored"] else e.get("file", "")
        console.print(f"{name}: {e['rows']} rows from {e['provider']} -> {where}", highlight=False)
        for w in e["warnings"]:  # type: ignore[attr-defined]
            err_console.print(f"  warning: {w}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``data`` command group."""
    app.add_typer(data_app, name="data")
