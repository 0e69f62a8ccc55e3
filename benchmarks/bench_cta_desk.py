"""Benchmark of the desk preset (issue 13): global universe positioning and the calibration.

1. ``cta.positioning`` with the ``desk`` preset on the global universe (20 catalog names:
   positioning, three pivots per asset, the flow curve, 4 tapes x 2 horizons of flows), timed
   cold (first call in the process) and warm (median of 5), with and without Monte-Carlo
   bands. Reference: the pivots of every asset recomputed with pandas ``ewm`` (a price-vs-EMA
   signal flips where tomorrow's close equals today's EMA); the numbers must agree.
2. ``cta.calibrate`` on the desk readings. Reference: the same time-series cross-validation
   written plainly with pandas (every fold recomputes every candidate EMA / SMA series from the
   closes with ``ewm`` / ``rolling``); the chosen signals and CV errors must agree.
3. The position fit's 1,800 variants (group weights x position half-life x vol x window):
   the global equity percentile at every reading, computed by re-blending and re-smoothing
   each vol's book (``engine.regrouped_targets``, ``sizing.held_weights``). Reference: one
   full ``build_book`` per (vol, weights, half-life) with those in the parameters, and the
   percentile by pandas over a 365-day-year window; the percentiles must agree.

Run: ``python -m benchmarks cta_desk`` (needs ``CRASHLENS_DATA`` and the desk readings).
"""

from __future__ import annotations

import itertools
import math
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

READINGS = Path(__file__).resolve().parents[2] / "shared" / "data" / "desk" / \
    "cta_desk_readings_2018_2025h1.csv"
ASOF = "2025-11-14"


def _timed(fn, repeat: int = 5) -> tuple[float, object]:
    out = None
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def bench_positioning() -> None:
    from crashlens import cta, data

    t0 = time.perf_counter()
    res = cta.positioning(ASOF, mc=False)
    cold = time.perf_counter() - t0
    warm, res = _timed(lambda: cta.positioning(ASOF, mc=False))
    warm_mc, _ = _timed(lambda: cta.positioning(ASOF, mc=True), repeat=3)
    params = cta.CTAParams.preset("desk")
    assert params.blend is not None

    def reference() -> dict[str, dict[str, float]]:
        out = {}
        for name in res.assets:
            s = data.close(name, end=ASOF)
            if name in dict(params.yield_durations):
                s, _ = cta.yield_to_price(s, dict(params.yield_durations)[name])
            out[name] = {g: float(s.ewm(span=h, adjust=False).mean().iloc[-1])
                         for g, _, h, _, _ in params.blend}
        return out

    ref_t, ref = _timed(reference, repeat=3)
    worst = 0.0
    yields = set(res.assumptions.get("yield_proxies", {}))
    for name, b in res.assets.items():
        if name in yields:
            continue  # triggers reported in yield units; compared on price assets only
        for g, v in ref[name].items():
            got = b["triggers"][g]
            if got is not None and math.isfinite(got):
                worst = max(worst, abs(got / v - 1))
    print(f"desk positioning, {len(res.assets)} assets as of {ASOF}: cold {cold:.2f} s, warm "
          f"{warm:.3f} s (median of 5), with Monte-Carlo {warm_mc:.3f} s (median of 3)")
    print(f"  pivots by pandas ewm (reference, pivots only): {ref_t:.3f} s; max relative "
          f"difference {worst:.1e}")


def _reference_calibration(closes: pd.Series, frame: pd.DataFrame, min_train: int,
                           grid: tuple[int, ...], ranges: dict[str, tuple[int, int]]
                           ) -> dict[str, tuple[str, float]]:
    """Plain expanding-window CV: every fold recomputes every candidate series with pandas."""
    out = {}
    for g in ("short", "medium", "long"):
        have = frame[frame[g].notna()]
        preds = []
        for j in range(min_train, len(have)):
            train = have.iloc[:j]
            best, key = None, (math.inf, math.inf)
            lo, hi = ranges[g]
            for fam in ("ema", "sma"):
                for h in grid:
                    if not lo <= h <= hi:
                        continue
                    series = (closes.ewm(span=h, adjust=False).mean() if fam == "ema"
                              else closes.rolling(h - 1).mean())
                    lv = series.reindex(train["asof"]).to_numpy()
                    err = np.abs(lv / train[g].to_numpy() - 1)
                    if not np.isfinite(err).all():
                        continue
                    k = (float(np.median(err)), float(np.mean(err)))
                    if k < key:
                        best, key = (fam, h), k
            assert best is not None
            fam, h = best
            series = (closes.ewm(span=h, adjust=False).mean() if fam == "ema"
                      else closes.rolling(h - 1).mean())
            preds.append(abs(float(series[have["asof"].iloc[j]]) / have[g].iloc[j] - 1))
        out[g] = (f"{best[0]}_{best[1]}" if best else "-", float(np.median(preds)))
    return out


