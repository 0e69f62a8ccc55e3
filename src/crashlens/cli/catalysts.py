"""``crashlens catalysts``: event study of abnormal returns around dated catalysts."""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, DataOpt, emit, parse_date, progress, reads_data


def register(app: typer.Typer) -> None:
    """Add the ``catalysts`` command to the root app."""

    @app.command("catalysts")
    @reads_data
    def catalysts_cmd(
        events: str = typer.Option(None, "--events", help="Catalyst YAML file (default: the "
                                   "shipped late-2025 / early-2026 list)."),
        market: str = typer.Option(None, "--market", help="Market index of the market model "
                                   "(default SPX or the file's)."),
        window: str = typer.Option(None, "--window", help="Event window as START,END sessions "
                                   "(default -1,3 or the file's)."),
        roll: str = typer.Option(None, "--roll", help="Roll rule for non-session dates: "
                                 "following | preceding (default following or the file's)."),
        asof: str = typer.Option(None, "--asof", help="Use data up to this date only (windows "
                                 "are cut there; later events skipped)."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Catalysts: market-model AR/CAR with t-stats per asset, thematic baskets."""
        from crashlens import episodes
        from crashlens.errors import ParameterError

        path = events or str(episodes.shipped_events_path())
        ew = None
        if window:
            try:
                a, b = (int(x) for x in window.split(","))
            except ValueError as exc:
                raise ParameterError(f"--window '{window}': expected two integers like -1,3") \
                    from exc
            ew = (a, b)
        if roll is not None and roll not in {"following", "preceding"}:
            raise ParameterError(f"--roll '{roll}': expected following or preceding")
        with progress("event study", quiet=as_json):
            res = episodes.catalysts(path, market=market, event_window=ew, roll=roll,
                                     asof=parse_date(asof))
        emit(res, as_json)
