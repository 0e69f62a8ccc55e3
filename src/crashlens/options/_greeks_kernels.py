"""Black-Scholes-Merton kernels on flat float64 arrays: numba (parallel, cached) and numpy twins.

Conventions shared by every kernel
----------------------------------
* ``S``, ``r`` and ``q`` are 1-D arrays of length 1 (broadcast to every contract) or ``n``;
  ``K``, ``T``, ``sigma`` and ``is_call`` have length ``n``.
* ``T`` is in years, ``sigma`` a fraction per sqrt(year), ``r`` and ``q`` continuously
  compounded annual rates.
* A contract with a non-positive or non-finite spot, strike, time or vol is *invalid*: its
  outputs are NaN and it is counted in the returned number of invalid rows, so the public layer
  can raise instead of passing NaN on.

Output rows of :func:`greeks_nb` / :func:`greeks_np` (shape ``(6, n)``): price, delta, gamma,
vega (per 1.00 of vol), vanna (d delta / d sigma) and charm (d delta / d t as calendar time
passes, per year).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
from scipy.special import ndtr

SQRT2 = math.sqrt(2.0)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
N_GREEKS = 6
PRICE, DELTA, GAMMA, VEGA, VANNA, CHARM = range(N_GREEKS)


@nb.njit(cache=True, inline="always")
def _ncdf(x: float) -> float:  # pragma: no cover - compiled
    return 0.5 * math.erfc(-x / SQRT2)


@nb.njit(cache=True, inline="always")
def _valid(s: float, k: float, t: float, v: float) -> bool:  # pragma: no cover - compiled
    return (
        s > 0.0 and k > 0.0 and t > 0.0 and v > 0.0
        and s < np.inf and k < np.inf and t < np.inf and v < np.inf
    )


@nb.njit(parallel=True, cache=True)
def gamma_nb(S, K, T, sigma, r, q, out):  # pragma: no cover - compiled
    """Gamma only (the GEX hot path); returns the number of invalid rows."""
    n = K.shape[0]
    nS, nr, nq = S.shape[0], r.shape[0], q.shape[0]
    bad = 0
    for i in nb.prange(n):
        s = S[0] if nS == 1 else S[i]
        rr = r[0] if nr == 1 else r[i]
        qq = q[0] if nq == 1 else q[i]
        k = K[i]
        t = T[i]
        v = sigma[i]
        if not _valid(s, k, t, v):
            bad += 1
            out[i] = np.nan
            continue
        inv_vs = 1.0 / (v * math.sqrt(t))  # (log S - log K is slower than log(S / K) here)
        d1 = (math.log(s / k) + (rr - qq + 0.5 * v * v) * t) * inv_vs
        out[i] = math.exp(-qq * t - 0.5 * d1 * d1) * INV_SQRT_2PI * inv_vs / s
    return bad


def gamma_np(S, K, T, sigma, r, q, out):
    """Numpy twin of :func:`gamma_nb`."""
    bad = ~(
        (S > 0) & (K > 0) & (T > 0) & (sigma > 0)
        & np.isfinite(S) & np.isfinite(K) & np.isfinite(T) & np.isfinite(sigma)
    )
    nbad = int(bad.sum())
    if nbad:
        S, K, T, sigma = (
            np.where(bad, 1.0, np.broadcast_to(a, bad.shape)) for a in (S, K, T, sigma)
        )
    vs = sigma * np.sqrt(T)
    d1 = (np.log(S / K) + (r - q + 0.5 * sigma * sigma) * T) / vs
    out[:] = np.exp(-q * T - 0.5 * d1 * d1) * INV_SQRT_2PI / (S * vs)
    if nbad:
        out[bad] = np.nan
    return nbad


@nb.njit(parallel=True, cache=True)
def greeks_nb(S, K, T, sigma, r, q, is_call, out):  # pragma: no cover - compiled
    """All six outputs (see module docstring) into ``out[6, n]``; returns invalid-row count."""
    n = K.shape[0]
    nS, nr, nq = S.shape[0], r.shape[0], q.shape[0]
    bad = 0
    for i in nb.prange(n):
        s = S[0] if nS == 1 else S[i]
        rr = r[0] if nr == 1 else r[i]
        qq = q[0] if nq == 1 else q[i]
        k = K[i]
        t = T[i]
        v = sigma[i]
        if not _valid(s, k, t, v):
            bad += 1
            for m in range(N_GREEKS):
                out[m, i] = np.nan
            continue
        sqt = math.sqrt(t)
        vs = v * sqt
        d1 = (math.log(s / k) + (rr - qq + 0.5 * v * v) * t) / vs
        d2 = d1 - vs
        dq = math.exp(-qq * t)
        dr = math.exp(-rr * t)
        pdf = math.exp(-0.5 * d1 * d1) * INV_SQRT_2PI
        charm_common = dq * pdf * (2.0 * (rr - qq) * t - d2 * vs) / (2.0 * t * vs)
        if is_call[i]:
            nd1 = _ncdf(d1)
            out[PRICE, i] = s * dq * nd1 - k * dr * _ncdf(d2)
            out[DELTA, i] = dq * nd1
            out[CHARM, i] = qq * dq * nd1 - charm_common
        else:
            nmd1 = _ncdf(-d1)
            out[PRICE, i] = k * dr * _ncdf(-d2) - s * dq * nmd1
            out[DELTA, i] = -dq * nmd1
            out[CHARM, i] = -qq * dq * nmd1 - charm_common
        out[GAMMA, i] = dq * pdf / (s * vs)
        out[VEGA, i] = s * dq * pdf * sqt
        out[VANNA, i] = -dq * pdf * d2 / v
    return bad


def greeks_np(S, K, T, sigma, r, q, is_call, out):
    """Numpy twin of :func:`greeks_nb`."""
    n = K.shape[0]
    S, r, q = (np.broadcast_to(a, (n,)) for a in (S, r, q))
    bad = ~(
        (S > 0) & (K > 0) & (T > 0) & (sigma > 0)
        & np.isfinite(S) & np.isfinite(K) & np.isfinite(T) & np.isfinite(sigma)
    )
    nbad = int(bad.sum())
    if nbad:
        S, K, T, sigma = (np.where(bad, 1.0, a) for a in (S, K, T, sigma))
    sqt = np.sqrt(T)
    vs = sigma * sqt
    d1 = (np.log(S / K) + (r - q + 0.5 * sigma * sigma) * T) / vs
    d2 = d1 - vs
    dq = np.exp(-q * T)
    dr = np.exp(-r * T)
    pdf = np.exp(-0.5 * d1 * d1) * INV_SQRT_2PI
    charm_common = dq * pdf * (2.0 * (r - q) * T - d2 * vs) / (2.0 * T * vs)
    nd1, nd2, nmd1, nmd2 = ndtr(d1), ndtr(d2), ndtr(-d1), ndtr(-d2)
    out[PRICE] = np.where(is_call, S * dq * nd1 - K * dr * nd2, K * dr * nmd2 - S * dq * nmd1)
    out[DELTA] = np.where(is_call, dq * nd1, -dq * nmd1)
    out[GAMMA] = dq * pdf / (S * vs)
    out[VEGA] = S * dq * pdf * sqt
    out[VANNA] = -dq * pdf * d2 / sigma
    out[CHARM] = np.where(is_call, q * dq * nd1, -q * dq * nmd1) - charm_common
    if nbad:
        out[:, bad] = np.nan
    return nbad
