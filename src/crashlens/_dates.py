"""Date parsing shared by every engine and the CLI: one rule, one error message.

A user-supplied date (``"2025-11-21"``, a :class:`pandas.Timestamp`, a :class:`datetime.date`)
becomes a tz-naive midnight :class:`pandas.Timestamp`; anything else raises
:class:`~crashlens.errors.ParameterError` ``"<name>: '<value>' is not a date (expected
YYYY-MM-DD)"`` naming the parameter or option.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from crashlens.errors import ParameterError

#: What a date parameter accepts (``None`` where the parameter is optional).
DateLike = str | dt.date | pd.Timestamp | None
#: The format named in the error of a date parameter.
DATE_HINT = "YYYY-MM-DD"
#: The same for a date-time parameter (an option chain's valuation time).
DATETIME_HINT = "YYYY-MM-DD or 'YYYY-MM-DD HH:MM'"
#: First year a date parameter may name. pandas reads "-1" as the year -1 and "0099-01-01" as
#: 99 AD; no market series starts before 1800, and such a date would only fail later, deep in
#: an engine (``Timestamp.date()`` of a year <= 0 raises). Later dates are left to the engines,
#: which say "after the newest data".
FIRST_YEAR = 1800


def not_a_date(name: str, value: object, hint: str = DATE_HINT) -> str:
    """The one error message for an unreadable date."""
    return f"{name}: '{value}' is not a date (expected {hint})"


def to_timestamp(value: DateLike, name: str, *, day: bool = True,
                 hint: str = DATE_HINT) -> pd.Timestamp:
    """Parse a required date, naming the parameter ``name`` on failure.

    Parameters
    ----------
    value : str, date or Timestamp
        The date as given.
    name : str
        Parameter or option name used in the error (``"start"``, ``"--asof"``).
    day : bool, default True
        Return the tz-naive day (midnight, time zone dropped keeping the wall clock date);
        ``False`` keeps the time of day and the time zone as given.
    hint : str, default :data:`DATE_HINT`
        Expected format named in the error (:data:`DATETIME_HINT` where times are read).

    Raises
    ------
    ParameterError
        ``value`` is None or not a date.
    """
    if value is None:
        raise ParameterError(f"{name}: a date is required")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ParameterError(not_a_date(name, value, hint)) from exc
    if pd.isna(ts):
        raise ParameterError(not_a_date(name, value, hint))
    if ts.year < FIRST_YEAR:
        raise ParameterError(f"{name}: '{value}' is before {FIRST_YEAR} (no market data)")
    if not day:
        return ts
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def to_timestamp_or_none(value: DateLike, name: str, *, day: bool = True,
                         hint: str = DATE_HINT) -> pd.Timestamp | None:
    """Like :func:`to_timestamp`, but ``None`` (or ``""``) gives ``None``."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    return to_timestamp(value, name, day=day, hint=hint)
