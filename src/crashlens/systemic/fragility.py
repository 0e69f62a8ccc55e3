"""Composite systemic fragility: absorption, turbulence, correlation, volatility, crowding.

Each component is mapped to a 0..100 score (a trailing percentile against its own history up
to that day, or a fixed mapping for the VIX term structure and crowding), and the composite
is their weighted mean over the components available that day (weights renormalised, the
missing ones named in the warnings). Components and weights are printed with the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crashlens import data
from crashlens._dates import to_timestamp_or_none
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.notes import Note
from crashlens.systemic._align import aligned_returns
from crashlens.systemic._kernels import trailing_percentile
from crashlens.systemic.crowding import (
    DEFAULT_MARKETS,
    crowding_history,
    crowding_score,
    vol_regime_history,
)
from crashlens.systemic.indicators import absorption_ratio, absorption_shift, turbulence
from crashlens.systemic.results import FragilityHistory, FragilityResult

#: Default cross-asset universe: long daily histories (from 2000) across equities, metals,
#: dollar and Treasuries, so 2008 is covered.
DEFAULT_UNIVERSE: tuple[str, ...] = ("SPX", "NDX", "GOLD", "SILVER", "DXY", "UST2Y", "UST10Y")

#: Default composite weights (renormalised over the components available on a day).
DEFAULT_WEIGHTS: dict[str, float] = {
    "absorption_shift": 0.20, "turbulence": 0.20, "correlation_surprise": 0.10,
    "avg_correlation": 0.10, "vix": 0.15, "term_structure": 0.15, "crowding": 0.10,
}


def _term_score(ratio: pd.Series, lo: float, hi: float) -> pd.Series:
    return ((ratio - lo) / (hi - lo)).clip(0.0, 1.0) * 100.0


def _compute(end: pd.Timestamp | None, universe: Sequence[str], weights: Mapping[str, float],
             p: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], list[str]]:
    rets, warns = aligned_returns(universe, end, None, calendar=p["calendar"],
                                  max_stale_days=p["max_stale_days"])
    need = p["ar_window"] + p["shift_long"]
    if len(rets) < max(need, p["turbulence_window"] + 1):
        raise InsufficientDataError(
            f"fragility needs at least {need} aligned return rows up to "
            f"{end.date() if end is not None else 'the end'}, got {len(rets)}")
    ar = absorption_ratio(rets, p["ar_window"], p["ar_halflife"], p["ar_fraction"])
    shift = absorption_shift(ar, p["shift_short"], p["shift_long"])
    tb = turbulence(rets, p["turbulence_window"], pct_min_periods=p["pct_min_periods"])
    out = pd.DataFrame({"absorption_ratio": ar, "absorption_shift": shift}).join(tb)
    vol = vol_regime_history(end).reindex(out.index, method="ffill",
                                          tolerance=pd.Timedelta(days=p["max_stale_days"]))
    out = out.join(vol[["vix", "vix3m", "vix_percentile", "term_ratio", "regime"]])
    pct, nets, cw = crowding_history(p["markets"], end, lookback_weeks=p["cot_lookback_weeks"])
    warns += cw
    crowd = pd.Series(np.nan, index=out.index)
    if not pct.empty:
        score = pct.apply(crowding_score, axis=1)
        idx = score.index.searchsorted(out.index, side="right") - 1
        ok = idx >= 0
        vals = np.full(len(out), np.nan)
        vals[ok] = score.to_numpy()[idx[ok]]
        age = np.full(len(out), np.inf)
        age[ok] = np.asarray((pd.DatetimeIndex(out.index[ok])
                              - pd.DatetimeIndex(score.index[idx[ok]])).days)
        vals[age > p["cot_max_age_days"]] = np.nan
        crowd = pd.Series(vals, index=out.index)
    out["crowding"] = crowd

    mp = p["pct_min_periods"]
    sm = p["smooth"]
    scores = pd.DataFrame(index=out.index)
    scores["absorption_shift"] = trailing_percentile(out["absorption_shift"].to_numpy(), mp)
    for col, src in (("turbulence", "turbulence"),
                     ("correlation_surprise", "correlation_surprise")):
        smooth = out[src].rolling(sm, min_periods=sm).mean().to_numpy()
        scores[col] = trailing_percentile(smooth, mp)
    scores["avg_correlation"] = trailing_percentile(out["avg_correlation"].to_numpy(), mp)
    scores["vix"] = out["vix_percentile"]
    scores["term_structure"] = _term_score(out["term_ratio"], *p["term_range"])
    scores["crowding"] = out["crowding"]
    w = pd.Series(weights, dtype=float)
    s = scores[w.index]
    avail = s.notna()
    wsum = avail.mul(w, axis=1).sum(axis=1)
    comp = s.fillna(0.0).mul(w, axis=1).sum(axis=1) / wsum.where(wsum > 0)
    out["composite"] = comp
    return out, {"scores": scores, "crowding_pct": pct, "crowding_net": nets}, warns


def _params(universe: Sequence[str], weights: Mapping[str, float] | None,
            kw: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, float], dict[str, Any]]:
    p: dict[str, Any] = {
        "calendar": "SPX", "max_stale_days": 4, "ar_window": 500, "ar_halflife": 250.0,
        "ar_fraction": 0.2, "shift_short": 15, "shift_long": 252, "turbulence_window": 500,
        "pct_min_periods": 250, "smooth": 5, "term_range": (0.8, 1.1),
        "markets": DEFAULT_MARKETS, "cot_lookback_weeks": 156, "cot_max_age_days": 14,
    }
    unknown = set(kw) - set(p)
    if unknown:
        raise ParameterError(f"unknown fragility parameter(s) {sorted(unknown)}; known: "
                             f"{sorted(p)}")
    p.update(kw)
    wt = dict(DEFAULT_WEIGHTS if weights is None else weights)
    bad = set(wt) - set(DEFAULT_WEIGHTS)
    if bad:
        raise ParameterError(f"unknown component(s) {sorted(bad)} in weights; known: "
                             f"{sorted(DEFAULT_WEIGHTS)}")
    if any(v < 0 for v in wt.values()) or sum(wt.values()) <= 0:
        raise ParameterError(f"weights must be >= 0 with a positive sum, got {wt}")
    uni = tuple(u.upper() for u in universe)
    return uni, wt, p


def _assumptions(uni: tuple[str, ...], wt: dict[str, float], p: dict[str, Any]
                 ) -> dict[str, Any]:
    return {"universe": list(uni), "weights": wt, **p, "markets": list(p["markets"]),
            "alignment": f"{p['calendar']} trading calendar, same-date closes, gaps up to "
                         f"{p['max_stale_days']} days bridged, yields as duration returns"}


@reads_source
def fragility(asof: str | pd.Timestamp | None = None,
              universe: Sequence[str] = DEFAULT_UNIVERSE,
              weights: Mapping[str, float] | None = None, *, source: SourceLike = None,
              **params: Any) -> FragilityResult:
    """Systemic fragility on an as-of date.

    Parameters
    ----------
    asof : date, optional
        Nothing after it is read (default: the last date of the data).
    universe : sequence of str
        Catalog series for absorption ratio and turbulence (default :data:`DEFAULT_UNIVERSE`).
    weights : mapping, optional
        Composite weights by component (default :data:`DEFAULT_WEIGHTS`).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.
    **params
        Overrides of the defaults: ``ar_window`` (500), ``ar_halflife`` (250),
        ``ar_fraction`` (0.2), ``shift_short`` (15), ``shift_long`` (252),
        ``turbulence_window`` (500), ``pct_min_periods`` (250), ``smooth`` (5 days, for the
        turbulence and correlation-surprise scores), ``term_range`` ((0.8, 1.1): VIX/VIX3M
        mapped linearly to 0..100), ``markets`` (COT codes), ``cot_lookback_weeks`` (156),
        ``cot_max_age_days`` (14), ``calendar`` ("SPX"), ``max_stale_days`` (4).

    Returns
    -------
    FragilityResult
    """
    uni, wt, p = _params(universe, weights, params)
    end = to_timestamp_or_none(asof, "asof")
    frame, parts, warns = _compute(end, uni, wt, p)
    last = frame.dropna(subset=["absorption_ratio", "turbulence"]).index
    if last.empty:
        raise InsufficientDataError("fragility: no complete day of indicators")
    day = last[-1]
    row = frame.loc[day]
    sc = parts["scores"].loc[day]
    comps = {c: {"score": None if pd.isna(sc[c]) else float(sc[c]), "weight": wt[c]}
             for c in wt}
    missing = [c for c, v in comps.items() if v["score"] is None and wt[c] > 0]
    if missing:
        warns.append(Note("systemic.components_missing", day=day.date(), missing=str(missing)))
    crowd: dict[str, Any] = {}
    pct, nets = parts["crowding_pct"], parts["crowding_net"]
    for m in pct.columns:
        s = pct[m].loc[:day].dropna()
        if s.empty:
            continue
        crowd[m] = {"report_released": s.index[-1], "net_share_of_oi":
                    float(nets[m].loc[s.index[-1]]), "percentile": float(s.iloc[-1])}
    crowd["score"] = None if pd.isna(row["crowding"]) else float(row["crowding"])
    if end is not None and day < end:
        warns.append(Note("systemic.last_complete_day", day=day.date(), asof=end.date()))
    return FragilityResult(
        asof=day,
        absorption_ratio=float(row["absorption_ratio"]),
        absorption_shift=float(row["absorption_shift"]),
        turbulence=float(row["turbulence"]),
        turbulence_percentile=float(row["turbulence_percentile"]),
        correlation_surprise=float(row["correlation_surprise"]),
        avg_correlation=float(row["avg_correlation"]),
        vol_regime={k: row[k] for k in ("vix", "vix3m", "vix_percentile", "term_ratio",
                                          "regime")},
        crowding=crowd,
        composite=float(row["composite"]),
        components=comps,
        synthetic=data.is_synthetic(),
        history=frame[["composite"]].join(parts["scores"].add_suffix("_score")).loc[:day],
        assumptions=_assumptions(uni, wt, p),
        warnings=tuple(warns),
    )


@reads_source
def fragility_history(start: str | pd.Timestamp | None = None,
                      end: str | pd.Timestamp | None = None,
                      universe: Sequence[str] = DEFAULT_UNIVERSE,
                      weights: Mapping[str, float] | None = None, *,
                      source: SourceLike = None, **params: Any) -> FragilityHistory:
    """Every indicator and component score per day over ``start .. end`` (for charts).

    The computation uses all history up to ``end`` (so windows are warm at ``start``); each
    day's values use data up to that day only.

    Parameters
    ----------
    start, end : date, optional
        First and last day shown (``end``: nothing after it is read).
    universe, weights, **params
        As in :func:`fragility`.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    FragilityHistory
    """
    uni, wt, p = _params(universe, weights, params)
    e, s = to_timestamp_or_none(end, "end"), to_timestamp_or_none(start, "start")
    if s is not None and e is not None and s > e:
        raise ParameterError(f"start {s.date()} is after end {e.date()}")
    frame, parts, warns = _compute(e, uni, wt, p)
    scores = parts["scores"].add_suffix("_score")
    full = frame.join(scores).loc[s:]
    return FragilityHistory(frame=full, synthetic=data.is_synthetic(),
                            assumptions=_assumptions(uni, wt, p), warnings=tuple(warns))
