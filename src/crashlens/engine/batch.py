"""Partitioned, resumable batch jobs: CTA history with Monte-Carlo bands, GEX over many chains.

A job is a list of independent partitions. The chosen :class:`~crashlens.engine.Engine` runs
the partitions that are not finished yet; the driver writes each finished partition atomically
as a Parquet file under ``CRASHLENS_HOME/batch/<job-id>/parts/`` (with its compute record in
the file's metadata) and keeps ``manifest.json`` up to date; a final step combines the parts
into ``result.parquet``. A killed job rerun with the same request (same default job id)
resumes: finished partitions are read back, not recomputed, and appear exactly once.

* :func:`batch_cta` partitions ``assets x date blocks`` (plus one *book* partition per block):
  asset partitions compute price, signal and trigger levels (which depend only on the asset's
  own closes) with :func:`crashlens.cta.history`; book partitions compute the weights, USD
  notional, scenario flows and Monte-Carlo flow bands of the whole book (which depend on every
  asset) with :func:`crashlens.cta.history` and :func:`crashlens.cta.positioning`.
* :func:`batch_gex` makes one partition per chain file: :func:`crashlens.options.read_chain`
  then :func:`crashlens.options.gex`, one summary row per file.

Where a CTA job reads (``source=``): partitions run in other processes, and a context variable
does not cross into them, so the job's source travels with the work. The store is opened by each
worker itself; a :class:`crashlens.data.FramesSource` is pickled to the workers once (scattered
on Dask) and a :class:`crashlens.data.FolderSource` as its path; other sources are refused in
one line. :func:`batch_gex` reads the chain files it is given (its own ``source`` argument) and
no catalog series.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from crashlens._dates import to_timestamp
from crashlens.data.source import SourceLike, reads_source
from crashlens.engine._engine import Engine, LocalEngine
from crashlens.engine._store import JobStore
from crashlens.engine._tasks import (
    ASSET_COLUMNS,
    MC_FREQS,
    TOTAL,
    CTAPart,
    GexPart,
    cta_asset_task,
    cta_book_task,
    gex_task,
    notes_of,
)
from crashlens.engine.result import BatchResult
from crashlens.errors import DataError, ParameterError, UnknownSeriesError

__all__ = ["batch_cta", "batch_gex", "chain_files", "cta_partitions", "date_blocks",
           "run_partitions"]

Progress = Callable[[int], None]
_CHAIN_SUFFIXES = (".csv", ".parquet", ".pq")


# --------------------------------------------------------------------------- generic runner
def _dispatch(part: Any, prices: pd.DataFrame | None = None, source: Any = None
              ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Run the task of a partition spec (module-level so that workers can unpickle it).

    ``source``: the in-memory :class:`crashlens.data.Source` the job reads, made active in the
    worker for the task (None: the worker's own store).
    """
    if source is not None:
        from crashlens.data import using

        with using(source):
            return _dispatch(part, prices)
    if isinstance(part, GexPart):
        return gex_task(part)
    if isinstance(part, CTAPart):
        task = cta_asset_task if part.role == "asset" else cta_book_task
        return task(part, prices)
    raise TypeError(f"unknown partition type {type(part).__name__}")  # pragma: no cover


def run_partitions(store: JobStore, parts: Sequence[Any], engine: Engine, *,
                   shared: dict[str, Any] | None = None,
                   on_progress: Progress | None = None,
                   manifest_every: float = 1.0) -> list[str]:
    """Compute the unfinished partitions of a job and write each one as it finishes.

    Parameters
    ----------
    store : JobStore
    parts : sequence of partition specs (each with a ``pid``)
    engine : Engine
    shared : dict, optional
        Inputs common to every partition (``prices``), sent to each worker once on Dask.
    on_progress : callable, optional
        Called with the number of partitions just completed (finished ones count at once).
    manifest_every : float
        Minimum seconds between manifest rewrites (the partition files are the truth; the
        manifest is rewritten at least once at the end).

    Returns
    -------
    list of str
        Partition ids computed by this call (the others were already on disk).
    """
    ids = [p.pid for p in parts]
    if len(set(ids)) != len(ids):
        raise ParameterError("duplicate partition ids in a batch job")  # pragma: no cover
    done = store.finished() & set(ids)
    todo = [p for p in parts if p.pid not in done]
    if on_progress is not None and done:
        on_progress(len(done))
    store.write_manifest(ids, "running")
    computed: list[str] = []
    last = time.monotonic()
    for i, (frame, info) in engine.run(_dispatch, todo, shared=shared if todo else None):
        pid = todo[i].pid
        store.write_partition(pid, frame, info)
        computed.append(pid)
        if on_progress is not None:
            on_progress(1)
        if time.monotonic() - last >= manifest_every:
            store.write_manifest(ids, "running")
            last = time.monotonic()
    store.write_manifest(ids, "combining")
    return computed


