"""Constructed markets for scenario tests (no store, no files)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

#: Daily covariance of the constructed 3-asset market (AAA, BBB: log returns; RATE: pt changes).
COV3 = np.array([
    [1.0e-4, 0.6e-4, -0.2e-2],
    [0.6e-4, 2.25e-4, -0.1e-2],
    [-0.2e-2, -0.1e-2, 0.25],
]) * np.array([[1, 1, 0.01], [1, 1, 0.01], [0.01, 0.01, 0.0001]])


def make_market(n: int = 600, seed: int = 7, start: str = "2022-01-03") -> dict[str, pd.Series]:
    """AAA and BBB prices (log-normal), RATE a level in percent-like points, FED a step rate."""
    rng = np.random.default_rng(seed)
    days = pd.bdate_range(start, periods=n)
    x = rng.multivariate_normal(np.zeros(3), COV3, size=n)
    aaa = 100 * np.exp(np.cumsum(x[:, 0]))
    bbb = 50 * np.exp(np.cumsum(x[:, 1]))
    rate = 4.0 + np.cumsum(x[:, 2])
    fed = pd.Series(4.0, index=days)
    return {
        "AAA": pd.Series(aaa, index=days),
        "BBB": pd.Series(bbb, index=days),
        "RATE": pd.Series(rate, index=days),
        "FED": fed,
    }


KINDS = {"AAA": "log", "BBB": "log", "RATE": "diff", "FED": "diff"}


@pytest.fixture
def market() -> dict[str, pd.Series]:
    return make_market()
