"""``crashlens scenarios FILE.yaml``: propagate a scenario spec, or grade it (``--scorecard``)."""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, DataOpt, emit, parse_date, progress, reads_data


@reads_data
def scenarios_cmd(
    spec: str = typer.Argument(
        ..., help="Scenario spec YAML (or the name of a shipped example, e.g. 2026q1)."),
    asof: str | None = typer.Option(
        None, "--asof", help="Start of the moves (YYYY-MM-DD); default the spec's asof."),
    portfolio: str | None = typer.Option(
        None, "--portfolio", help="Positions to price (YAML or CSV)."),
    window: str | None = typer.Option(
        None, "--window",
        help="Covariance window: 2y (default), 1y, 6m, 90d (trailing), 2008, 2018q4, 2020, "
             "2022 or "
             "YYYY-MM-DD:YYYY-MM-DD."),
    horizon_days: int | None = typer.Option(
        None, "--horizon-days", help="Horizon in trading days (default: as-of to the spec's "
        "horizon date, else 63)."),
    tail_level: float = typer.Option(
        0.95, "--tail-level", help="Confidence of the tail loss (0.95 = 95 %)."),
    cov_method: str = typer.Option(
        "pairwise", "--cov", help="Covariance from pairwise common days (pairwise) or the days "
        "all assets share (listwise)."),
    change_days: int = typer.Option(
        21, "--change-days", help="Sessions per change of the covariance (21: overlapping "
        "monthly changes, keeps the mean reversion of VIX and spreads; 1: daily changes)."),
    no_flows: bool = typer.Option(False, "--no-flows", help="Skip the CTA / dealer flows."),
    chain: str | None = typer.Option(
        None, "--chain", help="Option chain file (quotedata.csv) for dealer hedge flows."),
    scorecard: bool = typer.Option(
        False, "--scorecard", help="Grade the spec against later data instead."),
    until: str | None = typer.Option(
        None, "--until", help="Scorecard evaluation date (default: the spec's horizon)."),
    outcome_rule: str = typer.Option(
        "conditions", "--outcome-rule", help="Scorecard: 'conditions' or 'shocks'."),
    as_json: AsJson = False,
    data_path: DataOpt = None,
) -> None:
    """Scenarios with probabilities: moves of every asset, flows, portfolio P&L, scorecard."""
    from crashlens import scenarios as sc

    asof_ts = parse_date(asof, "--asof")
    result: sc.ScenarioResult | sc.ScorecardResult
    with progress("scenarios", quiet=as_json):
        if scorecard:
            result = sc.scorecard(spec, asof_ts, until=parse_date(until, "--until"),
                                  window=window, outcome_rule=outcome_rule)
        else:
            result = sc.run(spec, asof_ts, portfolio=portfolio, window=window,
                            horizon_days=horizon_days, tail_level=tail_level,
                            flows=not no_flows, chain=chain, cov_method=cov_method,
                            change_days=change_days)
    emit(result, as_json)


def register(app: typer.Typer) -> None:
    """Add the ``scenarios`` command."""
    app.command("scenarios")(scenarios_cmd)