def _finish(store: JobStore, parts: Sequence[Any], frame: pd.DataFrame, computed: list[str],
            infos: dict[str, dict[str, Any]], engine: Engine, t0: float,
            assumptions: dict[str, Any]) -> BatchResult:
    out = store.write_result(frame)
    ids = [p.pid for p in parts]
    warnings: list[str] = []
    rows = []
    for pid in ids:
        info = infos.get(pid, {})
        warnings.extend(w for w in notes_of(info) if w not in warnings)
        rows.append({"partition": pid, "rows": info.get("rows"),
                     "seconds": info.get("seconds"), "worker_pid": info.get("worker_pid"),
                     "computed": pid in computed})
    table = pd.DataFrame(rows, columns=["partition", "rows", "seconds", "worker_pid",
                                        "computed"])
    seconds = time.perf_counter() - t0
    store.write_manifest(ids, "done", extra={"result": out.name, "rows": len(frame),
                                             "engine": engine.describe()})
    return BatchResult(
        job_id=store.job_id, kind=store.kind, path=str(store.root), output=str(out),
        n_partitions=len(ids), computed=len(computed), skipped=len(ids) - len(computed),
        rows=len(frame), engine=engine.describe(), seconds=seconds, frame=frame,
        partitions=table, assumptions=assumptions, warnings=tuple(warnings),
    )


def _read_parts(store: JobStore, parts: Sequence[Any]
                ) -> tuple[list[pd.DataFrame], dict[str, dict[str, Any]]]:
    frames, infos = [], {}
    for p in parts:
        frame, infos[p.pid] = store.read_partition(p.pid)
        frames.append(frame)
    return frames, infos


