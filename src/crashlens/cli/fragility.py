"""``crashlens fragility``: absorption ratio, turbulence, correlation, vol regime, crowding."""

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
    """Add the ``fragility`` command."""

    @app.command("fragility")
    @reads_data
    def fragility_cmd(
        asof: AsOf = None,
        universe: str = typer.Option(
            None, "--universe",
            help="Comma-separated catalog names for absorption/turbulence "
                 "(default SPX,NDX,GOLD,SILVER,DXY,UST2Y,UST10Y)."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Systemic fragility: composite 0..100 with its components and weights."""
        from crashlens.systemic import DEFAULT_UNIVERSE, fragility

        names = split_names(universe)
        uni = DEFAULT_UNIVERSE if names is None else tuple(names)
        with progress("systemic fragility", quiet=as_json):
            res = fragility(parse_date(asof), universe=uni)
        emit(res, as_json)
