"""Vectorised building blocks of the synthetic market: random streams, bridges, OHLC, frames."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from crashlens._dates import to_timestamp
from crashlens.data.schema import PRICE_COLUMNS
from crashlens.errors import ParameterError

TRADING_DAYS = 252.0
CALENDAR_DAYS = 365.0


def stream(seed: int, name: str) -> np.random.Generator:
    """Return an independent generator for one component (stable when others change)."""
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(name.encode())])


def to_day(value: str | pd.Timestamp, param: str) -> pd.Timestamp:
    """Parse a date parameter, raising :class:`ParameterError` naming ``param`` on failure."""
    return to_timestamp(value, f"parameter '{param}'")


def snap(index: pd.Index, value: str | pd.Timestamp, param: str) -> int:
    """Position of the last day of ``index`` on or before ``value``.

    Raises
    ------
    ParameterError
        If ``value`` is before the first day of ``index`` or after its last day.
    """
    day = to_day(value, param)
    if day < index[0] or day > index[-1]:
        raise ParameterError(
            f"parameter '{param}': {day.date()} is outside the generated calendar "
            f"{index[0].date()}..{index[-1].date()}"
        )
    return int(index.searchsorted(day, side="right")) - 1


def ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    """Stationary AR(1) path of length ``n`` with marginal standard deviation ``sd``."""
    eps = rng.standard_normal(n) * sd * np.sqrt(1.0 - phi * phi)
    x0 = rng.standard_normal() * sd
    out, _ = lfilter([1.0], [1.0, -phi], eps, zi=np.array([phi * x0]))
    return np.asarray(out, dtype=float)


def ar_filter(shocks: np.ndarray, phi: float) -> np.ndarray:
    """``x_t = phi * x_{t-1} + shocks_t`` from ``x_{-1} = 0`` (mean reversion when phi < 1)."""
    return np.asarray(lfilter([1.0], [1.0, -phi], shocks), dtype=float)


def ewma(x: np.ndarray, lam: float, x0: float) -> np.ndarray:
    """Exponential average ``y_t = lam * y_{t-1} + (1 - lam) * x_t`` with ``y_{-1} = x0``."""
    out, _ = lfilter([1.0 - lam], [1.0, -lam], x, zi=np.array([lam * x0]))
    return np.asarray(out, dtype=float)


def rolling_max(x: np.ndarray, window: int) -> np.ndarray:
    """Trailing maximum over ``window`` observations (shorter at the start)."""
    return np.asarray(pd.Series(x).rolling(window, min_periods=1).max().to_numpy(), dtype=float)


def gaussian_bumps(n: int, centers: Sequence[int], widths: Sequence[float],
                   heights: Sequence[float]) -> np.ndarray:
    """Sum of squared-height Gaussian bumps (a variance add-on) on positions ``0..n-1``."""
    t = np.arange(n, dtype=float)
    out = np.zeros(n)
    for c, w, h in zip(centers, widths, heights, strict=True):
        out += h * h * np.exp(-0.5 * ((t - c) / max(w, 1e-9)) ** 2)
    return out


def bridge(base: np.ndarray, total: float, lo: float, hi: float, margin: float) -> np.ndarray:
    """Turn base log returns into a leg that ends exactly at ``total``.

    The cumulative path of ``base`` gets a constant drift added (a Brownian bridge when ``base``
    is Gaussian) so that it ends at ``total``; interior points are then reflected and clipped
    into ``[lo + margin, hi - margin]`` so that the leg's end points stay strict extremes.

    Parameters
    ----------
    base : ndarray, shape (n,)
        Log returns of the leg's days (the first one moves from the start level).
    total : float
        Cumulative log return of the leg.
    lo, hi : float
        Bounds of the interior path relative to the start (may be infinite).
    margin : float
        Minimum distance of interior points from the bounds, in log units.

    Returns
    -------
    ndarray, shape (n,)
        Cumulative log level relative to the start, last value ``total``.
    """
    n = len(base)
    if n == 0:
        return np.zeros(0)
    c = np.cumsum(base)
    t = np.arange(1, n + 1) / n
    x = c + t * (total - c[-1])
    if n > 1:
        width = hi - lo
        m = min(margin, width / 4.0) if np.isfinite(width) else margin
        a, b = lo + m, hi - m
        inner = x[:-1]
        if np.isfinite(a):
            inner = np.where(inner < a, 2.0 * a - inner, inner)
        if np.isfinite(b):
            inner = np.where(inner > b, 2.0 * b - inner, inner)
        x[:-1] = np.clip(inner, a, b)
    x[-1] = total
    return x


def ohlc(rng: np.random.Generator, close: np.ndarray, sig: np.ndarray, gap: float = 0.3,
         spread: float = 0.6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Open, high and low around positive closes with ``low <= open, close <= high``.

    ``sig`` is the daily log volatility; the open gaps from the previous close by ``gap * sig``
    and the range extends ``spread * sig * |N(0,1)|`` beyond the open/close body.
    """
    n = len(close)
    prev = np.concatenate([[close[0]], close[:-1]])
    z = rng.standard_normal((3, n))
    op = prev * np.exp(gap * sig * z[0])
    hi = np.maximum(op, close) * np.exp(spread * sig * np.abs(z[1]))
    lo = np.minimum(op, close) * np.exp(-spread * sig * np.abs(z[2]))
    return op, hi, lo


