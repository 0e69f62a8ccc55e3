"""One small computation through every kernel family, for the numba-optional test.

``python tests/_numba_free.py OUT.npz`` blocks ``import numba`` (a meta-path finder that raises
ImportError, as if numba were not installed), imports crashlens, runs :func:`compute` and saves
the arrays. :func:`compute` is also imported by ``tests/test_optional_numba.py`` and run there
with numba, so both paths see the same inputs.
"""

from __future__ import annotations

import importlib.abc
import sys
from typing import Any

import numpy as np


class BlockNumba(importlib.abc.MetaPathFinder):
    """Meta-path finder: ``import numba`` (and its submodules) fails as if it were not installed."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname == "numba" or fullname.startswith("numba."):
            raise ModuleNotFoundError(f"numba is blocked in this process ({fullname})")
        return None


def compute(python_kernels: bool) -> dict[str, np.ndarray]:
    """Results of the public dispatchers of every kernel family on fixed inputs.

    ``python_kernels`` also runs each family's ``*_nb`` kernel itself (compiled with numba, or
    plain Python through :mod:`crashlens._numba` without it) on the same inputs.
    """
    from crashlens.config import numba_enabled
    from crashlens.cta import _kernels as ck
    from crashlens.cta import sizing
    from crashlens.options import _greeks_kernels as gk
    from crashlens.options import _profile_kernels as pk
    from crashlens.options import bsm_gamma, bsm_greeks, implied_vol
    from crashlens.systemic import _kernels as sk

    rng = np.random.default_rng(20251121)
    out: dict[str, np.ndarray] = {}
    # options: 400 contracts of one underlying, strikes +-30 %, 1 minute to 1 year, vol 8-90 %
    n = 400
    S = 6600.0
    K = S * np.exp(rng.uniform(-0.3, 0.3, n))
    T = rng.uniform(1.0, 525600.0, n) / 525600.0
    vol = rng.uniform(0.08, 0.9, n)
    call = rng.random(n) < 0.5
    out["gamma"] = bsm_gamma(S, K, T, vol, 0.04, 0.01)
    g = bsm_greeks(S, K, T, vol, 0.04, 0.01, call)
    for name in ("price", "delta", "gamma", "vega", "vanna", "charm"):
        out[f"greeks_{name}"] = getattr(g, name)
    ok = g.price > 1e-6 * S  # prices that carry a vol (no deep-OTM dust)
    out["iv"] = implied_vol(g.price[ok], S, K[ok], T[ok], 0.04, 0.01, call[ok])
    out["iv_tight"] = implied_vol(g.price[ok], S, K[ok], T[ok], 0.04, 0.01, call[ok], tol=1e-14)
    # GEX profile: sticky strike and a vol per (spot, contract), 3 groups, 41 spots
    grid = np.linspace(0.8 * S, 1.2 * S, 41)
    w = rng.uniform(1.0, 5000.0, n)
    group = rng.integers(0, 3, n).astype(np.int64)
    a, b, c = pk.sticky_strike_coeffs(K, T, vol, w, 0.04, 0.01)
    prof = np.empty((3, grid.size))
    use_nb = numba_enabled()  # the choice gex() makes
    (pk.profile_sticky_strike_nb if use_nb else pk.profile_sticky_strike_np)(
        grid, a, b, c, group, 3, prof)
    out["profile_sticky_strike"] = prof.copy()
    sig2 = vol[None, :] * (1.0 + 0.2 * (grid[:, None] / S - 1.0))
    (pk.profile_general_nb if use_nb else pk.profile_general_np)(
        grid, K, T, sig2, w, 0.04, 0.01, group, 3, prof)
    out["profile_general"] = prof.copy()
    # CTA: 3 assets x 300 days of prices
    paths = 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, (3, 300)), axis=1))
    lp = np.log(paths)
    out["ewma"] = ck.ewma(np.diff(lp, axis=1) ** 2, 1 / 61)
    out["tsmom"] = ck.tsmom(lp, 21, 70)
    sig = 0.01 * (1.0 + 0.5 * np.sin(np.arange(230)))[None, :].repeat(3, axis=0)
    out["norm_mom"] = ck.norm_mom(lp, sig, 21, 1.0, 70)
    ef, es = ck.ewma(paths, 2 / 17, paths[:, 0]), ck.ewma(paths, 2 / 65, paths[:, 0])
    out["ewmac"] = ck.ewmac(ef, es, 0.01 * paths, ck.ewmac_scalar(2 / 17, 2 / 65, 10.0), 20.0)
    out["ma_cross"] = ck.ma_cross(paths, 5, 21, 80)
    rets = np.diff(lp, axis=1).T.copy()
    rets[[3, 50, 51], [0, 1, 2]] = np.nan  # pairwise-complete rows
    out["pairwise_corr"] = sizing.pairwise_corr(rets, 20)
    # systemic: 250 days x 5 correlated returns
    x = rng.standard_t(6, (250, 5)) @ (rng.normal(size=(5, 5)) / 3.0) * 0.01
    out["absorption"] = sk.rolling_absorption(x, 60, 20.0, 1)
    turb, mag, avgc, _ = sk.rolling_turbulence(x, 60)
    out["turbulence"], out["turbulence_mag"], out["turbulence_avgc"] = turb, mag, avgc
    out["percentile"] = sk.trailing_percentile(x[:, 0], 20, 100)
    if python_kernels:
        gam = np.empty(n)
        gk.gamma_nb(np.array([S]), K, T, vol, np.array([0.04]), np.array([0.01]), gam)
        out["gamma_nb"] = gam
        gr = np.empty((gk.N_GREEKS, n))
        gk.greeks_nb(np.array([S]), K, T, vol, np.array([0.04]), np.array([0.01]), call, gr)
        out["greeks_nb"] = gr
        pk.profile_loggrid(0.8 * S, 1.2 * S, 41, a, b, c, group, 3, prof)
        out["profile_loggrid_nb"] = prof.copy()
        out["ewma_nb"] = ck._ewma_nb(np.diff(lp, axis=1) ** 2, 1 / 61, np.full(3, np.nan))
        out["pairwise_corr_nb"] = sizing._pairwise_corr_nb(rets, 20)
        out["percentile_nb"] = sk._pct_nb(x[:, 0], 20, 100)
    return out


def main(path: str) -> None:
    """Block numba, check that the package still imports, compute, save to ``path``."""
    sys.meta_path.insert(0, BlockNumba())
    import crashlens  # noqa: F401
    from crashlens import _numba
    from crashlens.config import numba_enabled

    assert not _numba.NUMBA_AVAILABLE and not numba_enabled()

    def ident(x: float) -> float:
        return x

    # the fallback decorator returns the function itself, bare or with numba's options
    assert _numba.njit(ident) is ident and _numba.njit(parallel=True, cache=True)(ident) is ident
    assert _numba.prange is range
    res = compute(python_kernels=True)
    assert "numba" not in sys.modules, "numba was imported"
    np.savez(path, **res)


if __name__ == "__main__":
    main(sys.argv[1])
