"""The market state vector used by analog matching (one row per S&P 500 trading day).

Features (raw units; standardised later with the history up to the as-of date only):

==================  ===================================================================
``dd_depth``        S&P 500 close / its ``peak_window``-session max - 1 (fraction)
``days_since_peak`` log(1 + sessions since that max)
``ret_5d``          5-session S&P 500 return
``ret_20d``         20-session S&P 500 return
``rv_10d``          10-session realised vol of log returns, annualised (252)
``vix``             VIX close
``vix_term``        VIX / VIX3M (above 1 = inverted term structure; from 2009)
``stock_bond_corr`` 60-session correlation of S&P 500 returns with 10y yield changes
``hy_oas_chg20``    20-session change of the high-yield OAS, percentage points (from 2023)
``ust10y_chg20``    20-session change of the 10y Treasury yield, percentage points
``curve_2s10s``     10y minus 2y Treasury yield, percentage points
``btc_dd``          Bitcoin / its 365-day max - 1, sampled on S&P 500 days (from 2012)
==================  ===================================================================

Features a day lacks are NaN; the distance uses the features that both days have. Series on
other calendars take their last value at most 4 days stale (BTC: 1 day).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crashlens.data.source import SourceLike, reads_source
from crashlens.episodes._common import DateLike, load_close, optional_close, sample_on

FEATURES: tuple[str, ...] = (
    "dd_depth", "days_since_peak", "ret_5d", "ret_20d", "rv_10d", "vix", "vix_term",
    "stock_bond_corr", "hy_oas_chg20", "ust10y_chg20", "curve_2s10s", "btc_dd",
)


def _last_argmax(view: np.ndarray) -> np.ndarray:
    """Index of the last maximum along axis 1 (the most recent peak when tied)."""
    w = view.shape[1]
    return (w - 1) - np.argmax(view[:, ::-1], axis=1)


@reads_source
def state_frame(
    end: DateLike = None,
    *,
    peak_window: int = 252,
    corr_window: int = 60,
    start: DateLike = "1990-01-01",
    features: Sequence[str] = FEATURES,
    missing: list[str] | None = None,
    source: SourceLike = None,
) -> pd.DataFrame:
    """Raw (unstandardised) state vectors, one row per S&P 500 session.

    Parameters
    ----------
    end : str or Timestamp, optional
        Last date (default: all data).
    peak_window : int
        Sessions of the trailing peak for ``dd_depth`` and ``days_since_peak`` (default 252).
    corr_window : int
        Sessions of the stock-bond correlation (default 60).
    start : str or Timestamp
        First date of the output (default 1990-01-01, when VIX starts).
    features : sequence of str
        Subset of :data:`FEATURES` to return.
    missing : list of str, optional
        Filled with the input series (other than SPX) the active source does not hold; their
        features are NaN. SPX itself is required.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    DataFrame, shape (n_days, n_features)
        Indexed by date, columns in the order of ``features``; also a ``close`` column (the
        S&P 500 close) used for forward returns.
    """
    absent: list[str] = missing if missing is not None else []

    def opt(name: str) -> pd.Series:
        return optional_close(name, None, end, absent)

    spx = load_close("SPX", None, end)
    dates = pd.DatetimeIndex(spx.index)
    x = spx.to_numpy()
    out = pd.DataFrame(index=dates)
    out["close"] = x
    roll_max = spx.rolling(peak_window, min_periods=1).max()
    out["dd_depth"] = x / roll_max.to_numpy() - 1.0
    dsp = np.full(len(x), np.nan)
    if len(x) >= peak_window:
        view = np.lib.stride_tricks.sliding_window_view(x, peak_window)
        dsp[peak_window - 1:] = (peak_window - 1) - _last_argmax(view)
    out["days_since_peak"] = np.log1p(dsp)
    out["ret_5d"] = spx.pct_change(5).to_numpy()
    out["ret_20d"] = spx.pct_change(20).to_numpy()
    lr = np.log(spx).diff()
    out["rv_10d"] = (lr.rolling(10).std(ddof=1) * np.sqrt(252.0)).to_numpy()
    vix = sample_on(opt("VIX"), dates, 4)
    vix3m = sample_on(opt("VIX3M"), dates, 4)
    out["vix"] = vix.to_numpy()
    out["vix_term"] = (vix / vix3m).to_numpy()
    y10 = sample_on(opt("UST10Y"), dates, 4)
    y2 = sample_on(opt("UST2Y"), dates, 4)
    dy = y10.diff()
    out["stock_bond_corr"] = lr.rolling(corr_window, min_periods=corr_window // 2).corr(dy) \
        .to_numpy()
    hy = sample_on(opt("HY_OAS"), dates, 4)
    out["hy_oas_chg20"] = hy.diff(20).to_numpy()
    out["ust10y_chg20"] = y10.diff(20).to_numpy()
    out["curve_2s10s"] = (y10 - y2).to_numpy()
    btc = opt("BTC")
    btc_dd = btc / btc.rolling("365D").max() - 1.0
    out["btc_dd"] = sample_on(btc_dd, dates, 1).to_numpy()
    out = out.replace([np.inf, -np.inf], np.nan)
    if start is not None:
        out = out[out.index >= pd.Timestamp(start)]
    return out[["close", *features]]
