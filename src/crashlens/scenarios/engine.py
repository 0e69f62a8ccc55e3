"""Run a scenario spec: propagate, price a portfolio, weight by probability.

The public entry point is :func:`run`; :func:`prepare` and :func:`scenario_moves` are shared
with the scorecard.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.stats import norm

from crashlens._dates import to_timestamp
from crashlens.data.readers import (
    SeriesSource,
    data_source,
    is_daily,
    make_source,
    unit_of,
    value_at,
)
from crashlens.data.source import SourceLike, is_store, reads_source, using
from crashlens.errors import CrashlensError, InsufficientDataError, ParameterError
from crashlens.notes import Note
from crashlens.scenarios.conditions import describe
from crashlens.scenarios.pooling import entropy_pooling
from crashlens.scenarios.portfolio import Portfolio, load_portfolio
from crashlens.scenarios.propagation import (
    DEFAULT_UNIVERSE,
    Coord,
    Window,
    conditional_gaussian,
    coord_of,
    covariance,
    daily_changes,
    resolve_window,
)
from crashlens.scenarios.result import ScenarioResult
from crashlens.scenarios.spec import Move, Scenario, ScenarioSpec, load

#: Horizon in trading days when the spec gives neither ``horizon`` nor ``horizon_days``.
DEFAULT_HORIZON_DAYS = 63
#: A level older than this many calendar days before as-of is flagged as stale.
MAX_STALE_DAYS = 10
#: Sessions per change of the covariance (overlapping 21-session changes, about a month):
#: keeps the mean reversion of volatility indices and spreads (see
#: :mod:`crashlens.scenarios.propagation`).
DEFAULT_CHANGE_DAYS = 21
#: Significance below which a scenario's shocks are flagged as out of reach of the window's
#: distribution (chi-square tail of their Mahalanobis distance over the horizon).
REACH_ALPHA = 0.01


@dataclass
class Context:
    """Everything the propagation of one spec needs (internal)."""

    asof: pd.Timestamp
    horizon_end: pd.Timestamp | None
    horizon_days: int
    window: Window
    assets: list[str]                    # universe order (covariance assets first)
    coords: dict[str, Coord]
    levels: dict[str, float]
    cov: pd.DataFrame                    # daily covariance of the covariance assets
    n_obs: int
    warnings: list[str] = field(default_factory=list)
    cov_method: str = "pairwise"
    change_days: int = 1


def display(x: float, coord: Coord, asset: str) -> tuple[float, str]:
    """Coordinate move -> display number and unit (% for prices, bp for percent series)."""
    if coord == "log":
        return (math.exp(x) - 1.0) * 100.0, "%"
    if unit_of(asset) == "percent":
        return x * 100.0, "bp"
    return x, "pt"


def to_coord(move: Move, coord: Coord, level: float | None, asset: str) -> float:
    """A stated move -> the propagation coordinate (log return or difference)."""
    v, u = move.value, move.unit
    if coord == "log":
        if u == "pct":
            frac = v / 100.0
        elif u == "bp":
            frac = v / 1e4
        else:
            if level is None:
                raise ParameterError(f"{asset}: a move in points needs the as-of level")
            frac = v / level
        if frac <= -1.0:
            raise ParameterError(f"{asset}: move {move} would make the price non-positive")
        return math.log1p(frac)
    if u == "bp":
        if unit_of(asset) != "percent":
            raise ParameterError(f"{asset}: 'bp' moves apply to series in percent; use 'pt' "
                                 "or '%'")
        return v / 100.0
    if u == "pt":
        return v
    if level is None:
        raise ParameterError(f"{asset}: a relative move needs the as-of level")
    return level * v / 100.0


def horizon_days_between(asof: pd.Timestamp, end: pd.Timestamp) -> int:
    """Business days in ``(asof, end]``."""
    a = (asof + pd.Timedelta(days=1)).date()
    b = (end + pd.Timedelta(days=1)).date()
    return int(np.busday_count(a, b))


def _load(names: Iterable[str], source: SeriesSource, asof: pd.Timestamp,
          warnings: list[str]) -> dict[str, pd.Series]:
    out: dict[str, pd.Series] = {}
    for n in names:
        try:
            s = source(n, "close")
        except CrashlensError as exc:
            warnings.append(Note("scenarios.not_loaded", asset=n, error=str(exc)))
            continue
        s = s.loc[:asof]
        if s.empty:
            warnings.append(Note("scenarios.no_data_before", asset=n, asof=asof))
            continue
        if not is_daily(s):
            warnings.append(Note("scenarios.not_daily", asset=n))
            continue
        out[n] = s
    return out


def prepare(spec: ScenarioSpec, asof: Any = None, *, window: str | None = None,
            universe: Sequence[str] | None = None, extra_assets: Iterable[str] = (),
            horizon_days: int | None = None, data: Any = None,
            kinds: dict[str, str] | None = None, min_coverage: float = 0.25,
            max_fill_days: int = 3, cov_method: str = "pairwise",
            change_days: int = DEFAULT_CHANGE_DAYS) -> Context:
    """Resolve dates, load the universe and estimate the covariance (see :func:`run`)."""
    source = make_source(data)
    warnings: list[str] = []
    asof_ts = _resolve_asof(spec, asof, source)
    if horizon_days is not None:
        if horizon_days <= 0:
            raise ParameterError(f"horizon_days must be positive, got {horizon_days}")
        h_end, h = None, int(horizon_days)
    elif spec.horizon is not None:
        h_end = pd.Timestamp(spec.horizon)
        if h_end <= asof_ts:
            raise ParameterError(f"the horizon {h_end.date()} is not after the as-of date "
                                 f"{asof_ts.date()}")
        h = horizon_days_between(asof_ts, h_end)
    else:
        h_end, h = None, spec.horizon_days or DEFAULT_HORIZON_DAYS
    win = resolve_window(window or spec.window, asof_ts)
    shocked = [a for s in spec.scenarios for a in s.shocks]
    names = list(dict.fromkeys([*(universe or spec.universe or DEFAULT_UNIVERSE), *shocked,
                                *extra_assets]))
    names = [n.upper() for n in names]
    coords = {n: coord_of(n, kinds) for n in names}
    series = _load(names, source, asof_ts, warnings)
    levels: dict[str, float] = {}
    fresh = False
    for n, s in series.items():
        got = value_at(s, asof_ts)
        if got is None:
            continue
        fresh = fresh or (asof_ts - got[0]).days <= MAX_STALE_DAYS
        if (asof_ts - got[0]).days > MAX_STALE_DAYS:
            warnings.append(Note("scenarios.stale_level", asset=n, level=got[1], date=got[0],
                                 days=(asof_ts - got[0]).days))
        levels[n] = got[1]
    if levels and not fresh:
        last = max(s.index[-1] for s in series.values())
        raise ParameterError(f"as-of date {asof_ts.date()} is after the data (last "
                             f"observation {last.date()})")
    changes, notes = daily_changes({n: s for n, s in series.items()}, coords, win,
                                   max_fill_days=max_fill_days, min_coverage=min_coverage,
                                   change_days=change_days)
    warnings.extend(notes)
    cov, n_obs = covariance(changes, method=cov_method)
    shift_attr = cov.attrs.get("psd_repair_max_corr_change", 0.0)
    cov = cov / float(change_days)  # daily-equivalent covariance
    cov.attrs["psd_repair_max_corr_change"] = shift_attr
    shift = float(cov.attrs.get("psd_repair_max_corr_change", 0.0))
    if shift > 0:
        warnings.append(Note("scenarios.psd_repaired", shift=shift))
    in_cov = list(cov.columns)
    assets = in_cov + [n for n in names if n not in in_cov and n in levels]
    return Context(asof_ts, h_end, h, win, assets, coords, levels, cov, n_obs, warnings,
                   cov_method, change_days)


def _resolve_asof(spec: ScenarioSpec, asof: Any, source: SeriesSource) -> pd.Timestamp:
    if asof is not None:
        return to_timestamp(asof, "asof")
    if spec.asof is not None:
        return pd.Timestamp(spec.asof)
    try:
        return source("SPX", "close").index[-1].normalize()
    except CrashlensError as exc:
        raise ParameterError("no as-of date: give --asof or 'asof:' in the spec") from exc


def scenario_moves(ctx: Context, scen: Scenario) -> tuple[pd.Series, pd.DataFrame, list[str]]:
    """Propagated mean moves (coordinates) over all assets and the horizon covariance.

    Returns
    -------
    mean : Series
        Coordinate move per asset in ``ctx.assets`` order.
    cond_cov : DataFrame
        Conditional covariance over the horizon (covariance assets only).
    notes : list of str
    """
    notes: list[str] = []
    cov_assets = list(ctx.cov.columns)
    k_idx, s_vals = [], []
    outside: dict[str, float] = {}
    for asset, move in scen.shocks.items():
        x = to_coord(move, ctx.coords.get(asset, coord_of(asset)), ctx.levels.get(asset), asset)
        if asset in cov_assets:
            k_idx.append(cov_assets.index(asset))
            s_vals.append(x)
        else:
            outside[asset] = x
            notes.append(Note("scenarios.shock_outside_cov", scenario=scen.id, asset=asset))
    if not k_idx and scen.shocks:
        notes.append(Note("scenarios.no_shock_in_cov", scenario=scen.id))
    mean, cond, singular = conditional_gaussian(ctx.cov.to_numpy(), k_idx, np.array(s_vals))
    if singular:
        notes.append(Note("scenarios.singular", scenario=scen.id))
    m = pd.Series(np.nan, index=ctx.assets)  # NaN: outside the covariance, not propagated
    m[cov_assets] = mean
    for a, x in outside.items():
        m[a] = x
    cc = pd.DataFrame(cond * ctx.horizon_days, index=cov_assets, columns=cov_assets)
    return m, cc, notes


def reachability(ctx: Context, scen: Scenario, alpha: float = REACH_ALPHA) -> dict[str, Any]:
    """How far a scenario's shocks lie in the window's distribution over the horizon.

    With ``s`` the shocks (coordinates) of the shocked assets in the covariance and
    ``S = h Σ_kk`` their horizon covariance, ``d² = s' S⁻¹ s`` is chi-square with ``m`` degrees
    of freedom under the window's Gaussian; the shocks are *reachable* when its tail
    probability is at least ``alpha``.

    Returns
    -------
    dict
        ``mahalanobis`` (d), ``dof`` (m), ``p_value`` (chi-square tail of d²), ``reachable``,
        ``z`` (each shock over its own horizon std, by asset); NaN / True when no shock is in
        the covariance.
    """
    from scipy.stats import chi2

    cov_assets = list(ctx.cov.columns)
    names, vals = [], []
    for asset, move in scen.shocks.items():
        if asset in cov_assets:
            names.append(asset)
            vals.append(to_coord(move, ctx.coords.get(asset, coord_of(asset)),
                                 ctx.levels.get(asset), asset))
    if not names:
        return {"mahalanobis": float("nan"), "dof": 0, "p_value": float("nan"),
                "reachable": True, "z": {}}
    sk = ctx.horizon_days * ctx.cov.loc[names, names].to_numpy()
    x = np.array(vals)
    d2 = float(x @ np.linalg.pinv(sk) @ x)
    p = float(chi2.sf(d2, len(names)))
    z = {a: float(v / math.sqrt(sk[i, i])) for i, (a, v) in enumerate(zip(names, vals,
                                                                          strict=True))}
    return {"mahalanobis": math.sqrt(max(d2, 0.0)), "dof": len(names), "p_value": p,
            "reachable": p >= alpha, "z": z}


def _mixture_quantile(q: float, mu: np.ndarray, sd: np.ndarray, p: np.ndarray) -> float:
    sd = np.maximum(sd, 1e-12 * np.maximum(1.0, np.abs(mu)))

    def f(x: float) -> float:
        return float(p @ norm.cdf((x - mu) / sd)) - q

    lo = float((mu - 12 * sd).min())
    hi = float((mu + 12 * sd).max())
    if hi <= lo:
        return float(mu.mean())
    return float(brentq(f, lo, hi, xtol=1e-12 * max(1.0, abs(hi)), maxiter=200))


def _mixture_es(var: float, mu: np.ndarray, sd: np.ndarray, p: np.ndarray, q: float) -> float:
    sd = np.maximum(sd, 1e-12 * np.maximum(1.0, np.abs(mu)))
    z = (var - mu) / sd
    return float(p @ (mu * norm.cdf(z) - sd * norm.pdf(z)) / q)


@reads_source
def run(spec: str | Path | ScenarioSpec | dict, asof: Any = None, *,
        portfolio: str | Path | Portfolio | None = None, window: str | None = None,
        universe: Sequence[str] | None = None, horizon_days: int | None = None,
        tail_level: float = 0.95, views: bool = True, flows: bool = True,
        chain: Any = None, data: Any = None, kinds: dict[str, str] | None = None,
        min_coverage: float = 0.25, max_fill_days: int = 3,
        cov_method: str = "pairwise", change_days: int = DEFAULT_CHANGE_DAYS,
        reach_alpha: float = REACH_ALPHA, source: SourceLike = None) -> ScenarioResult:
    """Propagate each scenario's shocks to every asset and weight them by probability.

    Parameters
    ----------
    spec : path or ScenarioSpec
        The scenario spec (YAML file, packaged example name such as ``"2026q1"``, or a loaded
        spec).
    asof : date-like, optional
        Start of the moves; default the spec's ``asof``, else the last SPX date.
    portfolio : path or Portfolio, optional
        Positions (YAML or CSV, see :mod:`crashlens.scenarios.portfolio`).
    window : str, optional
        Covariance window: ``"2y"`` (default, trailing to as-of), ``"1y"``, ``"2008"``,
        ``"2020"``, ``"2022"``, ``"2018q4"`` or ``"YYYY-MM-DD:YYYY-MM-DD"``.
    universe : sequence of str, optional
        Assets to propagate to (default the spec's, else ``DEFAULT_UNIVERSE``); shocked and
        portfolio assets are always added.
    horizon_days : int, optional
        Override the horizon in trading days.
    tail_level : float
        Confidence of the tail numbers (0.95: the 5 % quantile and expected shortfall).
    views : bool
        Apply the spec's entropy-pooling views (if any) to report posterior probabilities.
    flows : bool
        Compute CTA flows, dealer hedge flows and BTC liquidations per scenario (when those
        engines are available).
    chain : path, OptionChain or GexResult, optional
        Option chain for the dealer hedge flows (none in the data at most dates).
    data : mapping, DataFrame or callable, optional
        The older form of ``source=`` (see :mod:`crashlens.data.readers`): frames keyed by
        catalog names are read as a :class:`~crashlens.data.FramesSource`; names outside the
        catalog or a callable are read as given, without the CTA flows and crypto
        liquidations (a note says so). Not with ``source=``.
    kinds : dict, optional
        Coordinate (``"log"``/``"diff"``) of assets outside the catalog.
    min_coverage : float
        Minimum share of window days with data for an asset to enter the covariance (0.25).
    max_fill_days : int
        Longest gap (rows) a level is carried forward across on the SPX calendar (3).
    cov_method : {"pairwise", "listwise"}
        Covariance from each pair's common days (default; uses the long series' full window
        when some assets start later) or from the days all assets have data.
    change_days : int
        Sessions per change of the covariance (default 21: overlapping monthly changes, their
        covariance divided by 21); 1 gives the daily covariance. Longer changes keep the mean
        reversion of volatility indices and spreads.
    reach_alpha : float
        A scenario whose shocks have a Mahalanobis distance (over the horizon, under the
        window's covariance) beyond the chi-square ``1 - reach_alpha`` quantile gets a
        warning: its conditioned moves are out of reach of the window's distribution
        (default 0.01).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.
        Everything is read from it: the universe, the CTA book of the CTA flows
        (:func:`crashlens.cta.positioning` reads the same source) and the BTC liquidation map
        (its crypto market files from the source's folder of files). A part the source lacks
        is left out with a note naming what is missing.

    Returns
    -------
    ScenarioResult

    Raises
    ------
    SpecError
        Bad spec or portfolio file (naming the line).
    ParameterError
        Bad dates, window or tail level; a move making a price non-positive.
    InsufficientDataError
        Too few days of data on the window.
    """
    if not 0.5 < tail_level < 1:
        raise ParameterError(f"tail_level must be in (0.5, 1), got {tail_level}")
    known = list(kinds) if kinds else None
    if data is not None and known is None:
        known = _known_from(data)
    frames = data_source(data, source)
    sp = load(spec, known=known) if not isinstance(spec, ScenarioSpec) else spec
    pf = load_portfolio(portfolio, known=known) if portfolio is not None else None
    # data= of catalog series: read as a source, like source=
    with using(frames) if frames is not None else nullcontext():
        return _run(sp, pf, asof, window=window, universe=universe, horizon_days=horizon_days,
                    tail_level=tail_level, views=views, flows=flows, chain=chain,
                    data=data if frames is None else None, kinds=kinds,
                    min_coverage=min_coverage, max_fill_days=max_fill_days,
                    cov_method=cov_method, change_days=change_days, reach_alpha=reach_alpha)


def _run(sp: ScenarioSpec, pf: Portfolio | None, asof: Any, *, window: str | None,
         universe: Sequence[str] | None, horizon_days: int | None, tail_level: float,
         views: bool, flows: bool, chain: Any, data: Any, kinds: dict[str, str] | None,
         min_coverage: float, max_fill_days: int, cov_method: str, change_days: int,
         reach_alpha: float) -> ScenarioResult:
    """:func:`run` on a loaded spec; ``data`` is None (the active source) or legacy data."""
    extra = [p.asset for p in pf.positions] if pf is not None else []
    ctx = prepare(sp, asof, window=window, universe=universe, extra_assets=extra,
                  horizon_days=horizon_days, data=data, kinds=kinds,
                  min_coverage=min_coverage, max_fill_days=max_fill_days,
                  cov_method=cov_method, change_days=change_days)
    if not 0.0 < reach_alpha < 0.5:
        raise ParameterError(f"reach_alpha must be in (0, 0.5), got {reach_alpha}")
    warnings = [*sp.warnings, *ctx.warnings]
    ids = sp.ids
    p = _probabilities(sp, warnings)
    rows, means, sds = [], {}, {}
    reach: dict[str, dict[str, Any]] = {}
    for scen in sp.scenarios:
        m, cc, notes = scenario_moves(ctx, scen)
        warnings.extend(notes)
        reach[scen.id] = r = reachability(ctx, scen, reach_alpha)
        if not r["reachable"]:
            zs = ", ".join(f"{a} {z:+.1f}σ" for a, z in r["z"].items())
            warnings.append(Note(
                "scenarios.out_of_reach", scenario=scen.id, shocks=zs, days=ctx.horizon_days,
                window=ctx.window.label, distance=r["mahalanobis"], p_pct=100 * r["p_value"],
                alpha_pct=100 * reach_alpha))
        means[scen.id] = m
        sd = pd.Series(0.0, index=ctx.assets)
        sd[cc.index] = np.sqrt(np.clip(np.diag(cc.to_numpy()), 0.0, None))
        sds[scen.id] = (sd, cc)
        for a in ctx.assets:
            c = ctx.coords[a]
            mv, unit = display(float(m[a]), c, a)
            lo, _ = display(float(m[a] - sd[a]), c, a)
            hi, _ = display(float(m[a] + sd[a]), c, a)
            lvl = ctx.levels.get(a)
            implied = None
            if lvl is not None and not math.isnan(float(m[a])):
                implied = lvl * math.exp(float(m[a])) if c == "log" else lvl + float(m[a])
            rows.append({"scenario": scen.id, "asset": a, "coord": c,
                         "shocked": a in scen.shocks, "move": mv, "unit": unit, "low": lo,
                         "high": hi, "level_asof": lvl, "level_implied": implied})
    moves = pd.DataFrame(rows)
    posterior = _posterior(sp, ctx, means, p, warnings) if views and sp.views else None
    expected = _expected(ctx, ids, means, sds, p, tail_level)
    port, port_sum = (None, None)
    if pf is not None:
        port, port_sum = _portfolio(pf, ctx, ids, means, sds, p, tail_level, warnings)
    flow_out: dict[str, Any] = {}
    if flows:
        from crashlens.scenarios._flows import crypto_liquidations, cta_flows, dealer_flows

        coord_moves = {sid: {a: float(means[sid][a]) for a in ctx.assets} for sid in ids}
        flow_out["cta"] = cta_flows(coord_moves, ctx, data)
        flow_out["dealer"] = dealer_flows(coord_moves, ctx, chain)
        flow_out["crypto"] = crypto_liquidations(coord_moves, ctx, data)
        if data is not None or not is_store():
            # a user's source: a flow it cannot give, or a CTA book without some of its
            # assets, is said in the warnings too
            warnings.extend(f["note"] for f in (flow_out["cta"], flow_out["crypto"])
                            if not f.get("available"))
            warnings.extend(w for w in flow_out["cta"].get("warnings", ())
                            if getattr(w, "code", "") == "cta.absent_from_source")
    synthetic = False
    if data is None:
        from crashlens import data as cldata

        synthetic = cldata.is_synthetic()
    assumptions = {
        "window": ctx.window.label, "window_start": ctx.window.start.date(),
        "window_end": ctx.window.end.date(), "horizon_days": ctx.horizon_days,
        "tail_level": tail_level, "min_coverage": min_coverage, "max_fill_days": max_fill_days,
        "change_days": change_days, "reach_alpha": reach_alpha,
        "model": "zero-mean Gaussian changes (log changes for prices and volatility indices, "
                 "differences for yields/spreads), iid over the horizon; moves = conditional "
                 "mean Σ_uk Σ_kk⁻¹ s; spread = conditional covariance × horizon_days",
        "covariance": f"{cov_method} sample covariance (n-1) of overlapping "
                      f"{change_days}-session changes / {change_days} on the SPX calendar"
                      + (" (pairwise: common days per pair, eigenvalues floored)"
                         if cov_method == "pairwise" else ""),
        "reachability": "shocks' Mahalanobis distance over the horizon vs chi-square(m); "
                        f"warning when p < {reach_alpha:g}",
        "tail": "Gaussian mixture over scenarios (weights = probabilities); portfolio P&L "
                "linearised around each scenario mean for its spread",
    }
    return ScenarioResult(
        name=sp.name, source=sp.source, asof=ctx.asof, horizon_end=ctx.horizon_end,
        horizon_days=ctx.horizon_days,
        window={"label": ctx.window.label, "start": ctx.window.start.date().isoformat(),
                "end": ctx.window.end.date().isoformat(), "n_obs": ctx.n_obs,
                "assets": list(ctx.cov.columns)},
        probabilities=dict(zip(ids, p.tolist(), strict=True)), posterior=posterior,
        scenarios=[{"id": s.id, "name": s.name, "probability": float(p[i]),
                    "narrative": s.narrative, "name_zh": s.name_zh,
                    "narrative_zh": s.narrative_zh,
                    "conditions": [describe(c) for c in s.conditions],
                    "reach": reach[s.id],
                    "shocks": {a: str(mv) for a, mv in s.shocks.items()}}
                   for i, s in enumerate(sp.scenarios)],
        moves=moves, expected=expected, portfolio=port, portfolio_summary=port_sum,
        flows=flow_out, synthetic=synthetic, source_zh=sp.source_zh, assumptions=assumptions,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _probabilities(sp: ScenarioSpec, warnings: list[str]) -> np.ndarray:
    """Stated probabilities, normalised (with a warning) if a caller-built spec needs it."""
    p = np.array(sp.probabilities, dtype=float)
    total = float(p.sum())
    if total <= 0:
        raise ParameterError("scenario probabilities sum to 0")
    if abs(total - 1.0) > 1e-6:
        warnings.append(Note("scenarios.probabilities_normalised", total=total))
        p = p / total
    return p


def _known_from(data: Any) -> list[str] | None:
    if isinstance(data, pd.DataFrame):
        return [str(c).upper() for c in data.columns]
    if isinstance(data, dict):
        return [str(k).upper() for k in data]
    return None


def _posterior(sp: ScenarioSpec, ctx: Context, means: dict[str, pd.Series], p: np.ndarray,
               warnings: list[str]) -> dict[str, float]:
    ids = sp.ids
    rows, targets = [], []
    for v in sp.views:
        if v.scenario is not None:
            rows.append([1.0 if i == v.scenario else 0.0 for i in ids])
            targets.append(float(v.probability))  # type: ignore[arg-type]
        else:
            a = str(v.asset)
            if a not in ctx.assets:
                warnings.append(Note("scenarios.view_ignored", asset=a))
                continue
            c = ctx.coords[a]
            rows.append([float(means[i][a]) for i in ids])
            targets.append(to_coord(v.expected_move, c, ctx.levels.get(a), a))  # type: ignore[arg-type]
    q = entropy_pooling(p, np.array(rows).reshape(len(rows), len(ids)), np.array(targets))
    return dict(zip(ids, q.tolist(), strict=True))


def _expected(ctx: Context, ids: list[str], means: dict[str, pd.Series],
              sds: dict[str, tuple[pd.Series, pd.DataFrame]], p: np.ndarray,
              tail_level: float) -> pd.DataFrame:
    rows = []
    for a in ctx.assets:
        c = ctx.coords[a]
        mu = np.array([float(means[i][a]) for i in ids])
        sd = np.array([float(sds[i][0][a]) for i in ids])
        if np.isnan(mu).any():  # not propagated in some scenario: no expectation
            rows.append({"asset": a, "expected": np.nan, "unit": display(0.0, c, a)[1],
                         "tail_low": np.nan, "tail_high": np.nan})
            continue
        e = float(p @ mu)
        lo = _mixture_quantile(1 - tail_level, mu, sd, p)
        hi = _mixture_quantile(tail_level, mu, sd, p)
        ev, unit = display(e, c, a)
        rows.append({"asset": a, "expected": ev, "unit": unit,
                     "tail_low": display(lo, c, a)[0], "tail_high": display(hi, c, a)[0]})
    return pd.DataFrame(rows)


def _portfolio(pf: Portfolio, ctx: Context, ids: list[str], means: dict[str, pd.Series],
               sds: dict[str, tuple[pd.Series, pd.DataFrame]], p: np.ndarray,
               tail_level: float, warnings: list[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    cov_assets = list(ctx.cov.columns)
    pnl = np.zeros(len(ids))
    std = np.zeros(len(ids))
    notes: list[str] = []
    for j, sid in enumerate(ids):
        grad = pd.Series(0.0, index=cov_assets)
        for pos in pf.positions:
            a = pos.asset
            if a not in ctx.levels:
                raise InsufficientDataError(f"portfolio position {a}: no level on or before "
                                            f"{ctx.asof.date()}")
            x, c, lvl = float(means[sid][a]), ctx.coords[a], ctx.levels[a]
            if math.isnan(x):
                notes.append(Note("scenarios.portfolio_no_move", asset=a, scenario=sid))
                continue
            if pos.notional is not None:
                if c != "log":
                    raise ParameterError(f"portfolio position {a}: 'notional' applies to "
                                         "prices; use dv01 or per_point for a rate/spread")
                val, g = pos.notional * math.expm1(x), pos.notional * math.exp(x)
            elif pos.dv01 is not None:
                if c != "diff" or unit_of(a) != "percent":
                    raise ParameterError(f"portfolio position {a}: 'dv01' applies to series "
                                         "in percent (yields, spreads)")
                val, g = pos.dv01 * x * 100.0, pos.dv01 * 100.0
            else:
                per = float(pos.per_point)  # type: ignore[arg-type]
                if c == "log":
                    val, g = per * lvl * math.expm1(x), per * lvl * math.exp(x)
                else:
                    val, g = per * x, per
            pnl[j] += val
            if a in cov_assets:
                grad[a] += g
            elif j == 0:
                notes.append(Note("scenarios.portfolio_no_spread", asset=a))
        cc = sds[sid][1].to_numpy()
        gv = grad.to_numpy()
        std[j] = math.sqrt(max(float(gv @ cc @ gv), 0.0))
    warnings.extend(notes)
    var = _mixture_quantile(1 - tail_level, pnl, std, p)
    es = _mixture_es(var, pnl, std, p, 1 - tail_level)
    frame = pd.DataFrame({"scenario": ids, "probability": p, "pnl": pnl, "pnl_std": std,
                          "pnl_low": pnl - std, "pnl_high": pnl + std})
    worst = int(np.argmin(pnl))
    summary = {"name": pf.name, "positions": len(pf.positions), "expected_pnl": float(p @ pnl),
               "var": var, "es": es, "tail_level": tail_level, "worst_scenario": ids[worst],
               "worst_pnl": float(pnl[worst])}
    return frame, summary
