"""The local store: one Parquet file per series plus a DuckDB database of metadata and views.

Layout under ``CRASHLENS_HOME/store``::

    CURRENT                   the id of the live version (replaced atomically)
    versions/<id>/
        series/<NAME>.parquet one file per catalog series
        crashlens.duckdb      tables catalog, coverage, notes, meta; one view per series
        manifest.json         fingerprint of the inputs, counts, timings

Queries go through one read-only DuckDB connection per :class:`Store` (:meth:`Store.connection`,
locked for threads, renewed when the live version changes, closed before a fork): single
series with :meth:`Store.read` (cached per version) or :meth:`Store.query` (filters in SQL),
several series with :meth:`Store.panel` (one SQL join), users' SQL with ``crashlens.data.sql``.

Ingest writes a complete new version beside the live one and only then swaps ``CURRENT`` with
``os.replace`` (atomic on POSIX), so an ingest killed at any point leaves the previous store
usable; leftovers of a dead ingest are removed by the next one. Ingest is idempotent: when the
fingerprint of the inputs (the raw files' *contents*, hashed, plus the catalog definition) is
unchanged and the live version passes its self-check, it does nothing.

Reliability rules (docs/reliability.md):

* one ingest at a time per store: an inter-process lock (``ingest.lock``, ``fcntl.flock``)
  serialises ingests and pulls, so two processes never collect each other's half-written
  version; the second one waits, then finds the store up to date;
* the store checks itself on open: the manifest must parse and every series file must have
  the size recorded in it and end with the Parquet magic bytes. A damaged live version is
  treated as absent, so the next ingest (or the first query) rebuilds it from the sources;
* a raw file that fed the live version and is now missing stops the ingest (``--skip-bad``
  builds without it and says so): deleting a file never silently drops data.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from crashlens._atomic import write_atomic
from crashlens.config import home_dir
from crashlens.data.catalog import CATALOG, VOLUME_RANGE, SeriesSpec, raw_files
from crashlens.data.splice import BuiltSeries, Coverage, build_series
from crashlens.errors import CrashlensError, DataError, StoreError

#: Bump when loaders change what they produce, to force re-ingest of existing stores.
STORE_FORMAT = 2  # 2: manifest records input and series-file digests (self-check)

ProgressFn = Callable[[str], None]


@dataclass
class IngestReport:
    """What an ingest did."""

    version: str
    source: str
    series: int
    rows: int
    seconds: float
    up_to_date: bool = False
    skipped: list[str] = field(default_factory=list)


def _catalog_hash() -> str:
    text = repr(sorted((s.name, s.kind.value, s.unit, s.sources, s.splice_tolerance,
                        s.plausible_range) for s in CATALOG.values()))
    return hashlib.sha1(f"{STORE_FORMAT}:{text}".encode()).hexdigest()[:16]


#: Seconds an ingest waits for another process's ingest to finish before giving up.
INGEST_LOCK_TIMEOUT_S = 900.0

_PARQUET_MAGIC = b"PAR1"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (hex); ``"missing"`` when it does not exist.

    Content, not size and mtime: an edit that keeps the size, or a copy that keeps the mtime,
    still changes the fingerprint.
    """
    if not path.is_file():
        return "missing"
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        raise DataError(f"cannot read file ({exc.strerror or exc})", path=str(path)) from exc


def input_digests(data_dir: Path) -> dict[str, str]:
    """Content digest of every catalog raw file present in ``data_dir``."""
    return {name: file_digest(data_dir / name) for name in raw_files()
            if (data_dir / name).is_file()}


def fingerprint(data_dir: Path | None, synthetic_seed: int | None = None) -> str:
    """Fingerprint of the inputs an ingest would read: the catalog and the raw files' contents."""
    h = hashlib.sha256(_catalog_hash().encode())
    if data_dir is None:
        h.update(f"synthetic:{synthetic_seed}".encode())
    else:
        h.update(str(data_dir.resolve()).encode())
        for name, digest in input_digests(data_dir).items():
            h.update(f"{name}:{digest}\n".encode())
    return h.hexdigest()


