"""Array kernels of the episodes engine (pure numpy, no pandas).

Every function takes 1-D or 2-D float arrays and returns arrays or scalars. They are simple
enough that numpy vectorisation (or a single linear scan) is fast: no numba twin is needed.
"""

from __future__ import annotations

import numpy as np


def drawdown(x: np.ndarray) -> np.ndarray:
    """Drawdown from the running maximum, as a fraction (0 at a new high, -0.2 = 20 % below).

    Parameters
    ----------
    x : ndarray, shape (n,)
        Positive prices, no NaN.

    Returns
    -------
    ndarray, shape (n,)
    """
    return x / np.maximum.accumulate(x) - 1.0


def max_drawdown(x: np.ndarray) -> tuple[float, int, int]:
    """Largest peak-to-trough fall of a price path.

    Parameters
    ----------
    x : ndarray, shape (n,)
        Positive prices, no NaN, ``n >= 1``.

    Returns
    -------
    mdd : float
        ``min_t x_t / max_{s<=t} x_s - 1`` (<= 0).
    peak : int
        Index of the running maximum before the trough (the first one if tied).
    trough : int
        Index of the trough (the first one if tied).
    """
    dd = drawdown(x)
    trough = int(np.argmin(dd))
    peak = int(np.argmax(x[: trough + 1]))
    return float(dd[trough]), peak, trough


def detect_drawdowns(
    x: np.ndarray, threshold: float, recovery: float = 1.0
) -> np.ndarray:
    """Segment a price path into peak -> trough -> recovery episodes.

    Rule (one linear scan): track the running peak and the lowest close since it. Once the fall
    from the peak reaches ``threshold``, the episode is *confirmed*; it ends on the first close at
    or above ``trough + recovery * (peak - trough)`` (``recovery = 1``: back to the old peak).
    A new peak search starts at the recovery close. While unconfirmed, a new high simply resets
    the peak. An episode still open at the end of the data has recovery index -1.

    Parameters
    ----------
    x : ndarray, shape (n,)
        Positive prices, no NaN.
    threshold : float
        Minimum peak-to-trough fall, a positive fraction (0.10 = 10 %).
    recovery : float
        Fraction of the loss that must be regained to end the episode, in (0, 1].

    Returns
    -------
    ndarray of int, shape (k, 3)
        Rows of ``(peak_index, trough_index, recovery_index or -1)``.
    """
    n = x.shape[0]
    out: list[tuple[int, int, int]] = []
    if n == 0:
        return np.empty((0, 3), dtype=np.int64)
    peak = 0
    trough = 0
    confirmed = False
    for i in range(1, n):
        xi = x[i]
        if not confirmed:
            if xi >= x[peak]:
                peak = i
                trough = i
                continue
            if xi < x[trough]:
                trough = i
            if x[trough] / x[peak] - 1.0 <= -threshold:
                confirmed = True
            continue
        if xi < x[trough]:
            trough = i
            continue
        target = x[trough] + recovery * (x[peak] - x[trough])
        if xi >= target:
            out.append((peak, trough, i))
            confirmed = False
            peak = i
            trough = i
    if confirmed:
        out.append((peak, trough, -1))
    return np.asarray(out, dtype=np.int64).reshape(-1, 3)


def annualised_vol(logret: np.ndarray, periods_per_year: float) -> float:
    """Sample standard deviation (ddof=1) of log returns times ``sqrt(periods_per_year)``.

    Returns NaN when fewer than two returns are given (callers turn that into a warning).
    """
    r = logret[np.isfinite(logret)]
    if r.size < 2:
        return float("nan")
    return float(np.std(r, ddof=1) * np.sqrt(periods_per_year))


def rms_distance(target: np.ndarray, history: np.ndarray, min_common: int) -> np.ndarray:
    """Root-mean-square distance from one state vector to every row of a history matrix.

    Only the features present (finite) in both the target and a history row count; the mean of
    squared differences over those features is rescaled by the number of target features, so the
    distance stays comparable between rows with full and partial coverage.

    Parameters
    ----------
    target : ndarray, shape (k,)
        Standardised state at the as-of date (NaN = feature unavailable).
    history : ndarray, shape (n, k)
        Standardised states of past days.
    min_common : int
        Rows sharing fewer finite features with the target get distance ``inf``.

    Returns
    -------
    ndarray, shape (n,)
        ``sqrt(k_t * mean_j (history_ij - target_j)^2)`` over common features ``j``; ``inf``
        where too few features are shared.
    """
    diff = history - target[None, :]
    ok = np.isfinite(diff)
    cnt = ok.sum(axis=1)
    sq = np.where(ok, diff, 0.0) ** 2
    k_t = max(int(np.isfinite(target).sum()), 1)
    out = np.full(history.shape[0], np.inf)
    good = cnt >= max(min_common, 1)
    out[good] = np.sqrt(k_t * sq[good].sum(axis=1) / cnt[good])
    return out


def gaussian_weights(d: np.ndarray, bandwidth: float) -> np.ndarray:
    """Kernel weights ``exp(-d^2 / (2 h^2))`` (0 where ``d`` is inf), normalised to sum 1.

    Returns all zeros when every weight underflows.
    """
    w = np.zeros_like(d, dtype=float)
    fin = np.isfinite(d)
    w[fin] = np.exp(-0.5 * (d[fin] / bandwidth) ** 2)
    s = w.sum()
    return w / s if s > 0 else w


def effective_sample_size(w: np.ndarray) -> float:
    """Kish effective sample size ``(sum w)^2 / sum w^2`` (0 for all-zero weights)."""
    s2 = float(np.sum(w * w))
    return float(np.sum(w)) ** 2 / s2 if s2 > 0 else 0.0


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantiles of a weighted sample (inverse of the weighted ECDF, midpoint convention).

    Parameters
    ----------
    x, w : ndarray, shape (n,)
        Values and non-negative weights (not all zero).
    q : ndarray, shape (m,)
        Probabilities in [0, 1].

    Returns
    -------
    ndarray, shape (m,)
    """
    order = np.argsort(x)
    xs, ws = x[order], w[order]
    cw = np.cumsum(ws)
    total = cw[-1]
    p = (cw - 0.5 * ws) / total
    return np.interp(q, p, xs)
