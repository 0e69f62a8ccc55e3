"""Benchmark of the episodes engine: analog distances, drawdown detection, whole calls.

* Analog distances: the vectorised RMS distance (numpy, NaN-aware) from one state vector to
  every S&P 500 session since 1990 against a python double loop written here.
* Drawdown detection: the linear-scan kernel over 1950-2026 S&P 500 closes against a pandas
  reference (running max and groupby over underwater spells; threshold with full recovery).
* End-to-end ``analogs()``, ``library()``, ``anatomy()`` and ``macro.lens()`` (warm store).

Run: ``python -m benchmarks episodes`` (uses ``CRASHLENS_DATA`` or the synthetic market).
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def _median(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _loop_distance(target: np.ndarray, hist: np.ndarray, min_common: int) -> np.ndarray:
    k_t = sum(1 for v in target if math.isfinite(v))
    out = []
    for row in hist.tolist():
        s, c = 0.0, 0
        for a, b in zip(row, target.tolist(), strict=True):
            if math.isfinite(a) and math.isfinite(b):
                s += (a - b) ** 2
                c += 1
        out.append(math.sqrt(k_t * s / c) if c >= min_common else math.inf)
    return np.array(out)


def _pandas_spells(close: pd.Series, threshold: float) -> list[tuple[Any, Any]]:
    peak = close.cummax()
    spell = (close >= peak).cumsum()
    out = []
    for _, g in close.groupby(spell):
        dd = g / g.iloc[0] - 1.0
        if dd.min() <= -threshold:
            out.append((g.index[0], dd.idxmin()))
    return out


def main() -> None:
    from crashlens import data, episodes, macro
    from crashlens.episodes import _kernels as K
    from crashlens.episodes.analogs import _standardise

    print(f"synthetic store: {data.is_synthetic()}")
    frame = episodes.state_frame()
    feats = frame.drop(columns="close")
    z, _ = _standardise(feats, len(feats) - 1)
    target = z[-1]
    t_vec, d_vec = _median(lambda: K.rms_distance(target, z, 5), repeat=20)
    t_ref, d_ref = _median(lambda: _loop_distance(target, z, 5), repeat=3)
    fin = np.isfinite(d_ref)
    assert np.allclose(d_vec[fin], d_ref[fin]) and (np.isfinite(d_vec) == fin).all()
    print(f"analog distances {z.shape[0]} days x {z.shape[1]} features: numpy "
          f"{1e3 * t_vec:.2f} ms, python loop {1e3 * t_ref:.0f} ms, ratio {t_ref / t_vec:.0f}x")

    spx = data.close("SPX", "1950-01-01").dropna()
    x = spx.to_numpy()
    t_k, det = _median(lambda: K.detect_drawdowns(x, 0.10, 1.0), repeat=20)
    t_p, ref = _median(lambda: _pandas_spells(spx, 0.10), repeat=3)
    got = [(spx.index[p], spx.index[t]) for p, t, _ in det]
    assert got == ref, (got[:3], ref[:3])
    print(f"drawdown detection {len(x)} closes: kernel {1e3 * t_k:.2f} ms, pandas groupby "
          f"{1e3 * t_p:.0f} ms, ratio {t_p / t_k:.0f}x ({len(det)} episodes, identical)")

    lib_t, lib = _median(lambda: episodes.library(), repeat=3)
    asof = spx.index[-1] if data.is_synthetic() else pd.Timestamp("2025-11-21")
    an_t, _ = _median(lambda: episodes.analogs(asof, library_result=lib), repeat=3)
    full_t, _ = _median(lambda: episodes.analogs(asof), repeat=3)
    anat_t, _ = _median(lambda: episodes.anatomy("2025-11-17", "2025-11-21"), repeat=3)
    cat_t, _ = _median(lambda: episodes.catalysts(), repeat=3)
    mac_t, _ = _median(lambda: macro.lens(asof), repeat=3)
    print(f"library(): {lib_t:.2f} s | analogs() with library: {an_t:.2f} s, without: "
          f"{full_t:.2f} s | anatomy() 1 week, all assets: {anat_t:.2f} s | catalysts() "
          f"shipped file: {cat_t:.2f} s | macro.lens(): {mac_t:.2f} s")


if __name__ == "__main__":
    main()
