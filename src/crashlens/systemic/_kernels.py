"""Array kernels of the systemic indicators: numba versions and their pure-numpy twins.

Inputs are 2-D float64 return arrays of shape ``(T, N)`` (``T`` days, ``N`` assets) without
NaN. Every rolling estimator is strictly backward looking: the value at row ``t`` uses rows
``<= t`` only (turbulence: rows ``< t`` for the mean and covariance, then row ``t``). Rows
before the first full window are NaN. The dispatchers (no suffix) choose numba unless
``CRASHLENS_NO_NUMBA=1``. No pandas here.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from crashlens import _numba as numba
from crashlens.config import numba_enabled

#: Eigenvalues below ``RCOND * largest`` are treated as zero (pseudo-inverse).
RCOND = 1e-10


# --------------------------------------------------------------------------- absorption ratio
#
# Moments are updated recursively, O(N^2) per row instead of O(window N^2): with decay
# ``lam = 0.5 ** (1 / halflife)`` (1 for equal weights), ``m1_t = lam m1_{t-1} + x_t -
# lam^W x_{t-W}`` and likewise ``m2`` with outer products; the window is recomputed from
# scratch every ``window`` rows so rounding cannot drift. ``cov = m2 / Z - mu mu'`` with
# ``mu = m1 / Z``, ``Z = sum of the weights`` (the weighted, biased covariance).


def _decay(halflife: float | None) -> float:
    return 1.0 if halflife is None else float(0.5 ** (1.0 / float(halflife)))


@numba.njit(cache=True)
def _absorption_nb(x: np.ndarray, lam: float, window: int,
                   n_eig: int) -> np.ndarray:  # pragma: no cover
    t_len, n = x.shape
    out = np.full(t_len, np.nan)
    lam_w = lam**window
    z = 0.0
    for k in range(window):
        z += lam**k
    m1 = np.zeros(n)
    m2 = np.zeros((n, n))
    for t in range(t_len):
        if t >= window - 1 and (t - window + 1) % window == 0:
            m1[:] = 0.0
            m2[:, :] = 0.0
            for s in range(t - window + 1, t + 1):
                f = lam ** (t - s)
                for i in range(n):
                    m1[i] += f * x[s, i]
                    for j in range(i, n):
                        m2[i, j] += f * x[s, i] * x[s, j]
        else:
            old = t - window
            for i in range(n):
                m1[i] = lam * m1[i] + x[t, i]
                if old >= 0:
                    m1[i] -= lam_w * x[old, i]
                for j in range(i, n):
                    m2[i, j] = lam * m2[i, j] + x[t, i] * x[t, j]
                    if old >= 0:
                        m2[i, j] -= lam_w * x[old, i] * x[old, j]
        if t < window - 1:
            continue
        cov = np.empty((n, n))
        for i in range(n):
            for j in range(i, n):
                cov[i, j] = m2[i, j] / z - (m1[i] / z) * (m1[j] / z)
                cov[j, i] = cov[i, j]
        ev = np.linalg.eigvalsh(cov)
        tot = ev.sum()
        if tot > 0.0:
            out[t] = ev[n - n_eig :].sum() / tot
    return out


def _absorption_np(x: np.ndarray, lam: float, window: int, n_eig: int) -> np.ndarray:
    t_len, n = x.shape
    out = np.full(t_len, np.nan)
    if t_len < window:
        return out
    lam_w = lam**window
    z = float(np.sum(lam ** np.arange(window, dtype=np.float64)))
    outer = (x[:, :, None] * x[:, None, :]).reshape(t_len, n * n)
    z2 = outer.copy()
    z2[window:] -= lam_w * outer[:-window]
    z1 = x.copy()
    z1[window:] -= lam_w * x[:-window]
    m1 = lfilter([1.0], [1.0, -lam], z1, axis=0)[window - 1 :] / z
    m2 = lfilter([1.0], [1.0, -lam], z2, axis=0)[window - 1 :].reshape(-1, n, n) / z
    covs = m2 - m1[:, :, None] * m1[:, None, :]
    ev = np.linalg.eigvalsh(covs)
    tot = ev.sum(axis=1)
    top = ev[:, n - n_eig :].sum(axis=1)
    out[window - 1 :] = np.where(tot > 0, top / np.where(tot > 0, tot, 1.0), np.nan)
    return out


def rolling_absorption(x: np.ndarray, window: int, halflife: float | None,
                       n_eig: int) -> np.ndarray:
    """Absorption ratio per row: share of total variance in the top ``n_eig`` eigenvectors.

    Parameters
    ----------
    x : ndarray, shape (T, N)
        Returns, finite.
    window : int
        Rows per covariance window (the row itself included).
    halflife : float or None
        EWMA half-life in rows of the covariance weights (None: equal weights).
    n_eig : int
        Number of eigenvectors in the numerator, ``1 <= n_eig <= N``.

    Returns
    -------
    ndarray, shape (T,)
        AR in [0, 1]; NaN before row ``window - 1``.
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    lam = _decay(halflife)
    if numba_enabled():
        return np.asarray(_absorption_nb(x, lam, int(window), int(n_eig)))
    return _absorption_np(x, lam, int(window), int(n_eig))


