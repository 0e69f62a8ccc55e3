"""Benchmark of the synthetic market generator.

Measures (medians): the full default ``generate()`` (uncached), the AR(1) + bridge path kernels
against a pure-Python loop reference, and the chain's vectorised dealer-gamma profile against an
explicit Black-Scholes loop over contracts.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from crashlens.data.synthetic import SyntheticParams, _market
from crashlens.data.synthetic._chain import gex_profile
from crashlens.data.synthetic._paths import ar1, bridge


def _median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _ar1_loop(eps: np.ndarray, phi: float, x0: float) -> np.ndarray:
    out = np.empty(len(eps))
    prev = x0
    for i, e in enumerate(eps):
        prev = phi * prev + e
        out[i] = prev
    return out


def _bridge_loop(base: np.ndarray, total: float, lo: float, hi: float, m: float) -> np.ndarray:
    n = len(base)
    out = np.empty(n)
    c = 0.0
    s = float(base.sum())
    for i in range(n):
        c += base[i]
        x = c + (i + 1) / n * (total - s)
        if i < n - 1:
            a, b = lo + m, hi - m
            x = 2 * a - x if x < a else x
            x = 2 * b - x if x > b else x
            x = min(max(x, a), b)
        else:
            x = total
        out[i] = x
    return out


def _gex_loop(grid: np.ndarray, k: np.ndarray, t: np.ndarray, iv: np.ndarray, oi: np.ndarray,
              sign: np.ndarray) -> np.ndarray:
    out = []
    for s in grid:
        tot = 0.0
        for j in range(len(k)):
            sq = iv[j] * math.sqrt(t[j])
            d1 = (math.log(s / k[j]) + 0.5 * iv[j] ** 2 * t[j]) / sq
            g = math.exp(-0.5 * d1 * d1) / math.sqrt(2 * math.pi) / (s * sq)
            tot += sign[j] * g * oi[j] * 100.0 * s * s * 0.01
        out.append(tot)
    return np.array(out)


def main() -> None:
    params = SyntheticParams()
    build = _market._cached.__wrapped__  # uncached
    start, end = pd.Timestamp("2005-01-03"), pd.Timestamp("2026-08-21")
    t_gen = _median_time(lambda: build(20251121, start, end, params), 5)
    print(f"generate() default market, uncached: median {t_gen * 1000:.0f} ms")

    n = 5645
    rng = np.random.default_rng(0)
    eps = rng.standard_normal(n) * 0.01
    t_vec = _median_time(lambda: (ar1(np.random.default_rng(1), n, 0.985, 0.25),
                                  bridge(eps, -0.1, -0.1, 0.0, 0.004)), 20)
    t_ref = _median_time(lambda: (_ar1_loop(eps, 0.985, 0.0),
                                  _bridge_loop(eps, -0.1, -0.1, 0.0, 0.004)), 5)
    ok = np.allclose(bridge(eps, -0.1, -0.1, 0.0, 0.004), _bridge_loop(eps, -0.1, -0.1, 0.0, 0.004))
    print(f"path kernels (n={n}): vectorised {t_vec * 1e3:.2f} ms, python loop "
          f"{t_ref * 1e3:.2f} ms, ratio {t_ref / t_vec:.0f}x (bridge equal: {ok})")

    m = _market._cached(20251121, start, end, params)
    chain = m.chain(m.truth.selloff.trough)
    k = chain["strike"].to_numpy()
    t = np.maximum((chain["expiry"] - chain["quote_time"]).dt.total_seconds().to_numpy() / 60.0,
                   1.0) / 525_600.0
    iv = chain["iv"].to_numpy()
    oi = chain["open_interest"].to_numpy()
    sign = np.where(chain["option_type"] == "C", 1.0, -1.0)
    grid = np.linspace(0.9, 1.1, 21) * m.truth.chain.spot
    t_vec = _median_time(lambda: gex_profile(grid, k, t, iv, oi, sign, 100.0), 20)
    t_ref = _median_time(lambda: _gex_loop(grid, k, t, iv, oi, sign), 3)
    same = np.allclose(gex_profile(grid, k, t, iv, oi, sign, 100.0),
                       _gex_loop(grid, k, t, iv, oi, sign), rtol=1e-9)
    print(f"chain GEX profile ({len(k)} contracts x {len(grid)} spots): vectorised "
          f"{t_vec * 1e3:.2f} ms, python loop {t_ref * 1e3:.1f} ms, ratio {t_ref / t_vec:.0f}x "
          f"(equal: {same})")


if __name__ == "__main__":
    main()
