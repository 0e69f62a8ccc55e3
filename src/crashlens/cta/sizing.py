"""Risk-targeted sizing of the replica book (METHODOLOGY §1.3).

Per asset ``i`` with blended signal ``S_i`` in [-1, 1], annualised ex-ante vol ``sigma_i`` and
risk budget ``b_i`` (sector budget split equally inside the sector, summing to one)::

    w_i = k * S_i * b_i / sigma_i                       (fraction of AUM)
    k   = target_vol / sqrt(x' C x),  x_i = sign(S_i) b_i   (HOP portfolio vol scaling)

so the full-conviction book (every ``|S_i| = 1``) runs exactly ``target_vol`` given the rolling
correlation matrix ``C`` (``corr_window`` business days, refreshed every ``corr_update_days``).
Hence ``S_i`` *is* the position as a fraction of the maximum long/short. An optional per-asset
cap ``|w_i| <= max_asset_leverage`` bounds one market, then a gross leverage cap
``sum |w_i| <= leverage_cap`` scales the whole book down when it binds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from crashlens import _numba as numba
from crashlens.cta._kernels import numba_enabled
from crashlens.cta.params import DEFAULT_SECTORS, CTAParams


def risk_budgets(names: Sequence[str], sectors: Mapping[str, str] | None,
                 params: CTAParams) -> np.ndarray:
    """Risk budget per asset (sums to one).

    Parameters
    ----------
    names : sequence of str
        Asset labels.
    sectors : mapping, optional
        Sector per asset; missing names fall back to :data:`DEFAULT_SECTORS`, then to the
        asset's own name (a sector of its own).
    params : CTAParams

    Returns
    -------
    ndarray, shape (A,)
    """
    sectors = dict(sectors or {})
    sec = [sectors.get(n, DEFAULT_SECTORS.get(n, n)) for n in names]
    present = list(dict.fromkeys(sec))
    table = dict(params.sector_budgets)
    equal = 1.0 / len(present)
    raw = {s: table.get(s, equal) for s in present}
    total = sum(raw.values())
    if total <= 0:
        raw = {s: 1.0 for s in present}
        total = float(len(present))
    counts = {s: sec.count(s) for s in present}
    return np.array([raw[s] / total / counts[s] for s in sec])


def sector_of(names: Sequence[str], sectors: Mapping[str, str] | None) -> list[str]:
    """Sector label of each asset (same fallbacks as :func:`risk_budgets`)."""
    sectors = dict(sectors or {})
    return [sectors.get(n, DEFAULT_SECTORS.get(n, n)) for n in names]


def business_returns(prices: Mapping[str, pd.Series], end: pd.Timestamp) -> pd.DataFrame:
    """Log returns of every asset on a common Mon-Fri calendar (prices carried forward).

    Parameters
    ----------
    prices : mapping of str to Series
        Closes per asset on their own calendars.
    end : Timestamp
        Last day.

    Returns
    -------
    DataFrame, shape (B, A)
        NaN before an asset's first close.
    """
    start = min(s.index[0] for s in prices.values())
    cal = pd.bdate_range(start, end)
    logp = np.empty((len(cal), len(prices)))
    for a, s in enumerate(prices.values()):
        pos = s.index.searchsorted(cal, side="right") - 1
        vals = np.log(s.to_numpy(dtype=np.float64))
        logp[:, a] = np.where(pos >= 0, vals[np.maximum(pos, 0)], np.nan)
    ret = np.full_like(logp, np.nan)
    ret[1:] = np.diff(logp, axis=0)
    return pd.DataFrame(ret, index=cal, columns=list(prices))


@numba.njit(cache=True)
def _pairwise_corr_nb(x: np.ndarray, min_obs: int) -> np.ndarray:  # pragma: no cover
    t_len, a = x.shape
    out = np.eye(a)
    for i in range(a):
        for j in range(i + 1, a):
            n = 0
            si = sj = sii = sjj = sij = 0.0
            for r in range(t_len):
                xi, xj = x[r, i], x[r, j]
                if np.isfinite(xi) and np.isfinite(xj):
                    n += 1
                    si += xi
                    sj += xj
                    sii += xi * xi
                    sjj += xj * xj
                    sij += xi * xj
            if n < min_obs:
                continue
            vi = sii / n - (si / n) ** 2
            vj = sjj / n - (sj / n) ** 2
            if vi > 0 and vj > 0:
                c = (sij / n - (si / n) * (sj / n)) / np.sqrt(vi * vj)
                c = min(max(c, -1.0), 1.0)
                out[i, j] = c
                out[j, i] = c
    return out


def pairwise_corr(x: np.ndarray, min_obs: int) -> np.ndarray:
    """Pairwise-complete Pearson correlation of the columns of ``x`` (T, A) with NaN.

    Same definition as :meth:`pandas.DataFrame.corr` (each pair on the rows where both are
    finite); pairs with fewer than ``min_obs`` rows, or zero variance, get 0; diagonal 1.
    Numba kernel (one pass, no BLAS) unless the kill switch selects the numpy twin.
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    if numba_enabled():
        return _pairwise_corr_nb(x, int(min_obs))
    return _pairwise_corr_np(x, min_obs)


