"""Fixtures of the CTA tests: synthetic paths and (when available) the raw S&P 500 closes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="session")
def spx_close(raw_dir: Path) -> pd.Series:
    """S&P 500 closes read straight from the raw CSV with pandas (independent of crashlens.data)."""
    df = pd.read_csv(raw_dir / "sp500_daily_ohlc.csv", parse_dates=["Date"], index_col="Date")
    return df["Close"].astype(float).rename("SPX")


def random_walk(n: int, seed: int = 0, vol: float = 0.01, start: str = "2000-01-03",
                drift: float = 0.0) -> pd.Series:
    rng = np.random.default_rng(seed)
    r = rng.normal(drift, vol, n)
    idx = pd.bdate_range(start, periods=n)
    return pd.Series(100.0 * np.exp(np.cumsum(r)), index=idx, name="X")


@pytest.fixture()
def generic_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the generic replica the engine's default (tests written for the generic model).

    The engine's default is the ``desk`` preset; the slow references of ``_reference`` and the
    hand checks of these modules describe the generic family x horizon blend.
    """
    from crashlens.cta import api, calibration, engine
    from crashlens.cta.params import CTAParams

    for mod in (api, calibration, engine):
        monkeypatch.setattr(mod, "default_params", lambda: CTAParams.preset("generic"))