# --------------------------------------------------------------------------- turbulence


@numba.njit(cache=True)
def _turbulence_nb(x: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                         int]:  # pragma: no cover
    # running sums over rows t-window .. t-1, recomputed every `window` rows (no drift)
    t_len, n = x.shape
    turb = np.full(t_len, np.nan)
    mag = np.full(t_len, np.nan)
    avgc = np.full(t_len, np.nan)
    n_sing = 0
    s1 = np.zeros(n)
    s2 = np.zeros((n, n))
    for t in range(window, t_len):
        if (t - window) % window == 0:
            s1[:] = 0.0
            s2[:, :] = 0.0
            for r in range(t - window, t):
                for i in range(n):
                    s1[i] += x[r, i]
                    for j in range(i, n):
                        s2[i, j] += x[r, i] * x[r, j]
        else:
            a = t - 1
            b = t - 1 - window
            for i in range(n):
                s1[i] += x[a, i] - x[b, i]
                for j in range(i, n):
                    s2[i, j] += x[a, i] * x[a, j] - x[b, i] * x[b, j]
        mu = s1 / window
        cov = np.empty((n, n))
        for i in range(n):
            for j in range(i, n):
                cov[i, j] = (s2[i, j] - window * mu[i] * mu[j]) / (window - 1)
                cov[j, i] = cov[i, j]
        lam, vec = np.linalg.eigh(cov)
        lmax = lam[n - 1]
        y = x[t] - mu
        z = vec.T @ y
        d2 = 0.0
        for i in range(n):
            if lam[i] > RCOND * lmax:
                d2 += z[i] * z[i] / lam[i]
            else:
                n_sing += 1
        turb[t] = d2
        m2 = 0.0
        sc = 0.0
        for i in range(n):
            if cov[i, i] > 0.0:
                m2 += y[i] * y[i] / cov[i, i]
            for j in range(i + 1, n):
                den = np.sqrt(cov[i, i] * cov[j, j])
                if den > 0.0:
                    sc += cov[i, j] / den
        mag[t] = m2
        if n > 1:
            avgc[t] = 2.0 * sc / (n * (n - 1))
    return turb, mag, avgc, n_sing


def _turbulence_np(x: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                         int]:
    t_len, n = x.shape
    turb = np.full(t_len, np.nan)
    mag = np.full(t_len, np.nan)
    avgc = np.full(t_len, np.nan)
    if t_len <= window:
        return turb, mag, avgc, 0
    # window sums from prefix sums of x and of the outer products x x'
    c1 = np.vstack([np.zeros((1, n)), np.cumsum(x, axis=0)])
    c2 = np.concatenate([np.zeros((1, n, n)), np.cumsum(x[:, :, None] * x[:, None, :],
                                                        axis=0)])
    s1 = c1[window:t_len] - c1[: t_len - window]
    s2 = c2[window:t_len] - c2[: t_len - window]
    mu = s1 / window
    covs = (s2 - window * mu[:, :, None] * mu[:, None, :]) / (window - 1)
    dev = x[window:] - mu
    lam, vec = np.linalg.eigh(covs)
    lmax = lam[:, -1:]
    keep = lam > RCOND * lmax
    z = np.einsum("tij,ti->tj", vec, dev)
    inv = np.where(keep, 1.0 / np.where(keep, lam, 1.0), 0.0)
    turb[window:] = (z * z * inv).sum(axis=1)
    diag = np.einsum("tii->ti", covs)
    pos = diag > 0
    mag[window:] = np.where(pos, dev**2 / np.where(pos, diag, 1.0), 0.0).sum(axis=1)
    if n > 1:
        sd = np.sqrt(diag)
        den = sd[:, :, None] * sd[:, None, :]
        ok = den > 0
        corr = np.where(ok, covs / np.where(ok, den, 1.0), 0.0)
        iu = np.triu_indices(n, 1)
        avgc[window:] = corr[:, iu[0], iu[1]].mean(axis=1)
    return turb, mag, avgc, int((~keep).sum())