def _pairwise_corr_np(x: np.ndarray, min_obs: int) -> np.ndarray:
    m = np.isfinite(x).astype(np.float64)
    x0 = np.where(m > 0, x, 0.0)
    n = m.T @ m
    s = x0.T @ m            # s[a, b] = sum of x_a over rows where b is finite (and a)
    q = (x0 * x0).T @ m
    cross = x0.T @ x0
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = cross / n - (s / n) * (s.T / n)
        var_a = q / n - (s / n) ** 2
        c = cov / np.sqrt(var_a * var_a.T)
    c = np.where((n >= min_obs) & np.isfinite(c), np.clip(c, -1.0, 1.0), 0.0)
    np.fill_diagonal(c, 1.0)
    return c


def correlation_schedule(returns: pd.DataFrame, dates: pd.DatetimeIndex,
                         params: CTAParams) -> tuple[np.ndarray, np.ndarray]:
    """Rolling correlation matrices valid on each of ``dates``.

    Matrices are re-estimated on fixed business days (every ``corr_update_days``-th business
    day counted from 1970-01-01, so any as-of date and any history run see the same matrix on
    the same day) from the trailing ``corr_window`` returns; a pair with fewer than
    ``corr_min_obs`` overlapping returns gets correlation 0.

    Returns
    -------
    mats : ndarray, shape (M, A, A)
    idx : ndarray of int, shape (len(dates),)
        Matrix used on each date (the latest estimated on or before it; the first one before).
    """
    a = returns.shape[1]
    cal = returns.index
    if a == 1:
        return np.ones((1, 1, 1)), np.zeros(len(dates), dtype=np.int64)
    first_pos = max(0, int(cal.searchsorted(dates[0], side="right")) - 1)
    ordinal = np.busday_count(np.datetime64("1970-01-01"), cal.values.astype("datetime64[D]"))
    anchors = np.nonzero(ordinal % params.corr_update_days == 0)[0]
    before = anchors[anchors <= first_pos]
    start = int(before[-1]) if before.size else first_pos
    points = [start, *[int(x) for x in anchors if x > start]]
    values = returns.to_numpy()
    mats = np.empty((len(points), a, a))
    for m, u in enumerate(points):
        lo = max(0, u - params.corr_window + 1)
        mats[m] = pairwise_corr(values[lo:u + 1], params.corr_min_obs)
    point_dates = cal[np.array(points)]
    idx = np.maximum(point_dates.searchsorted(dates, side="right") - 1, 0)
    return mats, idx.astype(np.int64)


