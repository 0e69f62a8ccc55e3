"""Benchmark of the CTA engine against a straightforward pandas implementation.

Workload (issue 3): full positioning + aggregate triggers + 4 scenarios x 2 horizons for every
daily catalog price / yield series over 25 years of data. The crashlens run is timed cold
(first call in the process: numba compilation / cache load, imports) and warm (median of
repeats). The pandas reference recomputes each asset's signals with pandas (``ewm``,
``rolling``, ``shift``) on the whole series for every candidate price (brentq) and every
simulated day, which is how a straightforward implementation re-simulates a path; it is timed
on a subset of assets and scaled per asset. Both must agree on the numbers (printed).

Run: ``python -m benchmarks.bench_cta`` (uses ``CRASHLENS_DATA`` or the synthetic market).
"""

from __future__ import annotations

import math
import statistics
import sys
import time

import numpy as np
import pandas as pd
from scipy.optimize import brentq

EXCLUDE = {"WTI"}  # a negative print (2020-04-20) has no log return: rejected by design
YEARS = 25
REF_ASSETS = ("SPX", "GOLD", "UST10Y")


def load_universe() -> pd.DataFrame:
    from crashlens import data
    from crashlens.cta import CTAParams, yield_to_price

    durations = dict(CTAParams().yield_durations)
    cols = {}
    for name, spec in data.catalog().items():
        if spec.frequency.value != "daily" or name in EXCLUDE:
            continue
        if spec.kind.value == "price" or name in durations:
            try:
                s = data.close(name)
            except Exception as exc:  # report and skip what the store lacks
                print(f"  skip {name}: {exc}", file=sys.stderr)
                continue
            if name in durations:
                s, _ = yield_to_price(s, durations[name])
            cols[name] = s
    frame = pd.DataFrame(cols)
    end = frame.index.max()
    return frame.loc[end - pd.DateOffset(years=YEARS):]


# --------------------------------------------------------------------------- pandas reference
H = (10, 21, 63, 126, 252)
COM, ANN, TARGET, FLOOR = 60.0, 261.0, 0.10, 0.005


def _scalar(fast: float, slow: float) -> float:
    a, b = 1 - 2 / (slow + 1), 1 - 2 / (fast + 1)
    var = a * a / (1 - a * a) + b * b / (1 - b * b) - 2 * a * b / (1 - a * b)
    return 10.0 / (math.sqrt(2 / math.pi) * math.sqrt(var))


def pandas_signals(close: pd.Series, hold_sig: float | None = None) -> tuple[pd.DataFrame, float]:
    """All 20 components on the whole series; returns (components frame, last daily vol)."""
    r2 = np.log(close).diff() ** 2
    var = r2.iloc[1:].ewm(alpha=1 / (1 + COM), adjust=False).mean().reindex(close.index)
    sig = np.maximum(np.sqrt(var), FLOOR / math.sqrt(ANN))
    if hold_sig is not None:
        sig.iloc[-1] = hold_sig
    out = {}
    for h in H:
        out[f"tsmom_{h}"] = np.sign(close - close.shift(h))
    for h in H:
        z = np.log(close / close.shift(h)) / (sig * math.sqrt(h))
        out[f"norm_mom_{h}"] = z.clip(-1, 1)
    for h in H:
        ef = close.ewm(span=h / 4, adjust=False).mean()
        es = close.ewm(span=h, adjust=False).mean()
        out[f"ewmac_{h}"] = (_scalar(h / 4, h) * (ef - es) / (close * sig)).clip(-20, 20) / 20
    for h in H:
        nf = max(1, round(h / 4))
        out[f"ma_cross_{h}"] = np.sign(close.rolling(nf).mean() - close.rolling(h).mean())
    return pd.DataFrame(out), float(sig.iloc[-1])


