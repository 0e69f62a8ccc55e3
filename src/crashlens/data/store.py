"""The local store: one Parquet file per series plus a DuckDB database of metadata and views.

Layout under ``CRASHLENS_HOME/store``::

    CURRENT                   the id of the live version (replaced atomically)
    versions/<id>/
        series/<NAME>.parquet one file per catalog series
        crashlens.duckdb      tables catalog, coverage, notes, meta; one view per series
        manifest.json         fingerprint of the inputs, counts, timings

Ingest writes a complete new version beside the live one and only then swaps ``CURRENT`` with
``os.replace`` (atomic on POSIX), so an ingest killed at any point leaves the previous store
usable; leftovers of a dead ingest are removed by the next one. Ingest is idempotent: when the
fingerprint of the inputs (raw files' names, sizes and mtimes plus the catalog definition) is
unchanged, it does nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from crashlens.config import home_dir
from crashlens.data.catalog import CATALOG, SeriesSpec, raw_files
from crashlens.data.splice import BuiltSeries, Coverage, build_series
from crashlens.errors import CrashlensError, DataError, StoreError

#: Bump when loaders change what they produce, to force re-ingest of existing stores.
STORE_FORMAT = 1

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
    text = repr(sorted((s.name, s.kind.value, s.unit, s.sources, s.splice_tolerance)
                       for s in CATALOG.values()))
    return hashlib.sha1(f"{STORE_FORMAT}:{text}".encode()).hexdigest()[:16]


def fingerprint(data_dir: Path | None, synthetic_seed: int | None = None) -> str:
    """Fingerprint of the inputs an ingest would read."""
    h = hashlib.sha1(_catalog_hash().encode())
    if data_dir is None:
        h.update(f"synthetic:{synthetic_seed}".encode())
    else:
        h.update(str(data_dir.resolve()).encode())
        for name in raw_files():
            p = data_dir / name
            st = p.stat() if p.exists() else None
            h.update(f"{name}:{st.st_size if st else -1}:{st.st_mtime_ns if st else -1}".encode())
    return h.hexdigest()


class Store:
    """Handle on the store under a home folder (default ``crashlens.config.home_dir()``)."""

    def __init__(self, home: Path | None = None) -> None:
        self.root = (home or home_dir()) / "store"
        self._cache: dict[tuple[str, str], pd.DataFrame] = {}

    # -- versions ----------------------------------------------------------------------------
    @property
    def version(self) -> str | None:
        """Id of the live version, or None when nothing was ingested yet."""
        pointer = self.root / "CURRENT"
        if not pointer.exists():
            return None
        vid = pointer.read_text().strip()
        return vid if vid and (self.root / "versions" / vid / "manifest.json").exists() else None

    def _vdir(self, version: str | None = None) -> Path:
        vid = version or self.version
        if vid is None:
            raise StoreError(f"the store at {self.root} is empty; run 'crashlens data ingest'")
        return self.root / "versions" / vid

    def manifest(self) -> dict[str, Any] | None:
        """The live version's manifest, or None."""
        if self.version is None:
            return None
        return dict(json.loads((self._vdir() / "manifest.json").read_text()))

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
        fp = fingerprint(data_dir, None if data_dir else synthetic_seed)
        current = self.manifest()
        if current is not None and current.get("fingerprint") == fp and not force:
            return IngestReport(current["version"], current["source"], current["series"],
                                current["rows"], time.perf_counter() - t0, up_to_date=True)
        built, skipped, source = self._build(data_dir, skip_bad, synthetic_seed)
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
            }
            (vdir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        return IngestReport(vid, source, len(built), rows, time.perf_counter() - t0,
                            skipped=skipped)

    def _build(self, data_dir: Path | None, skip_bad: bool, seed: int
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
        built = {}
        skipped: list[str] = []
        for name, spec in CATALOG.items():
            available = tuple(s for s in spec.sources if s.file in present)
            if not available:
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
        old = self._vdir()
        manifest = self.manifest() or {}
        con = duckdb.connect(str(old / "crashlens.duckdb"), read_only=True)
        try:
            cat, cov, notes = (con.execute(f"SELECT * FROM {t}").df()
                               for t in ("catalog", "coverage", "notes"))
        finally:
            con.close()
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
                            pulled=sorted(set(manifest.get("pulled", [])) | names))
            (vdir / "manifest.json").write_text(json.dumps(manifest, indent=2))
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

    def _swap(self, vid: str) -> None:
        tmp = self.root / f"CURRENT.{uuid.uuid4().hex}.tmp"
        with open(tmp, "w") as fh:
            fh.write(vid)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / "CURRENT")

    def _collect_garbage(self, keep: str) -> None:
        for d in (self.root / "versions").iterdir():
            if d.name != keep:
                shutil.rmtree(d, ignore_errors=True)
        for t in self.root.glob("CURRENT.*.tmp"):
            t.unlink(missing_ok=True)

    # -- queries -----------------------------------------------------------------------------
    def _connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self._vdir() / "crashlens.duckdb"), read_only=True)

    def names(self) -> list[str]:
        """Names of the series in the live version."""
        return sorted(p.stem for p in (self._vdir() / "series").glob("*.parquet"))

    def read(self, name: str, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None,
             fields: Sequence[str] | None = None) -> pd.DataFrame:
        """Read one series between two dates (inclusive) with DuckDB."""
        vid = self.version
        if vid is None:
            raise StoreError(f"the store at {self.root} is empty; run 'crashlens data ingest'")
        key = (vid, name)
        if key not in self._cache:
            path = self._vdir(vid) / "series" / f"{name}.parquet"
            if not path.exists():
                raise StoreError(f"series {name} is not in the store (see 'crashlens data list')")
            con = duckdb.connect()
            try:
                frame = con.execute(
                    "SELECT * FROM read_parquet(?) ORDER BY date", [str(path)]).df()
            finally:
                con.close()
            frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
            self._cache[key] = frame.set_index("date")
        frame = self._cache[key]
        if start is not None or end is not None:
            frame = frame.loc[start:end]
        if fields is not None:
            missing = [f for f in fields if f not in frame.columns]
            if missing:
                raise DataError(f"series {name} has no field(s) {', '.join(missing)}; fields are "
                                f"{', '.join(frame.columns)}")
            frame = frame[list(fields)]
        return frame.copy()

    def table(self, table: str) -> pd.DataFrame:
        """Return a metadata table (``catalog``, ``coverage`` or ``notes``) of the live version."""
        con = self._connect()
        try:
            return con.execute(f"SELECT * FROM {table}").df()
        finally:
            con.close()


def _with_sources(spec: SeriesSpec, sources: tuple[Any, ...]) -> SeriesSpec:
    from dataclasses import replace

    return replace(spec, sources=sources)
