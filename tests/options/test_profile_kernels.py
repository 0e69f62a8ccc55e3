"""Profile kernels: the geometric-grid recurrence kernel against exact exps, extreme contracts."""

from __future__ import annotations

import math
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


def _profile_loop(grid, K, T, sig, w, r, q, group, n_groups):
    """Plain-Python double loop: sum_j w_j Gamma_j(S) S**2 per group (closed-form BSM gamma)."""
    out = np.zeros((n_groups, len(grid)))
    for i, s in enumerate(grid):
        for j in range(len(K)):
            v = sig[i][j] if np.ndim(sig) == 2 else sig[j]
            vs = v * math.sqrt(T[j])
            d1 = (math.log(s / K[j]) + (r - q + 0.5 * v * v) * T[j]) / vs
            gamma = math.exp(-q * T[j]) * math.exp(-0.5 * d1 * d1) / math.sqrt(2 * math.pi) / (
                s * vs)
            out[group[j], i] += w[j] * gamma * s * s
    return out


@pytest.mark.parametrize("general", [False, True], ids=["sticky-strike", "vol-per-spot"])
def test_profile_twins_agree_to_1e12_and_match_a_python_loop(general):
    # issue 12: the numba kernel and its numpy twin give the same numbers to 1e-12 relative
    rng = np.random.default_rng(42)
    n, spot = 300, 100.0
    K = spot * np.exp(rng.uniform(-0.4, 0.4, n))
    T = rng.uniform(30.0, 525600.0, n) / 525600.0
    vol = rng.uniform(0.08, 0.9, n)
    w = rng.uniform(1.0, 1e3, n)
    group = rng.integers(0, 3, n).astype(np.int64)
    grid = np.linspace(80.0, 120.0, 33)
    out_nb, out_np = np.empty((3, grid.size)), np.empty((3, grid.size))
    if general:
        sig = vol[None, :] * (1.0 + 0.3 * (grid[:, None] / spot - 1.0))
        pk.profile_general_nb(grid, K, T, sig, w, 0.03, 0.01, group, 3, out_nb)
        pk.profile_general_np(grid, K, T, sig, w, 0.03, 0.01, group, 3, out_np)
    else:
        sig = vol
        a, b, c = pk.sticky_strike_coeffs(K, T, vol, w, 0.03, 0.01)
        pk.profile_sticky_strike_nb(grid, a, b, c, group, 3, out_nb)
        pk.profile_sticky_strike_np(grid, a, b, c, group, 3, out_np)
    assert (out_nb > 0).all()
    np.testing.assert_allclose(out_nb, out_np, rtol=1e-12)
    ref = _profile_loop(grid, K, T, sig, w, 0.03, 0.01, group, 3)
    np.testing.assert_allclose(out_nb, ref, rtol=1e-11)
