"""Fixtures of the engine / batch tests: small price panels, synthetic chain files, a Dask cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

CHAIN_DAYS = ("2025-11-14", "2025-11-17", "2025-11-18", "2025-11-19", "2025-11-20", "2025-11-21")


def random_walk(n: int, seed: int, vol: float = 0.01, start: str = "2019-01-01") -> pd.Series:
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range(start, periods=n)
    return pd.Series(100.0 * np.exp(np.cumsum(rng.normal(0.0002, vol, n))), index=idx)


@pytest.fixture(scope="session")
def prices() -> pd.DataFrame:
    """Two business-day random walks, 2019-01-01 .. 2022-06 (enough for the 252-day horizon)."""
    return pd.DataFrame({"SPX": random_walk(900, 1), "GOLD": random_walk(900, 2, 0.008)})


@pytest.fixture(scope="session")
def small_params():
    from crashlens.cta import CTAParams

    return CTAParams(mc_paths=20)


@pytest.fixture(scope="session")
def synthetic_market():
    from crashlens.data import synthetic

    return synthetic.generate()


def write_chains(folder: Path, market, days=CHAIN_DAYS) -> list[Path]:
    """Synthetic SPX chains in the generic layout (CSV and Parquet alternately, spot column)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, day in enumerate(days):
        ch = market.chain(day).assign(spot=market.chain_truth(day).spot)
        if i % 2:
            path = folder / f"spx_{day}.parquet"
            ch.to_parquet(path, index=False)
        else:
            path = folder / f"spx_{day}.csv"
            ch.to_csv(path, index=False)
        out.append(path)
    return out


@pytest.fixture
def chain_dir(tmp_path: Path, synthetic_market) -> Path:
    write_chains(tmp_path / "chains", synthetic_market)
    return tmp_path / "chains"


@pytest.fixture(scope="session")
def dask_engine() -> Iterator:
    """A private LocalCluster with 2 single-threaded worker processes on 127.0.0.1."""
    from crashlens.engine import DaskEngine

    eng = DaskEngine(n_workers=2, timeout=60)
    yield eng
    eng.close()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private CRASHLENS_HOME (batch jobs land in <home>/batch)."""
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("CRASHLENS_HOME", str(h))
    return h
