"""``crashlens fragility``: absorption ratio, turbulence, correlation, vol regime, crowding."""

from __future__ import annotations

import typer

from crashlens.cli._common import emit, parse_date, progress


def register(app: typer.Typer) -> None:
    """Add the ``fragility`` command."""

    @app.command("fragility")
    def fragility_cmd(
        asof: str = typer.Option(None, "--asof", help="As-of date YYYY-MM-DD (default: last)."),
        universe: str = typer.Option(
            None, "--universe",
            help="Comma-separated catalog names for absorption/turbulence "
                 "(default SPX,NDX,GOLD,SILVER,DXY,UST2Y,UST10Y)."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Systemic fragility: composite 0..100 with its components and weights."""
        from crashlens.systemic import DEFAULT_UNIVERSE, fragility

        uni = tuple(u.strip() for u in universe.split(",") if u.strip()) if universe else \
            DEFAULT_UNIVERSE
        with progress("systemic fragility"):
            res = fragility(parse_date(asof), universe=uni)
        emit(res, as_json)
