"""Release schedules and data-vacuum detection (missing or late macro releases).

A release covers a *reference period* (a month, or a week ending on the observation date) and is
normally published ``lag_days`` after the period ends. Given the observations of a series and
an as-of date:

* a period is **due** when ``period_end + lag_days + grace_days <= asof``;
* a due period absent from the data while a later period is present is **missing** (a hole that
  was never filled, e.g. the October-2025 CPI and household survey lost to the shutdown);
* a due period after the last observation is **late** (overdue at the frontier);
* observations not yet due at the as-of date are ignored (point-in-time view of final-vintage
  data: the raw files carry no release dates, so a release that was late but later published
  cannot be seen as late in hindsight; refreshing the store live shows it at the frontier).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence

import numpy as np
import pandas as pd

from crashlens._dates import to_timestamp
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import ParameterError


class ReleaseFrequency(enum.StrEnum):
    """Reference-period frequency of a release."""

    MONTHLY = "monthly"
    WEEKLY = "weekly"


@dataclasses.dataclass(frozen=True)
class ReleaseSpec:
    """Schedule of one macro release.

    Attributes
    ----------
    series : str
        Catalog name (``CPI``).
    release : str
        Name of the publication (``CPI (BLS)``).
    frequency : ReleaseFrequency
        Monthly (observations dated on the 1st of the month) or weekly (dated on the last day
        of the week, as FRED dates initial claims on Saturdays).
    lag_days : int
        Usual days between the end of the reference period and publication.
    """

    series: str
    release: str
    frequency: ReleaseFrequency
    lag_days: int


M, W = ReleaseFrequency.MONTHLY, ReleaseFrequency.WEEKLY

#: Default schedules: Employment Situation ~first Friday (<= 10 days after month end), CPI
#: mid-month (<= 17 days), PCE end of the following month (<= 35 days), claims on Thursday
#: (5 days after the Saturday week end).
SCHEDULE: tuple[ReleaseSpec, ...] = (
    ReleaseSpec("UNRATE", "Employment Situation: unemployment rate (BLS)", M, 10),
    ReleaseSpec("PAYEMS", "Employment Situation: nonfarm payrolls (BLS)", M, 10),
    ReleaseSpec("CPI", "Consumer Price Index (BLS)", M, 17),
    ReleaseSpec("CORE_CPI", "Consumer Price Index, core (BLS)", M, 17),
    ReleaseSpec("PCE", "Personal income and outlays: PCE price index (BEA)", M, 35),
    ReleaseSpec("CORE_PCE", "Personal income and outlays: core PCE (BEA)", M, 35),
    ReleaseSpec("ICSA", "Initial jobless claims (DOL)", W, 5),
)


def period_end(dates: pd.DatetimeIndex, frequency: ReleaseFrequency) -> pd.DatetimeIndex:
    """Last day of the reference period of each observation date."""
    if frequency is ReleaseFrequency.MONTHLY:
        return pd.DatetimeIndex(dates.to_period("M").to_timestamp(how="end").normalize())
    return pd.DatetimeIndex(dates)


def expected_periods(first: pd.Timestamp, until: pd.Timestamp,
                     frequency: ReleaseFrequency) -> pd.DatetimeIndex:
    """Every reference-period date from ``first`` to ``until`` (inclusive)."""
    if until < first:
        return pd.DatetimeIndex([])
    if frequency is ReleaseFrequency.MONTHLY:
        return pd.date_range(first.to_period("M").to_timestamp(), until, freq="MS")
    return pd.date_range(first, until, freq="7D")


def visible(series: pd.Series, spec: ReleaseSpec, asof: pd.Timestamp,
            grace_days: int = 0) -> pd.Series:
    """Observations already due (published by schedule) at ``asof``."""
    s = series.dropna()
    if s.empty:
        return s
    due = period_end(pd.DatetimeIndex(s.index), spec.frequency) + pd.Timedelta(
        days=spec.lag_days + grace_days)
    return s[np.asarray(due <= asof)]


def detect_gaps(
    series: pd.Series,
    spec: ReleaseSpec,
    asof: pd.Timestamp,
    *,
    grace_days: int = 3,
    lookback_days: int | None = None,
) -> dict[str, object]:
    """Missing and late reference periods of one release at ``asof``.

    Parameters
    ----------
    series : Series
        Observations indexed by reference date (1st of the month, or the week-end date);
        NaN values count as absent.
    spec : ReleaseSpec
        The schedule.
    asof : Timestamp
        As-of date.
    grace_days : int
        Tolerance added to ``lag_days`` before a period counts as due (default 3).
    lookback_days : int, optional
        Only report periods due within this many days before ``asof`` (default: all).

    Returns
    -------
    dict
        ``series, release, last_observation, expected_latest, missing (list of dates),
        late (list of dates), days_overdue (of the oldest late period, 0 if none), status
        ('ok' | 'late' | 'gap' | 'gap+late' | 'no data')``.
    """
    if grace_days < 0:
        raise ParameterError(f"grace_days must be >= 0, got {grace_days}")
    asof = to_timestamp(asof, "asof")
    obs = series.dropna()
    out: dict[str, object] = {"series": spec.series, "release": spec.release,
                              "frequency": spec.frequency.value, "lag_days": spec.lag_days}
    if not obs.empty:
        obs.index = pd.DatetimeIndex(obs.index)
        obs = visible(obs[obs.index <= asof], spec, asof, 0)
    if obs.empty:
        out.update(last_observation=None, expected_latest=None, missing=[], late=[],
                   days_overdue=0, status="no data")
        return out
    idx = pd.DatetimeIndex(obs.index)
    # latest period due by schedule
    horizon = asof - pd.Timedelta(days=spec.lag_days + grace_days)
    if spec.frequency is ReleaseFrequency.MONTHLY:
        # month M is due once its last day <= horizon
        last_due = (horizon + pd.Timedelta(days=1)).to_period("M").to_timestamp() \
            - pd.DateOffset(months=1)
        grid = expected_periods(idx[0], max(last_due, idx[-1]), spec.frequency)
    else:
        grid = expected_periods(idx[0], max(horizon, idx[-1]), spec.frequency)
    present = set(idx)
    holes = [d for d in grid if d not in present]
    missing = [d for d in holes if d < idx[-1]]
    late = [d for d in holes if d > idx[-1]]
    if lookback_days is not None:
        cutoff = asof - pd.Timedelta(days=lookback_days)
        ends = list(period_end(pd.DatetimeIndex(missing), spec.frequency))
        missing = [d for d, e in zip(missing, ends, strict=True)
                   if e + pd.Timedelta(days=spec.lag_days) >= cutoff]
    overdue = 0
    if late:
        due0 = period_end(pd.DatetimeIndex([late[0]]), spec.frequency)[0] + pd.Timedelta(
            days=spec.lag_days)
        overdue = int((asof - due0).days)
    status = "ok"
    if missing and late:
        status = "gap+late"
    elif missing:
        status = "gap"
    elif late:
        status = "late"
    out.update(last_observation=idx[-1], expected_latest=grid[-1] if len(grid) else idx[-1],
               missing=[d.date().isoformat() for d in missing],
               late=[d.date().isoformat() for d in late], days_overdue=overdue, status=status)
    return out


@reads_source
def vacuum_table(
    asof: pd.Timestamp,
    *,
    schedule: Sequence[ReleaseSpec] = SCHEDULE,
    grace_days: int = 3,
    lookback_days: int = 730,
    series: dict[str, pd.Series] | None = None,
    source: SourceLike = None,
) -> pd.DataFrame:
    """Data-vacuum status of every scheduled release at ``asof`` (one row per release).

    Parameters
    ----------
    asof : Timestamp
        As-of date.
    schedule : sequence of ReleaseSpec
        Releases to check (default :data:`SCHEDULE`).
    grace_days : int
        Tolerance in days before a release counts as late (default 3).
    lookback_days : int
        Holes older than this are not reported (default 730).
    series : dict, optional
        Observations by series name (default: read from the source).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.
    """
    rows = []
    for spec in schedule:
        if series is not None and spec.series in series:
            s = series[spec.series]
        else:
            from crashlens import data

            s = data.close(spec.series, None, asof)
        rows.append(detect_gaps(s, spec, asof, grace_days=grace_days,
                                lookback_days=lookback_days))
    return pd.DataFrame(rows)
