"""``crashlens crypto``: drawdown, funding, market OI, liquidation map, cascade; ``replay``.

``crashlens crypto replay`` estimates liquidations on a realised period.
"""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, AsOf, DataOpt, emit, parse_date, progress, reads_data


def register(app: typer.Typer) -> None:
    """Add the ``crypto`` command group (snapshot callback + ``replay``)."""
    crypto_app = typer.Typer(help="Crypto leverage on market-wide open interest.",
                             invoke_without_command=True, no_args_is_help=False)

    @crypto_app.callback(invoke_without_command=True)
    @reads_data
    def crypto_cmd(
        ctx: typer.Context,
        asof: AsOf = None,
        shock: float = typer.Option(-0.10, "--shock", help="Initial price shock of the "
                                                "liquidation cascade, fraction (-0.10 = -10 %)."),
        impact: float = typer.Option(
            0.3, "--impact",
            help="Cascade linear impact: price move (fraction) per unit share of OI liquidated."),
        lookback: int = typer.Option(
            180, "--lookback", help="Calendar days of OI changes building the single-venue "
                                    "fallback liquidation map (market OI uses the model's 90)."),
        long_share: float = typer.Option(
            0.5, "--long-share", help="Share of new OI assumed long, 0..1 (single-venue "
                                      "fallback only)."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Crypto leverage: drawdown, funding, market OI, liquidation map and cascade."""
        if ctx.invoked_subcommand is not None:
            if data_path is not None:
                from crashlens.errors import ParameterError

                raise ParameterError(f"--data goes after the subcommand: crashlens crypto "
                                     f"{ctx.invoked_subcommand} --data PATH")
            return
        from crashlens.crypto import leverage

        with progress("crypto leverage", quiet=as_json):
            res = leverage(parse_date(asof), cascade_shock=shock, impact=impact,
                           map_lookback_days=lookback, long_share=long_share)
        emit(res, as_json)

    @crypto_app.command("replay")
    @reads_data
    def replay_cmd(
        start: str = typer.Option(..., "--start", help="First UTC day replayed, YYYY-MM-DD."),
        end: str = typer.Option(None, "--end", help="Last UTC day replayed, YYYY-MM-DD "
                                                    "(default: the start day)."),
        coins: str = typer.Option("BTC,ETH", "--coins",
                                  help="Comma-separated coins with market OI (BTC, ETH)."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Replay a real period: liquidations (USD notional) on the realised OI and price path."""
        from crashlens.cli._common import split_names
        from crashlens.crypto.replay import replay

        with progress("crypto replay", quiet=as_json):
            res = replay(parse_date(start, "--start"), parse_date(end, "--end"),
                         coins=split_names(coins) or ("BTC", "ETH"))
        emit(res, as_json)

    @crypto_app.command("stablecoins")
    @reads_data
    def stablecoins_cmd(asof: AsOf = None, as_json: AsJson = False,
                        data_path: DataOpt = None) -> None:
        """Stablecoin supply: USDT and USDC level (USD) and 7/30/90-day change."""
        from crashlens.crypto.stablecoins import stablecoins

        emit(stablecoins(parse_date(asof)), as_json)

    app.add_typer(crypto_app, name="crypto")
