"""Ex-post scorecard: grade a past scenario set against what the data later showed.

1. Every typed condition is evaluated on data after the as-of date up to its deadline (and up
   to ``until``): true (with the first date it held), false, pending or not checkable.
2. The realised moves of the compared assets (every asset shocked in some scenario) from as-of
   to ``until`` are set beside each scenario's propagated moves; the **Mahalanobis distance**
   ``d_s = sqrt((r − μ_s)ᵀ (hΣ)⁻¹ (r − μ_s))`` with the covariance of the spec's window scaled
   to the horizon picks the scenario the realised path resembled.
3. The scenario judged to have happened is, by default (``outcome_rule="conditions"``), the one
   with the highest share of checkable conditions true, ties broken by the smaller distance;
   ``"shocks"`` uses the distance alone.
4. Brier score (multi-category): ``B = Σ_s (p_s − o_s)²`` with ``o`` the one-hot outcome; 0 is a
   perfect forecast, 2 the worst; equal probabilities score ``(n − 1)/n``.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crashlens.data.readers import data_source, make_source, value_at
from crashlens.data.source import SourceLike, reads_source, using
from crashlens.errors import CrashlensError, ParameterError
from crashlens.notes import Note
from crashlens.scenarios.conditions import Status, evaluate
from crashlens.scenarios.engine import (
    _known_from,
    _probabilities,
    display,
    horizon_days_between,
    prepare,
    scenario_moves,
)
from crashlens.scenarios.result import ScorecardResult
from crashlens.scenarios.spec import ScenarioSpec, load


def brier(probabilities: np.ndarray, outcome: np.ndarray) -> float:
    """Multi-category Brier score ``Σ (p − o)²``."""
    p = np.asarray(probabilities, dtype=float)
    o = np.asarray(outcome, dtype=float)
    return float(((p - o) ** 2).sum())


@reads_source
def scorecard(spec: str | Path | ScenarioSpec | dict, asof: Any = None, *, until: Any = None,
              window: str | None = None, outcome_rule: str = "conditions", data: Any = None,
              kinds: dict[str, str] | None = None, min_coverage: float = 0.25,
              source: SourceLike = None) -> ScorecardResult:
    """Grade a scenario set written at ``asof`` against the data up to ``until``.

    Parameters
    ----------
    spec : path or ScenarioSpec
        The scenario spec.
    asof : date-like, optional
        Date the outlook was written (default the spec's ``asof``; required one way or the
        other).
    until : date-like, optional
        Evaluation date (default the spec's horizon; clipped to the last SPX date with a
        warning when the data ends earlier).
    window : str, optional
        Covariance window for the propagated moves and the distance (default the spec's, else
        trailing 2 years to as-of).
    outcome_rule : {"conditions", "shocks"}
        How the realised scenario is chosen (see the module docstring).
    data, kinds, min_coverage
        As in :func:`crashlens.scenarios.run`.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.
        Conditions on crashlens' models (CTA positioning) run on it too.

    Returns
    -------
    ScorecardResult
    """
    if outcome_rule not in ("conditions", "shocks"):
        raise ParameterError(f"outcome_rule must be 'conditions' or 'shocks', not "
                             f"'{outcome_rule}'")
    known = list(kinds) if kinds else (_known_from(data) if data is not None else None)
    frames = data_source(data, source)
    sp = load(spec, known=known) if not isinstance(spec, ScenarioSpec) else spec
    if asof is None and sp.asof is None:
        raise ParameterError("the scorecard needs an as-of date: give --asof or 'asof:' in the "
                             "spec")
    # data= of catalog series: read as a source, like source=
    with using(frames) if frames is not None else nullcontext():
        return _scorecard(sp, asof, until, window, outcome_rule,
                          data if frames is None else None, kinds, min_coverage)


def _scorecard(sp: ScenarioSpec, asof: Any, until: Any, window: str | None, outcome_rule: str,
               data: Any, kinds: dict[str, str] | None, min_coverage: float
               ) -> ScorecardResult:
    """:func:`scorecard` on a loaded spec; ``data`` is None (the active source) or legacy."""
    source = make_source(data)
    ctx = prepare(sp, asof, window=window, data=data, kinds=kinds, min_coverage=min_coverage)
    warnings = [*sp.warnings, *ctx.warnings]
    if until is not None:
        end = pd.Timestamp(until).normalize()
    elif ctx.horizon_end is not None:
        end = ctx.horizon_end
    else:
        end = ctx.asof + pd.offsets.BDay(ctx.horizon_days)
    if end <= ctx.asof:
        raise ParameterError(f"until {end.date()} is not after the as-of date {ctx.asof.date()}")
    try:
        last = source("SPX", "close").index[-1]
    except CrashlensError:
        last = None
    if last is not None and last < end:
        warnings.append(Note("scenarios.partial_horizon", last=last, end=end))
        end = last
    # 1. conditions
    crow = []
    for s in sp.scenarios:
        for c in s.conditions:
            o = evaluate(c, source, ctx.asof, end, models=data is None)
            crow.append({"scenario": s.id, "condition": o.condition, "kind": c.kind,
                         "status": o.status.value, "met_on": o.met_on,
                         "measured": o.measured, "detail": o.detail,
                         "condition_zh": c.text_zh})
    conds = pd.DataFrame(crow, columns=["scenario", "condition", "kind", "status", "met_on",
                                        "measured", "detail", "condition_zh"])
    # object dtype: a string column would turn the details' Notes (code + params) into text
    conds["detail"] = pd.Series([r["detail"] for r in crow], index=conds.index, dtype=object)
    # 2. realised vs propagated moves
    compare = list(dict.fromkeys(a for s in sp.scenarios for a in s.shocks))
    realised = {}
    for a in compare:
        try:
            ser = source(a, "close")
        except CrashlensError:
            continue
        g0, g1 = value_at(ser, ctx.asof), value_at(ser, end)
        if g0 is None or g1 is None or g1[0] <= ctx.asof:
            warnings.append(Note("scenarios.no_realised_move", asset=a, asof=ctx.asof))
            continue
        co = ctx.coords.get(a, "log")
        realised[a] = np.log(g1[1] / g0[1]) if co == "log" else g1[1] - g0[1]
    means = {s.id: scenario_moves(ctx, s)[0] for s in sp.scenarios}
    use = [a for a in realised if a in ctx.cov.columns]
    dropped = [a for a in realised if a not in use]
    if dropped:
        warnings.append(Note("scenarios.left_out_of_distance", assets=", ".join(dropped)))
    h_real = horizon_days_between(ctx.asof, end)
    dist: dict[str, float] = {}
    if use:
        sig = ctx.cov.loc[use, use].to_numpy() * max(h_real, 1)
        sig = sig + np.eye(len(use)) * 1e-12 * max(float(np.trace(sig)), 1e-300)
        r = np.array([realised[a] for a in use])
        for sid, m in means.items():
            d = r - m[use].to_numpy()
            dist[sid] = float(np.sqrt(max(float(d @ np.linalg.solve(sig, d)), 0.0)))
    else:
        warnings.append(Note("scenarios.no_distance"))
    table = {}
    for a in realised:
        co = ctx.coords.get(a, "log")
        table[a] = {"unit": display(0.0, co, a)[1], "realised": display(realised[a], co, a)[0],
                    **{sid: display(float(means[sid].get(a, np.nan)), co, a)[0]
                       for sid in means}}
    real_df = pd.DataFrame(table).T if table else pd.DataFrame(columns=["unit", "realised"])
    # 3. outcome and Brier
    ids = sp.ids
    p = _probabilities(sp, warnings)
    srows = {}
    for i, s in enumerate(sp.scenarios):
        sub = conds[conds["scenario"] == s.id]
        n_true = int((sub["status"] == Status.TRUE.value).sum())
        n_chk = int(sub["status"].isin([Status.TRUE.value, Status.FALSE.value]).sum())
        srows[s.id] = {"probability": float(p[i]), "conditions_true": n_true,
                       "conditions_checkable": n_chk,
                       "hit_rate": n_true / n_chk if n_chk else np.nan,
                       "distance": dist.get(s.id, np.nan)}
    sc = pd.DataFrame([{"scenario": k, **v} for k, v in srows.items()]).set_index("scenario")
    resembled = min(dist, key=lambda k: dist[k]) if dist else None
    chosen = _choose(sc, outcome_rule, resembled)
    sc["outcome"] = [1 if sid == chosen else 0 for sid in sc.index]
    b = brier(p, sc["outcome"].to_numpy(dtype=float)) if chosen is not None else None
    n = len(ids)
    bu = (n - 1) / n if chosen is not None else None
    if chosen is None:
        warnings.append(Note("scenarios.no_outcome"))
    synthetic = False
    if data is None:
        from crashlens import data as cldata

        synthetic = cldata.is_synthetic()
    assumptions = {"outcome_rule": outcome_rule, "window": ctx.window.label,
                   "distance": "Mahalanobis with the window's daily covariance × trading days "
                               "from as-of to until",
                   "brier": "multi-category Σ(p−o)², 0 best, 2 worst",
                   "dating": "macro series dated by the month measured, not the release date"}
    return ScorecardResult(
        name=sp.name, asof=ctx.asof, until=end, conditions=conds, scenarios=sc,
        realised=real_df, resembled=resembled, realised_scenario=chosen, brier=b,
        brier_uniform=bu, synthetic=synthetic, assumptions=assumptions,
        warnings=tuple(dict.fromkeys(warnings)))


def _choose(sc: pd.DataFrame, rule: str, resembled: str | None) -> str | None:
    if rule == "shocks":
        return resembled
    rates = sc["hit_rate"].astype(float)
    if rates.notna().sum() == 0:
        return resembled
    best = rates.max()
    tied = [sid for sid in sc.index if rates[sid] == best]
    if len(tied) == 1:
        return str(tied[0])
    d = sc.loc[tied, "distance"].astype(float)
    if d.notna().any():
        return str(d.idxmin())
    return str(tied[0])
