"""``crashlens macro``: policy rate, curve, cut pricing, labour, inflation, data vacuum."""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, DataOpt, emit, parse_date, progress, reads_data


def _read_futures(path: str) -> dict[str, float]:
    from pathlib import Path

    from crashlens import _yaml as yaml  # the limited loader (alias and depth limits)
    from crashlens.errors import DataError

    p = Path(path)
    if not p.is_file():
        raise DataError("futures file not found", path=str(p))
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(f"invalid YAML/JSON: {exc}", path=str(p)) from exc
    if not isinstance(doc, dict) or not doc:
        raise DataError("expected a mapping of month (YYYY-MM) to futures price", path=str(p))
    out = {}
    for k, v in doc.items():
        try:
            out[str(k)] = float(v)
        except (TypeError, ValueError) as exc:
            raise DataError(f"price for {k} is not a number: {v!r}", path=str(p)) from exc
    return out


def register(app: typer.Typer) -> None:
    """Add the ``macro`` command to the root app."""

    @app.command("macro")
    @reads_data
    def macro_cmd(
        asof: str = typer.Option(None, "--asof", help="As-of date YYYY-MM-DD (default today)."),
        futures: str = typer.Option(None, "--futures", help="YAML/JSON mapping of fed funds "
                                    "futures prices by month, e.g. {2025-12: 96.22}."),
        term_premium_bp: float = typer.Option(0.0, "--term-premium-bp", help="Assumed 2y term "
                                              "premium for the implied path (bp)."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Macro lens: rates, implied policy path, FedWatch odds, data vacuum, 1970s analog."""
        import pandas as pd

        from crashlens import macro
        from crashlens.cli._common import today

        when = parse_date(asof) or pd.Timestamp(today())
        fut = _read_futures(futures) if futures else None
        with progress("macro lens", quiet=as_json):
            res = macro.lens(when, futures=fut, term_premium_bp=term_premium_bp)
        emit(res, as_json)
