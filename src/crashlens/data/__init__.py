"""Data layer: catalog of logical series, raw-file loaders, the DuckDB store and its query API.

Typical use::

    import crashlens as cl
    spx = cl.data.get("SPX", "2025-01-01", "2025-11-21")          # OHLCV frame
    closes = cl.data.panel(["SPX", "BTC", "GOLD"], start="2025-01-01")
    nov = cl.data.sql("SELECT date, close FROM SPX WHERE date >= '2025-11-01'")

Reads go to the *active source* (:mod:`crashlens.data.source`): by default the store, whose
first query ingests the raw files of ``CRASHLENS_DATA`` (or, when that is unset, the
deterministic synthetic market: then :func:`is_synthetic` is True and every output must say
so). Bring your own data with ``source=`` on any engine, or ``with cl.data.using(src):`` —
a :class:`FramesSource` of frames, a :class:`FolderSource` of CSV/Parquet files or a
:class:`ProviderSource` fetching online (docs/data.md, "Use your own data").
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from crashlens._dates import DateLike, to_timestamp
from crashlens.config import data_dir, home_dir
from crashlens.data._sql import sql
from crashlens.data.catalog import CATALOG, SeriesSpec, SourceSpec, catalog, spec
from crashlens.data.schema import Frequency, Kind
from crashlens.data.source import (
    CutSource,
    FramesSource,
    Source,
    SourceLike,
    StoreSource,
    active,
    as_source,
    close_column,
    is_store,
    reads_source,
    using,
)
from crashlens.data.store import IngestReport, Store, fingerprint
from crashlens.errors import ParameterError, UnknownSeriesError

_lock = threading.Lock()
_ready: dict[tuple[str, str], Store] = {}


def store() -> Store:
    """Return the store for the current configuration, ingesting on first use.

    The store is (re)built when it is empty or when its inputs differ from the configured ones
    (``CRASHLENS_DATA`` changed, a raw file changed, or real data appeared where the store held
    the synthetic market).
    """
    ddir = data_dir()
    home = home_dir()
    key = (str(home), str(ddir))
    with _lock:
        if key in _ready:
            return _ready[key]
        st = Store(home)
        manifest = st.manifest()
        wanted = fingerprint(ddir, None if ddir else 20251121)
        if manifest is None or manifest.get("fingerprint") != wanted:
            st.ingest(ddir)
        _ready[key] = st
        return st


def ingest(path: Path | None = None, *, force: bool = False, skip_bad: bool = False,
           on_progress: Any = None) -> IngestReport:
    """Ingest raw files (``path``, else ``CRASHLENS_DATA``, else the synthetic market)."""
    ddir = path if path is not None else data_dir()
    if ddir is not None and not Path(ddir).is_dir():
        from crashlens.errors import DataError

        raise DataError("data folder does not exist", path=str(ddir))
    st = Store(home_dir())
    report = st.ingest(Path(ddir) if ddir else None, force=force, skip_bad=skip_bad,
                       on_progress=on_progress)
    with _lock:
        _ready.clear()
    return report


def get(name: str, start: DateLike = None, end: DateLike = None,
        fields: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Return a catalog series from the active source (default: the store).

    Parameters
    ----------
    name : str
        Catalog name, case-insensitive (``"SPX"``, ``"UST10Y"``, ``"COT_ES"`` ...).
    start, end : str or Timestamp, optional
        Inclusive date bounds.
    fields : str or sequence of str, optional
        Columns to return (``"close"``, ``["open", "close"]`` ...); default all.

    Returns
    -------
    DataFrame
        Indexed by ``date``; columns per :mod:`crashlens.data.schema` for the series' kind.

    Raises
    ------
    UnknownSeriesError
        Unknown name (the message suggests the nearest catalog names), or a name the active
        source does not hold.
    ParameterError
        Bad dates or ``start`` after ``end``.
    """
    sp = spec(name)
    lo, hi = _bounds(start, end)
    src = active()
    _check_held(src, [sp])
    cols = [fields] if isinstance(fields, str) else fields
    return src.read(sp.name, lo, hi, cols)