def rolling_turbulence(x: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray,
                                                            np.ndarray, int]:
    """Mahalanobis turbulence, its magnitude part and the average pairwise correlation.

    For row ``t >= window``: ``mu``, ``S`` are the mean and (ddof=1) covariance of rows
    ``t - window .. t - 1`` (the row itself is excluded: no look-ahead) and ``y = x_t - mu``.

    Parameters
    ----------
    x : ndarray, shape (T, N)
        Returns, finite.
    window : int
        Rows of the trailing estimation window.

    Returns
    -------
    turbulence : ndarray, shape (T,)
        ``y' S^+ y`` (pseudo-inverse: eigenvalues below ``RCOND * max`` dropped).
    magnitude : ndarray, shape (T,)
        ``y' diag(S)^-1 y``; correlation surprise is ``turbulence / magnitude``.
    avg_corr : ndarray, shape (T,)
        Mean off-diagonal correlation of ``S``.
    n_dropped : int
        Total number of eigenvalues dropped as singular (0 for a well-conditioned panel).
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    if numba_enabled():
        t, m, c, k = _turbulence_nb(x, int(window))
        return np.asarray(t), np.asarray(m), np.asarray(c), int(k)
    return _turbulence_np(x, int(window))


# --------------------------------------------------------------------------- percentile


@numba.njit(cache=True)
def _pct_nb(v: np.ndarray, min_periods: int, window: int) -> np.ndarray:  # pragma: no cover
    t_len = v.shape[0]
    out = np.full(t_len, np.nan)
    for t in range(t_len):
        if np.isnan(v[t]):
            continue
        lo = 0 if window <= 0 else max(0, t - window + 1)
        cnt = 0
        below = 0
        for s in range(lo, t + 1):
            if not np.isnan(v[s]):
                cnt += 1
                if v[s] <= v[t]:
                    below += 1
        if cnt >= min_periods:
            out[t] = 100.0 * below / cnt
    return out


def _pct_np(v: np.ndarray, min_periods: int, window: int) -> np.ndarray:
    t_len = v.shape[0]
    out = np.full(t_len, np.nan)
    for t in range(t_len):
        if np.isnan(v[t]):
            continue
        lo = 0 if window <= 0 else max(0, t - window + 1)
        past = v[lo : t + 1]
        past = past[~np.isnan(past)]
        if past.size >= min_periods:
            out[t] = 100.0 * np.count_nonzero(past <= v[t]) / past.size
    return out


def trailing_percentile(v: np.ndarray, min_periods: int = 1, window: int = 0) -> np.ndarray:
    """Percentile rank (0..100] of each value among the values up to and including it.

    Parameters
    ----------
    v : ndarray, shape (T,)
        Values; NaN entries are skipped (and give NaN).
    min_periods : int
        Fewest valid past values needed (else NaN).
    window : int
        Look back at most this many rows (``0``: expanding, all history).

    Returns
    -------
    ndarray, shape (T,)
        ``100 * #{s <= t : v_s <= v_t} / #{s <= t}``: no look-ahead.
    """
    v = np.ascontiguousarray(v, dtype=np.float64)
    if numba_enabled():
        return np.asarray(_pct_nb(v, int(min_periods), int(window)))
    return _pct_np(v, int(min_periods), int(window))
