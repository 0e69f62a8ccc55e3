"""The vectorisable exp/log used by the gamma kernel, and the gamma kernel's two loops.

References are numpy's libm ``exp``/``log`` (correctly rounded to within 1 ulp) and a
plain-Python BSM gamma written here.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from crashlens.options import _greeks_kernels as gk

# compiled-code checks: without numba the kernels are plain Python (tests/test_optional_numba.py)
nb = pytest.importorskip("numba")


def _exp_loop(x, out):  # pragma: no cover - compiled
    for i in range(x.size):
        out[i] = gk._exp(x[i])


def _log_loop(x, out):  # pragma: no cover - compiled
    for i in range(x.size):
        out[i] = gk._log(x[i])


# as the gamma kernel compiles them (mul+add contracted to FMA), and without contraction
_FLAGS = [{"contract"}, set()]
_EXP = [nb.njit(error_model="numpy", fastmath=f)(_exp_loop) for f in _FLAGS]
_LOG = [nb.njit(error_model="numpy", fastmath=f)(_log_loop) for f in _FLAGS]


def _ulps(got: np.ndarray, ref: np.ndarray) -> float:
    return float(np.max(np.abs(got - ref) / np.spacing(np.abs(ref))))


@pytest.mark.parametrize("_exp_arr", _EXP, ids=["fma", "no-fma"])
def test_exp_within_one_ulp_and_edges(_exp_arr):
    rng = np.random.default_rng(11)
    x = np.concatenate([rng.uniform(-708.0, 709.0, 100_000), rng.uniform(-2.0, 2.0, 100_000),
                        [0.0, -0.0, 1e-300, -1e-300, 0.5 * math.log(2.0), -0.5 * math.log(2.0)]])
    out = np.empty_like(x)
    _exp_arr(x, out)
    assert _ulps(out, np.exp(x)) <= 1.0
    edges = np.array([-1e300, -2000.0, -745.2, -745.1, -740.0, -708.5, 709.7, 709.8, 1e300,
                      -np.inf, np.inf])
    out = np.empty_like(edges)
    _exp_arr(edges, out)
    with np.errstate(over="ignore"):
        ref = np.exp(edges)
    sub = (ref > 0) & (ref < np.finfo(float).tiny)  # subnormal results: within one subnormal
    np.testing.assert_array_equal(out[~sub], ref[~sub])
    assert np.all(np.abs(out[sub] - ref[sub]) <= 5e-324)


@pytest.mark.parametrize("_log_arr", _LOG, ids=["fma", "no-fma"])
def test_log_within_one_ulp_and_edges(_log_arr):
    rng = np.random.default_rng(12)
    x = np.concatenate([np.exp(rng.uniform(-700.0, 700.0, 100_000)),
                        rng.uniform(0.5, 2.0, 100_000), [1.0, 2.0, 0.5, math.sqrt(2.0),
                                                         math.sqrt(0.5), 1.7976931348623157e308]])
    out = np.empty_like(x)
    _log_arr(x, out)
    ref = np.log(x)
    nz = ref != 0
    assert _ulps(out[nz], ref[nz]) <= 1.0
    assert out[~nz].tolist() == [0.0]
    edges = np.array([5e-324, 1e-310, 2.2250738585072014e-308, 0.0, np.inf, -1.0, np.nan])
    out = np.empty_like(edges)
    _log_arr(edges, out)
    with np.errstate(divide="ignore", invalid="ignore"):
        ref = np.log(edges)
    np.testing.assert_array_equal(out, ref)  # subnormals exact here; -inf, inf, nan, nan


def _gamma_ref(s, k, t, v, r, q):
    vs = v * math.sqrt(t)
    d1 = (math.log(s / k) + (r - q + 0.5 * v * v) * t) / vs
    return math.exp(-q * t) * math.exp(-0.5 * d1 * d1) / math.sqrt(2 * math.pi) / (s * vs)


@pytest.mark.parametrize("per_row", [False, True])
def test_gamma_kernel_loops_vs_python_and_numpy_twin(per_row):
    rng = np.random.default_rng(5)
    n = 2000
    K = 100.0 * np.exp(rng.uniform(-1.0, 1.0, n))
    T = rng.uniform(1.0, 400 * 1440, n) / 525600.0
    vol = rng.uniform(0.05, 1.5, n)
    K[7], T[8], vol[9] = -1.0, np.inf, 0.0  # invalid rows: NaN and counted
    if per_row:  # the general loop (spot / rates per contract)
        S, r, q = rng.uniform(90, 110, n), rng.uniform(0, 0.05, n), rng.uniform(0, 0.03, n)
    else:  # the one-underlying loop
        S, r, q = np.array([100.0]), np.array([0.04]), np.array([0.01])
    out_nb, out_np = np.empty(n), np.empty(n)
    assert gk.gamma_nb(S, K, T, vol, r, q, out_nb) == 3
    assert gk.gamma_np(S, K, T, vol, r, q, out_np) == 3
    bad = np.zeros(n, bool)
    bad[[7, 8, 9]] = True
    assert np.isnan(out_nb[bad]).all() and np.isnan(out_np[bad]).all()
    Sb, rb, qb = (np.broadcast_to(a, (n,)) for a in (S, r, q))
    ref = np.array([_gamma_ref(Sb[i], K[i], T[i], vol[i], rb[i], qb[i]) if not bad[i] else 0.0
                    for i in range(n)])
    big = ~bad & (ref > 1e-280)
    np.testing.assert_allclose(out_nb[big], ref[big], rtol=1e-11)
    np.testing.assert_allclose(out_nb[big], out_np[big], rtol=1e-12)  # the twins: issue 12
    tiny = ~bad & ~big
    assert np.all(out_nb[tiny] < 1e-279) and np.all(out_np[tiny] < 1e-279)


def _host_has_avx2() -> bool:
    try:
        with open("/proc/cpuinfo") as fh:
            return " avx2" in fh.read()
    except OSError:
        return False


@pytest.mark.skipif(not _host_has_avx2(), reason="needs an x86-64 host with AVX2")
def test_gamma_kernel_compiles_to_vector_code_without_libm_calls():
    # recompile (the cached dispatcher cannot be inspected) with the kernel's own options;
    # serially (prange -> range, same loop body), which compiles in ~1 s instead of ~5 s
    skip = ("cache", "nopython", "parallel")
    opts = {k: v for k, v in gk.gamma_nb.targetoptions.items() if k not in skip}
    kern = nb.njit(**opts)(gk.gamma_nb.py_func)
    one, a = np.array([1.0]), np.ones(8)
    kern(one, a, a, a, one, one, np.empty(8))
    asm = "\n".join(kern.inspect_asm().values())
    assert "vdivpd" in asm and "ymm" in asm  # packed 4-wide double arithmetic
    assert not re.search(r"\$(exp|log)\b|call\w*\s+(exp|log)\b", asm)  # no scalar libm calls
