"""Vectorised Black-Scholes-Merton greeks and implied volatility.

The public functions accept scalars or array-likes (broadcast against each other), validate
them and dispatch to a numba kernel (parallel, cached) or its pure-numpy twin, chosen by
:func:`crashlens.config.numba_enabled` (kill switch ``CRASHLENS_NO_NUMBA=1``).

Units: spot and strike in the underlying's price units; ``t`` in years (crashlens uses
minutes to settlement / 525 600, see :mod:`crashlens.options.chains`); ``vol`` as a fraction
(0.20 = 20 %); ``rate`` and ``dividend_yield`` continuously compounded annual fractions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from crashlens.config import numba_enabled
from crashlens.errors import ParameterError
from crashlens.options import _greeks_kernels as gk
from crashlens.options import _iv_kernels as ivk
from crashlens.options._threads import threads_for

__all__ = ["Greeks", "bsm_gamma", "bsm_greeks", "bsm_price", "implied_vol"]


class Greeks(NamedTuple):
    """BSM outputs per contract, each a float64 array of the broadcast shape.

    Attributes
    ----------
    price : ndarray
        Option value, underlying price units.
    delta : ndarray
        dV/dS (calls in [0, e^{-qT}], puts in [-e^{-qT}, 0]).
    gamma : ndarray
        d2V/dS2, per unit of underlying price.
    vega : ndarray
        dV/dsigma per 1.00 of vol (divide by 100 for one vol point).
    vanna : ndarray
        d delta / d sigma per 1.00 of vol.
    charm : ndarray
        d delta / dt as calendar time passes, per year (divide by 365 for one day).
    """

    price: NDArray[np.float64]
    delta: NDArray[np.float64]
    gamma: NDArray[np.float64]
    vega: NDArray[np.float64]
    vanna: NDArray[np.float64]
    charm: NDArray[np.float64]


def _flat(x: ArrayLike, shape: tuple[int, ...], name: str) -> NDArray[np.float64]:
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name}: expected numbers, got {type(x).__name__}") from exc
    if a.size == 1:
        return a.reshape(1)
    return np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1)


def _prepare(
    spot: ArrayLike, strike: ArrayLike, t: ArrayLike, vol: ArrayLike, rate: ArrayLike,
    dividend_yield: ArrayLike, is_call: ArrayLike | None = None,
) -> tuple[tuple[int, ...], list[NDArray[Any]]]:
    flat: list[NDArray[Any]]
    arrays = [spot, strike, t, vol, rate, dividend_yield]
    names = ["spot", "strike", "t", "vol", "rate", "dividend_yield"]
    if is_call is not None:
        arrays.append(is_call)
        names.append("is_call")
    try:
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
    except ValueError as exc:
        raise ParameterError(f"greeks: inputs do not broadcast together ({exc})") from exc
    n = int(np.prod(shape)) if shape else 1
    flat = [_flat(a, shape, nm) for a, nm in zip(arrays[:6], names[:6], strict=True)]
    # strike, t and vol are per contract: expand to full length
    for idx in (1, 2, 3):
        if flat[idx].size != n:
            flat[idx] = np.full(n, flat[idx][0])
    for idx, nm in ((4, "rate"), (5, "dividend_yield")):
        if not np.all(np.isfinite(flat[idx])):
            raise ParameterError(f"{nm} must be finite")
    if is_call is not None:
        ic = np.asarray(is_call)
        if ic.dtype.kind not in "bi":
            raise ParameterError("is_call must be boolean")
        flags = np.ascontiguousarray(np.broadcast_to(ic.astype(np.bool_), shape)).reshape(-1)
        flat.append(flags)
    return shape, flat


def _raise_invalid(flat: list[NDArray[Any]], names: tuple[str, ...]) -> None:
    n = flat[1].size
    for a, nm in zip(flat, names, strict=False):
        full = np.broadcast_to(a, (n,))
        bad = ~(np.isfinite(full) & (full > 0))
        if bad.any():
            i = int(np.argmax(bad))
            raise ParameterError(
                f"{nm} must be positive and finite; element {i} is {full[i]!r} "
                f"({int(bad.sum())} invalid of {n})"
            )
    raise ParameterError("invalid greeks input")  # pragma: no cover - defensive


def bsm_gamma(
    spot: ArrayLike, strike: ArrayLike, t: ArrayLike, vol: ArrayLike,
    rate: ArrayLike = 0.0, dividend_yield: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """BSM gamma (identical for calls and puts).

    Parameters
    ----------
    spot, strike : array_like
        Underlying price and strike, price units, > 0.
    t : array_like
        Time to expiry in years, > 0 (0DTE: minutes / 525 600).
    vol : array_like
        Implied volatility as a fraction, > 0.
    rate, dividend_yield : array_like, default 0.0
        Continuously compounded annual rates.

    Returns
    -------
    ndarray
        Gamma per unit of underlying price, shape = broadcast shape of the inputs.

    Raises
    ------
    ParameterError
        If an input is non-positive or non-finite (naming the input and element).
    """
    shape, flat = _prepare(spot, strike, t, vol, rate, dividend_yield)
    out = np.empty(flat[1].size)
    kern: Callable[..., int] = gk.gamma_nb if numba_enabled() else gk.gamma_np
    with threads_for(out.size):
        bad = kern(*flat, out)
    if bad:
        _raise_invalid(flat, ("spot", "strike", "t", "vol"))
    return out.reshape(shape)


def bsm_greeks(
    spot: ArrayLike, strike: ArrayLike, t: ArrayLike, vol: ArrayLike,
    rate: ArrayLike = 0.0, dividend_yield: ArrayLike = 0.0, is_call: ArrayLike = True,
) -> Greeks:
    """BSM price, delta, gamma, vega, vanna and charm in one pass.

    Parameters
    ----------
    spot, strike, t, vol, rate, dividend_yield : array_like
        As in :func:`bsm_gamma`.
    is_call : array_like of bool, default True
        True for calls, False for puts.

    Returns
    -------
    Greeks
        Named tuple of arrays with the broadcast shape of the inputs (units in :class:`Greeks`).

    Raises
    ------
    ParameterError
        If an input is non-positive or non-finite.
    """
    shape, flat = _prepare(spot, strike, t, vol, rate, dividend_yield, is_call)
    n = flat[1].size
    out = np.empty((gk.N_GREEKS, n))
    kern: Callable[..., int] = gk.greeks_nb if numba_enabled() else gk.greeks_np
    with threads_for(n):
        bad = kern(*flat, out)
    if bad:
        _raise_invalid(flat, ("spot", "strike", "t", "vol"))
    return Greeks(*(out[m].reshape(shape) for m in range(gk.N_GREEKS)))


def bsm_price(
    spot: ArrayLike, strike: ArrayLike, t: ArrayLike, vol: ArrayLike,
    rate: ArrayLike = 0.0, dividend_yield: ArrayLike = 0.0, is_call: ArrayLike = True,
) -> NDArray[np.float64]:
    """BSM option value (price units); parameters as in :func:`bsm_greeks`."""
    return bsm_greeks(spot, strike, t, vol, rate, dividend_yield, is_call).price


def implied_vol(
    price: ArrayLike, spot: ArrayLike, strike: ArrayLike, t: ArrayLike,
    rate: ArrayLike = 0.0, dividend_yield: ArrayLike = 0.0, is_call: ArrayLike = True,
    *, tol: float = 1e-10, max_iter: int = 100,
) -> NDArray[np.float64]:
    """Implied BSM volatility from option prices.

    Parameters
    ----------
    price : array_like
        Option prices, price units.
    spot, strike, t, rate, dividend_yield, is_call : array_like
        As in :func:`bsm_greeks`.
    tol : float, default 1e-10
        Relative price tolerance.
    max_iter : int, default 100
        Iterations of safeguarded Newton per contract.

    Returns
    -------
    ndarray
        Implied vol as a fraction; **NaN where the price lies outside the no-arbitrage bounds**
        (at or below intrinsic value on the forward, at or above the upper bound) or an input
        is not positive. Callers (e.g. :func:`crashlens.options.gex`) exclude those contracts
        and report them in ``warnings``.
    """
    if not (tol > 0 and max_iter >= 1):
        raise ParameterError("implied_vol: tol must be > 0 and max_iter >= 1")
    # the price takes the vol slot: it is per contract and expanded to full length
    shape, flat = _prepare(spot, strike, t, price, rate, dividend_yield, is_call)
    n = flat[1].size
    S, K, T, p, r, q, ic = flat
    out = np.empty(n)
    kern: Callable[..., Any] = ivk.implied_vol_nb if numba_enabled() else ivk.implied_vol_np
    with threads_for(n * 50):  # ~50 price evaluations per contract
        kern(p, S, K, T, r, q, ic, float(tol), int(max_iter), out)
    return out.reshape(shape)