class Store:
    """Handle on the store under a home folder (default ``crashlens.config.home_dir()``)."""

    def __init__(self, home: Path | None = None) -> None:
        self.root = (home or home_dir()) / "store"
        self._cache: dict[tuple[str, str], pd.DataFrame] = {}
        self._fields: dict[tuple[str, str], list[str]] = {}
        self._healthy: set[str] = set()
        self._names: dict[str, list[str]] = {}
        # One DuckDB connection per Store, reused by every query. A DuckDB connection is not
        # thread-safe and the API serves requests on threads, so every use holds this lock
        # (re-entrant: a query may open the connection inside another store call).
        self._con: duckdb.DuckDBPyConnection | None = None
        self._con_key: tuple[str, int] | None = None  # (version, pid) it was opened for
        self._con_lock = threading.RLock()
        _OPEN_STORES.add(self)

    # -- versions ----------------------------------------------------------------------------
    @property
    def version(self) -> str | None:
        """Id of the live version, or None when nothing was ingested yet or it is damaged."""
        vid = self._pointer()
        if vid is None or self.problems(vid):
            return None
        return vid

    def _pointer(self) -> str | None:
        pointer = self.root / "CURRENT"
        try:
            vid = pointer.read_text().strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, UnicodeDecodeError):
            return None  # unreadable pointer: treated as no store, the next ingest rewrites it
        return vid or None

    def problems(self, version: str | None = None, *, full: bool = False) -> list[str]:
        """Self-check of a version: what is wrong with it (empty when healthy).

        Parameters
        ----------
        version : str, optional
            The version to check (default: the one ``CURRENT`` names).
        full : bool
            Also compare each series file's SHA-256 with the manifest (reads every byte);
            the default checks sizes and the Parquet trailer only, cheap enough for every open.

        Returns
        -------
        list of str
            One line per problem: unreadable or invalid manifest, missing, resized or
            truncated series files, a missing database.
        """
        vid = version or self._pointer()
        if vid is None:
            return ["no live version"]
        if vid in self._healthy and not full:
            return []
        vdir = self.root / "versions" / vid
        try:
            manifest = json.loads((vdir / "manifest.json").read_text())
            files = manifest["files"] if "files" in manifest else None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            return [f"{vdir / 'manifest.json'}: unreadable or invalid ({exc})"]
        found: list[str] = []
        if not (vdir / "crashlens.duckdb").is_file():
            found.append(f"{vdir / 'crashlens.duckdb'}: missing")
        for rel, rec in (files or {}).items():
            path = vdir / rel
            try:
                size = path.stat().st_size
                with open(path, "rb") as fh:
                    fh.seek(max(size - 4, 0))
                    tail = fh.read(4)
            except OSError:
                found.append(f"{path}: missing")
                continue
            if size != rec.get("size") or tail != _PARQUET_MAGIC:
                found.append(f"{path}: {size} bytes, expected {rec.get('size')} (truncated?)")
            elif full and file_digest(path) != rec.get("sha256"):
                found.append(f"{path}: content differs from the manifest")
        if not found:
            self._healthy.add(vid)
        return found

    def _vdir(self, version: str | None = None) -> Path:
        vid = version or self.version
        if vid is None:
            raise StoreError(self._absent_message())
        return self.root / "versions" / vid

    def _absent_message(self) -> str:
        vid = self._pointer()
        if vid is None:
            return f"the store at {self.root} is empty; run 'crashlens data ingest'"
        found = self.problems(vid)
        return (f"the store at {self.root} is damaged ({found[0]}"
                f"{f' and {len(found) - 1} more' if len(found) > 1 else ''}); run "
                "'crashlens data ingest' to rebuild it from the sources")

    def manifest(self) -> dict[str, Any] | None:
        """The live version's manifest, or None (nothing ingested, or the version is damaged)."""
        vid = self.version
        if vid is None:
            return None
        try:
            return dict(json.loads((self.root / "versions" / vid / "manifest.json").read_text()))
        except (OSError, ValueError):
            return None

    @contextmanager
    def _ingest_lock(self, timeout: float = INGEST_LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold the store's inter-process ingest lock (waits up to ``timeout`` seconds).

        ``fcntl.flock`` is released by the kernel when its holder dies, so a killed ingest never
        leaves a stale lock behind.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            fh = open(self.root / "ingest.lock", "a+")
        except OSError as exc:
            raise StoreError(f"cannot open the store lock in {self.root} "
                             f"({exc.strerror or exc})") from exc
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"another ingest has held the store lock {self.root / 'ingest.lock'} "
                            f"for over {timeout:.0f} s; try again when it ends") from None
                    time.sleep(0.1)
            yield
        finally:
            fh.close()  # releases the lock

    # -- ingest ------------------------------------------------------------------------------
    def ingest(
        self,
        data_dir: Path | None,
        *,
        force: bool = False,
        skip_bad: bool = False,
        on_progress: ProgressFn | None = None,
        synthetic_seed: int = 20251121,
    ) -> IngestReport:
        """Build a new version from ``data_dir`` (or the synthetic market when None) and swap it in.

        Parameters
        ----------
        data_dir : Path or None
            Folder of raw files; None ingests the deterministic synthetic market.
        force : bool
            Rebuild even when the inputs are unchanged.
        skip_bad : bool
            Skip series whose files fail validation (listed in the report) instead of failing.
        on_progress : callable, optional
            Called with each series name as it is written.
        synthetic_seed : int
            Seed of the synthetic market when ``data_dir`` is None.
        """
        t0 = time.perf_counter()
        with self._ingest_lock():
            # Everything below runs under the lock, the up-to-date check included: a process
            # that waited for another's ingest finds the store up to date instead of rebuilding.
            self._healthy.clear()
            fp = fingerprint(data_dir, None if data_dir else synthetic_seed)
            current = self.manifest()
            if (current is not None and current.get("fingerprint") == fp and not force
                    and not self.problems(full=True)):
                return IngestReport(current["version"], current["source"], current["series"],
                                    current["rows"], time.perf_counter() - t0, up_to_date=True)
            digests = input_digests(data_dir) if data_dir is not None else {}
            previous = self._previous_inputs(current, data_dir)
            built, skipped, source = self._build(data_dir, skip_bad, synthetic_seed, previous)
            throttle = float(os.environ.get("CRASHLENS_INGEST_THROTTLE_S", "0") or 0)
            with self._new_version() as (vid, vdir):
                rows = 0
                for name, b in built.items():
                    b.frame.to_parquet(vdir / "series" / f"{name}.parquet")
                    rows += len(b.frame)
                    if on_progress:
                        on_progress(name)
                    if throttle:  # test hook: widens the window in which an ingest can be killed
                        time.sleep(throttle)
                self._write_db(vdir, *self._tables(built, data_dir is None))
                manifest = {
                    "version": vid, "fingerprint": fp, "source": source,
                    "synthetic": data_dir is None, "series": len(built), "rows": rows,
                    "skipped": skipped, "created": pd.Timestamp.now("UTC").isoformat(),
                    "seconds": round(time.perf_counter() - t0, 3), "format": STORE_FORMAT,
                    "inputs": digests, "files": _file_records(vdir),
                }
                _write_manifest(vdir, manifest)
        return IngestReport(vid, source, len(built), rows, time.perf_counter() - t0,
                            skipped=skipped)

    @staticmethod
    def _previous_inputs(current: dict[str, Any] | None, data_dir: Path | None) -> set[str]:
        """Raw files the live version was built from, when it was built from ``data_dir``."""
        if current is None or data_dir is None or current.get("synthetic"):
            return set()
        if current.get("source") != str(data_dir.resolve()):
            return set()
        return set(current.get("inputs", {}))

    def _build(self, data_dir: Path | None, skip_bad: bool, seed: int,
               previous: set[str] | None = None
               ) -> tuple[dict[str, BuiltSeries], list[str], str]:
        if data_dir is None:
            from crashlens.data import synthetic

            market = synthetic.generate(seed=seed)
            built = {}
            for name, frame in sorted(market.series.items()):
                cov = Coverage(name, f"synthetic(seed={seed})", "primary", len(frame),
                               frame.index.min(), frame.index.max())
                built[name] = BuiltSeries(frame, [cov], [synthetic.SYNTHETIC_LABEL])
            return built, [], f"synthetic(seed={seed})"
        present = {f for f in raw_files() if (data_dir / f).exists()}
        if not present:
            raise DataError("no catalog file found in the data folder (expected files such as "
                            "sp500_daily_ohlc.csv; see SOURCES.md)", path=str(data_dir))
        # A file that fed the live store and is gone now: its data would vanish silently.
        lost = sorted((previous or set()) - present)
        if lost and not skip_bad:
            raise DataError(
                f"file not found, but the live store was built from it ({len(lost)} such "
                f"file(s): {', '.join(lost)}); restore it, or pass --skip-bad to rebuild "
                "without it", path=str(data_dir / lost[0]))
        built = {}
        skipped: list[str] = []
        for name, spec in CATALOG.items():
            available = tuple(s for s in spec.sources if s.file in present)
            gone = [s.file for s in spec.sources if s.file in lost]
            if gone:
                skipped.append(f"{name}: built without missing file(s) {', '.join(gone)}"
                               if available else f"{name}: its file(s) {', '.join(gone)} "
                               "are missing")
            if not available:
                if not gone:
                    skipped.append(f"{name}: no source file present")
                continue
            try:
                b = build_series(_with_sources(spec, available), data_dir)
            except CrashlensError as exc:
                if not skip_bad:
                    raise
                skipped.append(f"{name}: {exc}")
                continue
            if len(available) < len(spec.sources):
                missing = [s.file for s in spec.sources if s.file not in present]
                b.notes.append(f"missing source file(s): {', '.join(missing)}")
            built[name] = b
        return built, skipped, str(data_dir.resolve())

    @staticmethod
    def _tables(built: dict[str, BuiltSeries], synthetic: bool
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Catalog, coverage and notes tables describing built series."""
        rows = []
        for n, b in built.items():
            sp = CATALOG.get(n)
            rows.append({
                "name": n, "kind": sp.kind.value if sp else "price", "unit": sp.unit if sp else "",
                "frequency": sp.frequency.value if sp else "daily",
                "description": sp.description if sp else n,
                "licence": "synthetic" if synthetic or sp is None else sp.licence,
                "first": b.frame.index.min(), "last": b.frame.index.max(), "rows": len(b.frame)})
        cov = pd.DataFrame([c.__dict__ for b in built.values() for c in b.coverage])
        notes = pd.DataFrame([{"series": n, "note": t} for n, b in built.items() for t in b.notes],
                             columns=["series", "note"])
        return pd.DataFrame(rows), cov, notes

    def _write_db(self, vdir: Path, cat: pd.DataFrame, cov: pd.DataFrame, notes: pd.DataFrame
                  ) -> None:
        con = duckdb.connect(str(vdir / "crashlens.duckdb"))
        try:
            for table, frame in (("catalog", cat), ("coverage", cov), ("notes", notes)):
                con.register("_tmp", frame)
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM _tmp")
                con.unregister("_tmp")
            for name in cat["name"]:
                path = (vdir / "series" / f"{name}.parquet").resolve()
                con.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{path}')")
        finally:
            con.close()

    def upsert(self, frames: dict[str, tuple[pd.DataFrame, str]]) -> str:
        """Merge fetched frames into a new version of the store and swap it in atomically.

        Parameters
        ----------
        frames : dict
            ``{name: (frame, source_label)}``; each frame in its kind's schema. On dates both
            the store and the frame cover, the frame wins (it is the newer fetch); other dates
            of the stored series are kept.

        Returns
        -------
        str
            The new version id.
        """
        with self._ingest_lock():
            return self._upsert(frames)

    def _upsert(self, frames: dict[str, tuple[pd.DataFrame, str]]) -> str:
        for name, (frame, source) in frames.items():
            check_frame(name, frame, source)  # fetched values obey the raw files' rules
        old = self._vdir()
        manifest = self.manifest() or {}
        cat, cov, notes = (self.table(t) for t in ("catalog", "coverage", "notes"))
        with self._new_version() as (vid, vdir):
            for p in (old / "series").glob("*.parquet"):
                if p.stem not in frames:
                    shutil.copy2(p, vdir / "series" / p.name)
            built: dict[str, BuiltSeries] = {}
            for name, (frame, source) in frames.items():
                stored = (self.read(name) if (old / "series" / f"{name}.parquet").exists()
                          else frame.iloc[:0])
                merged = pd.concat([stored.loc[stored.index.difference(frame.index)], frame])
                merged = merged.sort_index()
                merged.index.name = "date"
                merged.to_parquet(vdir / "series" / f"{name}.parquet")
                cover = Coverage(name, source, "pulled", len(frame), frame.index.min(),
                                 frame.index.max())
                built[name] = BuiltSeries(merged, [cover], [f"pulled from {source}"])
            new_cat, new_cov, new_notes = self._tables(built, bool(manifest.get("synthetic")))
            names = set(frames)
            cat = pd.concat([cat[~cat["name"].isin(names)], new_cat], ignore_index=True)
            cov = pd.concat([cov, new_cov], ignore_index=True)
            notes = pd.concat([notes, new_notes], ignore_index=True)
            self._write_db(vdir, cat, cov, notes)
            manifest.update(version=vid, series=len(cat), rows=int(cat["rows"].sum()),
                            pulled=sorted(set(manifest.get("pulled", [])) | names),
                            files=_file_records(vdir))
            _write_manifest(vdir, manifest)
        return vid

    @contextmanager
    def _new_version(self) -> Iterator[tuple[str, Path]]:
        """A fresh ``(version id, folder)`` for the block to fill (``manifest.json`` included).

        When the block succeeds the version becomes current (atomic swap) and older versions
        are collected; when it fails or is interrupted the folder is removed.
        """
        vid = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        vdir = self.root / "versions" / vid
        (vdir / "series").mkdir(parents=True)
        try:
            yield vid, vdir
            self._swap(vid)
        except BaseException:
            shutil.rmtree(vdir, ignore_errors=True)
            raise
        self._collect_garbage(keep=vid)
        self._cache.clear()
        self._fields.clear()
        self.close()  # it was on the collected version

    def _swap(self, vid: str) -> None:
        write_atomic(self.root / "CURRENT", vid)  # fsynced temporary file + os.replace

    def _collect_garbage(self, keep: str) -> None:
        for d in (self.root / "versions").iterdir():
            if d.name != keep:
                shutil.rmtree(d, ignore_errors=True)
        for pattern in ("CURRENT.*.tmp", ".CURRENT.*.tmp"):  # old and write_atomic's names
            for t in self.root.glob(pattern):
                t.unlink(missing_ok=True)

    # -- queries -----------------------------------------------------------------------------
    @contextmanager
    def connection(self, version: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """The store's one DuckDB connection, on ``version`` (default: the live one), locked.

        The connection is opened read-only on the version's ``crashlens.duckdb`` (its tables
        ``catalog``, ``coverage``, ``notes`` and one view per series), with file access limited
        to the store folder, and reused until the live version changes. The block holds the
        store's lock: keep it short, and do not hand the connection to another thread.

        Raises
        ------
        StoreError
            No live version, or its database cannot be opened.
        """
        vid = version or self.version
        if vid is None:
            raise StoreError(self._absent_message())
        with self._con_lock:
            # A forked child must not use its parent's connection (DuckDB is not fork-safe):
            # the pid in the key makes it open its own.
            if self._con is None or self._con_key != (vid, os.getpid()):
                self._open(vid)
            assert self._con is not None
            yield self._con

    def _open(self, vid: str) -> None:
        """(Re)open the connection on version ``vid``; called with the lock held."""
        if self._con is not None and self._con_key is not None \
                and self._con_key[1] == os.getpid():
            self._con.close()
        self._con = self._con_key = None
        path = self.root / "versions" / vid / "crashlens.duckdb"
        try:
            con = duckdb.connect(str(path), read_only=True)
            # Reads stay inside the store; nothing (a user's SQL included) reads or writes
            # other files. Cannot be re-enabled on this connection once disabled.
            con.execute("SET allowed_directories = ?", [[f"{self.root.resolve()}/"]])
            con.execute("SET enable_external_access = false")
        except duckdb.Error as exc:
            raise StoreError(
                f"{path}: cannot open the store database ({str(exc).splitlines()[0]}); run "
                "'crashlens data ingest' to rebuild the store from the sources") from exc
        self._con, self._con_key = con, (vid, os.getpid())

    def close(self) -> None:
        """Close the store's DuckDB connection (the next query reopens it)."""
        with self._con_lock:
            if self._con is not None and self._con_key is not None \
                    and self._con_key[1] == os.getpid():
                self._con.close()
            self._con = self._con_key = None

    def names(self) -> list[str]:
        """Names of the series in the live version (listed once per version)."""
        vdir = self._vdir()
        if vdir.name not in self._names:  # a version's files never change once it is live
            self._names[vdir.name] = sorted(p.stem for p in (vdir / "series").glob("*.parquet"))
        return list(self._names[vdir.name])

    def read(self, name: str, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None,
             fields: Sequence[str] | None = None) -> pd.DataFrame:
        """Read one series between two dates (inclusive).

        The single read entry point of the engines (the point-in-time test cuts it at a date).
        The first read of a series in a version reads the whole file (one SQL query) and keeps
        it; later reads slice that copy. Measured in ``benchmarks/bench_store.py`` (SPX, one
        year): a cached slice takes ~1 ms against ~7 ms for a query with the date filter pushed
        into SQL, and engines read the same series many times, so the cache stays (``query`` is
        the uncached path with filters in SQL).
        """
        frame = self._on_live(lambda vid: self._cached(vid, name))
        if start is not None or end is not None:
            frame = frame.loc[start:end]
        if fields is not None:
            self._check_fields(name, list(frame.columns), fields)
            frame = frame[list(fields)]
        return frame.copy()

    def query(self, name: str, start: pd.Timestamp | None = None,
              end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
              ) -> pd.DataFrame:
        """Read one series with the date filter and the columns pushed into SQL (no cache).

        Parameters
        ----------
        name : str
            Series name as stored (catalog name, upper case).
        start, end : Timestamp, optional
            Inclusive date bounds (``WHERE date BETWEEN ? AND ?``).
        fields : sequence of str, optional
            Columns to read (default all).

        Returns
        -------
        DataFrame
            Indexed by ``date`` (datetime64[ns], ascending); the same frame as :meth:`read`.
        """
        return self._on_live(lambda vid: self._select(vid, name, start, end, fields))

    def panel(self, columns: Sequence[tuple[str, str]], start: pd.Timestamp | None = None,
              end: pd.Timestamp | None = None) -> pd.DataFrame:
        """One column of several series side by side, joined on date in one SQL query.

        Parameters
        ----------
        columns : sequence of (series, column)
            E.g. ``[("SPX", "close"), ("UST10Y", "value")]``; output columns are named after
            the series, in this order.
        start, end : Timestamp, optional
            Inclusive date bounds, applied in SQL.

        Returns
        -------
        DataFrame
            Indexed by ``date``, ascending, every date of any series (outer join); a series
            without a row on a date has NaN there (nothing is filled).
        """
        if not columns:
            raise DataError("a panel needs at least one series")
        return self._on_live(lambda vid: self._panel(vid, columns, start, end))

    def _on_live(self, fn: Callable[[str], pd.DataFrame]) -> pd.DataFrame:
        """Run ``fn(version)`` on the live version, retrying once if it was swapped meanwhile."""
        vid = self.version
        if vid is None:
            raise StoreError(self._absent_message())
        try:
            return fn(vid)
        except StoreError:
            # The version may have been swapped and collected by an ingest in another
            # process between reading CURRENT and the file: retry once on the new one.
            self._healthy.discard(vid)
            newer = self.version
            if newer is None or newer == vid:
                raise
            return fn(newer)

    def _cached(self, vid: str, name: str) -> pd.DataFrame:
        key = (vid, name)
        if key not in self._cache:
            self._cache[key] = self._select(vid, name)
        return self._cache[key]

    def _path(self, vid: str, name: str) -> Path:
        path = self.root / "versions" / vid / "series" / f"{name}.parquet"
        if not path.exists():
            if (self.root / "versions" / vid).is_dir():
                raise StoreError(f"series {name} is not in the store (see 'crashlens data list')")
            raise StoreError(f"store version {vid} disappeared while reading {name}")
        return path.resolve()  # resolved: the connection only reads under the resolved root

    def _execute(self, vid: str, path: Path, sql: str, params: list[Any]) -> pd.DataFrame:
        with self.connection(vid) as con:
            try:
                return con.execute(sql, params).df()
            except duckdb.Error as exc:
                raise StoreError(
                    f"{path}: damaged series file ({str(exc).splitlines()[0]}); run "
                    "'crashlens data ingest' to rebuild the store from the sources") from exc

    def _columns(self, vid: str, name: str) -> list[str]:
        """Column names of a series file (its Parquet schema, read once per version)."""
        key = (vid, name)
        if key not in self._fields:
            path = self._path(vid, name)
            head = self._execute(vid, path, "SELECT * FROM read_parquet(?) LIMIT 0", [str(path)])
            self._fields[key] = [c for c in head.columns if c != "date"]
        return self._fields[key]

    @staticmethod
    def _check_fields(name: str, have: list[str], fields: Sequence[str]) -> None:
        missing = [f for f in fields if f not in have]
        if missing:
            raise DataError(f"series {name} has no field(s) {', '.join(missing)}; fields are "
                            f"{', '.join(have)}")

    @staticmethod
    def _where(start: pd.Timestamp | None, end: pd.Timestamp | None) -> tuple[str, list[Any]]:
        """SQL date filter (inclusive bounds) and its parameters."""
        conds, params = [], []
        if start is not None:
            conds.append("date >= ?")
            params.append(pd.Timestamp(start).to_pydatetime())
        if end is not None:
            conds.append("date <= ?")
            params.append(pd.Timestamp(end).to_pydatetime())
        return (f" WHERE {' AND '.join(conds)}" if conds else ""), params

    def _select(self, vid: str, name: str, start: pd.Timestamp | None = None,
                end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
                ) -> pd.DataFrame:
        path = self._path(vid, name)
        cols = "*"
        if fields is not None:
            self._check_fields(name, self._columns(vid, name), fields)
            # Names were checked against the file's schema, so quoting them is safe.
            cols = ", ".join(["date", *(f'"{f}"' for f in fields)])
        where, params = self._where(start, end)
        frame = self._execute(vid, path, f"SELECT {cols} FROM read_parquet(?){where} "
                              "ORDER BY date", [str(path), *params])
        return _dated(frame)

    def _panel(self, vid: str, columns: Sequence[tuple[str, str]],
               start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.DataFrame:
        # Long form (date, k, v) of every series, then one row per date with column k taken
        # from series k: an outer join of any number of series in one pass, no fill.
        where, bounds = self._where(start, end)
        parts, params = [], []
        for k, (name, column) in enumerate(columns):
            path = self._path(vid, name)
            self._check_fields(name, self._columns(vid, name), [column])
            parts.append(f'SELECT date, {k} AS k, "{column}" AS v FROM read_parquet(?){where}')
            params += [str(path), *bounds]
        picks = ", ".join(f"any_value(v) FILTER (WHERE k = {k}) AS c{k}"
                          for k in range(len(columns)))
        sql = (f"SELECT date, {picks} FROM ({' UNION ALL '.join(parts)}) "
               "GROUP BY date ORDER BY date")
        frame = _dated(self._execute(vid, self.root / "versions" / vid, sql, params))
        frame.columns = pd.Index([name for name, _ in columns])
        return frame

    def series_digest(self, names: Sequence[str]) -> str:
        """SHA-256 over the contents of the named series files of the live version.

        Used to fingerprint a computation by the data it reads (batch job ids): any change of
        those series - a re-ingest of edited raw files, a ``data pull`` - changes the digest,
        while changes to other series do not.
        """
        vid = self.version
        if vid is None:
            raise StoreError(self._absent_message())
        records = (self.manifest() or {}).get("files", {})
        h = hashlib.sha256()
        for name in sorted(names):
            rel = f"series/{name}.parquet"
            digest = (records.get(rel, {}).get("sha256")
                      or file_digest(self.root / "versions" / vid / rel))
            h.update(f"{name}:{digest}\n".encode())
        return h.hexdigest()

    def table(self, table: str) -> pd.DataFrame:
        """Return a metadata table (``catalog``, ``coverage`` or ``notes``) of the live version."""
        if table not in ("catalog", "coverage", "notes"):
            raise DataError(f"no store table {table!r}; tables are catalog, coverage, notes")
        with self.connection() as con:
            return con.execute(f"SELECT * FROM {table}").df()


#: Stores whose connection must be closed before a fork (see ``_close_before_fork``).
_OPEN_STORES: weakref.WeakSet[Store] = weakref.WeakSet()


def _close_before_fork() -> None:
    """Close every store connection before ``os.fork``.

    DuckDB is not fork-safe: a child that opens the file its parent holds open gets the
    parent's cached database instance, whose threads did not survive the fork, and hangs.
    Closed before the fork, the connection is simply reopened by the next query on each side.
    (crashlens' own worker pools spawn rather than fork; this protects users' pools.)
    """
    for st in list(_OPEN_STORES):
        st.close()


os.register_at_fork(before=_close_before_fork)


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """A query result indexed by its ``date`` column as datetime64[ns]."""
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame.set_index("date")


def check_frame(name: str, frame: pd.DataFrame, source: str) -> None:
    """Check a fetched frame before it enters the store: finite, in the series' plausible range.

    Raises
    ------
    DataError
        Naming the source, the date and the column of the first value that is infinite or
        outside ``SeriesSpec.plausible_range`` (NaN cells are gaps and pass).
    """
    from crashlens.data.loaders._validate import check_plausible

    spec = CATALOG.get(name)
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    if spec is None:
        check_plausible(frame, numeric, (-float("inf"), float("inf")), Path(source), name)
        return
    values = [c for c in numeric if c != "volume"]
    check_plausible(frame, values, spec.plausible_range, Path(source),
                    f"{name} ({spec.unit})")
    check_plausible(frame, ["volume"], VOLUME_RANGE, Path(source), f"{name} volume")


def _file_records(vdir: Path) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of every series file of a version, for its self-check."""
    return {f"series/{p.name}": {"size": p.stat().st_size, "sha256": file_digest(p)}
            for p in sorted((vdir / "series").glob("*.parquet"))}


def _write_manifest(vdir: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest.json`` durably: a version counts as complete only once it is there."""
    write_atomic(vdir / "manifest.json", json.dumps(manifest, indent=2))


def _with_sources(spec: SeriesSpec, sources: tuple[Any, ...]) -> SeriesSpec:
    from dataclasses import replace

    return replace(spec, sources=sources)
