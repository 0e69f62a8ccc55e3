"""The gamma kernel: hand-written exp/log (LLVM bitcast intrinsics) vs plain numba vs numpy.

Issue 12, part 8: the intrinsics stay only if no plain kernel is within 1.5x of them. Timed in
one process, interleaved (every round runs each variant once, so a burst of load from other
jobs hits them all), medians over the rounds, on 1,000,000 contracts of one underlying (the
GEX hot path) and on 20,000 contracts (the size of a real SPX chain), with numba's default
threads and with one thread:

* ``intrinsics``: ``crashlens.options._greeks_kernels.gamma_nb`` when it still has ``_exp`` /
  ``_log`` (branch-free polynomials over float/int bitcasts); otherwise skipped;
* ``plain numba``: the same loop with ``math.exp`` / ``math.log`` (scalar libm calls: LLVM
  cannot vectorise them without SVML), same options (parallel, ``error_model="numpy"``,
  ``fastmath={"contract"}``), written here so that it exists whichever kernel the package uses;
* ``numpy twin``: ``gamma_np``.

Run: ``python -m benchmarks numba`` (or ``python benchmarks/bench_numba.py [rounds]``).
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numba as nb
import numpy as np

from crashlens.options import _greeks_kernels as gk

MIN_PER_YEAR = 525600.0
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


@nb.njit(parallel=True, error_model="numpy", fastmath={"contract"})
def plain_gamma(S, K, T, sigma, r, q, out):  # pragma: no cover - compiled
    """Gamma with libm ``math.exp``/``math.log``, one underlying (S, r, q of length 1)."""
    s, qq = S[0], q[0]
    b = r[0] - qq
    c = INV_SQRT_2PI / s
    bad = 0
    for i in nb.prange(K.shape[0]):
        k, t, v = K[i], T[i], sigma[i]
        ok = ((s > 0.0) & (k > 0.0) & (t > 0.0) & (v > 0.0)
              & (s < np.inf) & (k < np.inf) & (t < np.inf) & (v < np.inf))
        inv_vs = 1.0 / (v * math.sqrt(t))
        d1 = (math.log(s / k) + (b + 0.5 * v * v) * t) * inv_vs
        g = math.exp(-qq * t - 0.5 * d1 * d1) * (c * inv_vs)
        bad += 0 if ok else 1
        out[i] = g if ok else np.nan
    return bad


def inputs(n: int, seed: int = 0) -> tuple[np.ndarray, ...]:
    """A chain-like sample: strikes +-50 % in log around 6600, 1 minute to 2 years, 5-100 % vol."""
    rng = np.random.default_rng(seed)
    S = np.array([6600.0])
    K = 6600.0 * np.exp(rng.uniform(-0.5, 0.5, n))
    T = rng.uniform(1.0, 2 * MIN_PER_YEAR, n) / MIN_PER_YEAR
    vol = rng.uniform(0.05, 1.0, n)
    return S, K, T, vol, np.array([0.04]), np.array([0.01])


def interleaved(fns: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """Seconds per call of every function, one call of each per round (after a warm-up)."""
    for fn in fns.values():
        fn()
    ts: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            ts[k].append(time.perf_counter() - t0)
    return ts


def has_intrinsics() -> bool:
    """Whether the package's gamma kernel still uses the hand-written exp/log."""
    return hasattr(gk, "_exp") and hasattr(gk, "_log")


def run(n: int, rounds: int) -> dict[str, float]:
    """Print and return the median seconds per call of each variant on ``n`` contracts."""
    args = inputs(n)
    outs = {k: np.empty(n) for k in ("intrinsics", "plain numba", "numpy twin")}
    fns: dict[str, Callable[[], Any]] = {}
    if has_intrinsics():
        fns["intrinsics"] = lambda: gk.gamma_nb(*args, outs["intrinsics"])
    fns["plain numba"] = lambda: plain_gamma(*args, outs["plain numba"])
    fns["numpy twin"] = lambda: gk.gamma_np(*args, outs["numpy twin"])
    ts = interleaved(fns, rounds)
    med = {k: statistics.median(v) for k, v in ts.items()}
    ref = outs["numpy twin"]
    big = ref > 1e-280  # relative differences of subnormal gammas are meaningless
    base = med.get("intrinsics", med["plain numba"])
    for k, t in med.items():
        err = float(np.max(np.abs(outs[k][big] - ref[big]) / ref[big]))
        print(f"  {k:<12}: median {t * 1e3:8.3f} ms  {n / t / 1e6:7.1f} M gammas/s  "
              f"(min {min(ts[k]) * 1e3:7.3f} ms; {t / base:5.2f}x the first; "
              f"max rel. diff vs numpy {err:.1e})")
    return med


def main(rounds: int = 21) -> None:
    """Print the timings at two sizes, default threads and one thread."""
    print(f"{platform.machine()}, {os.cpu_count()} cpus, python {platform.python_version()}, "
          f"numba {nb.__version__}, numpy {np.__version__}, numba threads "
          f"{nb.get_num_threads()}; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not has_intrinsics():
        print("  (the package's gamma kernel has no hand-written exp/log any more)")
    nthreads = nb.get_num_threads()
    for threads in (nthreads, 1):
        nb.set_num_threads(threads)
        for n in (1_000_000, 20_000):
            print(f"{n:,} contracts, {threads} numba thread(s), {rounds} rounds:")
            run(n, rounds if n > 100_000 else rounds * 10)
    nb.set_num_threads(nthreads)
    loads = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"threading layer {nb.threading_layer()}; load average {loads}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 21)
