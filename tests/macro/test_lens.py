"""The macro lens against values read from the raw files with plain pandas."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crashlens.macro as macro
from crashlens.errors import InsufficientDataError, ParameterError

pytestmark = pytest.mark.realdata


def _col(raw_dir: Path, file: str, col: str) -> pd.Series:
    df = pd.read_csv(raw_dir / file, usecols=["date", col]).dropna()
    return pd.Series(df[col].to_numpy(float), index=pd.to_datetime(df["date"]))


@pytest.fixture(scope="module")
def nov() -> macro.MacroLensResult:
    return macro.lens("2025-11-21")


def test_rates_and_curve(nov: macro.MacroLensResult, raw_dir: Path) -> None:
    d2 = _col(raw_dir, "us_rates_daily.csv", "DGS2")[:"2025-11-21"].iloc[-1]
    d10 = _col(raw_dir, "us_rates_daily.csv", "DGS10")[:"2025-11-21"].iloc[-1]
    dff = _col(raw_dir, "us_rates_daily.csv", "DFF")[:"2025-11-21"].iloc[-1]
    assert nov.rates["ust2y"] == pytest.approx(d2)
    assert nov.rates["curve_2s10s_bp"] == pytest.approx(100 * (d10 - d2))
    assert nov.implied_path["cuts_priced_2y"] == pytest.approx((dff - d2) / 0.25)
    assert nov.policy["target_upper"] == pytest.approx(4.0)


def test_labour_and_inflation_point_in_time(nov: macro.MacroLensResult, raw_dir: Path) -> None:
    # at 2025-11-21 the latest CPI due by schedule is September 2025
    cpi = _col(raw_dir, "us_inflation.csv", "CPI")
    cpi = cpi[cpi.index.day == 1]
    yoy = 100 * (cpi["2025-09-01"] / cpi["2024-09-01"] - 1)
    assert nov.inflation["cpi_date"] == "2025-09-01"
    assert nov.inflation["cpi_yoy"] == pytest.approx(yoy)
    un = _col(raw_dir, "us_labor.csv", "UNRATE")
    assert nov.labour["unrate"] == pytest.approx(un["2025-09-01"])
    json.dumps(nov.to_dict(), allow_nan=False)
    assert "data vacuum: YES" in nov.summary()
    assert nov.plot_inflation_path().data and nov.plot_curve().data
    assert nov.plot_vacuum().data


def test_inflation_analog_peaks(nov: macro.MacroLensResult, raw_dir: Path) -> None:
    cpi = _col(raw_dir, "us_inflation.csv", "CPI")
    cpi = cpi[cpi.index.day == 1].asfreq("MS")
    yoy = 100 * (cpi / cpi.shift(12) - 1)
    p70 = yoy["1973-01-01":"1975-12-01"].idxmax()
    p20 = yoy["2021-01-01":"2023-12-01"].idxmax()
    a = nov.inflation_analog
    assert a["past_peak_date"] == p70.date().isoformat()
    assert a["recent_peak_date"] == p20.date().isoformat()
    months = (2025 - p20.year) * 12 + (9 - p20.month)
    assert a["months_since_peak"] == months
    same = yoy[p70 + pd.DateOffset(months=months)]
    assert a["past_yoy_same_offset"] == pytest.approx(same)
    assert np.isfinite(a["correlation"])


def test_fedwatch_through_lens() -> None:
    res = macro.lens("2025-11-21", futures={"2025-12": 96.22})
    assert res.fedwatch is not None
    assert 0.0 <= res.fedwatch.meetings["p_cut"].iloc[0] <= 1.0


def test_bad_asof() -> None:
    with pytest.raises(ParameterError, match="not a date"):
        macro.lens("2025-99-99")
    with pytest.raises(InsufficientDataError):
        macro.lens("1900-01-01")
