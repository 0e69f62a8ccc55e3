"""Data-vacuum detection on synthetic series with holes built here, and on the real files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crashlens.macro as macro
from crashlens.errors import ParameterError
from crashlens.macro.releases import ReleaseFrequency, ReleaseSpec

CPI = ReleaseSpec("CPI", "CPI", ReleaseFrequency.MONTHLY, 17)
CLAIMS = ReleaseSpec("ICSA", "claims", ReleaseFrequency.WEEKLY, 5)


def monthly(start: str, end: str, drop: tuple[str, ...] = ()) -> pd.Series:
    idx = pd.date_range(start, end, freq="MS")
    s = pd.Series(np.arange(len(idx), dtype=float) + 100.0, index=idx)
    return s.drop(pd.DatetimeIndex(drop))


def test_hole_in_history_is_missing() -> None:
    s = monthly("2024-01-01", "2025-12-01", drop=("2025-10-01",))
    got = macro.detect_gaps(s, CPI, pd.Timestamp("2026-01-25"))
    # December 2025 is due on 2026-01-17 (+3 days grace): present -> not late
    assert got["missing"] == ["2025-10-01"]
    assert got["late"] == []
    assert got["status"] == "gap"


def test_nan_value_counts_as_absent_and_two_holes() -> None:
    s = monthly("2024-01-01", "2025-12-01")
    s["2025-03-01"] = np.nan
    s = s.drop(pd.DatetimeIndex(["2024-07-01"]))
    got = macro.detect_gaps(s, CPI, pd.Timestamp("2026-01-25"))
    assert got["missing"] == ["2024-07-01", "2025-03-01"]


def test_overdue_frontier_is_late_with_grace_boundary() -> None:
    s = monthly("2024-01-01", "2025-09-01")
    # October is due 2025-10-31 + 17 d = 2025-11-17; with 3 days of grace late from 11-20
    before = macro.detect_gaps(s, CPI, pd.Timestamp("2025-11-19"))
    assert before["late"] == [] and before["status"] == "ok"
    at = macro.detect_gaps(s, CPI, pd.Timestamp("2025-11-20"))
    assert at["late"] == ["2025-10-01"]
    assert at["days_overdue"] == 3
    later = macro.detect_gaps(s, CPI, pd.Timestamp("2026-01-01"))
    assert later["late"] == ["2025-10-01", "2025-11-01"]
    assert later["status"] == "late"


def test_point_in_time_ignores_observations_not_yet_due() -> None:
    # final-vintage data holds November, but at 2025-11-21 it was not published yet
    s = monthly("2024-01-01", "2025-11-01", drop=("2025-10-01",))
    got = macro.detect_gaps(s, CPI, pd.Timestamp("2025-11-21"))
    assert got["last_observation"] == pd.Timestamp("2025-09-01")
    assert got["late"] == ["2025-10-01"] and got["missing"] == []


def test_weekly_hole_and_lookback() -> None:
    idx = pd.date_range("2025-01-04", "2025-12-27", freq="7D")  # Saturdays
    s = pd.Series(200_000.0, index=idx).drop(pd.DatetimeIndex(["2025-10-11", "2025-02-15"]))
    got = macro.detect_gaps(s, CLAIMS, pd.Timestamp("2026-01-02"))
    assert got["missing"] == ["2025-02-15", "2025-10-11"]
    short = macro.detect_gaps(s, CLAIMS, pd.Timestamp("2026-01-02"), lookback_days=180)
    assert short["missing"] == ["2025-10-11"]


def test_vacuum_table_with_given_series_and_bad_grace() -> None:
    series = {"CPI": monthly("2024-01-01", "2025-12-01", drop=("2025-10-01",)),
              "ICSA": pd.Series(1.0, index=pd.date_range("2025-01-04", "2025-12-27",
                                                         freq="7D"))}
    tab = macro.vacuum_table(pd.Timestamp("2026-01-02"), schedule=(CPI, CLAIMS), series=series)
    assert list(tab["status"]) == ["gap", "ok"]
    with pytest.raises(ParameterError, match="grace_days"):
        macro.detect_gaps(series["CPI"], CPI, pd.Timestamp("2026-01-02"), grace_days=-1)
    empty = macro.detect_gaps(pd.Series(dtype=float), CPI, pd.Timestamp("2026-01-02"))
    assert empty["status"] == "no data"


@pytest.mark.realdata
def test_october_2025_gaps_found_in_the_real_files(raw_dir: Path) -> None:
    res = macro.lens("2026-03-01")
    gaps = res.vacuum_summary["gaps"]
    # independent: months absent from the raw CSVs between their first and last value
    for col, file in (("UNRATE", "us_labor.csv"), ("CPI", "us_inflation.csv")):
        df = pd.read_csv(raw_dir / file, usecols=["date", col])
        s = df.dropna().set_index(pd.to_datetime(df.dropna()["date"]))[col]
        s = s[s.index.day == 1]
        s = s[(s.index >= "2024-03-01") & (s.index <= "2026-01-01")]
        grid = pd.date_range(s.index[0], s.index[-1], freq="MS")
        expected = [d.date().isoformat() for d in grid if d not in s.index]
        assert expected == ["2025-10-01"]
        assert gaps[col] == expected
    assert res.vacuum_summary["in_vacuum"]
    # at the time of the sell-off the same hole was an overdue release
    nov = macro.lens("2025-11-21")
    assert "2025-10-01" in nov.vacuum_summary["late"]["CPI"]
    assert "2025-10-01" in nov.vacuum_summary["late"]["UNRATE"]
