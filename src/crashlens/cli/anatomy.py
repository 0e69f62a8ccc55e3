"""``crashlens anatomy``: what every asset did over a window (returns, drawdowns, vol, breadth)."""

from __future__ import annotations

import typer

from crashlens.cli._common import (
    AsJson,
    DataOpt,
    emit,
    parse_date,
    progress,
    reads_data,
    split_names,
)


def register(app: typer.Typer) -> None:
    """Add the ``anatomy`` command to the root app."""

    @app.command("anatomy")
    @reads_data
    def anatomy_cmd(
        start: str = typer.Option(..., "--start", help="First day of the window, YYYY-MM-DD."),
        end: str = typer.Option(..., "--end", help="Last day of the window, YYYY-MM-DD."),
        assets: str = typer.Option(None, "--assets", help="Catalog names separated by commas "
                                   "or spaces (default: every price series)."),
        divisor: float = typer.Option(None, "--divisor", help="S&P 500 divisor, USD of market "
                                      "cap per index point (default 8.6e9)."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Sell-off anatomy: return, max drawdown, vol change, worst day, correlation, breadth."""
        from crashlens import episodes

        lo, hi = parse_date(start, "--start"), parse_date(end, "--end")
        names = split_names(assets)
        with progress("anatomy", quiet=as_json):
            res = episodes.anatomy(lo, hi, assets=names,
                                   divisor=episodes.SPX_DIVISOR if divisor is None else divisor)
        emit(res, as_json)
