"""crashlens._dates: the one date parser behind the CLI, the data API and the engines."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from crashlens._dates import to_timestamp, to_timestamp_or_none
from crashlens.errors import ParameterError


@pytest.mark.parametrize("value", ["2025-11-21", "2025-11-21 15:30", dt.date(2025, 11, 21),
                                   dt.datetime(2025, 11, 21, 9, 45),
                                   pd.Timestamp("2025-11-21 23:00", tz="America/New_York")])
def test_day_is_naive_midnight_of_the_wall_clock_date(value):
    ts = to_timestamp(value, "asof")
    assert ts == pd.Timestamp(2025, 11, 21)
    assert ts.tzinfo is None


def test_day_false_keeps_time_and_zone():
    ts = to_timestamp("2025-11-21 15:30+01:00", "--asof", day=False)
    assert (ts.hour, ts.minute, ts.utcoffset()) == (15, 30, dt.timedelta(hours=1))


@pytest.mark.parametrize("value", ["2025-13-45", "21/11/2025x", "not a date", "NaT"])
def test_bad_dates_name_the_parameter(value):
    with pytest.raises(ParameterError) as err:
        to_timestamp(value, "--start")
    assert str(err.value) == f"--start: '{value}' is not a date (expected YYYY-MM-DD)"


def test_required_and_optional():
    with pytest.raises(ParameterError, match="start: a date is required"):
        to_timestamp(None, "start")
    assert to_timestamp_or_none(None, "start") is None
    assert to_timestamp_or_none("", "start") is None
    assert to_timestamp_or_none("2024-02-29", "start") == pd.Timestamp(2024, 2, 29)


def test_every_entry_point_gives_the_same_message(monkeypatch):
    from crashlens import data
    from crashlens.cli._common import parse_date
    from crashlens.data.synthetic._paths import to_day
    from crashlens.episodes._common import check_window

    msg = "'2025-02-30' is not a date (expected YYYY-MM-DD)"
    with pytest.raises(ParameterError, match=re.escape(f"--asof: {msg}")):
        parse_date("2025-02-30")
    with pytest.raises(ParameterError, match=re.escape(f"start: {msg}")):
        check_window("2025-02-30", "2025-03-01")
    with pytest.raises(ParameterError, match=re.escape(f"parameter 'start': {msg}")):
        to_day("2025-02-30", "start")
    monkeypatch.setattr(data, "store", lambda: pytest.fail("dates are checked before the store"))
    with pytest.raises(ParameterError, match=re.escape(f"end: {msg}")):
        data.get("SPX", end="2025-02-30")
