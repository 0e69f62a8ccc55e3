"""Benchmark of scenario propagation against straightforward python-loop references.

1. ``conditional_gaussian`` (one matrix solve) vs a loop that regresses each unshocked asset on
   the shocked ones separately and builds the conditional covariance entry by entry.
2. The pairwise covariance (pandas ``cov`` + correlation-scale PSD repair) vs a python loop over
   pairs on their common days.
3. ``run()`` end to end on a constructed market (30 assets, 3 scenarios, a portfolio), no store.

Both sides must agree (printed max differences). Run: ``python -m benchmarks scenarios``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd


def _median_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def _ref_conditional(cov: np.ndarray, k: list[int], s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = cov.shape[0]
    skk = cov[np.ix_(k, k)]
    mean = np.zeros(n)
    betas = {}
    for u in range(n):
        if u in k:
            continue
        beta = np.linalg.solve(skk, cov[k, u])
        betas[u] = beta
        mean[u] = float(beta @ s)
    for j, kk in enumerate(k):
        mean[kk] = s[j]
    cond = np.zeros((n, n))
    for u in betas:
        for v in betas:
            cond[u, v] = cov[u, v] - float(betas[u] @ cov[k, v])
    return mean, cond


def _ref_pairwise(x: pd.DataFrame) -> np.ndarray:
    cols = list(x.columns)
    out = np.zeros((len(cols), len(cols)))
    for i, a in enumerate(cols):
        for j, b in enumerate(cols):
            both = x[[a, b]].dropna() if a != b else x[[a]].dropna()
            va, vb = both[a].to_numpy(), both[b].to_numpy()
            out[i, j] = float(((va - va.mean()) * (vb - vb.mean())).sum() / (len(va) - 1))
    return out


def main() -> None:
    from crashlens.scenarios import conditional_gaussian, loads, run
    from crashlens.scenarios.propagation import covariance

    rng = np.random.default_rng(0)
    n, k = 200, [0, 5, 17, 42, 99]
    a = rng.normal(size=(n, n))
    cov = a @ a.T / n + np.eye(n) * 0.1
    s = rng.normal(size=len(k))
    fast = _median_ms(lambda: conditional_gaussian(cov, k, s))
    ref = _median_ms(lambda: _ref_conditional(cov, k, s), repeat=3)
    m1, c1, _ = conditional_gaussian(cov, k, s)
    m2, c2 = _ref_conditional(cov, k, s)
    print(f"conditional_gaussian n={n}, k={len(k)}: {fast:.2f} ms; python loop {ref:.1f} ms; "
          f"ratio {ref / fast:.0f}x; max diff mean {np.abs(m1 - m2).max():.1e}, "
          f"cov {np.abs(c1 - c2).max():.1e}")

    days, m = 500, 30
    x = pd.DataFrame(rng.normal(size=(days, m)) * 0.01, columns=[f"A{i}" for i in range(m)])
    x.iloc[:200, :5] = np.nan  # five short histories
    fast = _median_ms(lambda: covariance(x, method="pairwise"))
    ref = _median_ms(lambda: _ref_pairwise(x), repeat=3)
    raw = _ref_pairwise(x)
    got = covariance(x, method="pairwise")[0].to_numpy()
    print(f"pairwise covariance {days} days x {m} assets: {fast:.2f} ms; python loop "
          f"{ref:.0f} ms; ratio {ref / fast:.0f}x; max diff {np.abs(got - raw).max():.1e} "
          "(0 unless the PSD repair acted)")

    idx = pd.bdate_range("2020-01-01", periods=800)
    levels = {c: pd.Series(100 * np.exp(np.cumsum(rng.normal(size=800) * 0.01)), index=idx)
              for c in x.columns}
    kinds = dict.fromkeys(levels, "log")
    spec = loads("scenarios:\n"
                 "  - {id: a, probability: 0.5, shocks: {A0: '-10%', A1: '-5%'}}\n"
                 "  - {id: b, probability: 0.3, shocks: {A2: '+4%'}}\n"
                 "  - {id: c, probability: 0.2, shocks: {A3: '-20%', A4: '+2%', A5: '-1%'}}\n",
                 known=kinds)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        pf = Path(tmp) / "book.csv"
        pf.write_text("asset,notional\n" + "".join(f"A{i},1000000\n" for i in range(10)))
        t = _median_ms(lambda: run(spec, idx[-1], data=levels, kinds=kinds, window="2y",
                                   universe=list(levels), portfolio=pf, flows=False), repeat=5)
    print(f"run(): 30 assets, 3 scenarios, 10 positions, 2y window: {t:.0f} ms")


if __name__ == "__main__":
    main()
