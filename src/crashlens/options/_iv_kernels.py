"""Implied-volatility kernels: safeguarded Newton (bisection fallback), numba and numpy twins.

Every contract keeps a bracket ``[lo, hi]`` of vols whose BSM prices straddle the target; a
Newton step that leaves the bracket (or meets a vanishing vega) is replaced by bisection, so
the iteration always converges for a price strictly inside the no-arbitrage bounds
``(intrinsic on the forward, upper bound)``. Prices outside those bounds give NaN (no
solution); the public layer reports them.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from crashlens import _numba as nb
from crashlens.options._greeks_kernels import INV_SQRT_2PI, _ncdf

VOL_LO = 1e-6
VOL_HI = 10.0
VOL_START = 0.3


@nb.njit(cache=True)
def _price_vega(s, k, t, v, rr, qq, call):  # pragma: no cover - compiled
    sqt = math.sqrt(t)
    vs = v * sqt
    d1 = (math.log(s / k) + (rr - qq + 0.5 * v * v) * t) / vs
    d2 = d1 - vs
    dq = math.exp(-qq * t)
    dr = math.exp(-rr * t)
    if call:
        p = s * dq * _ncdf(d1) - k * dr * _ncdf(d2)
    else:
        p = k * dr * _ncdf(-d2) - s * dq * _ncdf(-d1)
    vega = s * dq * math.exp(-0.5 * d1 * d1) * INV_SQRT_2PI * sqt
    return p, vega


@nb.njit(parallel=True, cache=True)
def implied_vol_nb(price, S, K, T, r, q, is_call, tol, max_iter, out):  # pragma: no cover
    """Solve BSM implied vols into ``out``; NaN where the price has no solution."""
    n = K.shape[0]
    nS, nr, nq = S.shape[0], r.shape[0], q.shape[0]
    for i in nb.prange(n):
        s = S[0] if nS == 1 else S[i]
        rr = r[0] if nr == 1 else r[i]
        qq = q[0] if nq == 1 else q[i]
        k = K[i]
        t = T[i]
        p = price[i]
        out[i] = np.nan
        if not (s > 0.0 and k > 0.0 and t > 0.0 and p > 0.0 and p < np.inf and t < np.inf):
            continue
        dq = math.exp(-qq * t)
        dr = math.exp(-rr * t)
        if is_call[i]:
            lower = max(s * dq - k * dr, 0.0)
            upper = s * dq
        else:
            lower = max(k * dr - s * dq, 0.0)
            upper = k * dr
        if not (lower < p < upper):
            continue
        ftol = tol * (p - lower)  # relative to the time value, which carries the vol
        lo = VOL_LO
        hi = VOL_HI
        v = VOL_START
        for _ in range(max_iter):
            pv, vega = _price_vega(s, k, t, v, rr, qq, is_call[i])
            f = pv - p
            if abs(f) <= ftol:
                break
            if f > 0.0:
                hi = v
            else:
                lo = v
            step_ok = vega > 1e-300
            vn = v - f / vega if step_ok else 0.5 * (lo + hi)
            if not (lo < vn < hi):
                vn = 0.5 * (lo + hi)
            if hi - lo < 1e-14 * v:
                v = vn
                break
            v = vn
        out[i] = v


def implied_vol_np(price, S, K, T, r, q, is_call, tol, max_iter, out):
    """Numpy twin of :func:`implied_vol_nb`."""
    n = K.shape[0]
    S, r, q = (np.broadcast_to(a, (n,)).astype(float) for a in (S, r, q))
    ok = (S > 0) & (K > 0) & (T > 0) & (price > 0) & np.isfinite(price) & np.isfinite(T)
    Ss, Ks, Ts, ps = (np.where(ok, a, 1.0) for a in (S, K, T, price))
    dq = np.exp(-q * Ts)
    dr = np.exp(-r * Ts)
    lower = np.maximum(np.where(is_call, Ss * dq - Ks * dr, Ks * dr - Ss * dq), 0.0)
    upper = np.where(is_call, Ss * dq, Ks * dr)
    ok &= (lower < ps) & (ps < upper)
    ftol = tol * (ps - lower)  # relative to the time value, which carries the vol
    lo = np.full(n, VOL_LO)
    hi = np.full(n, VOL_HI)
    v = np.full(n, VOL_START)
    active = ok.copy()
    sqt = np.sqrt(Ts)
    for _ in range(max_iter):
        if not active.any():
            break
        vs = v * sqt
        d1 = (np.log(Ss / Ks) + (r - q + 0.5 * v * v) * Ts) / vs
        d2 = d1 - vs
        pv = np.where(
            is_call,
            Ss * dq * ndtr(d1) - Ks * dr * ndtr(d2),
            Ks * dr * ndtr(-d2) - Ss * dq * ndtr(-d1),
        )
        vega = Ss * dq * np.exp(-0.5 * d1 * d1) * INV_SQRT_2PI * sqt
        f = pv - ps
        done = np.abs(f) <= ftol
        active &= ~done
        hi = np.where(active & (f > 0), v, hi)
        lo = np.where(active & (f <= 0), v, lo)
        step_ok = vega > 1e-300
        vn = np.where(step_ok, v - f / np.where(step_ok, vega, 1.0), 0.5 * (lo + hi))
        vn = np.where((lo < vn) & (vn < hi), vn, 0.5 * (lo + hi))
        v = np.where(active, vn, v)
        active &= (hi - lo) >= 1e-14 * v
    out[:] = np.where(ok, v, np.nan)
