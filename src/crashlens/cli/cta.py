"""``crashlens cta``: modelled CTA positioning, trigger levels and projected flows."""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, AsOf, dump_json, emit, parse_date, progress, split_names


def register(app: typer.Typer) -> None:
    """Add the ``cta`` command to the root app."""

    @app.command("cta")
    def cta_cmd(
        asof: AsOf = None,
        assets: str = typer.Option(None, "--assets", help="Comma-separated catalog names "
                                   "(default SPX,NDX,GOLD,SILVER,UST10Y,DXY,BTC)."),
        aum: float = typer.Option(None, "--aum", help="Effective trend-following AUM in USD "
                                  "(default 3e11)."),
        mc: bool = typer.Option(True, "--mc/--no-mc", help="Monte-Carlo flow bands."),
        detail: bool = typer.Option(False, "--detail", help="With --json: add per-horizon "
                                    "triggers, components, Monte-Carlo bands and the curve."),
        sensitivity: bool = typer.Option(False, "--sensitivity", help="Show the band over "
                                         "horizon mixes, vol estimators, families and AUM."),
        history_from: str = typer.Option(None, "--history-from", help="Positioning and "
                                         "triggers for every day from this date (YYYY-MM-DD) "
                                         "to --asof."),
        flows: bool = typer.Option(False, "--flows", help="With --history-from: also the "
                                   "scenario flows of every day (slower)."),
        as_json: AsJson = False,
    ) -> None:
        """CTA positioning (% of max, USD, percentiles), triggers and 1w/1m scenario flows."""
        from crashlens import cta
        from crashlens.errors import ParameterError

        if aum is not None and aum < 0:
            raise ParameterError(f"--aum {aum:g}: AUM cannot be negative (USD)")
        asset_list = split_names(assets)
        when = parse_date(asof)
        with progress("CTA replica", quiet=as_json):
            if sensitivity:
                emit(cta.sensitivity(when, asset_list, aum), as_json)
                return
            if history_from:
                start = parse_date(history_from, "--history-from")
                assert start is not None  # history_from is a non-empty string here
                emit(cta.history(start, when, asset_list, aum, flows=flows), as_json)
                return
            res = cta.positioning(when, asset_list, aum, mc=mc)
        if as_json and detail:
            dump_json(res.to_dict(detail=True))
            return
        emit(res, as_json)
