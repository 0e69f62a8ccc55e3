"""Aligning series that live on different calendars, and turning levels into returns.

**The alignment rule** (used by every systemic, contagion and crypto-vs-equity computation):

1. The calendar is the trading calendar of one equity series (``calendar="SPX"``): the dates on
   which it has a close, up to the as-of date.
2. Every other series is sampled on those dates at its **same-date close**, or else its last
   earlier observation if that is at most ``max_stale_days`` calendar days old (default 4: a
   weekend plus a holiday). Older gaps stay missing; nothing is filled across a longer gap.
   Crypto trades 7 days a week: its Saturday and Sunday moves are folded into Monday's return
   (Friday close to Monday close), so crypto and equity returns cover the same interval.
3. Levels become daily returns: log returns for prices; for yields (``UST*`` and other series in
   percent) an approximate bond return ``-duration * dy / 100`` (named parameter
   ``rate_duration``), so that rates enter covariance matrices in return units.
4. Rows where any asset is still missing are dropped (a row-complete panel).

A series whose last observation is more than ``max_stale_days`` before the as-of date is
reported (a warning naming it and its last date), never silently carried forward.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crashlens import data
from crashlens.data.schema import Kind
from crashlens.errors import InsufficientDataError, ParameterError, UnknownSeriesError
from crashlens.notes import Note

#: Modified duration used to turn a yield change into a bond return, per yield series.
DEFAULT_DURATION: dict[str, float] = {
    "UST3M": 0.25, "UST1M": 0.08, "UST2Y": 1.9, "UST5Y": 4.6, "UST10Y": 8.5, "UST30Y": 17.0,
}


def is_yield(name: str) -> bool:
    """Whether a catalog series is a yield (a level in percent, turned into bond returns)."""
    try:
        sp = data.spec(name)
    except UnknownSeriesError:  # frames built by hand use free names
        return name.upper().startswith("UST")
    return sp.kind is Kind.VALUE and sp.unit == "percent"


def sample_on(levels: pd.DataFrame, calendar: pd.DatetimeIndex,
              max_stale_days: int = 4) -> pd.DataFrame:
    """Sample every column at each calendar date: same-date value or a recent earlier one.

    Parameters
    ----------
    levels : DataFrame
        Levels indexed by date (any calendars, NaN where a series has no observation).
    calendar : DatetimeIndex
        Target dates.
    max_stale_days : int
        Largest age, in calendar days, of an earlier observation that may stand in.

    Returns
    -------
    DataFrame
        Indexed by ``calendar``; NaN where no observation is recent enough.
    """
    if max_stale_days < 0:
        raise ParameterError(f"max_stale_days must be >= 0, got {max_stale_days}")
    out = {}
    cal = pd.DatetimeIndex(calendar)
    for col in levels.columns:
        s = levels[col].dropna()
        if s.empty:
            out[col] = pd.Series(np.nan, index=cal)
            continue
        pos = s.index.searchsorted(cal, side="right") - 1
        vals = np.full(len(cal), np.nan)
        ok = pos >= 0
        idx = pos[ok]
        age: np.ndarray = np.asarray((cal[ok] - pd.DatetimeIndex(s.index[idx])).days)
        v = s.to_numpy()[idx]
        vals[np.flatnonzero(ok)] = np.where(age <= max_stale_days, v, np.nan)
        out[col] = pd.Series(vals, index=cal)
    return pd.DataFrame(out, index=cal)


def to_returns(levels: pd.DataFrame, rate_duration: dict[str, float] | None = None
               ) -> pd.DataFrame:
    """Daily returns: log returns of prices, ``-D * dy / 100`` for yields (see module doc)."""
    dur = {**DEFAULT_DURATION, **(rate_duration or {})}
    cols = {}
    for col in levels.columns:
        s = levels[col]
        if is_yield(str(col)):
            cols[col] = -dur.get(str(col).upper(), 8.5) * s.diff() / 100.0
        else:
            if (s <= 0).any():
                bad = s[s <= 0].index[0]
                raise InsufficientDataError(
                    f"series '{col}' has a non-positive level on {bad.date()}: cannot take "
                    "log returns")
            cols[col] = np.log(s).diff()
    return pd.DataFrame(cols, index=levels.index)


def aligned_returns(
    names: Sequence[str],
    end: pd.Timestamp | None = None,
    start: pd.Timestamp | None = None,
    *,
    calendar: str = "SPX",
    max_stale_days: int = 4,
    rate_duration: dict[str, float] | None = None,
    drop_stale: bool = True,
) -> tuple[pd.DataFrame, list[str]]:
    """Load series from the active source and return their aligned daily returns (module rule).

    Parameters
    ----------
    names : sequence of str
        Catalog names.
    end, start : Timestamp, optional
        Inclusive date bounds (``end`` is the as-of date; nothing after it is read).
    calendar : str
        Series whose trading dates form the calendar.
    max_stale_days : int
        See :func:`sample_on`.
    rate_duration : dict, optional
        Modified durations overriding :data:`DEFAULT_DURATION`.
    drop_stale : bool
        Drop (with a warning) series that ended more than ``max_stale_days`` before ``end``;
        when False they stay and the panel ends where they end.

    Returns
    -------
    returns : DataFrame, shape (T, N)
        Row-complete returns on the calendar's dates.
    warnings : list of str
        Series dropped or ending early, rows dropped.
    """
    names = [n.upper() for n in names]
    if len(set(names)) != len(names):
        raise ParameterError(f"duplicate names in universe {names}")
    warns: list[str] = []
    cal_series = data.close(calendar, start, end).dropna()
    if cal_series.empty:
        raise InsufficientDataError(f"calendar series '{calendar}' has no data up to {end}")
    cal = pd.DatetimeIndex(cal_series.index)
    if end is not None and (end - cal[-1]).days > max_stale_days:
        warns.append(Note("systemic.calendar_ends", calendar=calendar, last=cal[-1].date(),
                          days=(end - cal[-1]).days, asof=end.date()))
    lv = data.panel([n for n in names], start, end)
    keep = []
    for n in names:
        s = lv[n].dropna()
        if s.empty:
            warns.append(Note("systemic.no_data_dropped", series=n, end=end.date())
                         if end is not None else Note("systemic.no_data_dropped_any", series=n))
            continue
        gap = (cal[-1] - s.index[-1]).days
        if gap > max_stale_days:
            if drop_stale:
                warns.append(Note("systemic.series_ends_dropped", series=n, last=s.index[-1].date(),
                                  days=gap, end=cal[-1].date()))
                continue
            warns.append(Note("systemic.series_ends_panel", series=n, last=s.index[-1].date(),
                              days=gap, end=cal[-1].date()))
        keep.append(n)
    if not keep:
        raise InsufficientDataError(f"none of {names} has data near {cal[-1].date()}")
    sampled = sample_on(lv[keep], cal, max_stale_days)
    rets = to_returns(sampled, rate_duration).iloc[1:]
    # trim leading rows before every series started, then count interior holes
    starts = [int(np.argmax(rets[c].notna().to_numpy())) for c in rets.columns]
    rets = rets.iloc[max(starts):]
    holes = int(rets.isna().any(axis=1).sum())
    if holes:
        warns.append(Note("systemic.rows_dropped", n=holes, max_stale=max_stale_days))
    return rets.dropna(), warns
