"""``crashlens data ...``: ingest raw files, list the store, pull from online providers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from crashlens.cli._common import (
    AsJson,
    DataOpt,
    console,
    dump_json,
    err_console,
    parse_date,
    plain_column,
    progress,
    reads_data,
)

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


def _codes(values: list[str]) -> dict[str, str]:
    """Short codes (A, B, ...) for distinct long texts, in order of first appearance."""
    out: dict[str, str] = {}
    for v in values:
        if v not in out:
            n = len(out)
            out[v] = (chr(65 + n % 26) * (1 + n // 26))
    return out


def _legend(title: str, codes: dict[str, str], width: int = 80) -> list[str]:
    import textwrap

    pad = max((len(c) for c in codes.values()), default=1)
    out = [f"{title}:"]
    for v, c in codes.items():
        out.extend(textwrap.wrap(f"{c:>{pad}}  {v}", width=width, initial_indent="  ",
                                 subsequent_indent=" " * (pad + 4)))
    return out


def _source_series(src: Any) -> Any:
    """The table of :func:`crashlens.data.list_series` for a source other than the store.

    Every series is read (so a bad file fails here, naming its file, row and column).
    """
    import pandas as pd

    from crashlens.data.catalog import CATALOG

    file_of = getattr(src, "file_of", None)
    rows = []
    for name in src.names():
        frame = src.read(name)
        sp = CATALOG[name]
        rows.append({"name": name, "kind": sp.kind.value, "unit": sp.unit,
                     "frequency": sp.frequency.value,
                     "first": frame.index[0] if len(frame) else pd.NaT,
                     "last": frame.index[-1] if len(frame) else pd.NaT, "rows": len(frame),
                     "sources": file_of(name).name if file_of else src.label,
                     "licence": "your data"})
    return pd.DataFrame(rows)


@data_app.command("list")
@reads_data
def list_cmd(
    as_json: AsJson = False,
    data_path: DataOpt = None,
) -> None:
    """List every series in the store: coverage, rows, sources and licence (fits 80 columns).

    Frequencies print as d/w/m; source files and licences as short codes explained in the
    legends under the table (``--json`` gives them in full).
    """
    from crashlens import data

    frame = data.list_series() if data_path is None else _source_series(data.active())
    records = [
        {"name": r["name"], "kind": r["kind"], "unit": r["unit"], "frequency": r["frequency"],
         "first": r["first"].date().isoformat(), "last": r["last"].date().isoformat(),
         "rows": int(r["rows"]), "sources": r["sources"], "licence": r["licence"]}
        for _, r in frame.iterrows()
    ]
    if as_json:
        dump_json({"synthetic": data.is_synthetic(), "series": records})
        return
    files = [f.strip() for r in records for f in str(r["sources"]).split(",") if f.strip()]
    src_codes = {f: str(i + 1) for i, f in enumerate(dict.fromkeys(files))}
    lic_codes = _codes([str(r["licence"]) for r in records])
    rows = [(r["name"], r["kind"], str(r["frequency"])[:1], r["first"], r["last"],
             f"{r['rows']:,}",
             ",".join(src_codes[f.strip()] for f in str(r["sources"]).split(",") if f.strip()),
             lic_codes[str(r["licence"])]) for r in records]
    head = ("name", "kind", "f", "first", "last", "rows", "src", "lic")
    widths = [max(len(head[i]), *(len(x[i]) for x in rows)) if rows else len(head[i])
              for i in range(len(head))]
    right = {5}

    def line(cells: tuple[str, ...]) -> str:
        return " ".join(c.rjust(w) if i in right else c.ljust(w)
                        for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    n = len(rows)
    what = "crashlens store" if data_path is None else data.active().label
    out = [f"{what}: {n} series" + (" (SYNTHETIC DATA)" if data.is_synthetic()
                                             else ""), line(head)]
    out.extend(line(r) for r in rows)
    out.append("f (frequency): d = daily, w = weekly, m = monthly")
    out.extend(_legend("src (source files)", src_codes))
    out.extend(_legend("lic (licence)", lic_codes))
    console.print("\n".join(out), highlight=False, markup=False, soft_wrap=True)


@data_app.command("show")
@reads_data
def show_cmd(
    name: str = typer.Argument(..., help="Catalog series name, e.g. SPX."),
    start: str | None = typer.Option(None, "--start", help="First date, YYYY-MM-DD "
                                      "(default: the first)."),
    end: str | None = typer.Option(None, "--end", help="Last date, YYYY-MM-DD "
                                    "(default: the last)."),
    tail: int = typer.Option(20, "--tail", help="Print the last N rows (default 20)."),
    show_all: bool = typer.Option(False, "--all", help="Print every row (with --json: "
                                  "always every row)."),
    as_json: AsJson = False,
    data_path: DataOpt = None,
) -> None:
    """Print a series from the store: the last 20 rows unless --tail N or --all."""
    import pandas as pd

    from crashlens import data
    from crashlens.errors import ParameterError

    if tail < 1:
        raise ParameterError(f"--tail: {tail} is not a positive number of rows")
    frame = data.get(name, parse_date(start, "--start"), parse_date(end, "--end"))
    if as_json:
        dump_json(frame)
        return
    n = len(frame)
    shown = frame if show_all else frame.tail(tail)
    table = pd.DataFrame({c: plain_column(shown[c]) for c in shown.columns}, index=[
        d.date().isoformat() if hasattr(d, "date") else str(d) for d in shown.index])
    table.index.name = frame.index.name
    what = (f"all {n:,} row{'' if n == 1 else 's'}" if len(shown) == n
            else f"last {len(shown):,} of {n:,} rows (--all for every row, --tail N for more)")
    console.print(f"{data.spec(name).name}: {what}", highlight=False, markup=False)
    if n:
        console.print(table.to_string(), highlight=False, markup=False, soft_wrap=True)


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
            from crashlens._atomic import write_atomic

            path = folder / f"{name.replace(':', '_')}.csv"  # regular files only, atomically
            write_atomic(path, res.frame.to_csv(index=res.kind != "chain"))
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
