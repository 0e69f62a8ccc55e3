"""Loaders: quirks of the raw formats and every bad input named in the foundation issue."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crashlens.data.loaders import load
from crashlens.data.schema import Kind
from crashlens.errors import DataError


def write(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_ohlc_any_column_order_and_case(tmp_path: Path) -> None:
    p = write(tmp_path, "Date,Close,High,Low,Open,Volume\n2024-01-02,10,11,9,9.5,100\n"
                        "2024-01-03,10.5,11,10,10,200\n")
    frame = load("ohlc", p, Kind.PRICE, {}).frame
    assert list(frame.columns) == ["open", "high", "low", "close", "volume"]
    assert frame.index.name == "date"
    assert frame.loc["2024-01-03", "close"] == 10.5
    assert frame.loc["2024-01-02", "open"] == 9.5
    assert all(frame.dtypes == np.float64)


def test_close_only_bars_lose_their_range(tmp_path: Path) -> None:
    p = write(tmp_path, "Date,Open,High,Low,Close\n1950-01-03,16.66,16.66,16.66,16.66\n"
                        "1962-01-02,71,71.9,70.5,70.96\n")
    loaded = load("ohlc", p, Kind.PRICE, {})
    assert np.isnan(loaded.frame.loc["1950-01-03", "high"])
    assert loaded.frame.loc["1950-01-03", "close"] == 16.66
    assert loaded.frame.loc["1962-01-02", "high"] == 71.9
    assert any("close-only" in n for n in loaded.notes)


def test_inconsistent_range_keeps_close(tmp_path: Path) -> None:
    p = write(tmp_path, "Date,Open,High,Low,Close\n2011-05-23,1500,1490,1480,1510\n")
    loaded = load("ohlc", p, Kind.PRICE, {})
    assert loaded.frame["close"].iloc[0] == 1510
    assert loaded.frame[["open", "high", "low"]].isna().all(axis=None)


def test_blank_rows_are_dropped_and_zero_volume_is_missing(tmp_path: Path) -> None:
    p = write(tmp_path, "date,open,close,volume\n2024-01-01,,,\n2024-01-02,100,101,0\n")
    loaded = load("ohlc", p, Kind.PRICE, {"zero_volume_is_missing": True})
    assert list(loaded.frame.index) == [pd.Timestamp("2024-01-02")]
    assert np.isnan(loaded.frame["volume"].iloc[0])


def test_bitstamp_newest_first_is_sorted_and_shifted(tmp_path: Path) -> None:
    p = write(tmp_path, "Date,BTC_USD,BTC_EUR\n2025-11-21,86586.0,1\n2025-11-20,91436.0,1\n")
    frame = load("bitstamp", p, Kind.PRICE, {"column": "BTC_USD"}).frame
    # the 00:00-UTC print of 21 Nov is the close of 20 Nov
    assert frame.index[0] == pd.Timestamp("2025-11-19")
    assert frame.loc["2025-11-20", "close"] == 86586.0


def test_wide_column_skips_blanks(tmp_path: Path) -> None:
    p = write(tmp_path, "date,A,B\n2024-01-01,1.5,\n2024-01-02,,2\n2024-01-03,1.7,3\n")
    frame = load("wide", p, Kind.VALUE, {"column": "A"}).frame
    assert frame["value"].tolist() == [1.5, 1.7]


def test_cot_maps_categories(tmp_path: Path) -> None:
    p = write(tmp_path, "date,ES_OI,ES_DEALER_L,ES_DEALER_S,ES_ASSET_L,ES_ASSET_S,ES_HEDGE_L,"
                        "ES_HEDGE_S\n2024-01-02,100,1,2,3,4,5,6\n")
    frame = load("cot", p, Kind.COT, {"prefix": "ES", "report": "tff"}).frame
    assert frame.iloc[0].to_dict() == {
        "open_interest": 100, "dealer_long": 1, "dealer_short": 2, "asset_mgr_long": 3,
        "asset_mgr_short": 4, "lev_funds_long": 5, "lev_funds_short": 6}


def test_coinalyze_funding_percent_to_fraction(tmp_path: Path) -> None:
    p = write(tmp_path, "rank,coin_name,coin_symbol,symbol,date,timestamp,funding_rate\n"
                        "1,Bitcoin,BTC,X,2025-07-28,1,0.01\n2,Ether,ETH,Y,2025-07-28,1,0.02\n")
    frame = load("coinalyze", p, Kind.FUNDING, {"coin": "BTC", "field": "funding"}).frame
    assert frame["value"].iloc[0] == pytest.approx(1e-4)


# --- bad inputs: each names the file and, where it can, the row and column --------------------

@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Date,Open,High,Low,Close\n2024-01-02,1,1,1,abc\n", r"row 2, column 'Close': 'abc' is not a number"),
        ("Date,Open,Close\n2024-01-02,1,1\n2024-01-02,1,1\n", r"row 3: duplicated date 2024-01-02"),
        ("Date,Close\n2024-01-03,1\n2024-01-02,1\n2024-01-04,1\n", r"row 3: dates are not sorted"),
        ("Date,Close\n2024-01-02,-5\n", r"row 2, column 'close': price -5 is not positive"),
        ("Date,Close\n2024-01-02,0\n", r"price 0 is not positive"),
        ("Date,Open,High\n2024-01-02,1,1\n", r"column 'close': missing column"),
        ("When,Close\n2024-01-02,1\n", r"column 'date': missing column"),
        ("Date,Close\nnot-a-date,1\n", r"row 2, column 'Date': 'not-a-date' is not a date"),
        ("", r"file is empty"),
        ("Date,Open,High,Low,Close\n", r"header but no data rows"),
        ("Date,Open,High,Low,Close\n2024-01-02,1,2,0.5,1.5\n2024-01-03,1,2", r"truncated"),
    ],
)
def test_bad_ohlc_files(tmp_path: Path, text: str, match: str) -> None:
    p = write(tmp_path, text, "bad.csv")
    with pytest.raises(DataError, match=match) as info:
        load("ohlc", p, Kind.PRICE, {})
    assert "bad.csv" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nope\.csv: file not found"):
        load("ohlc", tmp_path / "nope.csv", Kind.PRICE, {})


def test_cot_negative_position_named(tmp_path: Path) -> None:
    p = write(tmp_path, "date,GC_OI,GC_PROD_L,GC_PROD_S,GC_SWAP_L,GC_SWAP_S,GC_MM_L,GC_MM_S\n"
                        "2024-01-02,10,1,1,1,1,-1,1\n")
    with pytest.raises(DataError, match=r"row 2, column 'managed_money_long': negative position"):
        load("cot", p, Kind.COT, {"prefix": "GC", "report": "disaggregated"})


def test_wide_missing_column_lists_found_columns(tmp_path: Path) -> None:
    p = write(tmp_path, "date,A\n2024-01-01,1\n")
    with pytest.raises(DataError, match=r"expected one of VIX3M; found date, A"):
        load("wide", p, Kind.VALUE, {"column": "VIX3M"})
