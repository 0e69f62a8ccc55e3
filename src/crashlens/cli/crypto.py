"""``crashlens crypto``: BTC/ETH drawdown, funding, open interest, liquidation map, cascade."""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, AsOf, emit, parse_date, progress


def register(app: typer.Typer) -> None:
    """Add the ``crypto`` command."""

    @app.command("crypto")
    def crypto_cmd(
        asof: AsOf = None,
        shock: float = typer.Option(-0.10, "--shock", help="Initial price shock of the "
                                                "liquidation cascade, fraction (-0.10 = -10 %)."),
        impact: float = typer.Option(
            0.3, "--impact",
            help="Cascade linear impact: price move (fraction) per unit share of OI liquidated."),
        lookback: int = typer.Option(
            180, "--lookback", help="Calendar days of OI changes building the liquidation map."),
        long_share: float = typer.Option(
            0.5, "--long-share", help="Share of new OI assumed long, 0..1."),
        as_json: AsJson = False,
    ) -> None:
        """Crypto leverage: drawdown from ATH, funding, OI, liquidation prices, map, cascade."""
        from crashlens.crypto import leverage

        with progress("crypto leverage", quiet=as_json):
            res = leverage(parse_date(asof), cascade_shock=shock, impact=impact,
                           map_lookback_days=lookback, long_share=long_share)
        emit(res, as_json)