def _bounds(start: DateLike, end: DateLike) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    lo = None if start is None else to_timestamp(start, "start")
    hi = None if end is None else to_timestamp(end, "end")
    if lo is not None and hi is not None and lo > hi:
        raise ParameterError(f"start {lo.date()} is after end {hi.date()}")
    return lo, hi


def _check_held(src: Source, specs: Sequence[SeriesSpec]) -> None:
    held = src.names()
    for sp in specs:
        if sp.name not in held:
            where = "in this store" if is_store(src) else f"in {src.label}"
            raise UnknownSeriesError(sp.name, held, kind=f"series {where}")


def close(name: str, start: DateLike = None, end: DateLike = None) -> pd.Series:
    """Return the close (price, oi) or the value (value, funding) of a series as a Series."""
    sp = spec(name)
    column = close_column(sp)
    out = get(sp.name, start, end, fields=column)[column]
    out.name = sp.name
    return out


def panel(names: Sequence[str], start: DateLike = None, end: DateLike = None) -> pd.DataFrame:
    """Closes/values of several series side by side (outer join on dates, nothing filled).

    Built in one DuckDB query over the series' Parquet files (date filter in SQL), not by
    joining frames in pandas; the result equals ``pd.concat([close(n, start, end) for n in
    names], axis=1)`` (tested on the real data).

    Parameters
    ----------
    names : sequence of str
        Catalog names, case-insensitive; columns come out named by catalog name, in order.
    start, end : str or Timestamp, optional
        Inclusive date bounds.

    Returns
    -------
    DataFrame
        Indexed by ``date``; one column per series (its close, value or open interest, in the
        series' unit).
    """
    if not names:
        raise ParameterError("panel needs at least one series name")
    specs = [spec(n) for n in names]
    lo, hi = _bounds(start, end)
    src = active()
    _check_held(src, specs)
    return src.panel([(sp.name, close_column(sp)) for sp in specs], lo, hi)


def names() -> list[str]:
    """Catalog names of the series the active source holds, sorted."""
    return active().names()


def is_synthetic() -> bool:
    """True when the active source is the synthetic market (outputs must be stamped SYNTHETIC)."""
    return active().synthetic


def files_dir() -> Path | None:
    """Folder of the files engines read by name for the active source (None: it has none).

    Option chains, macro first prints, Fed odds and the crypto market files are read from it.
    """
    return active().files


def list_series() -> pd.DataFrame:
    """Every series in the store: name, kind, unit, frequency, first, last, rows, sources."""
    st = store()
    cat = st.table("catalog")
    cov = st.table("coverage")
    srcs = (cov[cov["role"] != "cross-check"].groupby("series")["source"]
            .agg(lambda s: ", ".join(s)))
    cat["sources"] = cat["name"].map(srcs).fillna("")
    return cat.sort_values("name").reset_index(drop=True)


def __getattr__(attr: str) -> Any:
    # FolderSource and ProviderSource import their readers lazily (keeps `import crashlens` fast)
    if attr == "FolderSource":
        from crashlens.data.folder import FolderSource

        return FolderSource
    if attr == "ProviderSource":
        from crashlens.data.providers.source import ProviderSource

        return ProviderSource
    raise AttributeError(f"module 'crashlens.data' has no attribute '{attr}'")


__all__ = [
    "CATALOG", "CutSource", "FolderSource", "FramesSource", "Frequency", "IngestReport", "Kind",
    "ProviderSource", "SeriesSpec", "Source", "SourceLike", "SourceSpec", "Store",
    "StoreSource", "active", "as_source", "catalog", "close", "files_dir", "get", "ingest",
    "is_synthetic", "list_series", "names", "panel", "reads_source", "spec", "sql", "store",
    "using",
]
