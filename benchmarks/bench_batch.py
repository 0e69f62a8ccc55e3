"""Batch throughput: local in-process vs a local process pool vs Dask with 1 and 2 workers.

Workloads (synthetic, no raw data needed):

* **GEX**: ``N_CHAINS`` synthetic SPX chains (~1,200 contracts each) in the generic CSV/Parquet
  layout; one partition per file.
* **CTA**: three random-walk assets over ``CTA_MONTHS`` months in ``CTA_BLOCK``-month blocks
  with scenario flows and monthly Monte-Carlo bands (``MC_PATHS`` paths): ``3 x blocks`` asset
  partitions + ``blocks`` book partitions.

Each backend runs the whole job ``REPEATS`` times from scratch (``fresh=True``); the median
wall time is reported with partitions per second. Cluster / pool start-up is timed separately
(it is paid once per session). The reference is a plain serial loop written here: GEX =
``read_chain`` + ``gex`` per file; CTA = one ``cta.history`` call over the whole range plus a
``positioning`` call per month end, without partitions, files or a manifest. The serial
fraction ``f`` comes from Amdahl's law, ``S(2) = T1 / T2 = 1 / (f + (1 - f) / 2)``.

Run: ``python -m benchmarks batch`` (takes a few minutes on the 2-core machine).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

N_CHAINS = 24
CTA_MONTHS = 12
CTA_BLOCK = 3
MC_PATHS = 200
CHUNK = 6
REPEATS = 3


def _median(fn: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    """Median wall time; second item: median serial fraction (batch runs) or the last output.

    For a batch run the serial fraction of that same run is ``1 - sum(partition compute
    seconds) / wall`` (meaningful for the in-process backend, where nothing overlaps).
    """
    times, fracs, out = [], [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        wall = time.perf_counter() - t0
        times.append(wall)
        if hasattr(out, "partitions"):
            fracs.append(max(0.0, 1.0 - float(out.partitions["seconds"].sum()) / wall))
    return statistics.median(times), (statistics.median(fracs) if fracs else out)


def _chains(folder: Path) -> list[Path]:
    from crashlens.data import synthetic

    market = synthetic.generate()
    days = pd.bdate_range("2025-10-01", periods=N_CHAINS).strftime("%Y-%m-%d")
    out = []
    for i, day in enumerate(days):
        ch = market.chain(day).assign(spot=market.chain_truth(day).spot)
        path = folder / (f"spx_{day}.parquet" if i % 2 else f"spx_{day}.csv")
        if i % 2:
            ch.to_parquet(path, index=False)
        else:
            ch.to_csv(path, index=False)
        out.append(path)
    return out


def _prices() -> pd.DataFrame:
    cols = {}
    for name, seed, vol in (("SPX", 1, 0.01), ("GOLD", 2, 0.008), ("NDX", 3, 0.013)):
        rng = np.random.default_rng(seed)
        idx = pd.bdate_range("2019-01-01", periods=900)
        cols[name] = pd.Series(100 * np.exp(np.cumsum(rng.normal(2e-4, vol, 900))), index=idx)
    # 900 business days from 2019-01-01 end in June 2022: the range below lies inside
    return pd.DataFrame(cols)


def main() -> None:
    from crashlens import cta, options
    from crashlens.engine import DaskEngine, LocalEngine, batch_cta, batch_gex

    home = tempfile.mkdtemp(prefix="crashlens-bench-batch-")
    os.environ["CRASHLENS_HOME"] = home
    folder = Path(home) / "chains"
    folder.mkdir()
    files = _chains(folder)
    prices = _prices()
    params = cta.CTAParams(mc_paths=MC_PATHS)
    start = pd.Timestamp("2021-04-01")
    end = start + pd.DateOffset(months=CTA_MONTHS) - pd.Timedelta(days=1)
    n_cta_parts = CTA_MONTHS // CTA_BLOCK * 4

    def ref_gex() -> None:
        for f in files:
            options.gex(options.read_chain(f))

    def ref_cta() -> None:
        cta.history(start, end, prices=prices, params=params, triggers=True, flows=True)
        months = pd.bdate_range(start, end).to_series().groupby(
            pd.bdate_range(start, end).to_period("M")).max()
        for d in months:
            cta.positioning(d, prices=prices, params=params, mc=True)

    ref_gex()  # warm numba caches and imports before timing
    t_ref_gex, _ = _median(ref_gex)
    t_ref_cta, _ = _median(ref_cta)
    print(f"GEX: {N_CHAINS} chains; CTA: 3 assets x {CTA_MONTHS} months in "
          f"{CTA_BLOCK}-month blocks "
          f"({n_cta_parts} partitions), flows, monthly MC bands ({MC_PATHS} paths); "
          f"median of {REPEATS}")
    print(f"{'backend':<22}{'startup s':>10}{'GEX s':>8}{'files/s':>9}{'vs ref':>8}"
          f"{'CTA s':>8}{'parts/s':>9}{'vs ref':>8}")
    print(f"{'reference (loop)':<22}{'-':>10}{t_ref_gex:8.2f}{N_CHAINS / t_ref_gex:9.2f}"
          f"{1.0:8.2f}{t_ref_cta:8.2f}{n_cta_parts / t_ref_cta:9.2f}{1.0:8.2f}")
    backends: list[tuple[str, Callable[[], Any]]] = [
        ("local in-process", lambda: LocalEngine(0)),
        ("local 2 processes", lambda: LocalEngine(2)),
        ("dask 1 worker", lambda: DaskEngine(n_workers=1, timeout=120)),
        ("dask 2 workers", lambda: DaskEngine(n_workers=2, timeout=120)),
    ]
    times: dict[str, tuple[float, float]] = {}
    serial: dict[str, tuple[float, float]] = {}
    chunked: dict[str, float] = {}
    load0 = os.getloadavg()
    for label, make in backends:
        t0 = time.perf_counter()
        eng = make()
        # warm the workers (imports, numba cache) with one untimed run of each job
        batch_gex(files[:2], engine=eng, job_id="warm-gex", fresh=True)
        startup = time.perf_counter() - t0
        try:
            t_gex, f_gex = _median(lambda e=eng: batch_gex(folder, engine=e, job_id="g",
                                                        fresh=True))
            t_cta, f_cta = _median(lambda e=eng: batch_cta(
                start, end, prices=prices, params=params, block_months=CTA_BLOCK, engine=e,
                job_id="c", fresh=True))
            t_chunk, _ = _median(lambda e=eng: batch_gex(
                folder, engine=e, job_id="gc", fresh=True, files_per_partition=CHUNK))
        finally:
            eng.close()
        times[label] = (t_gex, t_cta)
        serial[label] = (f_gex, f_cta)
        print(f"{label:<22}{startup:10.1f}{t_gex:8.2f}{N_CHAINS / t_gex:9.2f}"
              f"{t_ref_gex / t_gex:8.2f}{t_cta:8.2f}{n_cta_parts / t_cta:9.2f}"
              f"{t_ref_cta / t_cta:8.2f}", flush=True)
        chunked[label] = t_chunk
    print(f"GEX with {CHUNK} files per partition: " + ", ".join(
        f"{lb} {t:.2f} s ({N_CHAINS / t:.1f} files/s)" for lb, t in chunked.items()))
    print(f"load average (1 min) before/after: {load0[0]:.1f} / {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    for job, k in (("GEX", 0), ("CTA", 1)):
        f0 = serial["local in-process"][k]
        pred = ", ".join(f"N={n}: {1 / (f0 + (1 - f0) / n):.1f}x" for n in (2, 4, 8, 16))
        print(f"{job}: in-process driver share of wall time (intrinsic serial fraction) "
              f"{f0:.3f}; Amdahl on idle cores {pred}")
        t1, t2 = times["dask 1 worker"][k], times["dask 2 workers"][k]
        s = t1 / t2
        f = (2 / s - 1) if s > 0 else float("nan")
        n = N_CHAINS if k == 0 else n_cta_parts
        over = (t1 - times["local in-process"][k]) / n * 1e3
        print(f"{job}: dask speed-up 2 vs 1 worker {s:.2f}x -> serial fraction f = {f:.2f}; "
              f"per-partition overhead of dask-1 vs in-process {over:.0f} ms")


if __name__ == "__main__":
    main()
