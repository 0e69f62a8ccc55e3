"""Array kernels of the CTA engine: numba versions and their pure-numpy twins.

Every kernel works on 2-D float64 arrays of shape ``(n, T)`` (``n`` independent price paths,
``T`` days) along axis 1, and returns outputs for the columns ``j0 .. T-1`` (shape
``(n, T - j0)``). The public dispatchers (no suffix) pick the numba version unless
``CRASHLENS_NO_NUMBA=1`` (see :func:`crashlens.config.numba_enabled`). No pandas here.
"""

from __future__ import annotations

import math
import os

import numpy as np
from scipy.signal import lfilter

from crashlens import _numba as numba
from crashlens.config import numba_enabled as _numba_enabled

_ENABLED: dict[str, bool] = {}


def numba_enabled() -> bool:
    """:func:`crashlens.config.numba_enabled`, memoised per value of the kill switch."""
    key = os.environ.get("CRASHLENS_NO_NUMBA", "")
    if key not in _ENABLED:
        _ENABLED[key] = _numba_enabled()
    return _ENABLED[key]

# --------------------------------------------------------------------------- EWMA filter


@numba.njit(cache=True)
def _ewma_nb(x: np.ndarray, alpha: float, y0: np.ndarray) -> np.ndarray:  # pragma: no cover
    n, t_len = x.shape
    out = np.empty((n, t_len))
    for i in range(n):
        prev = y0[i]
        for j in range(t_len):
            if np.isnan(prev):
                prev = x[i, j]
            else:
                prev = alpha * x[i, j] + (1.0 - alpha) * prev
            out[i, j] = prev
    return out


def _ewma_np(x: np.ndarray, alpha: float, y0: np.ndarray) -> np.ndarray:
    # y_0 = alpha x_0 + zi with zi = (1-alpha) y_{-1}; a missing y_{-1} seeds y_0 = x_0
    zi = (1.0 - alpha) * np.where(np.isnan(y0), x[:, 0], y0)
    out, _ = lfilter([alpha], [1.0, -(1.0 - alpha)], x, axis=1, zi=zi[:, None])
    return np.asarray(out, dtype=np.float64)


