"""The store serves the raw files' true values and coverage (checked with the csv module)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import crashlens.data as data
from crashlens.data.catalog import CATALOG

pytestmark = pytest.mark.realdata


def csv_value(path: Path, date: str, column: str, date_column: str = "Date") -> float:
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row[date_column] == date:
                return float(row[column])
    raise AssertionError(f"{date} not in {path}")


@pytest.mark.parametrize(
    ("series", "file", "date", "column", "date_column"),
    [
        ("SPX", "sp500_daily_ohlc.csv", "2020-03-23", "Close", "Date"),
        ("SPX", "sp500_daily_ohlc.csv", "2008-11-20", "Close", "Date"),
        ("SPX", "sp500_daily_ohlc.csv", "1929-10-29", "Close", "Date"),
        ("SPX", "sp500_daily_ohlcv_2016plus.csv", "2026-08-21", "close", "date"),
        ("NDX", "nasdaq100_daily_ohlc.csv", "2025-11-20", "Close", "Date"),
        ("VIX", "vix_daily.csv", "2025-11-20", "CLOSE", "DATE"),
        ("NVDA", "stock_NVDA_daily.csv", "2025-11-20", "close", "date"),
        ("GOLD", "gold_futures_daily_ohlc.csv", "2026-01-30", "Close", "Date"),
        ("BTC", "btc_usd_ohlcv_daily_2024plus.csv", "2025-10-06", "Close", "Date"),
    ],
)
def test_closes_match_raw_files(raw_dir: Path, series: str, file: str, date: str, column: str,
                                date_column: str) -> None:
    expected = csv_value(raw_dir / file, date, column, date_column)
    got = data.get(series, date, date)["close"].iloc[0]
    assert got == pytest.approx(expected, rel=1e-12)


def test_documented_spot_values(raw_dir: Path) -> None:
    # Values quoted in SOURCES.md, rounded as printed there.
    assert round(data.close("SPX", "2020-03-23").iloc[0], 2) == 2237.40
    assert round(data.close("VIX", "2025-11-20").iloc[0], 2) == 26.42
    assert data.close("UST10Y", "2025-11-20").iloc[0] == pytest.approx(4.10)
    assert data.close("UNRATE", "2025-11-01").iloc[0] == pytest.approx(4.5)


def test_bitstamp_history_is_shifted_to_closes(raw_dir: Path) -> None:
    # 2021-11-09 00:00 UTC print 67,517 is stored as the close of 2021-11-08.
    expected = csv_value(raw_dir / "btc_usd_daily_2012plus.csv", "2021-11-09", "BTC_USD")
    assert data.close("BTC", "2021-11-08").iloc[0] == pytest.approx(expected)


def test_high_low_intraday_reversal(raw_dir: Path) -> None:
    bar = data.get("SPX", "2025-11-20", "2025-11-20").iloc[0]
    assert (round(bar.open, 2), round(bar.high, 2), round(bar.low, 2)) == (6737.93, 6770.35, 6534.05)


def test_october_2025_gaps_are_real(raw_dir: Path) -> None:
    cpi = data.close("CPI", "2025-08-01", "2025-12-01")
    assert pd_months(cpi) == ["2025-08", "2025-09", "2025-11", "2025-12"]
    unrate = data.close("UNRATE", "2025-08-01", "2025-12-01")
    assert "2025-10" not in pd_months(unrate)


def pd_months(series) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.strftime("%Y-%m") for d in series.index]


def test_coverage_and_list(raw_dir: Path) -> None:
    listing = data.list_series().set_index("name")
    assert set(listing.index) == set(CATALOG)
    assert listing.loc["SPX", "first"].year == 1927
    assert listing.loc["SPX", "last"].year == 2026
    assert listing.loc["BTC", "first"].year in (2011, 2012)
    assert listing.loc["OI_BTC", "last"].strftime("%Y-%m-%d") == "2025-10-26"


def test_coverage_records_which_source_covers_which_dates(raw_dir: Path) -> None:
    cov = data.store().table("coverage")
    spx = cov[cov.series == "SPX"].set_index("source")
    assert spx.loc["sp500_daily_ohlc.csv", "role"] == "primary"
    assert spx.loc["sp500_daily_ohlcv_2016plus.csv", "role"] == "extends"
    assert str(spx.loc["sp500_daily_ohlcv_2016plus.csv", "first"])[:10] == "2026-07-14"
    assert spx.loc["sp500_fred_close.csv", "role"] == "cross-check"
    assert spx.loc["sp500_fred_close.csv", "max_rel_diff"] < 0.005


def test_cli_data_list_json(raw_dir: Path) -> None:
    data.store()  # ingest once in-process; the CLI then finds it up to date
    out = subprocess.run([sys.executable, "-m", "crashlens.cli.main", "data", "list", "--json"],
                         capture_output=True, text=True, check=True)
    payload = json.loads(out.stdout)
    assert payload["synthetic"] is False
    names = {s["name"]: s for s in payload["series"]}
    assert set(names) == set(CATALOG)
    assert names["SPX"]["first"] == "1927-12-30"
    assert names["BTC"]["first"].startswith("2011-12-31")


def test_field_selection_and_bounds(raw_dir: Path) -> None:
    frame = data.get("spx", "2025-11-17", "2025-11-21", fields=["close"])
    assert list(frame.columns) == ["close"]
    assert len(frame) == 5
    with pytest.raises(Exception, match="no field"):
        data.get("SPX", fields=["nope"])