def book_weights(signal: np.ndarray, sig_ann: np.ndarray, budgets: np.ndarray,
                 corr: np.ndarray, params: CTAParams) -> tuple[np.ndarray, np.ndarray]:
    """Weights (fraction of AUM) of the book for one correlation matrix.

    Parameters
    ----------
    signal : ndarray, shape (A, ...)
        Blended signals; NaN = asset not yet tradable (weight 0).
    sig_ann : ndarray, shape (A, ...)
        Annualised vols.
    budgets : ndarray, shape (A,)
    corr : ndarray, shape (A, A)
    params : CTAParams

    Returns
    -------
    w : ndarray, shape (A, ...)
        Weights after the leverage cap.
    scale : ndarray, shape (...)
        Portfolio scalar ``k`` times the leverage-cap factor.
    """
    s = np.nan_to_num(signal, nan=0.0)
    live = np.isfinite(signal) & np.isfinite(sig_ann)
    bshape = (-1,) + (1,) * (s.ndim - 1)
    b = budgets.reshape(bshape)
    if params.portfolio_vol_scaling:
        x = np.where(live, np.where(s >= 0, 1.0, -1.0) * b, 0.0)
        quad = np.einsum("a...,ab,b...->...", x, corr, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.where(quad > 0, params.target_vol / np.sqrt(np.maximum(quad, 1e-300)), 0.0)
    else:
        k = np.full(s.shape[1:], params.target_vol)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(live, k * s * b / np.where(live, sig_ann, 1.0), 0.0)
    if params.max_asset_leverage is not None:
        # one market's notional is bounded (liquidity, margin): see CTAParams
        w = np.clip(w, -params.max_asset_leverage, params.max_asset_leverage)
    gross = np.abs(w).sum(axis=0)
    cap = np.where(gross > params.leverage_cap, params.leverage_cap / np.maximum(gross, 1e-300),
                   1.0)
    return w * cap, k * cap


def book_history(signal: np.ndarray, sig_ann: np.ndarray, budgets: np.ndarray,
                 mats: np.ndarray, idx: np.ndarray,
                 params: CTAParams) -> tuple[np.ndarray, np.ndarray]:
    """Book weights on many dates, each with its own correlation matrix.

    Parameters
    ----------
    signal, sig_ann : ndarray, shape (A, N)
    budgets : ndarray, shape (A,)
    mats : ndarray, shape (M, A, A)
    idx : ndarray of int, shape (N,)
    params : CTAParams

    Returns
    -------
    w : ndarray, shape (A, N)
    scale : ndarray, shape (N,)
    """
    w = np.zeros_like(signal, dtype=np.float64)
    scale = np.zeros(signal.shape[1])
    for m in np.unique(idx):
        cols = idx == m
        w[:, cols], scale[cols] = book_weights(signal[:, cols], sig_ann[:, cols], budgets,
                                               mats[m], params)
    return w, scale


#: Half-lives a smoothed book is started before its first reported day: 2 ** -20 of the
#: starting position is left, so no reported position (or percentile) depends on the start.
RUNIN_HALFLIVES = 20


def position_runin(halflife: float) -> pd.Timedelta:
    """Calendar time over which held positions forget where they started.

    :data:`RUNIN_HALFLIVES` half-lives of trading days, times 1.5 for weekends and holidays
    (zero without smoothing).
    """
    return pd.Timedelta(days=math.ceil(RUNIN_HALFLIVES * float(halflife) * 1.5))


def held_weights(target: np.ndarray, trades: np.ndarray | None, step: float) -> np.ndarray:
    """Positions that move toward their targets by ``step`` of the gap at each of an asset's closes.

    ``e_k = e_{k-1} + step (w_k - e_{k-1})`` on the days an asset closes; carried on the
    others (a weekend of the union calendar does not move an equity future). Before the first
    column the position is the first column's target.

    Parameters
    ----------
    target : ndarray, shape (..., N)
        Target weights (fraction of AUM), time along the last axis.
    trades : ndarray of bool, shape (A, N), or None
        Whether each asset has a close on each day (it can trade), for a 2-D book; None = every
        column is a close (scenario and Monte-Carlo paths, any leading shape).
    step : float
        :attr:`CTAParams.position_step`, in (0, 1]; 1 returns ``target`` itself.

    Returns
    -------
    ndarray, same shape as ``target``
    """
    if step >= 1.0 or target.shape[-1] == 0:
        return target
    # an EMA is one linear filter: e_k = step w_k + (1 - step) e_{k-1}, e_{-1} = w_0
    b, a = [step], [1.0, step - 1.0]
    if trades is None:
        return lfilter(b, a, target, axis=-1, zi=(1.0 - step) * target[..., :1])[0]
    out = np.empty_like(target)
    for i in range(target.shape[0]):
        days = np.nonzero(trades[i])[0]
        start = target[i, 0]
        if days.size == 0:
            out[i] = start
            continue
        held = lfilter(b, a, target[i, days], zi=[(1.0 - step) * start])[0]
        # carried between the asset's own closes
        k = np.searchsorted(days, np.arange(target.shape[1]), side="right") - 1
        out[i] = np.where(k >= 0, held[np.maximum(k, 0)], start)
    return out
