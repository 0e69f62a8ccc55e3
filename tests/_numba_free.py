"""One small computation through every kernel family, for the numba-optional test.

``python tests/_numba_free.py OUT.npz [RAW_DIR]`` blocks ``import numba`` (a meta-path finder
that raises ModuleNotFoundError, as if numba were not installed), imports crashlens, runs
:func:`compute` (or :func:`compute_real` on the real data files of ``RAW_DIR``) and saves the
arrays. ``tests/test_optional_numba.py`` runs the same functions with numba, so both paths see
the same inputs.
"""

from __future__ import annotations

import csv
import importlib
import importlib.abc
import pkgutil
import sys
from pathlib import Path
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


def _closes(path: Path, start: str) -> dict[str, float]:
    """Date -> close of a raw daily file, read with plain csv (no crashlens code)."""
    with path.open(newline="") as fh:
        return {r["Date"][:10]: float(r["Close"]) for r in csv.DictReader(fh)
                if r["Date"][:10] >= start and r["Close"]}


def compute_real(raw: Path) -> dict[str, np.ndarray]:
    """The same kernel families on the real data files of ``raw`` (``CRASHLENS_DATA``).

    GEX of the SPY chain of 2025-11-20 (IVs solved where the file has none, linear grid so both
    paths run the exact-exp kernels; sticky strike and sticky delta), the CTA signals on the
    S&P 500 since 2015, the systemic indicators on five equity indices since 2021-06.
    """
    from crashlens.cta import _kernels as ck
    from crashlens.cta import sizing
    from crashlens.options import gex, read_chain
    from crashlens.systemic import _kernels as sk

    out: dict[str, np.ndarray] = {}
    chain = read_chain(raw / "spy_options_chain_20251120_quotedata.csv")
    for model in ("sticky_strike", "sticky_delta"):
        res = gex(chain, vol_model=model, grid_spacing="linear", grid_points=61)
        out[f"gex_{model}_profile"] = res.profile["gex_usd_per_1pct"].to_numpy()
        out[f"gex_{model}_total"] = np.array([res.total_gex_usd_per_1pct])
        out[f"gex_{model}_walls"] = np.array([res.call_wall, res.put_wall, res.abs_gamma_strike])
        out[f"gex_{model}_iv_used"] = res.contracts["iv_used"].to_numpy(dtype=float)
    spx = _closes(raw / "sp500_daily_ohlc.csv", "2015-01-01")
    p = np.array([list(spx.values())])
    lp = np.log(p)
    out["spx_ewma"] = ck.ewma(np.diff(lp, axis=1) ** 2, 1 / 61)
    out["spx_tsmom"] = ck.tsmom(lp, 252, 252)
    sig = np.sqrt(out["spx_ewma"][:, 251:])
    out["spx_norm_mom"] = ck.norm_mom(lp, sig, 63, 2.0, 252)
    ef, es = ck.ewma(p, 2 / 17, p[:, 0]), ck.ewma(p, 2 / 65, p[:, 0])
    out["spx_ewmac"] = ck.ewmac(ef, es, p * 0.01, ck.ewmac_scalar(2 / 17, 2 / 65, 10.0), 20.0)
    out["spx_ma_cross"] = ck.ma_cross(p, 50, 200, 200)
    names = ("sp500_daily_ohlc", "nasdaq100_daily_ohlc", "index_dax_daily",
             "index_ftse100_daily", "index_nikkei225_daily_2021plus")
    series = [_closes(raw / f"{n}.csv", "2021-06-01") for n in names]
    days = sorted(set.intersection(*(set(x) for x in series)))
    x = np.diff(np.log(np.array([[s[d] for s in series] for d in days])), axis=0)
    out["idx_corr"] = sizing.pairwise_corr(x, 60)
    out["idx_absorption"] = sk.rolling_absorption(x, 250, 60.0, 1)
    turb, mag, avgc, _ = sk.rolling_turbulence(x, 250)
    out["idx_turbulence"], out["idx_turbulence_mag"], out["idx_turbulence_avgc"] = turb, mag, avgc
    out["idx_percentile"] = sk.trailing_percentile(turb, 20, 500)
    return out


def main(path: str, raw: str | None = None) -> None:
    """Block numba, check that the package still imports, compute, save to ``path``."""
    sys.meta_path.insert(0, BlockNumba())
    import crashlens
    from crashlens import _numba

    if raw is None:  # the whole package imports (CLI, API, report, every engine), once
        for mod in pkgutil.walk_packages(crashlens.__path__, "crashlens."):
            importlib.import_module(mod.name)
    from crashlens.config import numba_enabled

    assert not _numba.NUMBA_AVAILABLE and not numba_enabled()

    def ident(x: float) -> float:
        return x

    # the fallback decorator returns the function itself, bare or with numba's options
    assert _numba.njit(ident) is ident and _numba.njit(parallel=True, cache=True)(ident) is ident
    assert _numba.prange is range
    res = compute(python_kernels=True) if raw is None else compute_real(Path(raw))
    assert "numba" not in sys.modules, "numba was imported"
    np.savez(path, **res)


if __name__ == "__main__":
    main(*sys.argv[1:3])
