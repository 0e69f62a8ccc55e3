"""numba is optional: without it the package imports and computes the same numbers.

A subprocess blocks ``import numba`` (``tests/_numba_free.py``), imports crashlens and runs one
small computation through every kernel family: greeks, implied vol, the GEX profiles, the CTA
signals and correlations, the systemic indicators, plus each family's ``*_nb`` kernel run as
plain Python through :mod:`crashlens._numba`. The same computation runs here with numba, and the
two must agree to 1e-12 relative (the issue's bound), except where float64 itself cannot: see
:func:`_floor`.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from crashlens import _numba

HERE = Path(__file__).parent
# loaded by path: with --import-mode=importlib tests/ is not on sys.path, and stays off it
_spec = importlib.util.spec_from_file_location("_numba_free", HERE / "_numba_free.py")
assert _spec is not None and _spec.loader is not None
nf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nf)

RTOL = 1e-12
ULP = np.finfo(float).eps


def _floor(key: str, ref: dict[str, np.ndarray]) -> np.ndarray | float:
    """Absolute differences that float64 rounding alone allows, beyond ``RTOL``.

    * Option prices: ``S N(d1) - K N(d2)`` cancels for deep out-of-the-money contracts, so a
      1-ulp difference between two normal CDFs is an ulp of the spot (6600 here) in the price.
    * Implied vols: a price known to a few ulps fixes the vol only to ``ulps * price / vega``
      (deep in-the-money contracts, whose time value is a sliver of the price).
    """
    if key in ("greeks_price",):
        return 2 * ULP * 6600.0
    if key.startswith("iv"):
        g_price, g_vega = ref["greeks_price"], ref["greeks_vega"]
        ok = g_price > 1e-6 * 6600.0
        return 8 * ULP * g_price[ok] / g_vega[ok]
    if key == "greeks_nb":  # row 0 of the six outputs is the price
        floor = np.zeros((6, 1))
        floor[0] = 2 * ULP * 6600.0
        return floor
    return 0.0


def _run_without_numba(out: Path, *args: str) -> dict[str, np.ndarray]:
    env = {k: v for k, v in os.environ.items() if k != "CRASHLENS_NO_NUMBA"}
    proc = subprocess.run([sys.executable, str(HERE / "_numba_free.py"), str(out), *args],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with np.load(out) as data:
        return {k: data[k] for k in data.files}


@pytest.fixture(scope="module")
def without_numba(tmp_path_factory: pytest.TempPathFactory) -> dict[str, np.ndarray]:
    return _run_without_numba(tmp_path_factory.mktemp("no_numba") / "res.npz")


@pytest.fixture(scope="module")
def with_numba() -> dict[str, np.ndarray]:
    pytest.importorskip("numba")
    old = os.environ.pop("CRASHLENS_NO_NUMBA", None)
    try:
        return nf.compute(python_kernels=True)
    finally:
        if old is not None:
            os.environ["CRASHLENS_NO_NUMBA"] = old


def test_every_family_runs_without_numba_and_matches_numba(
    without_numba: dict[str, np.ndarray], with_numba: dict[str, np.ndarray]
) -> None:
    assert sorted(without_numba) == sorted(with_numba)
    for key, ref in with_numba.items():
        got = without_numba[key]
        assert got.shape == ref.shape, key
        np.testing.assert_array_equal(np.isnan(got), np.isnan(ref), err_msg=key)
        assert np.isfinite(ref).mean() > 0.5, key  # a real computation, not NaN padding
        fin = np.isfinite(ref)
        bound = np.broadcast_to(RTOL * np.abs(ref) + _floor(key, with_numba), ref.shape)
        worst = np.max((np.abs(got - ref) - bound)[fin])
        assert worst <= 0.0, f"{key}: off by {worst:.2e} beyond the bound"


def test_the_floors_excuse_only_ill_conditioned_values(
    without_numba: dict[str, np.ndarray], with_numba: dict[str, np.ndarray]
) -> None:
    # every price above one cent, and the implied vol of every contract whose vol is fixed by
    # its price to better than 1e-13, agree to 1e-12 relative without any floor
    price = with_numba["greeks_price"]
    cent = price > 0.01
    assert cent.sum() > 300
    np.testing.assert_allclose(without_numba["greeks_price"][cent], price[cent], rtol=RTOL)
    ok = price > 1e-6 * 6600.0
    vol_ulps = ULP * price[ok] / with_numba["greeks_vega"][ok] / with_numba["iv_tight"]
    conditioned = vol_ulps < 1e-13
    assert conditioned.sum() > 0.8 * conditioned.size
    for key in ("iv", "iv_tight"):
        np.testing.assert_allclose(without_numba[key][conditioned],
                                   with_numba[key][conditioned], rtol=RTOL, err_msg=key)


def test_shim_is_numba_when_installed() -> None:
    nb = pytest.importorskip("numba")
    assert _numba.NUMBA_AVAILABLE
    assert _numba.prange is nb.prange

    @_numba.njit(cache=False)
    def add(x: float, y: float) -> float:
        return x + y

    assert add(1.5, 2.0) == 3.5
    assert hasattr(add, "py_func")  # a numba dispatcher, not the plain function


@pytest.mark.realdata
def test_real_data_without_numba_matches_numba(raw_dir: Path, tmp_path: Path) -> None:
    # the SPY chain of 2025-11-20 (8,204 contracts), the S&P 500 since 2015, five indices
    pytest.importorskip("numba")
    got = _run_without_numba(tmp_path / "real.npz", str(raw_dir))
    old = os.environ.pop("CRASHLENS_NO_NUMBA", None)
    try:
        ref = nf.compute_real(raw_dir)
    finally:
        if old is not None:
            os.environ["CRASHLENS_NO_NUMBA"] = old
    assert sorted(got) == sorted(ref)
    assert ref["gex_sticky_strike_iv_used"].size == 8204
    for key, r in ref.items():
        np.testing.assert_array_equal(np.isnan(got[key]), np.isnan(r), err_msg=key)
        assert np.isfinite(r).mean() > 0.7, key
        # IVs the chain lacked are solved; deep in-the-money ones carry the price's conditioning
        # (see _floor): 2e-12 on this chain. Everything a user reads agrees to 1e-12.
        rtol = 1e-11 if key.endswith("iv_used") else RTOL
        np.testing.assert_allclose(got[key], r, rtol=rtol, atol=0, err_msg=key)
