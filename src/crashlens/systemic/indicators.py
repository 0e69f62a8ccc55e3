"""Systemic indicators on a return panel: absorption ratio, turbulence, correlation surprise.

All functions take a row-complete return frame (index = dates, columns = assets, see
:mod:`crashlens.systemic._align` for how one is built from series on different calendars) and
return series on the same index. Every estimator is strictly backward looking (METHODOLOGY
§3.1-3.2): the value on date ``t`` uses returns up to ``t`` only, and turbulence measures the
return of ``t`` against the mean and covariance of the window *before* ``t``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from crashlens.errors import DataError, InsufficientDataError, ParameterError
from crashlens.systemic import _kernels

#: Absolute pairwise correlation above which two assets count as duplicates.
DUPLICATE_CORR = 0.9999


def check_returns(returns: pd.DataFrame, min_rows: int, what: str,
                  duplicate_corr: float = DUPLICATE_CORR) -> np.ndarray:
    """Validate a return panel and return it as a float64 ``(T, N)`` array.

    Raises
    ------
    DataError
        Non-finite values (naming the column and date) or near-duplicate assets (naming both).
    InsufficientDataError
        Fewer than ``min_rows`` rows or fewer than 2 assets.
    """
    if not isinstance(returns, pd.DataFrame):
        raise ParameterError(f"{what}: returns must be a DataFrame (dates x assets)")
    if returns.shape[1] < 2:
        raise InsufficientDataError(f"{what}: needs at least 2 assets, got {returns.shape[1]}")
    if len(returns) < min_rows:
        raise InsufficientDataError(
            f"{what}: needs at least {min_rows} rows of returns, got {len(returns)}"
            + (f" ({returns.index[0].date()} .. {returns.index[-1].date()})" if len(returns)
               and isinstance(returns.index, pd.DatetimeIndex) else ""))
    x = returns.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(x)
    if bad.any():
        r, c = (int(v[0]) for v in np.nonzero(bad))
        raise DataError(f"{what}: non-finite return", column=str(returns.columns[c]),
                        row=str(returns.index[r].date() if hasattr(returns.index[r], "date")
                                else returns.index[r]))
    sd = x.std(axis=0)
    flat = np.flatnonzero(sd == 0)
    if flat.size:
        raise DataError(f"{what}: constant series (zero variance)",
                        column=str(returns.columns[flat[0]]))
    c = np.corrcoef(x, rowvar=False)
    iu = np.triu_indices(x.shape[1], 1)
    dup = np.flatnonzero(np.abs(c[iu]) > duplicate_corr)
    if dup.size:
        i, j = iu[0][dup[0]], iu[1][dup[0]]
        raise DataError(
            f"{what}: assets '{returns.columns[i]}' and '{returns.columns[j]}' are near-duplicates "
            f"(correlation {c[i, j]:.6f} > {duplicate_corr}); their covariance is singular - drop "
            "one of them")
    return x


def n_components(n_assets: int, fraction: float) -> int:
    """Number of eigenvectors in the absorption ratio: ``fraction * N`` rounded half up, >= 1."""
    if not 0 < fraction <= 1:
        raise ParameterError(f"fraction must be in (0, 1], got {fraction}")
    return max(1, min(n_assets, math.floor(n_assets * fraction + 0.5)))


def absorption_ratio(returns: pd.DataFrame, window: int = 500, halflife: float | None = 250,
                     fraction: float = 0.2) -> pd.Series:
    """Rolling absorption ratio (Kritzman, Li, Page, Rigobon 2011).

    Parameters
    ----------
    returns : DataFrame, shape (T, N)
        Daily returns, row-complete.
    window : int
        Covariance window, rows (default 500).
    halflife : float or None
        EWMA half-life of the covariance weights in rows (default 250; None = equal).
    fraction : float
        Share of eigenvectors in the numerator, ``n = round(N * fraction)`` (default 0.2).

    Returns
    -------
    Series, shape (T,)
        AR in [0, 1]; NaN for the first ``window - 1`` rows.
    """
    if window < 2:
        raise ParameterError(f"window must be >= 2, got {window}")
    x = check_returns(returns, window, "absorption ratio")
    ar = _kernels.rolling_absorption(x, window, halflife, n_components(x.shape[1], fraction))
    return pd.Series(ar, index=returns.index, name="absorption_ratio")


def absorption_shift(ar: pd.Series, short: int = 15, long: int = 252) -> pd.Series:
    """Standardised shift ``(SMA_short(AR) - SMA_long(AR)) / sd_long(AR)``.

    Values above +1 signal fragility, below -1 calm (METHODOLOGY §3.1).
    """
    if not 1 <= short < long:
        raise ParameterError(f"need 1 <= short < long, got short={short}, long={long}")
    fast = ar.rolling(short, min_periods=short).mean()
    slow = ar.rolling(long, min_periods=long).mean()
    sd = ar.rolling(long, min_periods=long).std()
    out = (fast - slow) / sd.where(sd > 0)
    out.name = "absorption_shift"
    return out


def turbulence(returns: pd.DataFrame, window: int = 500, normalise: bool = True,
               pct_min_periods: int = 250) -> pd.DataFrame:
    """Rolling financial turbulence, correlation surprise and average pairwise correlation.

    Parameters
    ----------
    returns : DataFrame, shape (T, N)
        Daily returns, row-complete.
    window : int
        Trailing window (rows, the current row excluded) for the mean and covariance.
    normalise : bool
        Divide the Mahalanobis distance by N (default True); percentiles are unaffected.
    pct_min_periods : int
        Fewest turbulence values before a percentile is reported.

    Returns
    -------
    DataFrame, shape (T, 5)
        Columns ``turbulence``, ``turbulence_percentile`` (0..100, rank of today's value among
        all values up to today), ``magnitude``, ``correlation_surprise`` (turbulence over its
        uncorrelated magnitude, Kinlaw & Turkington 2012: > 1 means unusual co-movement) and
        ``avg_correlation`` (mean off-diagonal correlation of the trailing window).
    """
    if window < 2:
        raise ParameterError(f"window must be >= 2, got {window}")
    x = check_returns(returns, window + 1, "turbulence")
    if window <= x.shape[1]:
        raise InsufficientDataError(
            f"turbulence: window {window} must exceed the number of assets {x.shape[1]}")
    turb, mag, avgc, _ = _kernels.rolling_turbulence(x, window)
    cs = np.full_like(turb, np.nan)
    ok = mag > 0
    cs[ok] = turb[ok] / mag[ok]
    n = x.shape[1] if normalise else 1
    out = pd.DataFrame({
        "turbulence": turb / n,
        "turbulence_percentile": _kernels.trailing_percentile(turb, pct_min_periods),
        "magnitude": mag / n,
        "correlation_surprise": cs,
        "avg_correlation": avgc,
    }, index=returns.index)
    return out


def average_correlation(returns: pd.DataFrame, window: int = 60) -> pd.Series:
    """Mean pairwise correlation over a trailing window that includes the current row."""
    x = check_returns(returns, window, "average correlation")
    n = x.shape[1]
    out = np.full(len(x), np.nan)
    iu = np.triu_indices(n, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        for t in range(window - 1, len(x)):
            c = np.corrcoef(x[t - window + 1 : t + 1], rowvar=False)[iu]
            c = c[np.isfinite(c)]
            if c.size:
                out[t] = c.mean()
    return pd.Series(out, index=returns.index, name="avg_correlation")
