"""Dealer gamma engine: greeks throughput and the GEX profile vs tutorial-style references.

* greeks for 1,000,000 contracts: ``bsm_gamma`` / ``bsm_greeks`` (numba parallel, and the numpy
  twin) vs a plain numpy + ``scipy.stats.norm`` formula (the way tutorials vectorise it) and vs
  a numba parallel kernel with scalar libm ``math.exp``/``math.log`` (crashlens' previous gamma
  kernel, written here);
* the GEX profile over 100 spot levels of a 20,000-contract chain: the engine's profile kernel
  and the whole ``gex()`` call vs (a) the perfiliev tutorial loop (a Python loop over levels,
  numpy + ``scipy.stats.norm.pdf`` over contracts) and (b) the pure-Python double loop the tests
  use as the reference (timed once).
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numba as nb
import numpy as np
import pandas as pd
from scipy.stats import norm

N_GREEKS = 1_000_000
N_CHAIN = 20_000
N_LEVELS = 100
MIN_PER_YEAR = 525600.0


def timings(fn: Callable[[], Any], repeat: int = 7) -> list[float]:
    fn()  # warm-up (numba compile / cache load)
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return ts


def timeit(fn: Callable[[], Any], repeat: int = 7) -> float:
    return statistics.median(timings(fn, repeat))


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


@nb.njit(parallel=True)
def ref_gamma_libm(S, K, T, vol, r, q, out):  # pragma: no cover - compiled
    """Scalar-libm numba gamma (crashlens' kernel before vectorisation), S, r, q scalars."""
    for i in nb.prange(K.shape[0]):
        inv_vs = 1.0 / (vol[i] * math.sqrt(T[i]))
        d1 = (math.log(S / K[i]) + (r - q + 0.5 * vol[i] * vol[i]) * T[i]) * inv_vs
        out[i] = math.exp(-q * T[i] - 0.5 * d1 * d1) * inv_vs / (math.sqrt(2 * math.pi) * S)


def ref_gamma_numpy(S, K, T, vol, r, q):
    d1 = (np.log(S / K) + (r - q + 0.5 * vol**2) * T) / (vol * np.sqrt(T))
    return np.exp(-q * T) * norm.pdf(d1) / (S * vol * np.sqrt(T))


def perfiliev_profile(chain: pd.DataFrame, levels: np.ndarray) -> np.ndarray:
    out = []
    for level in levels:  # the tutorial: one vectorised pass over the chain per level
        g = ref_gamma_numpy(level, chain["strike"].to_numpy(), chain["T"].to_numpy(),
                            chain["iv"].to_numpy(), 0.0, 0.0)
        sign = np.where(chain["option_type"].to_numpy() == "C", 1.0, -1.0)
        out.append(np.sum(sign * g * chain["open_interest"].to_numpy() * 100 * level**2 * 0.01))
    return np.array(out)


def python_loop_profile(rows: list[tuple[float, float, float, float, float]],
                        levels: np.ndarray) -> np.ndarray:
    out = []
    for s in levels:
        tot = 0.0
        for k, t, v, oi, sgn in rows:
            vs = v * math.sqrt(t)
            d1 = (math.log(s / k) + 0.5 * v * v * t) / vs
            gamma = math.exp(-0.5 * d1 * d1) / math.sqrt(2 * math.pi) / (s * vs)
            tot += sgn * gamma * oi * 100 * s * s * 0.01
        out.append(tot)
    return np.array(out)


def make_chain(n: int, spot: float = 6600.0, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    quote = pd.Timestamp("2025-11-20 15:00")
    days = rng.integers(0, 120, n)
    expiry = (quote.normalize() + pd.to_timedelta(days, unit="D") + pd.Timedelta(hours=16))
    strike = np.round(spot * np.exp(rng.normal(0, 0.08, n)) / 5) * 5
    return pd.DataFrame({
        "underlying": "SPX", "quote_time": quote, "expiry": expiry, "strike": strike,
        "option_type": np.where(rng.random(n) < 0.5, "C", "P"),
        "open_interest": rng.integers(1, 20_000, n).astype(float),
        "volume": rng.integers(0, 5000, n).astype(float), "iv": rng.uniform(0.1, 0.5, n),
        "bid": np.nan, "ask": np.nan, "last": np.nan, "multiplier": 100.0,
    })


def main(greeks_only: bool = False) -> None:
    """Print the timings; ``greeks_only`` stops after the 1,000,000-contract greeks block."""
    from crashlens import options as opt
    from crashlens.options import _profile_kernels as pk

    threads = os.environ.get("NUMBA_NUM_THREADS", "default")
    print(f"numba threads: {threads} ({nb.get_num_threads()}), cpus: {os.cpu_count()}, "
          f"{load()}")
    rng = np.random.default_rng(0)
    S = 6600.0
    K = S * np.exp(rng.uniform(-0.5, 0.5, N_GREEKS))
    T = rng.uniform(1.0, 2 * MIN_PER_YEAR, N_GREEKS) / MIN_PER_YEAR
    vol = rng.uniform(0.05, 1.0, N_GREEKS)
    call = rng.random(N_GREEKS) < 0.5

    t_ref = timeit(lambda: ref_gamma_numpy(S, K, T, vol, 0.04, 0.01), repeat=3)
    ts_nb = timings(lambda: opt.bsm_gamma(S, K, T, vol, 0.04, 0.01), repeat=21)
    t_nb = statistics.median(ts_nb)
    out_libm = np.empty(N_GREEKS)
    ts_libm = timings(lambda: ref_gamma_libm(S, K, T, vol, 0.04, 0.01, out_libm), repeat=21)
    t_libm = statistics.median(ts_libm)
    big = out_libm > 1e-280  # relative differences of subnormal gammas are meaningless
    err = np.max(np.abs(opt.bsm_gamma(S, K, T, vol, 0.04, 0.01) - out_libm)[big] / out_libm[big])
    t_all = timeit(lambda: opt.bsm_greeks(S, K, T, vol, 0.04, 0.01, call), repeat=5)
    os.environ["CRASHLENS_NO_NUMBA"] = "1"
    t_np = timeit(lambda: opt.bsm_gamma(S, K, T, vol, 0.04, 0.01), repeat=3)
    del os.environ["CRASHLENS_NO_NUMBA"]
    print(f"greeks, {N_GREEKS:,} contracts (medians; gamma max rel. diff vs libm {err:.1e})")
    print(f"  bsm_gamma numba    : {t_nb * 1e3:8.1f} ms  {N_GREEKS / t_nb / 1e6:7.1f} M gammas/s"
          f"  ({t_ref / t_nb:5.1f}x the numpy+scipy reference, {t_libm / t_nb:4.2f}x libm numba;"
          f" best of 21: {N_GREEKS / min(ts_nb) / 1e6:.1f} M/s)")
    print(f"  libm numba (ref.)  : {t_libm * 1e3:8.1f} ms  "
          f"{N_GREEKS / t_libm / 1e6:7.1f} M gammas/s  "
          f"(best of 21: {N_GREEKS / min(ts_libm) / 1e6:.1f} M/s)")
    print(f"  bsm_gamma numpy    : {t_np * 1e3:8.1f} ms  {N_GREEKS / t_np / 1e6:7.1f} M gammas/s")
    print(f"  bsm_greeks (6) nb  : {t_all * 1e3:8.1f} ms  "
          f"{N_GREEKS / t_all / 1e6:7.1f} M contracts/s")
    print(f"  reference numpy    : {t_ref * 1e3:8.1f} ms  {N_GREEKS / t_ref / 1e6:7.1f} M gammas/s")
    import numba

    if greeks_only:
        nthreads = numba.get_num_threads()
        numba.set_num_threads(1)
        t1 = timeit(lambda: opt.bsm_gamma(S, K, T, vol, 0.04, 0.01), repeat=21)
        t1l = timeit(lambda: ref_gamma_libm(S, K, T, vol, 0.04, 0.01, out_libm), repeat=21)
        numba.set_num_threads(nthreads)
        print(f"one numba thread: bsm_gamma {N_GREEKS / t1 / 1e6:.1f} M gammas/s, libm numba "
              f"{N_GREEKS / t1l / 1e6:.1f} M gammas/s; {load()}")
        return

    chain = make_chain(N_CHAIN)
    ch = opt.chain_from_frame(chain, spot=S)
    quote = chain["quote_time"].iloc[0]
    chain["T"] = np.maximum((chain["expiry"] - quote).dt.total_seconds() / 60, 1.0) / MIN_PER_YEAR
    levels = np.linspace(0.8 * S, 1.2 * S, N_LEVELS)
    w = chain["open_interest"].to_numpy() * 100 * 0.01
    a, b, c = pk.sticky_strike_coeffs(chain["strike"].to_numpy(), chain["T"].to_numpy(),
                                      chain["iv"].to_numpy(), w, 0.0, 0.0)
    group = np.where(chain["option_type"].to_numpy() == "C", 0, 4).astype(np.int64)
    out = np.empty((8, N_LEVELS))

    def kernel() -> None:
        pk.profile_sticky_strike_nb(levels, a, b, c, group, 8, out)

    out_log = np.empty((8, N_LEVELS))

    def kernel_log() -> None:
        pk.profile_loggrid(0.8 * S, 1.2 * S, N_LEVELS, a, b, c, group, 8, out_log)

    t_kernel = timeit(kernel, repeat=15)
    t_klog = timeit(kernel_log, repeat=15)
    t_gex = timeit(lambda: opt.gex(ch, grid_points=N_LEVELS), repeat=5)
    t_gex_lin = timeit(lambda: opt.gex(ch, grid_points=N_LEVELS, grid_spacing="linear"),
                       repeat=5)
    t_perf = timeit(lambda: perfiliev_profile(chain, levels), repeat=3)
    rows = list(zip(chain["strike"], chain["T"], chain["iv"], chain["open_interest"],
                    np.where(chain["option_type"] == "C", 1.0, -1.0), strict=True))
    t0 = time.perf_counter()
    ref = python_loop_profile(rows, levels)
    t_loop = time.perf_counter() - t0
    prof = out[0] - out[4]
    err = float(np.max(np.abs(prof - ref)) / np.max(np.abs(ref)))
    print(f"GEX profile, {N_CHAIN:,} contracts x {N_LEVELS} spot levels (max rel. diff vs "
          f"reference {err:.1e})")
    log_ref = perfiliev_profile(chain, np.geomspace(0.8 * S, 1.2 * S, N_LEVELS))
    err_log = float(np.max(np.abs(out_log[0] - out_log[4] - log_ref)) / np.max(np.abs(log_ref)))
    print(f"  (geometric-grid recurrence kernel: max rel. diff vs exact {err_log:.1e})")
    for label, t in (("kernel, linear grid (exp)", t_kernel),
                     ("kernel, log grid (recur.)", t_klog),
                     ("gex() end to end, log grid", t_gex),
                     ("gex() end to end, linear", t_gex_lin)):
        print(f"  {label:<27}: {t * 1e3:8.2f} ms  "
              f"{t_perf / t:7.0f}x perfiliev loop, {t_loop / t:8.0f}x python loop")
    print(f"  {'perfiliev loop (ref. a)':<27}: {t_perf * 1e3:8.2f} ms")
    print(f"  {'python double loop (ref. b)':<27}: {t_loop * 1e3:8.0f} ms (one run)")
    numba.set_num_threads(1)
    t1 = timeit(lambda: opt.bsm_gamma(S, K, T, vol, 0.04, 0.01), repeat=21)
    t1k = timeit(kernel_log, repeat=15)
    t1g = timeit(lambda: opt.gex(ch, grid_points=N_LEVELS), repeat=5)
    print(f"one numba thread: bsm_gamma {N_GREEKS / t1 / 1e6:.1f} M gammas/s; log-grid kernel "
          f"{t1k * 1e3:.2f} ms ({t_loop / t1k:.0f}x python loop, {t_perf / t1k:.0f}x perfiliev);"
          f" gex() {t1g * 1e3:.1f} ms; {load()}")


if __name__ == "__main__":
    main(greeks_only="--greeks-only" in sys.argv[1:])