def bench_calibrate() -> None:
    from crashlens import cta, data
    from crashlens.cta import fit
    from crashlens.cta.desk import read_readings, snap_asof

    if not READINGS.is_file():
        print(f"  skip calibrate: {READINGS} not found")
        return
    t, res = _timed(lambda: cta.calibrate(READINGS), repeat=3)
    closes = data.close("SPX")
    frame, _ = snap_asof(read_readings(READINGS).frame, pd.DatetimeIndex(closes.index))
    frame = frame[frame[["short", "medium", "long"]].notna().any(axis=1)]
    t0 = time.perf_counter()
    ref = _reference_calibration(closes, frame, 5, fit.HORIZON_GRID, fit.GROUP_RANGES)
    ref_t = time.perf_counter() - t0
    print(f"calibrate (19 readings, 200 candidates, 3 groups, 1800 position variants, 2 "
          f"scenario-vol options): {t:.2f} s (median of 3); plain pandas CV of the pivots "
          f"alone {ref_t:.2f} s -> {ref_t / t:.1f}x")
    for g, (sig, cv) in ref.items():
        got = res.scores["pivots"][g]
        print(f"  {g}: crashlens {got['signal']} CV median {got['cv_median']:.4%}; reference "
              f"last fold {sig} CV median {cv:.4%}")


def bench_position_variants() -> None:
    from crashlens import data
    from crashlens.cta import CTAParams
    from crashlens.cta import fit_position as fp
    from crashlens.cta.desk import read_readings, snap_asof
    from crashlens.cta.engine import build_book
    from crashlens.cta.sizing import position_runin

    if not READINGS.is_file():
        print(f"  skip position variants: {READINGS} not found")
        return
    fitted = CTAParams.preset("desk")
    cal = pd.DatetimeIndex(data.close("SPX").index)
    frame = read_readings(READINGS).frame
    rows, _ = snap_asof(frame[frame["global_pct"].notna()], cal)
    years = (1, 3, 5)
    first = rows["asof"].min() - pd.Timedelta(days=366 * max(years) + 30)

    def fast() -> list:
        return fp._Search(fitted, rows, first, None, max(fp.POSITION_HALFLIVES)).variants(
            fp.VOL_VARIANTS, fp.GROUP_WEIGHTS, fp.POSITION_HALFLIVES, years)

    t, variants = _timed(fast, repeat=3)

    def reference() -> dict:
        out = {}
        for vol in fp.VOL_VARIANTS:
            for gw, hl in itertools.product(fp.GROUP_WEIGHTS, fp.POSITION_HALFLIVES):
                prm = fitted.replace(**fp.vol_kw(vol), aum=1.0, position_halflife=hl,
                                     blend=fp.weighted_blend(fitted, gw))
                # the same first day as the search's unsmoothed books (which start a run-in
                # for the longest half-life early; build_book adds this variant's own run-in)
                start = (first - position_runin(max(fp.POSITION_HALFLIVES))
                         + position_runin(hl))
                book = build_book(rows["asof"].max(), None, params=prm, start=start)
                eq = pd.Series(book.weights[[s == "equity" for s in book.sectors]].sum(axis=0),
                               index=book.dates)
                for y in years:
                    pct = []
                    for d in rows["asof"]:
                        day = eq.index[eq.index.searchsorted(d, side="right") - 1]
                        win = eq[(eq.index > day - pd.Timedelta(days=365 * y))
                                 & (eq.index <= day)]
                        pct.append(float((win <= eq[day]).mean()))
                    out[(vol, gw, hl, y)] = np.array(pct)
        return out

    t0 = time.perf_counter()
    ref = reference()
    ref_t = time.perf_counter() - t0
    worst, nan_mismatch = 0.0, 0
    for v in variants:
        want = ref[(v.vol, v.weights, v.halflife, v.years)]
        nan_mismatch += int((np.isnan(v.pct) != np.isnan(want)).sum())
        both = np.isfinite(v.pct) & np.isfinite(want)
        if both.any():
            worst = max(worst, float(np.abs(v.pct[both] - want[both]).max()))
    print(f"position variants ({len(variants)}: {len(fp.GROUP_WEIGHTS)} weightings x "
          f"{len(fp.POSITION_HALFLIVES)} half-lives x {len(fp.VOL_VARIANTS)} vols x "
          f"{len(years)} windows, {len(rows)} readings): "
          f"{t:.2f} s (median of 3); one build_book per (vol, weights, half-life) + pandas "
          f"percentile {ref_t:.2f} s -> {ref_t / t:.1f}x; max |difference| {worst:.1e}, "
          f"NaN where the other is not: {nan_mismatch}")


def main() -> None:
    bench_positioning()
    bench_calibrate()
    bench_position_variants()


if __name__ == "__main__":
    main()
