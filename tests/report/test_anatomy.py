from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crashlens.errors import CrashlensError
from crashlens.report.sections.anatomy import measure


def _series(n=600, seed=1):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2023-01-02", periods=n)
    return pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, n))), index=idx)


def test_measure_matches_a_hand_loop():
    s = _series()
    start, asof = s.index[-5], s.index[-1]
    m = measure(s, start, asof, "pct")
    base = s.iloc[-6]
    last = s.iloc[-1]
    assert m["change"] == pytest.approx(last / base - 1)
    # independent volatility: plain loop over the prior calendar year
    prior = [v for d, v in s.items() if start - pd.Timedelta(days=365) <= d < start]
    rets = [math.log(prior[i] / prior[i - 1]) for i in range(1, len(prior))]
    mu = sum(rets) / len(rets)
    sd = math.sqrt(sum((r - mu) ** 2 for r in rets) / (len(rets) - 1))
    assert m["sigma"] == pytest.approx(math.log(last / base) / (sd * math.sqrt(5)))
    year = [v for d, v in s.items() if d >= asof - pd.Timedelta(days=365)]
    assert m["drawdown"] == pytest.approx(last / max(year) - 1)
    assert m["vs_ma50"] == pytest.approx(last / (sum(s.iloc[-50:]) / 50) - 1)


def test_measure_bp_mode_uses_differences():
    s = pd.Series(np.linspace(4.0, 4.5, 300), index=pd.bdate_range("2024-01-01", periods=300))
    s.iloc[-3:] += 0.2
    m = measure(s, s.index[-3], s.index[-1], "bp")
    assert m["change"] == pytest.approx(s.iloc[-1] - s.iloc[-4])
    assert m["drawdown"] is None


def test_measure_without_history_raises():
    s = _series(10)
    with pytest.raises(CrashlensError):
        measure(s, s.index[0], s.index[-1], "pct")
