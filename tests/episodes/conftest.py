"""Helpers for the episodes tests: raw CSV readers written with plain pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


def raw_close(raw_dir: Path, file: str, date_col: str = "Date", col: str = "Close") -> pd.Series:
    """A close column of a raw CSV, indexed by date, sorted, without blanks."""
    df = pd.read_csv(raw_dir / file)
    s = pd.Series(df[col].to_numpy(dtype=float), index=pd.to_datetime(df[date_col]))
    return s.dropna().sort_index()


@pytest.fixture(scope="session")
def spx_raw(raw_dir: Path) -> pd.Series:
    return raw_close(raw_dir, "sp500_daily_ohlc.csv")


@pytest.fixture(scope="session")
def vix_raw(raw_dir: Path) -> pd.Series:
    return raw_close(raw_dir, "vix_daily.csv", "DATE", "CLOSE")
