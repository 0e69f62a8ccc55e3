"""Profile kernels: the geometric-grid recurrence kernel against exact exps, extreme contracts."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from crashlens.options import _profile_kernels as pk


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_loggrid_recurrence_matches_exact(seed):
    rng = np.random.default_rng(seed)
    n, m, spot = 3000, 137, 100.0
    K = spot * np.exp(rng.uniform(-0.7, 0.7, n))
    T = np.exp(rng.uniform(np.log(1.0), np.log(2 * 525600.0), n)) / 525600.0  # 1 min .. 2 y
    vol = rng.uniform(0.01, 3.0, n)
    w = rng.uniform(0.0, 1e4, n)
    group = rng.integers(0, 8, n).astype(np.int64)
    a, b, c = pk.sticky_strike_coeffs(K, T, vol, w, 0.03, 0.01)
    lo, hi = 0.6 * spot, 1.5 * spot
    exact = np.empty((8, m))
    pk.profile_sticky_strike_np(np.geomspace(lo, hi, m), a, b, c, group, 8, exact)
    fast = np.empty((8, m))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pk.profile_loggrid(lo, hi, m, a, b, c, group, 8, fast)
    assert np.isfinite(fast).all()
    scale = np.abs(exact).max(axis=1, keepdims=True)
    np.testing.assert_allclose(fast, exact, rtol=1e-10, atol=1e-12 * scale.max())
    assert (np.abs(fast - exact) <= 1e-10 * scale + 1e-300).all()


def test_loggrid_single_group_and_empty_groups():
    a, b, c = pk.sticky_strike_coeffs(np.array([100.0]), np.array([0.1]), np.array([0.2]),
                                      np.array([1.0]), 0.0, 0.0)
    out = np.empty((3, 5))
    pk.profile_loggrid(90.0, 110.0, 5, a, b, c, np.array([1], dtype=np.int64), 3, out)
    ref = np.empty((3, 5))
    pk.profile_sticky_strike_np(np.geomspace(90.0, 110.0, 5), a, b, c,
                                np.array([1], dtype=np.int64), 3, ref)
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    assert (out[0] == 0).all() and (out[2] == 0).all()