def volume(rng: np.random.Generator, base: float, ret: np.ndarray, sig: np.ndarray) -> np.ndarray:
    """Daily volume: ``base`` scaled up on large moves, with log-normal noise, rounded."""
    surprise = np.abs(ret) / np.maximum(sig, 1e-6)
    noise = np.exp(0.25 * rng.standard_normal(len(ret)) - 0.03)
    return np.round(base * (0.7 + 0.3 * surprise) * noise)


def date_index(values: pd.Index | np.ndarray) -> pd.DatetimeIndex:
    """A tz-naive, normalised ``DatetimeIndex`` named ``date`` with no ``freq``."""
    return pd.DatetimeIndex(np.asarray(values, dtype="datetime64[ns]"), name="date")


def price_frame(index: pd.Index, op: np.ndarray, hi: np.ndarray, lo: np.ndarray,
                close: np.ndarray, vol: np.ndarray | None) -> pd.DataFrame:
    """A price-kind frame (open, high, low, close, volume) as float64."""
    v = np.full(len(close), np.nan) if vol is None else vol
    data = dict(zip(PRICE_COLUMNS, (op, hi, lo, close, v), strict=True))
    return pd.DataFrame({k: np.asarray(x, dtype=float) for k, x in data.items()},
                        index=date_index(index))


def value_frame(index: pd.Index, value: np.ndarray) -> pd.DataFrame:
    """A value-kind frame (one float64 column ``value``)."""
    return pd.DataFrame({"value": np.asarray(value, dtype=float)}, index=date_index(index))


def interp_anchors(index: pd.DatetimeIndex, anchors: Sequence[tuple[str, float]]) -> np.ndarray:
    """Linear interpolation of ``(date, value)`` anchors onto ``index`` (flat outside)."""
    xs = pd.DatetimeIndex([a[0] for a in anchors]).as_unit("ns").asi8.astype(float)
    ys = np.array([a[1] for a in anchors], dtype=float)
    return np.interp(pd.DatetimeIndex(index).as_unit("ns").asi8.astype(float), xs, ys)


def step_anchors(index: pd.DatetimeIndex, anchors: Sequence[tuple[str, float]]) -> np.ndarray:
    """Step function: the value of the last anchor on or before each day (first one before)."""
    xs = pd.DatetimeIndex([a[0] for a in anchors])
    ys = np.array([a[1] for a in anchors], dtype=float)
    pos = np.clip(xs.searchsorted(index, side="right") - 1, 0, len(ys) - 1)
    return ys[pos]


def sample_last(index: pd.DatetimeIndex, values: np.ndarray,
                at: pd.DatetimeIndex) -> np.ndarray:
    """Values of a daily series at the last day on or before each date of ``at``."""
    pos = np.clip(index.searchsorted(at, side="right") - 1, 0, len(values) - 1)
    return values[pos]