def ewma(x: np.ndarray, alpha: float, y0: np.ndarray | None = None) -> np.ndarray:
    """Exponentially weighted mean ``y_j = alpha x_j + (1 - alpha) y_{j-1}`` along axis 1.

    Parameters
    ----------
    x : ndarray, shape (n, T)
        Finite inputs.
    alpha : float
        Smoothing weight in (0, 1].
    y0 : ndarray, shape (n,), optional
        State before the first column; NaN (or None) seeds ``y_0 = x_0`` (pandas
        ``ewm(adjust=False)``).

    Returns
    -------
    ndarray, shape (n, T)
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    if y0 is None:
        y0 = np.full(x.shape[0], np.nan)
    y0 = np.ascontiguousarray(y0, dtype=np.float64)
    if x.shape[1] == 0:
        return x.copy()
    return _ewma_nb(x, float(alpha), y0) if numba_enabled() else _ewma_np(x, alpha, y0)


# --------------------------------------------------------------------------- TSMOM sign


@numba.njit(cache=True)
def _tsmom_nb(logp: np.ndarray, h: int, j0: int) -> np.ndarray:  # pragma: no cover
    n, t_len = logp.shape
    out = np.empty((n, t_len - j0))
    for i in range(n):
        for j in range(j0, t_len):
            d = logp[i, j] - logp[i, j - h]
            out[i, j - j0] = 1.0 if d > 0 else (-1.0 if d < 0 else 0.0)
    return out


def _tsmom_np(logp: np.ndarray, h: int, j0: int) -> np.ndarray:
    t_len = logp.shape[1]
    return np.sign(logp[:, j0:] - logp[:, j0 - h:t_len - h])


def tsmom(logp: np.ndarray, h: int, j0: int) -> np.ndarray:
    """TSMOM sign ``sign(ln P_j - ln P_{j-h})`` for columns ``j >= j0`` (needs ``j0 >= h``).

    Parameters
    ----------
    logp : ndarray, shape (n, T)
        Log prices.
    h : int
        Lookback in days.
    j0 : int
        First output column.

    Returns
    -------
    ndarray, shape (n, T - j0), values in {-1, 0, 1}
    """
    _check_j0(j0, h)
    logp = np.ascontiguousarray(logp, dtype=np.float64)
    return _tsmom_nb(logp, int(h), int(j0)) if numba_enabled() else _tsmom_np(logp, h, j0)


# --------------------------------------------------------------------------- normalised momentum


@numba.njit(cache=True)
def _norm_mom_nb(logp: np.ndarray, sig: np.ndarray, h: int, cap: float,
                 j0: int) -> np.ndarray:  # pragma: no cover
    n, t_len = logp.shape
    out = np.empty((n, t_len - j0))
    root = math.sqrt(h)
    for i in range(n):
        for j in range(j0, t_len):
            z = (logp[i, j] - logp[i, j - h]) / (sig[i, j - j0] * root)
            z = min(max(z, -cap), cap)
            out[i, j - j0] = z / cap
    return out


def _norm_mom_np(logp: np.ndarray, sig: np.ndarray, h: int, cap: float, j0: int) -> np.ndarray:
    t_len = logp.shape[1]
    z = (logp[:, j0:] - logp[:, j0 - h:t_len - h]) / (sig * math.sqrt(h))
    return np.clip(z, -cap, cap) / cap


def norm_mom(logp: np.ndarray, sig: np.ndarray, h: int, cap: float, j0: int) -> np.ndarray:
    """Capped vol-normalised momentum ``clip(ln(P_j/P_{j-h}) / (sigma_j sqrt h), -c, c) / c``.

    Parameters
    ----------
    logp : ndarray, shape (n, T)
        Log prices.
    sig : ndarray, shape (n, T - j0)
        Daily vol (fraction) at the output columns; must be > 0.
    h : int
        Lookback in days.
    cap : float
        Cap ``c`` of the z-score.
    j0 : int
        First output column (>= h).

    Returns
    -------
    ndarray, shape (n, T - j0), values in [-1, 1]
    """
    _check_j0(j0, h)
    logp = np.ascontiguousarray(logp, dtype=np.float64)
    sig = np.ascontiguousarray(sig, dtype=np.float64)
    if numba_enabled():
        return _norm_mom_nb(logp, sig, int(h), float(cap), int(j0))
    return _norm_mom_np(logp, sig, h, cap, j0)


# --------------------------------------------------------------------------- EWMAC


@numba.njit(cache=True)
def _ewmac_nb(ema_fast: np.ndarray, ema_slow: np.ndarray, price_vol: np.ndarray,
              scalar: float, cap: float) -> np.ndarray:  # pragma: no cover
    n, m = ema_fast.shape
    out = np.empty((n, m))
    for i in range(n):
        for j in range(m):
            f = scalar * (ema_fast[i, j] - ema_slow[i, j]) / price_vol[i, j]
            f = min(max(f, -cap), cap)
            out[i, j] = f / cap
    return out


def _ewmac_np(ema_fast: np.ndarray, ema_slow: np.ndarray, price_vol: np.ndarray,
              scalar: float, cap: float) -> np.ndarray:
    f = scalar * (ema_fast - ema_slow) / price_vol
    return np.clip(f, -cap, cap) / cap


def ewmac(ema_fast: np.ndarray, ema_slow: np.ndarray, price_vol: np.ndarray,
          scalar: float, cap: float) -> np.ndarray:
    """Carver EWMAC forecast ``clip(k (E_f - E_s) / sigma_P, -cap, cap) / cap``.

    Parameters
    ----------
    ema_fast, ema_slow : ndarray, shape (n, m)
        EMAs of price (price units).
    price_vol : ndarray, shape (n, m)
        Daily vol in price units (``P sigma_d``), > 0.
    scalar : float
        Forecast scalar ``k`` (makes the average |forecast| equal the target).
    cap : float
        Forecast cap (Carver 20).

    Returns
    -------
    ndarray, shape (n, m), values in [-1, 1]
    """
    args = (np.ascontiguousarray(ema_fast, dtype=np.float64),
            np.ascontiguousarray(ema_slow, dtype=np.float64),
            np.ascontiguousarray(price_vol, dtype=np.float64))
    if numba_enabled():
        return _ewmac_nb(*args, float(scalar), float(cap))
    return _ewmac_np(*args, scalar, cap)


def ewmac_scalar(alpha_fast: float, alpha_slow: float, target_abs: float) -> float:
    """Closed-form EWMAC forecast scalar for iid returns.

    ``E_f - E_s = sum_k r_{t-k} (a^{k+1} - b^{k+1})`` with ``a = 1 - alpha_slow``,
    ``b = 1 - alpha_fast``, so its variance in units of the daily price vol is
    ``a^2/(1-a^2) + b^2/(1-b^2) - 2ab/(1-ab)``; for a normal forecast ``E|f| = sd sqrt(2/pi)``.

    Returns
    -------
    float
        ``target_abs / (sqrt(2/pi) sd)``.
    """
    a, b = 1.0 - alpha_slow, 1.0 - alpha_fast
    var = a * a / (1 - a * a) + b * b / (1 - b * b) - 2 * a * b / (1 - a * b)
    return target_abs / (math.sqrt(2.0 / math.pi) * math.sqrt(var))


# --------------------------------------------------------------------------- MA crossover


@numba.njit(cache=True)
def _ma_cross_nb(p: np.ndarray, n_fast: int, n_slow: int,
                 j0: int) -> np.ndarray:  # pragma: no cover
    n, t_len = p.shape
    out = np.empty((n, t_len - j0))
    csum = np.empty(t_len + 1)
    for i in range(n):
        csum[0] = 0.0
        acc = 0.0
        for j in range(t_len):
            acc += p[i, j]
            csum[j + 1] = acc
        for j in range(j0, t_len):
            fast = (csum[j + 1] - csum[j + 1 - n_fast]) / n_fast
            slow = (csum[j + 1] - csum[j + 1 - n_slow]) / n_slow
            d = fast - slow
            out[i, j - j0] = 1.0 if d > 0 else (-1.0 if d < 0 else 0.0)
    return out


def _ma_cross_np(p: np.ndarray, n_fast: int, n_slow: int, j0: int) -> np.ndarray:
    n, t_len = p.shape
    csum = np.zeros((n, t_len + 1))
    np.cumsum(p, axis=1, out=csum[:, 1:])
    idx = np.arange(j0, t_len)
    fast = (csum[:, idx + 1] - csum[:, idx + 1 - n_fast]) / n_fast
    slow = (csum[:, idx + 1] - csum[:, idx + 1 - n_slow]) / n_slow
    return np.sign(fast - slow)


def ma_cross(p: np.ndarray, n_fast: int, n_slow: int, j0: int) -> np.ndarray:
    """Moving-average crossover ``sign(SMA_fast - SMA_slow)`` for columns ``j >= j0``.

    Parameters
    ----------
    p : ndarray, shape (n, T)
        Prices.
    n_fast, n_slow : int
        Window lengths in days (``1 <= n_fast < n_slow``; ``n_fast = 1`` is price vs SMA).
    j0 : int
        First output column (>= n_slow - 1).

    Returns
    -------
    ndarray, shape (n, T - j0), values in {-1, 0, 1}
    """
    _check_j0(j0, n_slow - 1)
    p = np.ascontiguousarray(p, dtype=np.float64)
    if numba_enabled():
        return _ma_cross_nb(p, int(n_fast), int(n_slow), int(j0))
    return _ma_cross_np(p, n_fast, n_slow, j0)


def _check_j0(j0: int, need: int) -> None:
    if j0 < need:
        raise ValueError(f"kernel needs j0 >= {need} columns of history, got j0={j0}")
