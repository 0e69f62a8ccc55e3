"""Kernels of the episodes engine against hand-worked paths and slow reference loops."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crashlens.episodes import _kernels as K


def test_max_drawdown_hand_path() -> None:
    x = np.array([100.0, 110.0, 99.0, 120.0, 90.0, 95.0])
    mdd, peak, trough = K.max_drawdown(x)
    assert mdd == pytest.approx(90.0 / 120.0 - 1.0)
    assert (peak, trough) == (3, 4)


def test_detect_drawdowns_full_recovery() -> None:
    x = np.array([100, 105, 95, 90, 100, 106, 110, 99, 98, 111, 105], dtype=float)
    got = K.detect_drawdowns(x, threshold=0.10, recovery=1.0)
    # 105 -> 90 is -14.3 %, back above 105 at index 5 (106); 110 -> 98 is -10.9 %, 111 at 9.
    assert got.tolist() == [[1, 3, 5], [6, 8, 9]]


def test_detect_drawdowns_partial_recovery_and_open_episode() -> None:
    x = np.array([100, 80, 91, 85, 70, 72], dtype=float)
    # recovery 0.5: 100 -> 80 confirmed; half the loss regained at 90 -> ends at index 2 (91).
    # New peak search from 91: 85 (-6.6 %), 70 (-23 %) confirmed, never recovers -> open.
    got = K.detect_drawdowns(x, threshold=0.10, recovery=0.5)
    assert got.tolist() == [[0, 1, 2], [2, 4, -1]]


def test_detect_drawdowns_below_threshold_is_empty() -> None:
    x = np.array([100, 95, 99, 101, 96, 102], dtype=float)
    assert K.detect_drawdowns(x, 0.10).shape == (0, 3)


def test_rms_distance_matches_loop() -> None:
    rng = np.random.default_rng(3)
    hist = rng.normal(size=(50, 4))
    hist[rng.random((50, 4)) < 0.2] = np.nan
    target = np.array([0.5, np.nan, -1.0, 2.0])
    got = K.rms_distance(target, hist, min_common=2)
    for i in range(50):
        common = [j for j in range(4) if np.isfinite(target[j]) and np.isfinite(hist[i, j])]
        if len(common) < 2:
            assert got[i] == math.inf
            continue
        msq = sum((hist[i, j] - target[j]) ** 2 for j in common) / len(common)
        assert got[i] == pytest.approx(math.sqrt(3 * msq))


def test_weights_ess_and_weighted_quantile() -> None:
    d = np.array([0.0, 1.0, np.inf])
    w = K.gaussian_weights(d, 1.0)
    e = math.exp(-0.5)
    assert w.tolist() == pytest.approx([1 / (1 + e), e / (1 + e), 0.0])
    assert K.effective_sample_size(w) == pytest.approx((1 + e) ** 2 / (1 + e * e))
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert K.weighted_quantile(x, np.ones(4), np.array([0.5]))[0] == pytest.approx(2.5)


def test_annualised_vol_short_is_nan() -> None:
    assert math.isnan(K.annualised_vol(np.array([0.01]), 252))
    r = np.array([0.01, -0.02, 0.03])
    assert K.annualised_vol(r, 252) == pytest.approx(np.std(r, ddof=1) * math.sqrt(252))


def _spells_reference(x: np.ndarray, threshold: float) -> list[list[int]]:
    """Slow reference for recovery = 1: split at every new high, keep deep spells."""
    out = []
    start = 0
    n = len(x)
    while start < n:
        end = start + 1
        while end < n and x[end] < x[start]:
            end += 1
        seg = x[start:end]
        trough = start + int(np.argmin(seg))
        if seg.min() / x[start] - 1 <= -threshold:
            out.append([start, trough, end if end < n else -1])
        start = end
    return out


@pytest.mark.parametrize("seed", range(20))
def test_detect_drawdowns_matches_spell_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = 100 * np.exp(np.cumsum(rng.normal(0, 0.03, size=400)))
    got = K.detect_drawdowns(x, 0.15, 1.0).tolist()
    assert got == _spells_reference(x, 0.15)
