"""crashlens._dates: the one date parser behind the CLI, the data API and the engines."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
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


@pytest.mark.parametrize("value", ["-1", "0099-01-01", "1799-12-31"])
def test_dates_before_1800_are_refused(value):
    """pandas reads '-1' as the year -1, which used to reach the engines (an API 500)."""
    with pytest.raises(ParameterError) as err:
        to_timestamp(value, "asof")
    assert str(err.value) == f"asof: '{value}' is before 1800 (no market data)"
    assert to_timestamp("1800-01-01", "asof") == pd.Timestamp(1800, 1, 1)
    assert to_timestamp("2999-01-01", "asof") == pd.Timestamp(2999, 1, 1)  # "after the data"


def test_date_time_parameters_name_their_format():
    from crashlens._dates import DATETIME_HINT
    from crashlens.options import chain_from_frame, gex

    with pytest.raises(ParameterError) as err:
        to_timestamp("noon", "asof", day=False, hint=DATETIME_HINT)
    assert str(err.value) == "asof: 'noon' is not a date (expected YYYY-MM-DD or 'YYYY-MM-DD HH:MM')"
    chain = chain_from_frame(pd.DataFrame({
        "expiry": ["2025-10-02"], "strike": [100.0], "option_type": ["C"],
        "open_interest": [100.0], "iv": [0.2]}), spot=100.0)
    with pytest.raises(ParameterError, match=re.escape(f"asof: 'noon' is not a date (expected "
                                                       f"{DATETIME_HINT})")):
        gex(chain, asof="noon")


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



def _prices() -> pd.Series:
    idx = pd.bdate_range("2015-01-01", periods=1500)
    return pd.Series(100.0 * 1.0003 ** np.arange(len(idx)), index=idx, name="SPX")


BAD = "2025-13-45"


@pytest.mark.parametrize("target,args,kwargs,name", [
    ("crashlens.systemic:fragility", (BAD,), {}, "asof"),
    ("crashlens.systemic:fragility_history", (BAD, "2025-11-21"), {}, "start"),
    ("crashlens.systemic:contagion", (BAD,), {}, "asof"),
    ("crashlens.systemic:contagion_history", ("2025-01-01", BAD), {}, "end"),
    ("crashlens.crypto:leverage", (BAD,), {}, "asof"),
    ("crashlens.crypto:leverage_history", (BAD,), {}, "start"),
    ("crashlens.cta:positioning", (BAD,), {"prices": "P", "mc": False}, "asof"),
    ("crashlens.cta:history", (BAD,), {"prices": "P"}, "start"),
    ("crashlens.macro:detect_gaps", ("P", "SCHEDULE0", BAD), {}, "asof"),
])
def test_engines_name_the_bad_date(target, args, kwargs, name):
    """Python API callers get the CLI's message too, not a pandas parse error."""
    import importlib

    from crashlens.macro import SCHEDULE

    module, func = target.split(":")
    fn = getattr(importlib.import_module(module), func)
    fill = {"P": _prices(), "SCHEDULE0": SCHEDULE[0]}
    args = tuple(fill.get(a, a) if isinstance(a, str) else a for a in args)
    kwargs = {k: fill.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
    with pytest.raises(ParameterError, match=re.escape(
            f"{name}: '{BAD}' is not a date (expected YYYY-MM-DD)")):
        fn(*args, **kwargs)
