"""Kernels: numba versions equal their numpy twins and independent pandas / loop references."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crashlens.cta import _kernels as K

# written for the generic replica (the engine's default is the desk preset)
pytestmark = pytest.mark.usefixtures("generic_default")


@pytest.fixture()
def paths() -> np.ndarray:
    rng = np.random.default_rng(1)
    return 100 * np.exp(np.cumsum(rng.normal(0, 0.01, (4, 400)), axis=1))


def test_ewma_twins_and_pandas(paths: np.ndarray) -> None:
    x = np.diff(np.log(paths), axis=1) ** 2
    a = 1 / 61
    nb = K._ewma_nb(x, a, np.full(4, np.nan))
    npy = K._ewma_np(x, a, np.full(4, np.nan))
    np.testing.assert_allclose(nb, npy, rtol=1e-12)
    ref = pd.DataFrame(x.T).ewm(alpha=a, adjust=False).mean().to_numpy().T
    np.testing.assert_allclose(nb, ref, rtol=1e-12)
    y0 = np.array([1e-4, 2e-4, 3e-4, 4e-4])
    nb2 = K._ewma_nb(x, a, y0)
    np.testing.assert_allclose(nb2, K._ewma_np(x, a, y0), rtol=1e-12)
    # hand recursion for the seeded case
    prev = y0[2]
    for j in range(5):
        prev = a * x[2, j] + (1 - a) * prev
        assert nb2[2, j] == pytest.approx(prev, rel=1e-14)


@pytest.mark.parametrize("h", [2, 10, 63])
def test_tsmom_twins_and_loop(paths: np.ndarray, h: int) -> None:
    lp = np.log(paths)
    j0 = 70
    nb, npy = K._tsmom_nb(lp, h, j0), K._tsmom_np(lp, h, j0)
    np.testing.assert_array_equal(nb, npy)
    for j in (j0, j0 + 5, 399):
        assert nb[1, j - j0] == np.sign(paths[1, j] / paths[1, j - h] - 1)


def test_norm_mom_twins_and_loop(paths: np.ndarray) -> None:
    lp = np.log(paths)
    j0, h, cap = 100, 21, 1.0
    sig = np.full((4, 300), 0.01) * (1 + 0.5 * np.sin(np.arange(300)))[None, :]
    nb, npy = K._norm_mom_nb(lp, sig, h, cap, j0), K._norm_mom_np(lp, sig, h, cap, j0)
    np.testing.assert_allclose(nb, npy, rtol=1e-13, atol=1e-15)
    for j in (100, 250, 399):
        z = math.log(paths[3, j] / paths[3, j - h]) / (sig[3, j - j0] * math.sqrt(h))
        assert nb[3, j - j0] == pytest.approx(max(-cap, min(cap, z)) / cap)
    assert np.all(np.abs(nb) <= 1)


def test_ewmac_twins_and_scalar(paths: np.ndarray) -> None:
    ef = pd.DataFrame(paths.T).ewm(span=16, adjust=False).mean().to_numpy().T
    es = pd.DataFrame(paths.T).ewm(span=64, adjust=False).mean().to_numpy().T
    pv = paths * 0.01
    sc = K.ewmac_scalar(2 / 17, 2 / 65, 10.0)
    nb, npy = K._ewmac_nb(ef, es, pv, sc, 20.0), K._ewmac_np(ef, es, pv, sc, 20.0)
    np.testing.assert_allclose(nb, npy, rtol=1e-13)
    # the closed-form scalar makes E|forecast| = 10 on a long iid random walk (Monte Carlo)
    rng = np.random.default_rng(7)
    p = 1000 + np.cumsum(rng.normal(0, 1.0, 400_000))
    s = pd.Series(p)
    f = sc * (s.ewm(span=16, adjust=False).mean() - s.ewm(span=64, adjust=False).mean()) / 1.0
    assert np.mean(np.abs(f.to_numpy()[1000:])) == pytest.approx(10.0, rel=0.03)


@pytest.mark.parametrize(("nf", "ns"), [(1, 10), (5, 21), (16, 63)])
def test_ma_cross_twins_and_pandas(paths: np.ndarray, nf: int, ns: int) -> None:
    j0 = 80
    nb, npy = K._ma_cross_nb(paths, nf, ns, j0), K._ma_cross_np(paths, nf, ns, j0)
    np.testing.assert_array_equal(nb, npy)
    df = pd.DataFrame(paths.T)
    ref = np.sign(df.rolling(nf).mean() - df.rolling(ns).mean()).to_numpy().T[:, j0:]
    np.testing.assert_array_equal(nb, ref)


def test_dispatch_honours_kill_switch(paths: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> None:
    lp = np.log(paths)
    a = K.tsmom(lp, 10, 20)
    monkeypatch.setenv("CRASHLENS_NO_NUMBA", "1")
    b = K.tsmom(lp, 10, 20)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="j0 >= 10"):
        K.tsmom(lp, 10, 5)
