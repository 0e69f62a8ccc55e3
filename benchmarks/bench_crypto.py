"""Benchmark of the crypto liquidation replay (issue 14: a one-month replay at 4-hour steps
must take under 2 s).

Workloads:

1. ``crashlens.crypto.replay("2025-10-01", "2025-10-31")`` on the real files (BTC and ETH,
   4-hourly market OI, 90-day lookback: 2 x 726 steps), cold (first call: files read and
   parsed) and warm (files cached in the process).
2. The model kernel alone (:func:`crashlens.crypto.model.simulate`) on the BTC path of that
   replay, against a plain-Python reference (a list of cohorts walked step by step) written
   here; both answers are compared.

Needs ``CRASHLENS_DATA``. Run: ``python -m benchmarks crypto``.
"""

from __future__ import annotations

import statistics
import time

import numpy as np


def _timed(fn, repeats: int = 5) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def reference_simulate(oi, p0, p1, lo, hi, model) -> tuple[list[float], list[float]]:
    """Plain-Python walk: one dict per cohort."""
    from crashlens.crypto.liquidation import liquidation_price

    lev, mmr, wt = model.cohorts()
    book: list[dict] = []

    def open_(t: int, notional: float) -> None:
        mid = 0.5 * (p0[t] + p1[t])
        for x, m, w in zip(lev, mmr, wt, strict=True):
            for side in ("long", "short"):
                book.append({"side": side, "n": notional * w,
                             "lp": float(liquidation_price(mid, x, side, m))})

    open_(0, oi[0])
    longs, shorts = [0.0], [0.0]
    for t in range(1, len(oi)):
        ll = ss = 0.0
        for c in book:
            if c["n"] > 0 and c["side"] == "long" and c["lp"] >= lo[t]:
                ll += c["n"]
                c["n"] = 0.0
            elif c["n"] > 0 and c["side"] == "short" and c["lp"] <= hi[t]:
                ss += c["n"]
                c["n"] = 0.0
        longs.append(ll)
        shorts.append(ss)
        for side in ("long", "short"):
            held = sum(c["n"] for c in book if c["side"] == side)
            if held > oi[t]:
                for c in book:
                    if c["side"] == side:
                        c["n"] *= oi[t] / held
            elif held < oi[t]:
                mid = 0.5 * (p0[t] + p1[t])
                for x, m, w in zip(lev, mmr, wt, strict=True):
                    book.append({"side": side, "n": (oi[t] - held) * w,
                                 "lp": float(liquidation_price(mid, x, side, m))})
    return longs, shorts


def main() -> None:
    import pandas as pd

    from crashlens import data
    from crashlens.crypto import LiquidationModel, replay, simulate
    from crashlens.crypto.replay import build_path

    t0 = time.perf_counter()
    data.store()  # open (or build, when the raw files changed) the store once per process
    print(f"store ready: {(time.perf_counter() - t0) * 1e3:.0f} ms (not part of the replay)")
    t0 = time.perf_counter()
    r = replay("2025-10-01", "2025-10-31")
    cold = time.perf_counter() - t0
    warm, r = _timed(lambda: replay("2025-10-01", "2025-10-31"))
    steps = len(r.path)
    print(f"one-month replay (BTC+ETH, {steps} counted 4-h steps, 90-day lookback): "
          f"cold {cold * 1e3:.0f} ms, warm median {warm * 1e3:.0f} ms")
    m = LiquidationModel()
    t1 = pd.Timestamp("2025-11-01")
    f = build_path("BTC", t1 - pd.Timedelta(days=m.lookback_days + 30), t1, m).frame
    args = [f[c].to_numpy() for c in ("oi_liquidatable_usd", "p_start", "price", "low", "high")]
    k_time, (ll, sl, _) = _timed(lambda: simulate(*args, m))  # type: ignore[misc]
    ref_time, (rl, rs) = _timed(lambda: reference_simulate(*args, m), repeats=1)  # type: ignore[misc]
    diff = max(np.max(np.abs(np.asarray(rl) - ll)), np.max(np.abs(np.asarray(rs) - sl)))
    print(f"kernel on the BTC path ({len(f)} steps): {k_time * 1e3:.1f} ms; plain-Python "
          f"reference {ref_time * 1e3:.0f} ms; ratio {ref_time / k_time:.0f}x; max abs "
          f"difference {diff:.3g} USD (of {ll.sum() / 1e9:.1f} bn liquidated)")
