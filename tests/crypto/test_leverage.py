"""Drawdown, funding, OI and the leverage snapshot against values computed from the raw files."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest

from crashlens.crypto import (
    annualise_funding,
    drawdown,
    leverage,
    leverage_history,
    oi_weighted_funding,
    realised_vol,
)
from crashlens.errors import InsufficientDataError, ParameterError


def test_drawdown_by_hand():
    s = pd.Series([10.0, 12.0, 9.0, 13.0, 6.5], index=pd.date_range("2025-01-01", periods=5))
    dd = drawdown(s)
    assert dd["ath"].tolist() == [10, 12, 12, 13, 13]
    assert dd["drawdown"].tolist() == pytest.approx([0, 0, -0.25, 0, -0.5])
    assert dd["ath_date"].iloc[-1] == pd.Timestamp("2025-01-04")
    with pytest.raises(InsufficientDataError):
        drawdown(pd.Series([], dtype=float))


def test_realised_vol_by_hand():
    rng = np.random.default_rng(1)
    p = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.03, 60))),
                  index=pd.date_range("2025-01-01", periods=60))
    v = realised_vol(p, 30, 365)
    r = np.diff(np.log(p.to_numpy()))[-30:]
    assert v.iloc[-1] == pytest.approx(r.std(ddof=1) * np.sqrt(365))
    with pytest.raises(ParameterError):
        realised_vol(p, 1)


def test_funding_annualisation_and_oi_weighting():
    assert annualise_funding(0.0001) == pytest.approx(0.1095)
    assert annualise_funding(0.0001, interval_h=1) == pytest.approx(0.876)
    idx = pd.date_range("2025-01-01", periods=2)
    f = pd.DataFrame({"binance": [0.0001, 0.0002], "bybit": [0.0003, np.nan]}, index=idx)
    oi = pd.DataFrame({"binance": [3.0, 1.0], "bybit": [1.0, 5.0]}, index=idx)
    got = oi_weighted_funding(f, oi)
    assert got.iloc[0] == pytest.approx((0.0001 * 3 + 0.0003 * 1) / 4)
    assert got.iloc[1] == pytest.approx(0.0002)  # bybit has no funding that day


def _raw_rows(path, coin):
    with open(path) as fh:
        return [r for r in csv.DictReader(fh) if r["coin_symbol"] == coin]


@pytest.mark.realdata
def test_btc_drawdown_history_matches_raw_file(raw_dir):
    with open(raw_dir / "btc_usd_ohlcv_daily_2024plus.csv") as fh:
        rows = [(r["Date"][:10], float(r["Close"])) for r in csv.DictReader(fh) if r["Close"]]
    rows.sort()
    h = leverage_history("2025-06-01", "2025-12-31").frame
    peak = 0.0
    for day, close in rows:
        peak = max(peak, close)
        if "2025-06-01" <= day <= "2025-12-31":
            assert h.loc[day, "drawdown"] == pytest.approx(close / peak - 1, rel=1e-9, abs=1e-12)
    # the reference sell-off: -30 % or more from the October closing high by 21 Nov 2025
    assert h.loc["2025-10-06", "drawdown"] == 0.0
    assert h.loc["2025-11-21", "drawdown"] < -0.30


@pytest.mark.realdata
def test_leverage_snapshot_against_raw_files(raw_dir):
    r = leverage("2025-10-20")
    fund = {r_["date"]: float(r_["funding_rate"]) / 100
            for r_ in _raw_rows(raw_dir / "crypto_perp_funding_rates_daily_2025.csv", "BTC")}
    oi = {r_["date"]: float(r_["oi_close"])
          for r_ in _raw_rows(raw_dir / "crypto_perp_open_interest_daily_2020_2025.csv", "BTC")}
    f = r.funding["BTC"]
    assert f["rate_8h"] == pytest.approx(fund["2025-10-20"])
    assert f["annualised"] == pytest.approx(fund["2025-10-20"] * 1095)
    o = r.open_interest["BTC"]
    assert o["usd"] == pytest.approx(oi["2025-10-20"])
    assert o["change_7d"] == pytest.approx(oi["2025-10-20"] / oi["2025-10-13"] - 1)
    assert o["change_30d"] == pytest.approx(oi["2025-10-20"] / oi["2025-09-20"] - 1)
    assert not any("FUNDING_BTC ends" in w for w in r.warnings)
    assert r.btc["ath_date"] == pd.Timestamp("2025-10-06")


@pytest.mark.realdata
def test_asof_past_coverage_is_flagged(raw_dir):
    r = leverage("2025-11-21")
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    for key in ("btc", "funding", "open_interest", "liquidation_map", "cascade", "assumptions"):
        assert key in d
    for key in ("price", "ath", "ath_date", "drawdown"):
        assert key in d["btc"]
    assert d["open_interest"]["BTC"]["coverage_end"] == "2025-10-26"
    assert d["open_interest"]["BTC"]["stale_days"] == 26
    assert any("OI_BTC ends 2025-10-26, 26 days before" in w for w in r.warnings)
    assert d["btc"]["drawdown"] < -0.3
    lp = r.liquidation_prices.set_index("leverage")
    assert lp.loc[10.0, "long"] == pytest.approx(r.btc["price"] * 0.9 / 0.996)
    assert "BTC" in r.summary()
    r.plot_drawdown()
    r.plot_liquidation_map()


@pytest.mark.realdata
def test_map_is_consistent_with_prices(raw_dir):
    """Surviving long liquidation levels lie below the price, shorts above (the rest were
    consumed when a later day's range traded through them)."""
    r = leverage("2025-10-09", bin_pct=0.005)
    m = r.liquidation_map
    price = r.btc["price"]
    assert (m.loc[m["long_usd"] > 0, "price_high"] <= price * 1.005).all()
    assert (m.loc[m["short_usd"] > 0, "price_low"] >= price * 0.995).all()
    # market OI at the end of 2025-10-09 (the close of its 20:00 bar, stamped 10-10 00:00)
    assert r.cascade["reference_oi_date"] == pd.Timestamp("2025-10-10")
    assert r.cascade["oi_source"] == "market"


@pytest.mark.realdata
def test_single_venue_path_on_request(raw_dir):
    r = leverage("2025-10-09", oi_source="binance")
    assert r.oi == {} and r.cascade["oi_source"].startswith("Binance coin-margined")
    with open(raw_dir / "crypto_perp_open_interest_daily_2020_2025.csv") as fh:
        oi = {r_["date"]: float(r_["oi_close"]) for r_ in csv.DictReader(fh)
              if r_["coin_symbol"] == "BTC"}
    assert r.cascade["reference_oi_usd"] == pytest.approx(oi["2025-10-09"])
    with pytest.raises(ParameterError, match="oi_source"):
        leverage("2025-10-09", oi_source="cme")
