"""``crashlens contagion``: rolling betas to BTC, Diebold-Yilmaz spillovers, ΔCoVaR."""

from __future__ import annotations

import typer

from crashlens.cli._common import (
    AsJson,
    AsOf,
    DataOpt,
    emit,
    parse_date,
    progress,
    reads_data,
    split_names,
)


def register(app: typer.Typer) -> None:
    """Add the ``contagion`` command."""

    @app.command("contagion")
    @reads_data
    def contagion_cmd(
        asof: AsOf = None,
        source: str = typer.Option("BTC", "--source", help="Transmitting asset (catalog name)."),
        equities: str = typer.Option(
            None, "--equities", help="Comma-separated assets for betas "
                                     "(default COIN,MSTR,PLTR,TSLA,NVDA,NDX)."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Contagion: who transmitted, who received; betas and ΔCoVaR to the source."""
        from crashlens.systemic import DEFAULT_EQUITIES, contagion

        names = split_names(equities)
        eq = DEFAULT_EQUITIES if names is None else tuple(names)
        with progress("contagion", quiet=as_json):
            res = contagion(parse_date(asof), transmitter=source, equities=eq)
        emit(res, as_json)
