"""Key levels from GEX arrays: zero-gamma crossings, call wall, put wall, absolute-gamma strike.

Definitions (``METHODOLOGY.md`` section 2.2-2.3):

* **zero gamma**: where the profile ``GEX(S')`` changes sign, by linear interpolation between
  grid points, ``Z = S+ - (S+ - S-) GEX+ / (GEX+ - GEX-)``; all crossings are listed and the
  one nearest spot is reported.
* **call wall**: strike with the largest net call GEX (under the default convention the call
  GEX at a strike is positive, so this is the strike with the largest call dollar gamma).
* **put wall**: strike with the largest absolute put GEX.
* **absolute gamma strike**: strike maximising ``|call GEX| + |put GEX|``.

Walls do not depend on the sign convention (every contract of one type at one strike carries
the same sign); zero gamma and the totals do.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from crashlens.errors import ParameterError

__all__ = ["nearest_crossing", "walls", "zero_crossings"]


def zero_crossings(spots: ArrayLike, profile: ArrayLike) -> NDArray[np.float64]:
    """Spots where a profile changes sign, linearly interpolated.

    Parameters
    ----------
    spots : array_like, shape (m,)
        Strictly increasing hypothetical spots.
    profile : array_like, shape (m,)
        GEX at those spots (any units).

    Returns
    -------
    ndarray, shape (k,)
        Increasing crossing spots; a grid point where the profile is exactly zero between
        values of opposite sign counts once. Empty when the sign never changes (or the
        profile is identically zero).
    """
    x = np.asarray(spots, dtype=float)
    y = np.asarray(profile, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ParameterError("zero_crossings: spots and profile must be 1-D of equal length")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ParameterError("zero_crossings: spots and profile must be finite")
    if x.size >= 2 and not np.all(np.diff(x) > 0):
        raise ParameterError("zero_crossings: spots must be strictly increasing")
    nz = np.flatnonzero(y != 0.0)
    if nz.size < 2:
        return np.empty(0)
    pos = y[nz] > 0
    k = np.flatnonzero(pos[:-1] != pos[1:])  # sign changes between non-zero neighbours
    i0, i1 = nz[k], nz[k + 1]
    x0, x1, y0, y1 = x[i0], x[i1], y[i0], y[i1]
    with np.errstate(divide="ignore", invalid="ignore"):
        interp = x1 - (x1 - x0) * y1 / (y1 - y0)
    # exact zeros in between: the middle zero grid point (or the midpoint of the middle two)
    mid_lo = (i0 + i1) // 2
    even = (i1 - i0) % 2 == 0
    zero_run = np.where(even, x[mid_lo], 0.5 * (x[mid_lo] + x[np.minimum(mid_lo + 1, x.size - 1)]))
    return np.asarray(np.where(i1 - i0 > 1, zero_run, interp), dtype=float)


def nearest_crossing(crossings: ArrayLike, spot: float) -> float | None:
    """The crossing nearest ``spot`` (the lower one on a tie), or None when there is none."""
    c = np.asarray(crossings, dtype=float)
    if c.size == 0:
        return None
    return float(c[int(np.argmin(np.abs(c - spot)))])


def walls(
    strikes: ArrayLike, call_gex: ArrayLike, put_gex: ArrayLike
) -> tuple[float | None, float | None, float | None]:
    """Call wall, put wall and absolute-gamma strike from GEX by strike.

    Parameters
    ----------
    strikes : array_like, shape (k,)
        Distinct strikes.
    call_gex, put_gex : array_like, shape (k,)
        Signed call and put GEX at each strike (USD per 1 % move).

    Returns
    -------
    tuple of (float or None)
        ``(call_wall, put_wall, abs_gamma_strike)``; None where all values are zero. Ties go
        to the lowest strike.
    """
    k = np.asarray(strikes, dtype=float)
    c = np.abs(np.asarray(call_gex, dtype=float))
    p = np.abs(np.asarray(put_gex, dtype=float))
    if not (k.shape == c.shape == p.shape):
        raise ParameterError("walls: strikes, call_gex and put_gex must have equal shapes")

    def arg(v: NDArray[np.float64]) -> float | None:
        return float(k[int(np.argmax(v))]) if v.size and np.max(v) > 0 else None

    return arg(c), arg(p), arg(c + p)
