"""Analogs: which past days looked most like the as-of date, and what followed them.

Method (METHODOLOGY §5.2-5.3)
-----------------------------
1. Build the state vector of every S&P 500 session (:mod:`crashlens.episodes.state`), plus any
   user-supplied extra features (e.g. CTA positioning percentiles).
2. Standardise each feature with the mean and std of the history **up to the as-of date**.
3. Distance from the as-of state to every past day: RMS over the features both days have,
   rescaled by the number of as-of features (:func:`crashlens.episodes._kernels.rms_distance`).
   The last ``exclude_recent`` sessions are not candidates (they are the present episode).
4. Kernel weights ``w ∝ exp(-d² / 2h²)``; the weighted distribution of the S&P 500 forward
   5/21/63-session returns that followed each candidate (only candidates whose forward window
   ends by the as-of date) with the Kish effective sample size.
5. Episodes of the library ranked by the smallest distance over their span (peak to trough plus
   ``episode_tail`` sessions), and a point-by-point comparison with the 2008, Q4 2018 and 2020
   templates (:mod:`crashlens.episodes.templates`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crashlens._dates import DateLike, to_timestamp
from crashlens._result import Result
from crashlens.data.source import SourceLike, reads_source
from crashlens.episodes import _kernels as K
from crashlens.episodes._common import missing_note, synthetic_warning
from crashlens.episodes.library import LibraryResult, library
from crashlens.episodes.state import FEATURES, state_frame
from crashlens.errors import CrashlensError, InsufficientDataError, ParameterError
from crashlens.notes import Note

HORIZONS: dict[str, int] = {"1w": 5, "1m": 21, "3m": 63}
QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclasses.dataclass(frozen=True)
class AnalogsResult(Result):
    """Nearest historical analogs of the as-of state.

    Attributes
    ----------
    asof : Timestamp
        The S&P 500 session used (the last one on or before the requested date).
    state : DataFrame
        ``feature, value, z`` at the as-of date (z = standardised with history to as-of).
    forward : DataFrame
        One row per horizon (``1w``, ``1m``, ``3m``): ``sessions, n, ess, mean, q05, q25,
        median, q75, q95, p_negative, p_below_5pct, unweighted_mean`` (returns as fractions).
    nearest_days : DataFrame
        Declustered nearest days: ``date, distance, similarity, dd_depth, vix, fwd_1w, fwd_1m,
        fwd_3m``.
    nearest_episodes : DataFrame
        Library episodes ranked by similarity: ``key, name, kind, best_date, distance,
        similarity, drawdown, fwd_1m, fwd_3m`` (forward returns from the best-matching day).
    templates : DataFrame
        Point-by-point comparison: one row per metric, columns ``metric, unit, now`` and one
        per template key.
    template_paths : DataFrame
        S&P 500 rebased to 1 at each peak (``now`` and each template) by sessions since the
        peak (up to 252), for the overlay chart.
    bandwidth : float
        Kernel bandwidth ``h`` used (distance units).
    """

    asof: pd.Timestamp
    state: pd.DataFrame
    forward: pd.DataFrame
    nearest_days: pd.DataFrame
    nearest_episodes: pd.DataFrame
    templates: pd.DataFrame
    template_paths: pd.DataFrame
    bandwidth: float

    def to_frame(self) -> pd.DataFrame:
        """The forward-return distribution by horizon."""
        return self.forward.set_index("horizon")

    def summary(self) -> str:
        """Nearest episodes and the kernel-weighted forward returns."""
        lines = [f"Analogs as of {self.asof.date()} (bandwidth {self.bandwidth:.2f})"]
        for _, r in self.nearest_episodes.head(5).iterrows():
            lines.append(f"  {r['key']:<20} similarity {r['similarity']:.2f}  best match "
                         f"{pd.Timestamp(r['best_date']).date()}  (distance {r['distance']:.2f})")
        for _, r in self.forward.iterrows():
            lines.append(f"  fwd {r['horizon']}: mean {100 * r['mean']:+.2f} %  median "
                         f"{100 * r['median']:+.2f} %  P(fall) {100 * r['p_negative']:.0f} %  "
                         f"ESS {r['ess']:.1f}")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def plot_forward(self) -> Any:
        """Kernel-weighted forward-return quantiles by horizon (plotly Figure)."""
        import plotly.graph_objects as go

        f = self.forward
        fig = go.Figure()
        fig.add_box(
            x=f["horizon"], q1=100 * f["q25"], median=100 * f["median"], q3=100 * f["q75"],
            lowerfence=100 * f["q05"], upperfence=100 * f["q95"], mean=100 * f["mean"],
            name="analog-weighted forward return %",
        )
        fig.update_layout(title=f"What followed the nearest analogs of {self.asof.date()}",
                          yaxis_title="S&P 500 forward return %")
        return fig

    def plot_templates(self) -> Any:
        """S&P 500 from its peak: now against the templates (plotly Figure)."""
        import plotly.graph_objects as go

        fig = go.Figure()
        for c in self.template_paths.columns:
            y = self.template_paths[c].dropna()
            fig.add_scatter(x=y.index, y=100 * (y - 1.0), name=str(c), mode="lines",
                            line={"width": 3 if c == "now" else 1.5})
        fig.update_layout(title="S&P 500 from the peak: now vs 2008, Q4 2018, 2020",
                          xaxis_title="sessions since the peak", yaxis_title="% from peak")
        return fig

    def plot_distance(self) -> Any:
        """Nearest episodes by similarity (plotly Figure)."""
        import plotly.graph_objects as go

        e = self.nearest_episodes.head(12)
        fig = go.Figure(go.Bar(x=e["similarity"], y=e["key"], orientation="h"))
        fig.update_layout(title="Most similar past episodes", xaxis_title="similarity (kernel)",
                          yaxis_autorange="reversed", yaxis_type="category")  # keys are no dates
        return fig


def _standardise(frame: pd.DataFrame, upto: int) -> tuple[np.ndarray, dict[str, Any]]:
    hist = frame.to_numpy(dtype=float)
    base = hist[: upto + 1]
    with np.errstate(invalid="ignore"):
        cnt = np.isfinite(base).sum(axis=0)
        mu = np.where(cnt > 0, np.nansum(base, axis=0) / np.maximum(cnt, 1), np.nan)
        dev = np.where(np.isfinite(base), base - mu, 0.0)
        sd = np.sqrt((dev ** 2).sum(axis=0) / np.maximum(cnt - 1, 1))
    sd = np.where((cnt > 1) & (sd > 0), sd, np.nan)
    z = (hist - mu) / sd
    return z, {"mean": mu, "std": sd, "count": cnt}


def _bandwidth_for_ess(d: np.ndarray, target: float) -> float:
    """Bandwidth whose gaussian weights over finite ``d`` have Kish ESS ``target``."""
    fin = d[np.isfinite(d)]
    if fin.size <= target:
        return float(np.max(fin) * 10.0 + 1e-9)
    lo, hi = np.log(max(float(np.min(fin[fin > 0])) if (fin > 0).any() else 1e-6, 1e-6) / 10), \
        np.log(float(np.max(fin)) * 10.0)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        ess = K.effective_sample_size(K.gaussian_weights(fin, float(np.exp(mid))))
        if ess < target:
            lo = mid
        else:
            hi = mid
    return float(np.exp(hi))


def _decluster(order: np.ndarray, pos: np.ndarray, gap: int, k: int) -> list[int]:
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= k:
            break
        if all(abs(int(pos[i]) - int(pos[j])) > gap for j in chosen):
            chosen.append(int(i))
    return chosen


@reads_source
def analogs(
    asof: DateLike = None,
    *,
    bandwidth: float | None = None,
    target_ess: float = 100.0,
    exclude_recent: int = 63,
    min_common: int = 5,
    n_nearest: int = 10,
    decluster: int = 21,
    episode_tail: int = 21,
    history_start: DateLike = "1990-01-01",
    features: Sequence[str] = FEATURES,
    extra_features: pd.DataFrame | None = None,
    include_cta: bool = False,
    templates: Sequence[str] = ("2008", "2018-Q4", "2020"),
    library_result: LibraryResult | None = None,
    source: SourceLike = None,
) -> AnalogsResult:
    """Compare the as-of market state with every past day.

    Parameters
    ----------
    asof : str or Timestamp, optional
        As-of date; the last S&P 500 session on or before it is used (default: the last
        session in the store).
    bandwidth : float, optional
        Kernel bandwidth ``h`` in distance units. Default: chosen by bisection so that the
        effective sample size of the 1-month forward weights is ``target_ess``.
    target_ess : float
        Effective sample size (in days) the adaptive bandwidth aims at (default 100). Days of
        one episode are autocorrelated, so 100 days amount to a handful of episodes.
    exclude_recent : int
        Sessions before the as-of date that are not candidates (default 63).
    min_common : int
        Features a past day must share with the as-of state to be compared (default 5).
    n_nearest : int
        Nearest days to list (default 10), declustered ``decluster`` sessions apart (21).
    episode_tail : int
        Sessions after an episode's trough still counted as part of it (default 21).
    history_start : str or Timestamp
        First candidate day (default 1990-01-01, the start of VIX).
    features : sequence of str
        State features (default all of :data:`crashlens.episodes.state.FEATURES`).
    extra_features : DataFrame, optional
        Additional daily features indexed by date (e.g. CTA positioning percentile); aligned on
        S&P 500 sessions, standardised like the others.
    include_cta : bool
        Add the modelled CTA S&P 500 signal (``crashlens.cta.history``, -1..1) as feature
        ``cta_spx_signal`` (default False: it costs about 3 s; a warning says when it fails).
    templates : sequence of str
        Library keys to compare side by side (default 2008, Q4 2018, 2020).
    library_result : LibraryResult, optional
        A precomputed library (else :func:`crashlens.episodes.library` is called).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. SPX is required; state inputs the source lacks (VIX,
        yields, HY OAS, BTC) leave their features NaN, with a note naming them.

    Returns
    -------
    AnalogsResult

    Raises
    ------
    ParameterError
        Unknown feature names, out-of-range parameters.
    InsufficientDataError
        The as-of date is before the history, or no candidate shares enough features.
    """
    if asof is None:
        from crashlens.episodes._common import load_close

        asof = load_close("SPX").index[-1]
    t = to_timestamp(asof, "asof")
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ParameterError(f"unknown analog feature(s) {unknown}; known: {list(FEATURES)}")
    if bandwidth is not None and not bandwidth > 0:
        raise ParameterError(f"bandwidth must be positive, got {bandwidth}")
    if not target_ess > 1:
        raise ParameterError(f"target_ess must be above 1, got {target_ess}")
    if exclude_recent < 0 or n_nearest < 1 or min_common < 1:
        raise ParameterError("exclude_recent must be >= 0, n_nearest and min_common >= 1")
    absent: list[str] = []
    frame = state_frame(t, start=history_start, features=list(features), missing=absent)
    if frame.empty or frame.index[-1] < t - pd.Timedelta(days=7):
        raise InsufficientDataError(
            f"no S&P 500 session within a week before as-of {t.date()} "
            f"(data {'empty' if frame.empty else 'ends ' + str(frame.index[-1].date())})")
    feats = frame.drop(columns="close")
    cta_warning: Note | None = None
    if include_cta:
        try:
            from crashlens import cta

            hist = cta.history(feats.index[0], t, assets=["SPX"], triggers=False, flows=False)
            sig = hist.frame.set_index("date")["signal"]
            sig.index = pd.DatetimeIndex(sig.index)
            feats["cta_spx_signal"] = sig.reindex(feats.index).to_numpy(dtype=float)
        except CrashlensError as exc:  # too little CTA history: analogs run without it
            cta_warning = Note("episodes.cta_unavailable", error=str(exc))
    if extra_features is not None:
        extra = extra_features.sort_index().reindex(feats.index, method="ffill",
                                                    tolerance=pd.Timedelta(days=7))
        extra.columns = [f"extra_{c}" for c in extra.columns]
        feats = pd.concat([feats, extra.astype(float)], axis=1)
    n = len(feats)
    now = n - 1
    z, stats = _standardise(feats, now)
    target = z[now]
    if np.isfinite(target).sum() < min_common:
        raise InsufficientDataError(f"only {int(np.isfinite(target).sum())} state features "
                                    f"available at {feats.index[now].date()}; need {min_common}")
    d = K.rms_distance(target, z, min_common)
    cand = np.arange(n) < now - exclude_recent
    d = np.where(cand, d, np.inf)
    finite = np.isfinite(d)
    if not finite.any():
        raise InsufficientDataError("no past day shares enough features with the as-of state")
    h = float(bandwidth) if bandwidth is not None else _bandwidth_for_ess(d, target_ess)

    close = frame["close"].to_numpy()
    fwd: dict[str, np.ndarray] = {}
    rows = []
    for label, hz in HORIZONS.items():
        r = np.full(n, np.nan)
        r[: n - hz] = close[hz:] / close[: n - hz] - 1.0
        fwd[label] = r
        ok = finite & np.isfinite(r)
        w = K.gaussian_weights(np.where(ok, d, np.inf), h)
        if w.sum() <= 0:
            rows.append({"horizon": label, "sessions": hz, "n": int(ok.sum()), "ess": 0.0})
            continue
        rv = np.where(ok, r, 0.0)
        qs = K.weighted_quantile(rv[ok], w[ok], np.array(QUANTILES))
        rows.append({
            "horizon": label, "sessions": hz, "n": int(ok.sum()),
            "ess": K.effective_sample_size(w),
            "mean": float(np.sum(w * rv)),
            "q05": qs[0], "q25": qs[1], "median": qs[2], "q75": qs[3], "q95": qs[4],
            "p_negative": float(np.sum(w * (rv < 0))),
            "p_below_5pct": float(np.sum(w * (rv < -0.05))),
            "unweighted_mean": float(np.mean(r[ok])),
        })
    forward = pd.DataFrame(rows)

    sim = np.exp(-0.5 * (d / h) ** 2)
    order = np.argsort(d)
    order = order[np.isfinite(d[order])]
    picks = _decluster(order, np.arange(n), decluster, n_nearest)
    dates = pd.DatetimeIndex(feats.index)
    nearest = pd.DataFrame([{
        "date": dates[i], "distance": float(d[i]), "similarity": float(sim[i]),
        "dd_depth": float(feats["dd_depth"].iloc[i]) if "dd_depth" in feats else np.nan,
        "vix": float(feats["vix"].iloc[i]) if "vix" in feats else np.nan,
        **{f"fwd_{k}": float(v[i]) for k, v in fwd.items()},
    } for i in picks])

    # the library as known on the as-of day: no episode whose window or data come later
    lib = library_result if library_result is not None else library(end=dates[now])
    ep_rows = []
    for _, e in lib.episodes.iterrows():
        if pd.Timestamp(e["trough_date"]) > dates[now] or pd.Timestamp(e["peak_date"]) < dates[0]:
            continue  # trough after as-of (look-ahead) or peak before the state history
        lo = int(dates.searchsorted(pd.Timestamp(e["peak_date"])))
        hi = int(dates.searchsorted(pd.Timestamp(e["trough_date"]), side="right")) + episode_tail
        hi = min(hi, n)
        if hi <= lo:
            continue
        seg = d[lo:hi]
        if not np.isfinite(seg).any():
            continue
        j = lo + int(np.argmin(seg))
        ep_rows.append({"key": e["key"], "name": e["name"], "kind": e["kind"],
                        "best_date": dates[j], "distance": float(d[j]),
                        "similarity": float(sim[j]), "drawdown": e["drawdown"],
                        "fwd_1m": float(fwd["1m"][j]), "fwd_3m": float(fwd["3m"][j])})
    episodes = pd.DataFrame(ep_rows)
    if not episodes.empty:
        # the same sell-off can be both named and detected: keep the named row
        episodes = (episodes.sort_values(["distance", "kind"], ascending=[True, False])
                    .drop_duplicates(subset=["best_date"]).reset_index(drop=True))

    from crashlens.episodes.templates import compare_templates, template_paths

    tmpl, twarn = compare_templates(dates[now], frame["close"], lib, templates, episodes,
                                    missing=absent)
    paths = template_paths(dates[now], frame["close"], tmpl)
    state = pd.DataFrame({"feature": list(feats.columns), "value": feats.iloc[now].to_numpy(),
                          "z": target, "hist_mean": stats["mean"], "hist_std": stats["std"]})
    # one note for every input the source lacks (state features and template columns)
    warnings = list(synthetic_warning()) + list(missing_note(absent)) + twarn
    missing = [f for f, v in zip(feats.columns, target, strict=True) if not np.isfinite(v)]
    if missing:
        warnings.append(Note("episodes.features_unavailable", features=", ".join(missing)))
    if np.min(d[finite]) > 3.0:
        warnings.append(Note("episodes.no_close_analog", distance=float(np.min(d[finite]))))
    if cta_warning is not None:
        warnings.append(cta_warning)
    elif not include_cta and extra_features is None:
        warnings.append(Note("episodes.cta_not_in_state"))
    small = forward[forward["ess"] < 10] if "ess" in forward else forward
    if not small.empty:
        warnings.append(Note("episodes.low_ess", horizons=", ".join(small["horizon"])))
    assumptions: Mapping[str, Any] = {
        "features": list(feats.columns), "standardisation": "mean/std of history up to as-of",
        "distance": "RMS over shared features x sqrt(n as-of features)",
        "kernel": "gaussian exp(-d^2/2h^2)", "bandwidth": h,
        "bandwidth_rule": "fixed" if bandwidth is not None else
        f"bisection to effective sample size {target_ess}",
        "exclude_recent": exclude_recent, "min_common": min_common, "decluster": decluster,
        "episode_tail": episode_tail,
        "history_start": str(to_timestamp(history_start, "history_start").date()),
        "horizons_sessions": dict(HORIZONS), "forward_asset": "SPX",
        "include_cta": include_cta,
    }
    return AnalogsResult(asof=dates[now], state=state, forward=forward, nearest_days=nearest,
                         nearest_episodes=episodes, templates=tmpl, template_paths=paths,
                         bandwidth=h,
                         assumptions=assumptions, warnings=tuple(warnings))
