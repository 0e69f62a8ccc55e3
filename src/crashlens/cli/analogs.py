"""``crashlens analogs``: nearest historical analogs of the as-of state and what followed."""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, DataOpt, emit, parse_date, progress, reads_data


def register(app: typer.Typer) -> None:
    """Add the ``analogs`` command to the root app."""

    @app.command("analogs")
    @reads_data
    def analogs_cmd(
        asof: str = typer.Option(None, "--asof", help="As-of date YYYY-MM-DD (default: last "
                                 "S&P 500 session)."),
        bandwidth: float = typer.Option(None, "--bandwidth", help="Kernel bandwidth in "
                                        "distance units (default: chosen for ESS = 100)."),
        target_ess: float = typer.Option(100.0, "--target-ess", help="Effective sample size "
                                         "the adaptive bandwidth aims at."),
        with_cta: bool = typer.Option(False, "--cta", help="Add the modelled CTA S&P 500 "
                                      "signal to the state vector (about 3 s more)."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Analogs: state-vector distances, nearest episodes, forward 1w/1m/3m returns."""
        from crashlens import data, episodes

        when = parse_date(asof)
        if when is None:
            when = data.close("SPX").dropna().index[-1]
        with progress("analogs", quiet=as_json):
            res = episodes.analogs(when, bandwidth=bandwidth, target_ess=target_ess,
                                   include_cta=with_cta)
        emit(res, as_json)
