"""``crashlens contagion``: rolling betas to BTC, Diebold-Yilmaz spillovers, ΔCoVaR."""

from __future__ import annotations

import typer

from crashlens.cli._common import emit, parse_date, progress


def register(app: typer.Typer) -> None:
    """Add the ``contagion`` command."""

    @app.command("contagion")
    def contagion_cmd(
        asof: str = typer.Option(None, "--asof", help="As-of date YYYY-MM-DD (default: last)."),
        source: str = typer.Option("BTC", "--source", help="Transmitting asset."),
        equities: str = typer.Option(
            None, "--equities", help="Comma-separated assets for betas "
                                     "(default COIN,MSTR,PLTR,TSLA,NVDA,NDX)."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Contagion: who transmitted, who received; betas and ΔCoVaR to the source."""
        from crashlens.systemic import DEFAULT_EQUITIES, contagion

        eq = tuple(e.strip() for e in equities.split(",") if e.strip()) if equities else \
            DEFAULT_EQUITIES
        with progress("contagion"):
            res = contagion(parse_date(asof), source=source, equities=eq)
        emit(res, as_json)
