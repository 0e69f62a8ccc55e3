"""Calendar alignment: crypto weekends folded into Monday, stale gaps not bridged."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest

from crashlens.errors import ParameterError
from crashlens.systemic._align import aligned_returns, sample_on, to_returns


def test_sample_on_same_date_or_recent():
    cal = pd.DatetimeIndex(["2025-11-14", "2025-11-17", "2025-11-18", "2025-11-28"])  # Fri, Mon..
    crypto = pd.Series([100.0, 101, 102, 103, 104, 105],
                       index=pd.date_range("2025-11-14", periods=6))  # Fri..Wed, daily
    gold = pd.Series([10.0, 11.0], index=pd.DatetimeIndex(["2025-11-13", "2025-11-17"]))
    out = sample_on(pd.DataFrame({"BTC": crypto, "GOLD": gold}), cal, max_stale_days=4)
    assert out["BTC"].tolist()[:3] == [100.0, 103.0, 104.0]  # Monday takes Monday's close
    assert out.loc["2025-11-14", "GOLD"] == 10.0  # one day old: bridged
    assert math.isnan(out.loc["2025-11-28", "BTC"])  # 9 days old: not bridged
    assert math.isnan(out.loc["2025-11-28", "GOLD"])
    rets = to_returns(out)
    # Friday -> Monday crypto return covers the weekend
    assert rets.loc["2025-11-17", "BTC"] == pytest.approx(math.log(103 / 100))
    with pytest.raises(ParameterError):
        sample_on(out, cal, max_stale_days=-1)


def test_yields_become_duration_returns():
    lv = pd.DataFrame({"UST10Y": [4.0, 4.1]}, index=pd.bdate_range("2025-01-01", periods=2))
    r = to_returns(lv, {"UST10Y": 8.0})
    assert r["UST10Y"].iloc[1] == pytest.approx(-8.0 * 0.1 / 100)


@pytest.mark.realdata
def test_btc_monday_return_from_raw_file(raw_dir):
    """BTC return on Monday 2025-11-17 = log(close Mon / close Fri) from the raw Yahoo file."""
    with open(raw_dir / "btc_usd_ohlcv_daily_2024plus.csv") as fh:
        closes = {r["Date"][:10]: float(r["Close"]) for r in csv.DictReader(fh)}
    rets, warns = aligned_returns(["SPX", "BTC"], pd.Timestamp("2025-11-21"),
                                  pd.Timestamp("2025-10-01"))
    assert pd.Timestamp("2025-11-15") not in rets.index  # Saturday is not a row
    exp = math.log(closes["2025-11-17"] / closes["2025-11-14"])
    assert rets.loc["2025-11-17", "BTC"] == pytest.approx(exp, rel=1e-9)
    assert not warns


@pytest.mark.realdata
def test_series_past_its_end_is_dropped_with_warning(raw_dir):
    rets, warns = aligned_returns(["SPX", "MSTR", "OI_BTC"], pd.Timestamp("2025-11-21"),
                                  pd.Timestamp("2025-06-01"))
    assert "OI_BTC" not in rets.columns
    assert any("OI_BTC ends 2025-10-26" in w and "dropped" in w for w in warns)
    assert np.isfinite(rets.to_numpy()).all()
