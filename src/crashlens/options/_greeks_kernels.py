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

The gamma kernel (the GEX hot path) is written so that LLVM vectorises it (4 doubles per AVX2
instruction): numba's ``math.exp``/``math.log`` are scalar libm calls unless Intel SVML is
available, which the PyPI llvmlite build does not support. :func:`_exp` and :func:`_log` are
branch-free polynomial versions (1 ulp against libm, subnormals, 0 and inf handled), the
validity test is a select instead of a branch, ``error_model="numpy"`` drops the
division-by-zero checks that block vectorisation, and ``fastmath={"contract"}`` (only that
flag: no reassociation, NaN/inf semantics kept) fuses multiply-adds into FMAs (~20 % faster).
They stay because the same loop with ``math.exp``/``math.log`` is 1.8-2.7x slower
(``benchmarks/bench_numba.py``, issue 12 part 8; numbers in docs/conventions.md). Without numba
(:mod:`crashlens._numba`) the bitcasts fall back to ``struct`` and the kernels run as Python.
"""

from __future__ import annotations

import math
import struct
from typing import Any

import numpy as np
from scipy.special import ndtr

from crashlens import _numba as nb

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


@nb.njit(cache=True, inline="always")
def _valid_sel(s: float, k: float, t: float, v: float) -> bool:  # pragma: no cover - compiled
    # same test as _valid, without short-circuit branches (keeps the loop vectorisable)
    return (
        (s > 0.0) & (k > 0.0) & (t > 0.0) & (v > 0.0)
        & (s < np.inf) & (k < np.inf) & (t < np.inf) & (v < np.inf)
    )


def _bits_typer(typingctx, x):  # pragma: no cover - compiled
    from numba.core import types

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.int64))

    return types.int64(types.float64), codegen


def _from_bits_typer(typingctx, i):  # pragma: no cover - compiled
    from numba.core import types

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.float64))

    return types.float64(types.int64), codegen


def _bits_py(x: float) -> int:
    """float64 -> int64 bit pattern in plain Python (the kernels without numba)."""
    return int(struct.unpack("<q", struct.pack("<d", x))[0])


def _from_bits_py(i: int) -> float:
    """int64 bit pattern -> float64 in plain Python (the kernels without numba)."""
    return float(struct.unpack("<d", struct.pack("<q", i))[0])


#: Reinterpret a float64 as int64 and back (bitcasts, no conversion). Typed ``Any`` for mypy:
#: numba intrinsics are only callable from compiled code. Without numba, struct-based twins
#: keep :func:`_exp`, :func:`_log` and :func:`gamma_nb` runnable as plain Python.
_bits: Any
_from_bits: Any
if nb.NUMBA_AVAILABLE:
    from numba.extending import intrinsic

    _bits = intrinsic(_bits_typer)
    _from_bits = intrinsic(_from_bits_typer)
else:
    _bits, _from_bits = _bits_py, _from_bits_py


_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # fdlibm split of ln 2: k * _LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_MAGIC = 6755399441055744.0  # 1.5 * 2**52: x + _MAGIC rounds x to an integer held in the low bits
_MAGIC_BITS = 0x4338000000000000
_SQRT_HALF_BITS = 0x3FE6A09E667F3BCD
_TINY = 2.2250738585072014e-308  # smallest normal float64
_TWO52 = 4503599627370496.0
# fdlibm e_log.c: log(1+f) = f - f*f/2 + s*(f*f/2 + R(s*s)), s = f / (2 + f)
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01


@nb.njit(cache=True, inline="always", error_model="numpy", fastmath={"contract"})
def _exp(x: float) -> float:  # pragma: no cover - compiled
    """exp(x), branch-free: x = k ln2 + r, |r| <= ln2/2, Taylor to r**13, times 2**k.

    Max error 1 ulp vs libm; overflows to inf above ~709.78, subnormal results are rounded
    once, 0 below ~-745.1 (2**k is applied as two normal factors). NaN is not propagated
    (callers mask invalid rows).
    """
    x = min(max(x, -1100.0), 710.0)
    t = x * _LOG2E + _MAGIC
    kf = t - _MAGIC
    r = (x - kf * _LN2_HI) - kf * _LN2_LO
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    k = _bits(t) - _MAGIC_BITS
    k1 = k >> 1
    return p * _from_bits((k1 + 1023) << 52) * _from_bits((k - k1 + 1023) << 52)


@nb.njit(cache=True, inline="always", error_model="numpy", fastmath={"contract"})
def _log(x: float) -> float:  # pragma: no cover - compiled
    """log(x), branch-free (fdlibm's polynomial on the mantissa in [sqrt(1/2), sqrt(2))).

    Max error 1 ulp vs libm; subnormals are rescaled by 2**52; log(0) = -inf, log(inf) = inf,
    NaN for x < 0 or NaN.
    """
    sub = x < _TINY
    ix = _bits(x * _TWO52 if sub else x)
    k = (ix - _SQRT_HALF_BITS) >> 52
    f = _from_bits(ix - (k << 52)) - 1.0
    # float(k) without an int64 -> float64 conversion (AVX2 has none)
    kf = (_from_bits(k + _MAGIC_BITS) - _MAGIC) - (52.0 if sub else 0.0)
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    rr = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7))) + w * (_LG2 + w * (_LG4 + w * _LG6))
    res = kf * _LN2_HI - ((hfsq - (s * (hfsq + rr) + kf * _LN2_LO)) - f)
    res = np.inf if x == np.inf else res
    res = -np.inf if x == 0.0 else res
    return res if x >= 0.0 else np.nan


@nb.njit(cache=True, inline="always", error_model="numpy", fastmath={"contract"})
def _gamma1(s, k, t, v, b, qq, c):  # pragma: no cover - compiled
    # b = r - q, c = 1 / (sqrt(2 pi) s); returns (valid, gamma or NaN)
    ok = _valid_sel(s, k, t, v)
    inv_vs = 1.0 / (v * math.sqrt(t))
    d1 = (_log(s / k) + (b + 0.5 * v * v) * t) * inv_vs
    g = _exp(-qq * t - 0.5 * d1 * d1) * (c * inv_vs)
    return ok, (g if ok else np.nan)


@nb.njit(parallel=True, cache=True, error_model="numpy", fastmath={"contract"})
def gamma_nb(S, K, T, sigma, r, q, out):  # pragma: no cover - compiled
    """Gamma only (the GEX hot path, vectorised); returns the number of invalid rows."""
    n = K.shape[0]
    nS, nr, nq = S.shape[0], r.shape[0], q.shape[0]
    bad = 0
    if nS == 1 and nr == 1 and nq == 1:  # one underlying: hoist the per-spot constants
        s, qq = S[0], q[0]
        b = r[0] - qq
        c = INV_SQRT_2PI / s
        for i in nb.prange(n):
            ok, g = _gamma1(s, K[i], T[i], sigma[i], b, qq, c)
            bad += 0 if ok else 1
            out[i] = g
    else:
        for i in nb.prange(n):
            s = S[0] if nS == 1 else S[i]
            rr = r[0] if nr == 1 else r[i]
            qq = q[0] if nq == 1 else q[i]
            ok, g = _gamma1(s, K[i], T[i], sigma[i], rr - qq, qq, INV_SQRT_2PI / s)
            bad += 0 if ok else 1
            out[i] = g
    return bad


def gamma_np(S, K, T, sigma, r, q, out):
    """Numpy twin of :func:`gamma_nb` (same algebra)."""
    bad = ~(
        (S > 0) & (K > 0) & (T > 0) & (sigma > 0)
        & np.isfinite(S) & np.isfinite(K) & np.isfinite(T) & np.isfinite(sigma)
    )
    nbad = int(bad.sum())
    if nbad:
        S, K, T, sigma = (
            np.where(bad, 1.0, np.broadcast_to(a, bad.shape)) for a in (S, K, T, sigma)
        )
    inv_vs = 1.0 / (sigma * np.sqrt(T))
    d1 = (np.log(S / K) + (r - q + 0.5 * sigma * sigma) * T) * inv_vs
    out[:] = np.exp(-q * T - 0.5 * d1 * d1) * ((INV_SQRT_2PI / S) * inv_vs)
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
