"""Loaders of the market-wide crypto files: real rows read with plain csv, and bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crashlens.data.loaders import crypto_market as cm
from crashlens.errors import DataError

HEADER_4H = "time_utc,time,open,high,low,close\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_bars_and_daily_ohlc_by_hand(tmp_path):
    rows = [f"2025-01-01T{h:02d}:00:00Z,0,{10 + i},{12 + i},{9 + i},{11 + i}\n"
            for i, h in enumerate(range(0, 24, 4))]
    p = _write(tmp_path, "oi.csv", HEADER_4H + "".join(rows)
               + "2025-01-02T00:00:00Z,0,20,21,19,20\n")
    bars = cm.read_bars_4h(p)
    assert bars.index[1] == pd.Timestamp("2025-01-01 04:00")
    day = cm.daily_from_bars(bars)
    # 2025-01-02 has only its 00:00 bar: no close of that day yet
    assert list(day.index) == [pd.Timestamp("2025-01-01")]
    assert day.iloc[0].tolist() == [10, 17, 9, 16]  # first open, max high, min low, 20:00 close


def test_funding_percent_scaled(tmp_path):
    p = _write(tmp_path, "f.csv", HEADER_4H + "2025-01-01T00:00:00Z,0,0.01,0.02,-0.01,0.005\n")
    f = cm.read_bars_4h(p, unit_scale=0.01, non_negative=False)
    assert f["close"].iloc[0] == pytest.approx(5e-5)
    assert f["low"].iloc[0] == pytest.approx(-1e-4)


@pytest.mark.parametrize(("body", "match"), [
    ("2025-01-01T00:00:00Z,0,1,1,1,1\n2025-01-01T00:00:00Z,0,1,1,1,1\n",
     r"oi.csv, row 3, column 'time_utc': duplicated time"),
    ("2025-01-01T04:00:00Z,0,1,1,1,1\n2025-01-01T00:00:00Z,0,1,1,1,1\n",
     r"row 3, column 'time_utc': out-of-order time"),
    ("yesterday,0,1,1,1,1\n", r"row 2, column 'time_utc': 'yesterday' is not a time"),
    ("2025-01-01T00:00:00Z,0,1,1,-5,1\n", r"row 2, column 'low': negative value"),
    ("2025-01-01T00:00:00Z,0,1,1,1,abc\n", r"row 2.*column 'close'"),
    ("2025-01-01T00:00:00Z,0,1,1,1,\n", r"row 2, column 'close': empty close"),
])
def test_bad_4h_rows(tmp_path, body, match):
    p = _write(tmp_path, "oi.csv", HEADER_4H + body)
    with pytest.raises(DataError, match=match):
        cm.read_bars_4h(p)


def test_missing_column(tmp_path):
    p = _write(tmp_path, "oi.csv", "time_utc,open,high,low\n2025-01-01T00:00:00Z,1,1,1\n")
    with pytest.raises(DataError, match=r"column 'close'.*missing column"):
        cm.read_bars_4h(p)


def test_usdtm_merged_columns(tmp_path):
    head = ("date,btc_oi_value_usd,btcusdt_oi_value_usd_x,btcusdt_oi_value_usd_y,"
            "btcusdt_oi_value_usd\n")
    p = _write(tmp_path, "u.csv", head + "2025-11-08,100,,,\n2025-11-09,,200,200,200\n"
               "2025-11-10,,,,\n2025-11-11,,,,300\n")
    s = cm.read_binance_usdtm_oi(p, "BTC")
    assert s.to_dict() == {pd.Timestamp("2025-11-08"): 100.0, pd.Timestamp("2025-11-09"): 200.0,
                           pd.Timestamp("2025-11-11"): 300.0}
    bad = _write(tmp_path, "b.csv", head + "2025-11-09,,200,250,200\n")
    with pytest.raises(DataError, match=r"b.csv, row 2.*merged columns disagree"):
        cm.read_binance_usdtm_oi(bad, "BTC")
    with pytest.raises(DataError, match=r"no column for SOL"):
        cm.read_binance_usdtm_oi(p, "SOL")


def test_by_exchange_keeps_grid_rows_and_merges_gate(tmp_path):
    p = _write(tmp_path, "x.csv", "time_utc,timestamp,price,BINANCE,GATE,GATE.IO,CME,"
               "snapshot_folder\n"
               "2025-10-10T16:00:00Z,0,100,5,,2,3,1\n"
               "2025-10-10T19:59:28Z,0,99,6,,2,3,1\n"
               "2025-10-10T20:00:00Z,0,98,7,4,,3,2\n")
    f = cm.read_oi_by_exchange(p)
    assert list(f.index) == [pd.Timestamp("2025-10-10 16:00"), pd.Timestamp("2025-10-10 20:00")]
    assert f["GATE"].tolist() == [2.0, 4.0]
    assert "GATE.IO" not in f
    assert f["PRICE"].tolist() == [100.0, 98.0]


@pytest.mark.realdata
def test_real_files_against_plain_csv(raw_dir):
    with open(raw_dir / "crypto_oi_all_exchanges_4h_BTC_2025.csv") as fh:
        rows = {r["time_utc"]: r for r in csv.DictReader(fh)}
    bars = cm.read_bars_4h(raw_dir / "crypto_oi_all_exchanges_4h_BTC_2025.csv")
    assert len(bars) == len(rows) == 1080
    r = rows["2025-10-10T20:00:00Z"]
    assert bars.loc["2025-10-10 20:00", "open"] == float(r["open"])
    assert bars.loc["2025-10-10 20:00", "close"] == float(r["close"])
    day = cm.daily_from_bars(bars)
    assert day.loc["2025-10-06", "close"] == float(rows["2025-10-06T20:00:00Z"]["close"])
    # the Binance USDT-M file: BTCUSDT $9.30bn on 11-17 and $9.10bn on 11-21 (SOURCES.md)
    s = cm.read_binance_usdtm_oi(raw_dir / "crypto_binance_usdtm_oi_daily_2025q4.csv", "BTC")
    with open(raw_dir / "crypto_binance_usdtm_oi_daily_2025q4.csv") as fh:
        plain = {r["date"]: next(float(v) for k, v in r.items() if k != "date" and
                                 k.startswith("btc") and v) for r in csv.DictReader(fh)
                 if any(v for k, v in r.items() if k.startswith("btc"))}
    assert len(s) == len(plain)
    for d, v in plain.items():
        assert s[pd.Timestamp(d)] == pytest.approx(v, rel=1e-12)
    assert s["2025-11-17"] == pytest.approx(9.30e9, rel=0.001)
    liq = cm.read_liquidations_4h(raw_dir / "crypto_liquidations_binance_4h_BTC_2025.csv")
    day_liq = liq.loc["2025-10-10"].sum()
    assert day_liq["long_usd"] == pytest.approx(286e6, rel=0.005)
    assert day_liq["short_usd"] == pytest.approx(117e6, rel=0.005)
    ex = cm.read_oi_by_exchange(raw_dir / "crypto_oi_by_exchange_4h_BTC_2025.csv")
    assert (ex.index.asi8 % cm.BAR.value == 0).all()
    assert np.isfinite(ex.loc["2025-10-10 20:00", "CME"])


@pytest.mark.realdata
def test_catalog_series_from_the_market_files(raw_dir):
    from crashlens import data

    with open(raw_dir / "btc_funding_daily_2019_2026.csv") as fh:
        fund = {r["date"]: float(r["funding_mean"]) for r in csv.DictReader(fh)}
    f = data.close("FUNDING_BTC_DAILY")
    assert len(f) == len(fund)
    assert f["2026-02-12"] == fund["2026-02-12"] and f["2019-09-10"] == fund["2019-09-10"]
    o = data.get("OI_ETH_BINANCE_USDTM")
    with open(raw_dir / "crypto_binance_usdtm_oi_daily_2025q4.csv") as fh:
        last = [r for r in csv.DictReader(fh)][-1]
    assert o["close"].iloc[-1] == float(last["ethusdt_oi_value_usd"])
    assert (o["open"] == o["close"]).all()  # one snapshot a day
