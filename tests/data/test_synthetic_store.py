"""With no real data, the store serves the deterministic synthetic market, flagged as such."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import crashlens.data as data
from crashlens.data import synthetic


@pytest.fixture
def no_real_data(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CRASHLENS_DATA", raising=False)
    data._ready.clear()
    return isolated_home


def test_store_falls_back_to_synthetic(no_real_data: Path) -> None:
    spx = data.get("SPX")
    assert data.is_synthetic()
    market = synthetic.generate()
    np.testing.assert_array_equal(spx["close"].to_numpy(), market.series["SPX"]["close"].to_numpy())
    listing = data.list_series()
    assert set(listing["name"]) == set(market.series)
    assert (listing["licence"] == "synthetic").all()


def test_real_data_replaces_synthetic_store(no_real_data: Path, raw_dir: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    data.get("SPX")
    assert data.is_synthetic()
    monkeypatch.setenv("CRASHLENS_DATA", str(raw_dir))
    data._ready.clear()
    assert round(data.close("SPX", "2020-03-23").iloc[0], 2) == 2237.40
    assert not data.is_synthetic()