# --------------------------------------------------------------------------- CTA
def date_blocks(start: pd.Timestamp, end: pd.Timestamp,
                block_months: int = 12) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Inclusive date blocks covering ``[start, end]``, cut on calendar boundaries.

    Blocks are aligned to multiples of ``block_months`` months counted from January (12:
    calendar years, 3: quarters, 1: months), clipped to the range.
    """
    if isinstance(block_months, bool) or not isinstance(block_months, int) \
            or not 1 <= block_months <= 120:
        raise ParameterError(f"block_months={block_months!r}: need an integer in 1..120")
    if start > end:
        raise ParameterError(f"start {start.date()} is after end {end.date()}")
    out = []
    cur = start
    while cur <= end:
        m = cur.year * 12 + cur.month - 1
        nxt = (m // block_months + 1) * block_months
        nxt_start = pd.Timestamp(year=nxt // 12, month=nxt % 12 + 1, day=1)
        out.append((cur, min(end, nxt_start - pd.Timedelta(days=1))))
        cur = nxt_start
    return out


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def _resolve_assets(assets: Sequence[str] | str | None,
                    prices: pd.DataFrame | None) -> tuple[str, ...]:
    from crashlens.cta import DEFAULT_UNIVERSE

    if isinstance(assets, str):
        assets = [a.strip() for a in assets.split(",") if a.strip()]
    if prices is not None:
        cols = [str(c) for c in prices.columns]
        names = list(assets) if assets is not None else cols
        for n in names:
            if n not in cols:
                raise UnknownSeriesError(n, cols, kind="asset")
    else:
        from crashlens import data

        names = [a.strip().upper() for a in (assets or DEFAULT_UNIVERSE)]
        known = list(data.catalog())
        for n in names:
            if n not in known:
                raise UnknownSeriesError(n, known, kind="asset")
    if not names:
        raise ParameterError("assets: the universe is empty")
    if len(set(names)) != len(names):
        raise ParameterError(f"assets: duplicated names in {names}")
    return tuple(names)


def _data_end(universe: Sequence[str], prices: pd.DataFrame | None) -> pd.Timestamp:
    if prices is not None:
        return pd.Timestamp(prices.dropna(how="all").index.max()).normalize()
    from crashlens import data

    return max(pd.Timestamp(data.close(n).index.max()) for n in universe).normalize()


def cta_partitions(start: pd.Timestamp, end: pd.Timestamp, universe: Sequence[str], *,
                   block_months: int = 12, **common: Any) -> list[CTAPart]:
    """Partition specs of a CTA batch: one per (asset, block) and one book partition per block.

    ``common`` holds the :class:`~crashlens.engine._tasks.CTAPart` fields shared by all
    partitions (``params``, ``aum``, ``flows``, ``mc_freq``).
    """
    parts = []
    for bs, be in date_blocks(start, end, block_months):
        tag = f"{bs:%Y%m%d}-{be:%Y%m%d}"
        for a in universe:
            parts.append(CTAPart(f"asset-{_safe(a)}-{tag}", "asset", a, bs, be,
                                 tuple(universe), **common))
        parts.append(CTAPart(f"book-{tag}", "book", None, bs, be, tuple(universe), **common))
    return parts


def _combine_cta(frames_asset: list[pd.DataFrame], frames_book: list[pd.DataFrame],
                 universe: Sequence[str]) -> pd.DataFrame:
    a = [f for f in frames_asset if not f.empty]
    b = [f for f in frames_book if not f.empty]
    left = pd.concat(a, ignore_index=True) if a else pd.DataFrame(columns=list(ASSET_COLUMNS))
    right = pd.concat(b, ignore_index=True) if b else pd.DataFrame(columns=["date", "asset"])
    for f in (left, right):
        f["date"] = pd.to_datetime(f["date"]).astype("datetime64[ns]")
        f["asset"] = f["asset"].astype(object)
    for name, f in (("asset", left), ("book", right)):
        dup = f.duplicated(["date", "asset"])
        if dup.any():  # pragma: no cover - partitions are disjoint by construction
            r = f[dup].iloc[0]
            raise DataError(f"duplicated {name} row for {r['asset']} on {r['date'].date()}")
    out = left.merge(right, on=["date", "asset"], how="outer")
    order = {n: i for i, n in enumerate([*universe, TOTAL])}
    out["_o"] = out["asset"].map(order)
    out = out.sort_values(["_o", "date"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def _worker_source(prices: pd.DataFrame | None) -> Any:
    """The source the workers of a CTA job read: None for the store, else one sent to them.

    A job reads either the store (each worker opens it; the job id carries the stored series'
    digest), a source held in memory (:class:`crashlens.data.FramesSource`) or a folder of
    files (:class:`crashlens.data.FolderSource`, which pickles as its path and is re-read by
    each worker), possibly cut at a date; that source is sent to the workers once. Any other
    source (online providers, a store other than the configured one) cannot be shared with
    worker processes cheaply and is refused in one line.
    """
    from crashlens import data
    from crashlens.data.folder import FolderSource
    from crashlens.data.source import FramesSource, StoreSource

    src = data.active()
    if isinstance(src, StoreSource) and src.store is data.store():
        return None
    if prices is not None:
        raise ParameterError("batch_cta: give prices= or source=, not both")
    if isinstance(src.base, FramesSource | FolderSource):
        return src
    raise ParameterError(f"batch_cta reads the store, a crashlens.data.FramesSource or a "
                         f"FolderSource; the source {src.label!r} cannot be sent to worker "
                         "processes (load its series into a FramesSource)")


@reads_source
def batch_cta(start: Any, end: Any = None, assets: Sequence[str] | str | None = None, *,
              aum: float | None = None, params: Any = None,
              prices: pd.DataFrame | None = None, block_months: int = 12, flows: bool = True,
              mc_freq: str = "month", mc_paths: int | None = None,
              engine: Engine | None = None, job_id: str | None = None, fresh: bool = False,
              on_progress: Progress | None = None, source: SourceLike = None) -> BatchResult:
    """CTA positioning, triggers, flows and Monte-Carlo bands for every day of a range.

    Parameters
    ----------
    start, end : date-like
        Inclusive range (``end`` default: the last date of the data).
    assets : sequence of str or comma-separated str, optional
        Universe (default :data:`crashlens.cta.DEFAULT_UNIVERSE`; with ``prices``, its columns).
    aum, params : optional
        As in :func:`crashlens.cta.history` (USD; :class:`crashlens.cta.CTAParams`).
    prices : DataFrame, optional
        Closes per asset instead of the catalog (sent to each Dask worker once).
    block_months : int, default 12
        Length of a date block (calendar-aligned): partitions are ``assets x blocks`` plus one
        book partition per block.
    flows : bool, default True
        Scenario flows (4 tapes x 1w/1m) on each day where every asset traded.
    mc_freq : {"month", "week", "day", "none"}, default "month"
        Monte-Carlo flow bands (``params.mc_paths`` bootstrapped paths) on the last common
        trading day of each period; each costs one :func:`crashlens.cta.positioning` call.
    mc_paths : int, optional
        Override ``params.mc_paths``.
    engine : Engine, optional
        Backend (default :class:`LocalEngine` in-process).
    job_id : str, optional
        Job folder name (default: derived from the request, so a rerun resumes).
    fresh : bool
        Discard the job's finished partitions and recompute everything.
    on_progress : callable, optional
        ``on_progress(n)`` after ``n`` partitions completed.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Workers run in other processes, so the job reads
        the store (each worker opens it), a :class:`crashlens.data.FramesSource` (pickled to
        each worker once) or a :class:`crashlens.data.FolderSource` (sent as its path, read by
        each worker), possibly cut at a date; other sources (online providers) are refused
        with a ParameterError. The job id depends on the data: the store's digest of the
        universe's series, or the source's fingerprint.

    Returns
    -------
    BatchResult
        ``frame``: one row per (date, asset) and ``TOTAL`` rows (dates where every asset of
        the block's book traded): ``price`` (yield in % for yield-quoted assets), ``signal``
        (-1..1), ``trigger_short/medium/long``, ``weight`` (fraction of AUM),
        ``notional_usd``, ``flow_<1w|1m>_<tape>`` (USD, + = buying) and
        ``mc_<1w|1m>_q<NN>`` (USD quantiles, on Monte-Carlo dates only, NaN elsewhere).

    Raises
    ------
    ParameterError
        Start after end, bad block length / schedule / path count, a job id reused for a
        different request, both ``prices`` and a non-store ``source``, or a source that cannot
        be sent to workers.
    UnknownSeriesError
        An asset not in the catalog (or not a column of ``prices``).
    """
    from crashlens.cta import CTAParams

    t0 = time.perf_counter()
    if mc_freq not in MC_FREQS:
        raise ParameterError(f"mc_freq: '{mc_freq}' is not one of {', '.join(MC_FREQS)}")
    params = params if params is not None else CTAParams.preset("desk")  # the CTA default
    if mc_paths is not None:
        if isinstance(mc_paths, bool) or not isinstance(mc_paths, int) or mc_paths < 1:
            raise ParameterError(f"mc_paths={mc_paths!r}: need an integer >= 1")
        params = params.replace(mc_paths=mc_paths)
    start_ts = to_timestamp(start, "start")
    end_ts = to_timestamp(end, "end") if end is not None else None
    if end_ts is not None and start_ts > end_ts:
        raise ParameterError(f"start {start_ts.date()} is after end {end_ts.date()}")
    if prices is not None and not isinstance(prices, pd.DataFrame):
        prices = pd.DataFrame(prices)
    worker_src = _worker_source(prices)
    universe = _resolve_assets(assets, prices)
    if prices is not None:
        prices = prices[list(universe)]
    if end_ts is None:
        end_ts = _data_end(universe, prices)
    elif prices is None:  # ingest the store here once, not in every worker at the same time
        from crashlens import data

        data.close(universe[0])
    blocks = date_blocks(start_ts, end_ts, block_months)
    spec = {
        "kind": "cta", "start": start_ts, "end": end_ts, "assets": list(universe),
        "aum": aum, "params": params.assumptions(), "block_months": block_months,
        "flows": flows, "mc_freq": mc_freq,
        "source": _source_tag(prices, universe, worker_src),
    }
    store = JobStore("cta", spec, job_id, fresh=fresh)
    parts = cta_partitions(start_ts, end_ts, universe, block_months=block_months,
                           params=params, aum=aum, flows=flows, mc_freq=mc_freq)
    own = engine is None
    eng = engine or LocalEngine()
    try:
        shared: dict[str, Any] = {}
        if prices is not None:
            shared["prices"] = prices
        if worker_src is not None:
            shared["source"] = worker_src
        computed = run_partitions(store, parts, eng, on_progress=on_progress,
                                  shared=shared or None)
    finally:
        if own:
            eng.close()
    frames, infos = _read_parts(store, parts)
    asset_f = [f for f, p in zip(frames, parts, strict=True) if p.role == "asset"]
    book_f = [f for f, p in zip(frames, parts, strict=True) if p.role == "book"]
    frame = _combine_cta(asset_f, book_f, universe)
    assumptions = {**params.assumptions(), "aum": aum if aum is not None else params.aum,
                   "block_months": block_months, "n_blocks": len(blocks), "flows": flows,
                   "mc_freq": mc_freq, "assets": list(universe),
                   "book_per_block": "each block's book holds the assets usable at the "
                                     "block's end (as positioning would as of that date)"}
    return _finish(store, parts, frame, computed, infos, eng, t0, assumptions)


def _source_tag(prices: pd.DataFrame | None, universe: Sequence[str],
                source: Any = None) -> dict[str, Any]:
    """What the job reads, by content: the job id changes whenever the input data changes.

    With the store, the digest covers the stored series of the universe (themselves rebuilt
    from the raw files' contents), so editing a raw file and rerunning computes afresh instead
    of resuming from partitions computed on the old prices. An in-memory source is tagged by
    its fingerprint (a hash of its frames and cut date).
    """
    if source is not None:
        return {"source": source.fingerprint()}
    if prices is not None:
        h = pd.util.hash_pandas_object(prices, index=True).to_numpy()
        digest = hashlib.sha256(h.tobytes() + ",".join(map(str, prices.columns)).encode())
        return {"prices": digest.hexdigest()[:16]}
    from crashlens import config, data

    d = config.data_dir()
    return {"catalog": str(d) if d is not None else None, "synthetic": data.is_synthetic(),
            "data": data.store().series_digest(list(universe))[:16]}


# --------------------------------------------------------------------------- GEX
def chain_files(source: str | Path | Sequence[str | Path]) -> list[Path]:
    """Chain files of a folder (``*.csv``, ``*.parquet``, ``*.pq``), a glob, or a list.

    Raises
    ------
    DataError
        No such file or folder, or nothing matches.
    """
    if isinstance(source, str | Path):
        text = str(source)
        p = Path(text).expanduser()
        if p.is_dir():
            files = sorted(f for f in p.iterdir()
                           if f.is_file() and f.suffix.lower() in _CHAIN_SUFFIXES)
            if not files:
                raise DataError("folder holds no chain file (*.csv, *.parquet, *.pq)",
                                path=str(p))
            return [f.resolve() for f in files]
        if p.is_file():
            return [p.resolve()]
        if glob.has_magic(text):
            files = sorted(Path(f) for f in glob.glob(os.path.expanduser(text), recursive=True)
                           if Path(f).is_file())
            if not files:
                raise DataError("no chain file matches this pattern", path=text)
            return [f.resolve() for f in files]
        raise DataError("no such chain file or folder", path=text)
    files = []
    for item in source:
        f = Path(item).expanduser()
        if not f.is_file():
            raise DataError("no such chain file", path=str(f))
        files.append(f.resolve())
    if not files:
        raise DataError("no chain files given")
    return files


def _files_pid(paths: Sequence[Path]) -> str:
    """Partition id from the files' paths and contents (SHA-256).

    An edit that keeps the size and modification time still recomputes the partition.
    """
    from crashlens.data.store import file_digest

    h = hashlib.sha256()
    for path in paths:
        h.update(f"{path}|{file_digest(path)}\n".encode())
    more = f"-n{len(paths)}" if len(paths) > 1 else ""
    return f"{_safe(paths[0].stem)[:60]}{more}-{h.hexdigest()[:10]}"


def batch_gex(source: str | Path | Sequence[str | Path], *, spot: float | None = None,
              rate: float = 0.0, dividend_yield: float = 0.0,
              sign_convention: str | None = None, on_error: str = "record",
              files_per_partition: int = 1, engine: Engine | None = None,
              job_id: str | None = None, fresh: bool = False,
              on_progress: Progress | None = None) -> BatchResult:
    """One dealer-GEX summary per option-chain file (:func:`crashlens.options.gex`).

    Parameters
    ----------
    source : folder, glob pattern or list of files
        A folder means its ``*.csv``, ``*.parquet`` and ``*.pq`` files; a pattern is expanded
        with :mod:`glob` (``**`` recursive). Files are read with
        :func:`crashlens.options.read_chain` (CBOE quotedata or the generic layout).
    spot : float, optional
        Override every chain's own spot (default: each file's quote).
    rate, dividend_yield : float
        Continuously compounded annual fractions passed to ``gex``.
    sign_convention : str, optional
        Dealer sign convention (default: the engine's).
    on_error : {"record", "raise"}, default "record"
        A bad chain file gives a row with an ``error`` message (and a warning) instead of
        stopping the batch; ``raise`` stops at the first bad file.
    files_per_partition : int, default 1
        Chain files per partition (consecutive in sorted order). Many small chains run faster
        in chunks (fewer tasks, files and scheduler round trips); with chunks, adding a file
        recomputes the chunks from its position on.
    engine, job_id, fresh, on_progress
        As in :func:`batch_cta`. The default job id depends on the source and options, and a
        partition on its files' paths and contents: rerunning after adding or changing files
        computes only those (with one file per partition).

    Returns
    -------
    BatchResult
        ``frame``: one row per file with ``file``, ``name``, ``underlying``, ``spot``, ``asof``,
        ``total_gex_usd_per_1pct``, ``zero_gamma``, ``call_wall``, ``put_wall``,
        ``abs_gamma_strike``, ``hedge_flow_usd_per_1pct``, ``zero_dte_share``, ``dex_usd``,
        ``vanna_usd_per_vol_pt``, ``charm_usd_per_day``, ``zero_gamma_ex_next_expiry``,
        ``zero_gamma_ex_next_monthly``, ``n_contracts``, ``n_warnings``, ``error``.

    Raises
    ------
    DataError
        No file matches ``source``.
    ParameterError
        Bad ``on_error`` or ``files_per_partition``.
    """
    t0 = time.perf_counter()
    if on_error not in {"record", "raise"}:
        raise ParameterError(f"on_error: '{on_error}' is not one of record, raise")
    k = files_per_partition
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ParameterError(f"files_per_partition={k!r}: need an integer >= 1")
    files = chain_files(source)
    opts: dict[str, Any] = {"rate": rate, "dividend_yield": dividend_yield}
    if spot is not None:
        opts["spot"] = spot
    if sign_convention is not None:
        opts["sign_convention"] = sign_convention
    src = (str(Path(str(source)).expanduser().resolve()) if isinstance(source, str | Path)
           else sorted(str(f) for f in files))
    spec: dict[str, Any] = {"kind": "gex", "source": src, "options": opts,
                            "on_error": on_error}
    if k > 1:
        spec["files_per_partition"] = k
    store = JobStore("gex", spec, job_id, fresh=fresh)
    chunks = [files[i:i + k] for i in range(0, len(files), k)]
    parts = [GexPart(_files_pid(c), tuple(str(f) for f in c), tuple(sorted(opts.items())),
                     on_error) for c in chunks]
    own = engine is None
    eng = engine or LocalEngine()
    try:
        computed = run_partitions(store, parts, eng, on_progress=on_progress)
    finally:
        if own:
            eng.close()
    frames, infos = _read_parts(store, parts)
    frames = [f for f in frames if not f.empty]
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.sort_values(["underlying", "asof", "name"], kind="stable",
                              na_position="last").reset_index(drop=True)
    assumptions = {"rate": rate, "dividend_yield": dividend_yield,
                   "spot": spot if spot is not None else "each chain's own quote",
                   "sign_convention": sign_convention or "engine default",
                   "on_error": on_error, "n_files": len(files),
                   "files_per_partition": k}
    return _finish(store, parts, frame, computed, infos, eng, t0, assumptions)
