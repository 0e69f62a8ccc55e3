"""Trend signals and ex-ante volatility of one asset (METHODOLOGY §1.2-1.3).

:func:`fit_asset` computes, for every day of one asset's own calendar, the ex-ante vol, every
(family, horizon) component signal and the blended signal ``S`` in ``[-1, 1]``.
:func:`extend` continues the same recursions along hypothetical future price paths (scenario
tapes, Monte-Carlo paths, tomorrow's price grid), so a flat tape rolls old prices out of the
lookbacks and decays the vol exactly as the history would.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from crashlens.cta import _kernels as K
from crashlens.cta.params import CTAParams, SignalFamily, VolEstimator
from crashlens.errors import InsufficientDataError


@dataclasses.dataclass(frozen=True)
class Component:
    """One (family, horizon) signal of the blend.

    Attributes
    ----------
    family : SignalFamily
    horizon : int
        Lookback / slow window / slow span in trading days.
    weight : float
        Blend weight (all weights sum to one).
    group : str
        ``short``, ``medium`` or ``long``.
    fast : float
        Fast window (MA crossover, int) or fast EMA span (EWMAC); 0 for momentum families.
    """

    family: SignalFamily
    horizon: int
    weight: float
    group: str
    fast: float = 0.0

    @property
    def label(self) -> str:
        """Short label such as ``tsmom_63`` (``price_vs_ema_40`` for an EWMAC of fast span 1)."""
        if self.fast == 1.0 and self.family is SignalFamily.EWMAC:
            return f"price_vs_ema_{self.horizon}"
        if self.fast == 1.0 and self.family is SignalFamily.MA_CROSS:
            return f"price_vs_sma_{self.horizon}"
        return f"{self.family.value}_{self.horizon}"


def components(params: CTAParams) -> list[Component]:
    """Return the blend's components in a fixed order (family-major, or ``params.blend``'s)."""
    if params.blend is not None:
        total = sum(float(c[4]) for c in params.blend)
        return [Component(SignalFamily(fam), int(h), float(w) / total, group, float(fast))
                for group, fam, h, fast, w in params.blend]
    out = []
    for fam, h, w in params.component_weights():
        fast = 0.0
        if fam is SignalFamily.EWMAC:
            fast = h / params.ewmac_fast_ratio
        elif fam is SignalFamily.MA_CROSS:
            fast = float(max(1, round(h / params.ma_fast_ratio)))
        out.append(Component(fam, h, w, params.horizon_group(h), fast))
    return out


def _alpha(span: float) -> float:
    return 2.0 / (span + 1.0)


@dataclasses.dataclass(frozen=True, eq=False)
class AssetModel:
    """Signals and vol of one asset on its own trading calendar.

    Attributes
    ----------
    name : str
    dates : DatetimeIndex, shape (T,)
    prices : ndarray, shape (T,)
        Closes (price units; a yield series arrives here already as a price proxy).
    var : ndarray, shape (T,)
        Daily variance of log returns through day ``j`` (NaN before ``vol_min_obs`` returns).
    sig : ndarray, shape (T,)
        Daily vol (fraction), floored at ``vol_floor / sqrt(ann)``; NaN where ``var`` is.
    ann : float
        Days per year used to annualise (261, or 365 for 24x7 assets).
    emas : dict of float to ndarray (T,)
        Price EMAs by span (for EWMAC).
    comps : ndarray, shape (C, T)
        Component signals in [-1, 1]; NaN before ``first``.
    signal : ndarray, shape (T,)
        Blended signal ``S``; NaN before ``first``.
    first : int
        First index with every component defined.
    parts : list of Component
    params : CTAParams
    """

    name: str
    dates: pd.DatetimeIndex
    prices: np.ndarray
    var: np.ndarray
    sig: np.ndarray
    ann: float
    emas: dict[float, np.ndarray]
    comps: np.ndarray
    signal: np.ndarray
    first: int
    parts: list[Component]
    params: CTAParams

    @property
    def sig_ann(self) -> np.ndarray:
        """Annualised vol, shape (T,)."""
        return self.sig * math.sqrt(self.ann)

    def index_of(self, date: pd.Timestamp) -> int:
        """Index of the last close on or before ``date`` (-1 when none)."""
        return int(self.dates.searchsorted(date, side="right")) - 1

    @property
    def tail_len(self) -> int:
        """Prices of history the recursions need to be continued."""
        need = self.params.max_horizon
        if self.params.vol_estimator is VolEstimator.ROLLING:
            need = max(need, self.params.vol_window)
        return need + 1


def _variance(logp: np.ndarray, params: CTAParams) -> np.ndarray:
    t_len = logp.size
    var = np.full(t_len, np.nan)
    if t_len < 2:
        return var
    r2 = np.diff(logp) ** 2
    if params.vol_estimator is VolEstimator.EWMA:
        var[1:] = K.ewma(r2[None, :], params.vol_alpha)[0]
        start = params.vol_min_obs
    else:
        w = params.vol_window
        c = np.concatenate(([0.0], np.cumsum(r2)))
        if r2.size >= w:
            var[w:] = (c[w:] - c[:-w]) / w
        start = max(w, params.vol_min_obs)
    var[: min(start, t_len)] = np.nan
    return var


def _floor_sig(var: np.ndarray, params: CTAParams, ann: float) -> np.ndarray:
    floor = params.vol_floor / math.sqrt(ann)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(var), np.nan, np.maximum(np.sqrt(np.abs(var)), floor))


def is_24x7(dates: pd.DatetimeIndex) -> bool:
    """Whether a calendar trades on weekends (more than 5 % of its days are Sat/Sun)."""
    if len(dates) == 0:
        return False
    return bool(np.mean(dates.day_of_week >= 5) > 0.05)


def _component_block(parts: list[Component], p: np.ndarray, logp: np.ndarray,
                     sig: np.ndarray, emas: dict[float, np.ndarray], j0: int,
                     params: CTAParams) -> np.ndarray:
    """Component signals for columns ``j0..`` of ``p`` (n, T); ``sig``/``emas`` cover them."""
    n, t_len = p.shape
    out = np.empty((len(parts), n, t_len - j0))
    for c, part in enumerate(parts):
        h = part.horizon
        if part.family is SignalFamily.TSMOM:
            out[c] = K.tsmom(logp, h, j0)
        elif part.family is SignalFamily.NORM_MOM:
            out[c] = K.norm_mom(logp, sig, h, params.norm_mom_cap, j0)
        elif part.family is SignalFamily.EWMAC:
            scal = K.ewmac_scalar(_alpha(part.fast), _alpha(h), params.ewmac_target_abs)
            out[c] = K.ewmac(emas[part.fast], emas[float(h)], p[:, j0:] * sig, scal,
                             params.ewmac_cap)
        else:
            out[c] = K.ma_cross(p, int(part.fast), h, j0)
    return out


def _spans(parts: list[Component]) -> list[float]:
    spans: set[float] = set()
    for part in parts:
        if part.family is SignalFamily.EWMAC:
            spans.update((float(part.fast), float(part.horizon)))
    return sorted(spans)


def fit_asset(name: str, prices: pd.Series, params: CTAParams) -> AssetModel:
    """Compute vol, component signals and the blended signal over an asset's whole history.

    Parameters
    ----------
    name : str
        Asset label.
    prices : Series
        Strictly positive closes indexed by a strictly increasing DatetimeIndex, no NaN
        (validated by :func:`crashlens.cta.universe.clean_prices`).
    params : CTAParams

    Returns
    -------
    AssetModel

    Raises
    ------
    InsufficientDataError
        When the series is shorter than the longest horizon needs.
    """
    p = prices.to_numpy(dtype=np.float64)
    dates = pd.DatetimeIndex(prices.index)
    parts = components(params)
    t_len = p.size
    first = params.max_horizon
    first = max(first, params.vol_min_obs)
    if params.vol_estimator is VolEstimator.ROLLING:
        first = max(first, params.vol_window)
    if t_len <= first:
        h = params.max_horizon
        raise InsufficientDataError(
            f"{name}: {t_len} closes but the {h}-day horizon (and vol warm-up) needs "
            f"{first + 1}; the first usable date would be the {first + 1}th close"
            + (f" (from {dates[0].date()})" if t_len else ""),
            subject=name,
        )
    ann = params.annualisation_24x7 if is_24x7(dates) else params.annualisation
    logp = np.log(p)
    var = _variance(logp, params)
    sig = _floor_sig(var, params, ann)
    emas = {s: K.ewma(p[None, :], _alpha(s))[0] for s in _spans(parts)}
    comps = np.full((len(parts), t_len), np.nan)
    block = _component_block(parts, p[None, :], logp[None, :], sig[None, first:],
                             {s: e[None, first:] for s, e in emas.items()}, first, params)
    comps[:, first:] = block[:, 0, :]
    weights = np.array([c.weight for c in parts])
    signal = np.full(t_len, np.nan)
    signal[first:] = np.clip(weights @ comps[:, first:], -1.0, 1.0)  # rounding of sum(w) = 1
    return AssetModel(name, dates, p, var, sig, ann, emas, comps, signal, first, parts, params)


@dataclasses.dataclass(frozen=True)
class Extension:
    """Signals along future paths.

    Attributes
    ----------
    comps : ndarray, shape (C, n, H)
    signal : ndarray, shape (n, H)
    sig : ndarray, shape (n, H)
        Daily vol along the paths.
    """

    comps: np.ndarray
    signal: np.ndarray
    sig: np.ndarray


def extend(model: AssetModel, t: int, future: np.ndarray, *, hold_vol: bool = False) -> Extension:
    """Continue the signal recursions from day ``t`` along future price paths.

    Parameters
    ----------
    model : AssetModel
    t : int
        Index of the last real close (``t >= model.first``).
    future : ndarray, shape (n, H)
        Prices of days ``t+1 .. t+H`` on ``n`` paths.
    hold_vol : bool
        Keep the daily vol at its day-``t`` value (METHODOLOGY §1.5 triggers) instead of
        re-estimating it from the simulated returns (§1.6 flows).

    Returns
    -------
    Extension
    """
    params = model.params
    future = np.atleast_2d(np.asarray(future, dtype=np.float64))
    n, horizon = future.shape
    tail_len = min(t + 1, model.tail_len)
    tail = model.prices[t + 1 - tail_len:t + 1]
    full = np.concatenate((np.broadcast_to(tail, (n, tail_len)), future), axis=1)
    logfull = np.log(full)
    if hold_vol:
        sig = np.full((n, horizon), model.sig[t])
    else:
        r2 = np.diff(logfull, axis=1) ** 2
        if params.vol_estimator is VolEstimator.EWMA:
            var = K.ewma(r2[:, tail_len - 1:], params.vol_alpha, np.full(n, model.var[t]))
        else:
            w = params.vol_window
            c = np.zeros((n, r2.shape[1] + 1))
            np.cumsum(r2, axis=1, out=c[:, 1:])
            hi = np.arange(tail_len, tail_len + horizon)
            var = (c[:, hi] - c[:, hi - w]) / w
        sig = _floor_sig(var, params, model.ann)
    emas = {s: K.ewma(future, _alpha(s), np.full(n, e[t])) for s, e in model.emas.items()}
    comps = _component_block(model.parts, full, logfull, sig, emas, tail_len, params)
    weights = np.array([c.weight for c in model.parts])
    signal = np.clip(np.tensordot(weights, comps, axes=1), -1.0, 1.0)
    return Extension(comps, signal, sig)