def pandas_asset(close: pd.Series, budget_scale: float, aum: float) -> dict:
    """Positioning, triggers and 8 scenario flows of one asset, recomputing with pandas."""
    comps, sig_d = pandas_signals(close)
    s_now = float(comps.iloc[-1].mean())
    sig_ann = sig_d * math.sqrt(ANN)
    w_now = budget_scale * s_now / sig_ann
    spot = float(close.iloc[-1])
    nxt = close.index[-1] + pd.Timedelta(days=1)
    groups = {"short": [c for c in comps if int(c.rsplit("_", 1)[1]) <= 21],
              "medium": [c for c in comps if 21 < int(c.rsplit("_", 1)[1]) <= 126],
              "long": [c for c in comps if int(c.rsplit("_", 1)[1]) > 126]}

    def group_signal(price: float, cols: list[str]) -> float:
        ext = pd.concat([close, pd.Series([price], index=[nxt])])
        c, _ = pandas_signals(ext, hold_sig=sig_d)
        return float(c.iloc[-1][cols].mean())

    triggers = {}
    for g, cols in groups.items():
        lo, hi = 0.7 * spot, 1.3 * spot
        flo, fhi = group_signal(lo, cols), group_signal(hi, cols)
        triggers[g] = (brentq(lambda x, cols=cols: group_signal(x, cols), lo, hi, xtol=1e-8)
                       if flo * fhi < 0 else math.nan)
    flows = {}
    for label, horizon in (("1w", 5), ("1m", 21)):
        for tape, ks in (("flat", 0), ("up", 1), ("down", -1), ("down_big", -2)):
            path = [spot * math.exp(ks * sig_d * math.sqrt(horizon) * k / horizon)
                    for k in range(1, horizon + 1)]
            ext = close.copy()
            c_prev, total = aum * w_now / spot, 0.0
            for k, price in enumerate(path):
                ext = pd.concat([ext, pd.Series([price], index=[nxt + pd.Timedelta(days=k)])])
                c, sd = pandas_signals(ext)
                w = budget_scale * float(c.iloc[-1].mean()) / (sd * math.sqrt(ANN))
                cnow = aum * w / price
                total += (cnow - c_prev) * price
                c_prev = cnow
            flows[(label, tape)] = total
    return {"notional": aum * w_now, "triggers": triggers, "flows": flows}


# --------------------------------------------------------------------------- main


def main() -> None:
    t0 = time.perf_counter()
    frame = load_universe()
    load_s = time.perf_counter() - t0
    print(f"universe: {frame.shape[1]} assets, {frame.shape[0]} dates "
          f"({frame.index[0].date()} .. {frame.index[-1].date()}); load {load_s:.2f} s")

    t0 = time.perf_counter()
    from crashlens.cta import CTAParams, positioning

    res = positioning(prices=frame, mc=False)
    cold = time.perf_counter() - t0
    warm_times = []
    for _ in range(5):
        t0 = time.perf_counter()
        res = positioning(prices=frame, mc=False)
        warm_times.append(time.perf_counter() - t0)
    warm = statistics.median(warm_times)
    t0 = time.perf_counter()
    positioning(prices=frame, mc=True)
    with_mc = time.perf_counter() - t0
    n_assets = len(res.assets)
    print(f"crashlens cold: {cold:.2f} s (imports + numba cache/compile + run)")
    print(f"crashlens warm: median {warm:.3f} s over 5 runs ({n_assets} assets); "
          f"with Monte-Carlo bands ({CTAParams().mc_paths} paths x 2 horizons): {with_mc:.2f} s")

    # the reference on single-asset books (same numbers as crashlens on that asset alone)
    ref_times, diffs = [], []
    for name in REF_ASSETS:
        if name not in frame:
            continue
        close = frame[name].dropna()
        t0 = time.perf_counter()
        ref = pandas_asset(close, TARGET, 300e9)
        ref_times.append(time.perf_counter() - t0)
        mine = positioning(prices=close, mc=False).assets[name]
        diffs.append(abs(ref["notional"] / mine["notional_usd"] - 1))
        for g, v in ref["triggers"].items():
            if math.isfinite(v):
                diffs.append(abs(v / mine["triggers"][g] - 1))
        for (h, tape), v in ref["flows"].items():
            diffs.append(abs(v - mine["flows_usd"][h][tape]) / max(abs(v), 1e6))
    per_asset_ref = statistics.mean(ref_times)
    single = []
    for _ in range(3):
        t0 = time.perf_counter()
        for name in REF_ASSETS:
            positioning(prices=frame[name].dropna(), mc=False)
        single.append((time.perf_counter() - t0) / len(REF_ASSETS))
    per_asset_mine = statistics.median(single)
    ref_total = per_asset_ref * n_assets
    print(f"pandas reference: {per_asset_ref:.2f} s per asset (timed on "
          f"{', '.join(REF_ASSETS)}), ~{ref_total:.0f} s for {n_assets} assets")
    print(f"crashlens single-asset run: {per_asset_mine * 1e3:.1f} ms per asset")
    print(f"max relative difference crashlens vs pandas reference: {max(diffs):.2e}")
    print(f"ratio (pandas / crashlens, same assets, single-asset books): "
          f"{per_asset_ref / per_asset_mine:.0f}x")
    print(f"ratio (pandas extrapolated to the universe / crashlens warm): "
          f"{ref_total / warm:.0f}x")


if __name__ == "__main__":
    main()
