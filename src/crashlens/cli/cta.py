"""``crashlens cta``: modelled CTA positioning, trigger levels and projected flows.

``crashlens cta [OPTIONS]`` runs the engine (the ``desk`` preset by default, ``--model
generic`` for the uncalibrated replica); ``crashlens cta calibrate --readings FILE`` refits the
``desk`` preset to published desk readings and prints its cross-validated errors.
"""

from __future__ import annotations

from pathlib import Path

import typer

from crashlens.cli._common import (
    AsJson,
    AsOf,
    DataOpt,
    dump_json,
    emit,
    parse_date,
    progress,
    reads_data,
    split_names,
)


def register(app: typer.Typer) -> None:
    """Add the ``cta`` command group to the root app."""
    cta_app = typer.Typer(help="CTA positioning, triggers and flows; `cta calibrate` refits "
                          "the desk preset.", no_args_is_help=False)

    @cta_app.callback(invoke_without_command=True)
    @reads_data
    def cta_cmd(
        ctx: typer.Context,
        asof: AsOf = None,
        assets: str = typer.Option(None, "--assets", help="Comma-separated catalog names: the "
                                   "rows to show (default: the whole universe). The book is "
                                   "always the model's whole universe."),
        model: str = typer.Option("desk", "--model", help="Parameter preset: desk (calibrated "
                                  "to published desk readings) or generic (uncalibrated "
                                  "replica)."),
        aum: float = typer.Option(None, "--aum", help="Effective trend-following AUM in USD "
                                  "(default: the preset's; desk ~3.9e11, generic 3e11)."),
        mc: bool = typer.Option(True, "--mc/--no-mc", help="Monte-Carlo flow bands."),
        detail: bool = typer.Option(False, "--detail", help="With --json: add per-horizon "
                                    "triggers, components, Monte-Carlo bands and the curve."),
        sensitivity: bool = typer.Option(False, "--sensitivity", help="Show the band over "
                                         "horizon mixes, vol estimators, families and AUM."),
        history_from: str = typer.Option(None, "--history-from", help="Position, percentile, "
                                         "triggers and pivot crossings for every day from "
                                         "this date (YYYY-MM-DD) to --asof."),
        flows: bool = typer.Option(False, "--flows", help="With --history-from: also the "
                                   "scenario flows of every day (slower)."),
        chart: Path = typer.Option(None, "--chart", help="With --history-from: write the "
                                   "levels chart (price, pivots, crossings, position, "
                                   "percentile) of the first asset shown to this HTML file."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """CTA positioning (% of max, USD, percentiles), triggers and 1w/1m scenario flows."""
        from crashlens.errors import ParameterError

        if ctx.invoked_subcommand is not None:
            if data_path is not None:
                raise ParameterError(f"--data goes after the subcommand: crashlens cta "
                                     f"{ctx.invoked_subcommand} --data PATH")
            return
        from crashlens import cta

        if aum is not None and aum < 0:
            raise ParameterError(f"--aum {aum:g}: AUM cannot be negative (USD)")
        params = cta.CTAParams.preset(model)
        asset_list = split_names(assets)
        when = parse_date(asof)
        with progress("CTA model", quiet=as_json):
            if sensitivity:
                emit(cta.sensitivity(when, asset_list, aum, params), as_json)
                return
            if history_from:
                start = parse_date(history_from, "--history-from")
                assert start is not None  # history_from is a non-empty string here
                hist = cta.history(start, when, asset_list, aum, params, flows=flows)
                if chart is not None and not hist.frame.empty:
                    first = str(hist.frame["asset"].iloc[0])
                    hist.plot_levels(first).write_html(str(chart), include_plotlyjs=True)
                emit(hist, as_json)
                return
            res = cta.positioning(when, asset_list, aum, params, mc=mc)
        if as_json and detail:
            dump_json(res.to_dict(detail=True))
            return
        emit(res, as_json)

    @cta_app.command("calibrate")
    @reads_data
    def calibrate_cmd(
        readings: Path = typer.Option(..., "--readings", help="Desk readings CSV (layout of "
                                      "shared/data/desk/README.md)."),
        min_train: int = typer.Option(5, "--min-train", help="Readings fitted before the "
                                      "first out-of-sample prediction of the time-series CV."),
        out: Path = typer.Option(None, "--out", help="Write the fitted preset (params + fit "
                                 "report) as JSON to this file, e.g. "
                                 "src/crashlens/cta/presets/desk.json."),
        chart: Path = typer.Option(None, "--chart", help="Write the charts of model vs desk "
                                   "pivots over time and of the equity percentile at each "
                                   "reading to this HTML file."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Fit the desk preset to published readings; CV errors per pivot and residuals."""
        from crashlens import cta

        with progress("CTA calibration", quiet=as_json):
            res = cta.calibrate(readings, min_train=min_train)
        if out is not None:
            res.write_preset(out)
        if chart is not None:
            from crashlens._atomic import write_atomic

            write_atomic(chart, "<html><head><meta charset='utf-8'></head><body>"
                         + res.plot_pivots().to_html(full_html=False, include_plotlyjs=True)
                         + res.plot_percentile().to_html(full_html=False,
                                                         include_plotlyjs=False)
                         + "</body></html>")
        emit(res, as_json)

    app.add_typer(cta_app, name="cta")
