"""Where engines read their data: the :class:`Source` and the source in use.

Every engine reads series through :func:`crashlens.data.get`, :func:`~crashlens.data.close`
and :func:`~crashlens.data.panel`, which ask the *active* source. The default is the store
(:class:`StoreSource`: the raw files of ``CRASHLENS_DATA`` ingested into DuckDB + Parquet). A
caller brings its own data by passing ``source=`` to an engine (or by ``with
crashlens.data.using(src):``)::

    import crashlens as cl
    mine = cl.data.FramesSource({"SPX": spx_frame, "VIX": vix_series})
    cl.cta.positioning("2025-11-21", source=mine)

A source answers four questions: which catalog series it holds (:meth:`Source.names`), the rows
of one of them between two dates (:meth:`Source.read`, columns per
:mod:`crashlens.data.schema`), whether it is the synthetic market, and which folder holds the
files read by name (option chains, first prints, prediction-market odds, crypto market files;
None when it has none). :meth:`Source.cut` gives the same source as known at a date (the
point-in-time view).

Why a context variable rather than a parameter threaded through every helper: engines read
series deep inside their helpers (signals, sizing, alignment); one active source per call keeps
those signatures about numbers, and :func:`reads_source` makes the ``source=`` of each public
engine function the one place it is set. A context variable is per thread and per task, so two
API requests with different sources never see each other's.
"""

from __future__ import annotations

import abc
import contextlib
import contextvars
import functools
import hashlib
import inspect
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import pandas as pd

from crashlens.data.catalog import CATALOG, SeriesSpec, spec
from crashlens.data.schema import Kind, columns_for
from crashlens.errors import DataError, ParameterError, UnknownSeriesError

if TYPE_CHECKING:
    from crashlens.data.store import Store

P = ParamSpec("P")
R = TypeVar("R")


def close_column(sp: SeriesSpec) -> str:
    """The column that is a series' close: ``value``, ``open_interest`` (COT) or ``close``."""
    return "value" if sp.kind in (Kind.VALUE, Kind.FUNDING) else (
        "open_interest" if sp.kind is Kind.COT else "close")


class Source(abc.ABC):
    """Where series come from.

    Subclasses implement :meth:`names` and :meth:`read`; :meth:`panel` has a generic
    implementation (one :meth:`read` per series, outer-joined on date) that a source with a
    faster path overrides.

    Attributes
    ----------
    label : str
        Short human description, printed in provenance ("store", "frames", a folder path ...).
    """

    label: str = "source"

    @abc.abstractmethod
    def names(self) -> list[str]:
        """Catalog names of the series this source holds, sorted."""

    @abc.abstractmethod
    def read(self, name: str, start: pd.Timestamp | None = None,
             end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """Rows of series ``name`` (catalog name, upper case) between two dates, inclusive.

        Returns
        -------
        DataFrame
            Indexed by ``date`` (tz-naive, normalised, ascending); the kind's columns
            (:func:`crashlens.data.schema.columns_for`), or only ``fields``.
        """

    def panel(self, columns: Sequence[tuple[str, str]], start: pd.Timestamp | None = None,
              end: pd.Timestamp | None = None) -> pd.DataFrame:
        """One column of several series side by side, outer-joined on date, nothing filled."""
        parts = [self.read(name, start, end, [col])[col].rename(name) for name, col in columns]
        out = pd.concat(parts, axis=1, sort=True)
        out.index.name = "date"
        return out

    @property
    def synthetic(self) -> bool:
        """True when the data is the deterministic synthetic market (outputs are stamped)."""
        return False

    @property
    def files(self) -> Path | None:
        """Folder of the files engines read by name (option chains, first prints ...)."""
        return None

    def fingerprint(self) -> str:
        """Identity of the data for caches: equal fingerprints mean equal answers."""
        return f"{type(self).__name__}:{id(self)}"

    @property
    def base(self) -> Source:
        """The source underneath any wrappers (a cut, a report's recording): itself here."""
        return self

    def cut(self, end: Any) -> Source:
        """Return the source as known at ``end``: no row after that date (point in time)."""
        from crashlens._dates import to_timestamp

        return CutSource(self, to_timestamp(end, "end"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.label})"


class StoreSource(Source):
    """The local store (default): raw files of ``CRASHLENS_DATA`` ingested on first use.

    Parameters
    ----------
    store : Store, optional
        A store handle; default the store of the current configuration
        (:func:`crashlens.data.store`, ingesting when its inputs changed).
    """

    label = "store"

    def __init__(self, store: Store | None = None) -> None:
        self._store = store

    @property
    def store(self) -> Store:
        """The store handle (the configured one unless one was given)."""
        if self._store is not None:
            return self._store
        from crashlens.data import store

        return store()

    def names(self) -> list[str]:
        """Catalog names held, sorted."""
        return self.store.names()

    def read(self, name: str, start: pd.Timestamp | None = None,
             end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """Rows of one series between two dates (see :meth:`Source.read`)."""
        return self.store.read(name, start, end, fields)

    def panel(self, columns: Sequence[tuple[str, str]], start: pd.Timestamp | None = None,
              end: pd.Timestamp | None = None) -> pd.DataFrame:
        """One column of several series side by side (see :meth:`Source.panel`)."""
        return self.store.panel(columns, start, end)

    @property
    def synthetic(self) -> bool:
        """True for the synthetic market."""
        manifest = self.store.manifest()
        return bool(manifest and manifest.get("synthetic"))

    @property
    def files(self) -> Path | None:
        """Folder of files read by name, or None."""
        from crashlens.config import data_dir

        return data_dir()

    def fingerprint(self) -> str:
        """Identity of the data for caches."""
        manifest = self.store.manifest() or {}
        return f"store:{manifest.get('fingerprint', '')}"


class WrappedSource(Source):
    """A source over another that answers everything as the inner one does.

    Subclasses change what they must (:class:`CutSource` hides later rows; the report's
    recording notes what was read); :attr:`base` sees through them, so "is this the store?"
    has one answer, :func:`is_store`.
    """

    def __init__(self, inner: Source) -> None:
        self.inner = inner
        self.label = inner.label

    def names(self) -> list[str]:
        """Catalog names held, sorted."""
        return self.inner.names()

    def read(self, name: str, start: pd.Timestamp | None = None,
             end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """Rows of one series between two dates (see :meth:`Source.read`)."""
        return self.inner.read(name, start, end, fields)

    def panel(self, columns: Sequence[tuple[str, str]], start: pd.Timestamp | None = None,
              end: pd.Timestamp | None = None) -> pd.DataFrame:
        """One column of several series side by side (see :meth:`Source.panel`)."""
        return self.inner.panel(columns, start, end)

    @property
    def synthetic(self) -> bool:
        """True for the synthetic market."""
        return self.inner.synthetic

    @property
    def files(self) -> Path | None:
        """Folder of files read by name, or None."""
        return self.inner.files

    def fingerprint(self) -> str:
        """Identity of the data for caches (the inner source's)."""
        return self.inner.fingerprint()

    @property
    def base(self) -> Source:
        """The innermost source."""
        return self.inner.base


class CutSource(WrappedSource):
    """Another source seen as of a date: rows after ``end`` do not exist.

    Files read by name are not cut here: each of those readers is point in time by the file's
    own timestamps (quote time, release day, as-of time).
    """

    def __init__(self, inner: Source, end: pd.Timestamp) -> None:
        super().__init__(inner)
        self.end = pd.Timestamp(end).normalize()
        self.label = f"{inner.label} cut at {self.end.date()}"

    def read(self, name: str, start: pd.Timestamp | None = None,
             end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """Rows of one series between two dates (see :meth:`Source.read`)."""
        return self.inner.read(name, start, self.end if end is None else min(end, self.end),
                               fields)

    def panel(self, columns: Sequence[tuple[str, str]], start: pd.Timestamp | None = None,
              end: pd.Timestamp | None = None) -> pd.DataFrame:
        """One column of several series side by side (see :meth:`Source.panel`)."""
        return self.inner.panel(columns, start,
                                self.end if end is None else min(end, self.end))

    def fingerprint(self) -> str:
        """Identity of the data for caches."""
        return f"{self.inner.fingerprint()}|cut:{self.end.date()}"


class FramesSource(Source):
    """In-memory frames keyed by catalog name.

    Parameters
    ----------
    frames : mapping or DataFrame
        ``{catalog name: DataFrame or Series}``, or one wide DataFrame of closes with one
        column per catalog name. A frame has the kind's columns (``open, high, low, close,
        volume`` for prices, ``value`` for yields and levels ...); missing price columns are
        NaN. A Series is the close (or value) of its series. The index must be dates.
    files : path, optional
        Folder of files read by name (option chains ...); default none.
    label : str
        Printed in provenance.

    Raises
    ------
    DataError
        One line naming the series: an unknown name, an index that is not dates, duplicated
        dates, a non-numeric column or a value outside the series' plausible range.
    """

    def __init__(self, frames: Mapping[str, pd.DataFrame | pd.Series] | pd.DataFrame,
                 files: str | Path | None = None, label: str = "frames") -> None:
        if isinstance(frames, pd.DataFrame):
            frames = {str(c): frames[c] for c in frames.columns}
        if not frames:
            raise DataError("FramesSource: no series given")
        self._frames = {key: conform(key, obj, label) for key, obj in frames.items()}
        self._frames = {spec(k).name: v for k, v in self._frames.items()}
        self._files = None if files is None else Path(files)
        self.label = label

    def names(self) -> list[str]:
        """Catalog names held, sorted."""
        return sorted(self._frames)

    def read(self, name: str, start: pd.Timestamp | None = None,
             end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """Rows of one series between two dates (see :meth:`Source.read`)."""
        return rows(self._frames[name], name, start, end, fields, self.label)

    @property
    def files(self) -> Path | None:
        """Folder of files read by name, or None."""
        return self._files

    def fingerprint(self) -> str:
        """Identity of the data for caches."""
        h = hashlib.sha256()
        for name in sorted(self._frames):
            h.update(name.encode())
            h.update(pd.util.hash_pandas_object(self._frames[name]).to_numpy().tobytes())
        return f"frames:{h.hexdigest()[:16]}"


def rows(frame: pd.DataFrame, name: str, start: pd.Timestamp | None,
         end: pd.Timestamp | None, fields: Sequence[str] | None, where: str) -> pd.DataFrame:
    """A copy of ``frame`` between two dates (inclusive), with only ``fields`` if given.

    Raises
    ------
    DataError
        A field the series does not have (naming ``where`` and the columns it has).
    """
    if start is not None or end is not None:
        frame = frame.loc[start:end]
    if fields is not None:
        missing = [f for f in fields if f not in frame.columns]
        if missing:
            raise DataError(f"series {name} has no column '{missing[0]}' (has "
                            f"{', '.join(map(str, frame.columns))})", path=where)
        frame = frame[list(fields)]
    return frame.copy()


def conform(name: str, obj: pd.DataFrame | pd.Series, where: str) -> pd.DataFrame:
    """Bring a user's frame or series to the schema of catalog series ``name``.

    Parameters
    ----------
    name : str
        Catalog name (case-insensitive).
    obj : DataFrame or Series
        Indexed by dates; a Series is the close (price, OI) or the value (value, funding).
    where : str
        Where it came from (a file, "frames"), named in errors.

    Returns
    -------
    DataFrame
        Float64 columns of the kind, indexed by a tz-naive, normalised, strictly increasing
        ``date`` index; rows without any value dropped.

    Raises
    ------
    DataError
        Unknown series, an index that does not parse as dates, duplicated dates, a column that
        is not numeric, a missing close, or a value outside the plausible range.
    """
    try:
        sp = spec(str(name))
    except UnknownSeriesError as exc:
        raise DataError(str(exc), path=where) from None
    if isinstance(obj, pd.Series):
        obj = obj.to_frame(close_column(sp))
    if not isinstance(obj, pd.DataFrame):
        raise DataError(f"{sp.name}: expected a DataFrame or Series, got "
                        f"{type(obj).__name__}", path=where)
    frame = obj.rename(columns=lambda c: str(c).strip().lower())
    try:
        with warnings.catch_warnings():  # "could not infer format": each row parsed alone
            warnings.simplefilter("ignore", UserWarning)
            idx = pd.DatetimeIndex(pd.to_datetime(frame.index))
    except (ValueError, TypeError) as exc:
        raise DataError(f"{sp.name}: the index is not dates ({exc})", path=where) from None
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    frame.index = idx.normalize().rename("date")
    if frame.index.hasnans:
        raise DataError(f"{sp.name}: a row has no date", path=where)
    dup = frame.index[frame.index.duplicated()]
    if len(dup):
        raise DataError(f"{sp.name}: date {dup[0].date()} appears twice", path=where)
    wanted = list(columns_for(sp.kind)) or list(frame.columns)
    key = close_column(sp)
    if key not in frame.columns:
        raise DataError(f"{sp.name}: no '{key}' column (has {', '.join(frame.columns)})",
                        path=where, column=key)
    out = pd.DataFrame(index=frame.index)
    for col in wanted:
        if col not in frame.columns:
            out[col] = float("nan")
            continue
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() & frame[col].notna()
        if bad.any():
            day = frame.index[bad.to_numpy()][0].date()
            raise DataError(f"{sp.name}: '{frame[col][bad].iloc[0]}' on {day} is not a number",
                            path=where, column=col)
        out[col] = values.astype("float64")
    out = out.sort_index().dropna(how="all")
    from crashlens.data.store import check_frame

    check_frame(sp.name, out, where)
    return out


# -- the active source ------------------------------------------------------------------------

_ACTIVE: contextvars.ContextVar[Source | None] = contextvars.ContextVar("crashlens_source",
                                                                      default=None)
_DEFAULT: dict[tuple[str, str], StoreSource] = {}

#: What ``source=`` accepts: a Source, a folder of files, frames, or None (the active one).
SourceLike = Source | str | Path | Mapping[str, Any] | pd.DataFrame | None


def default() -> StoreSource:
    """The store of the current configuration as a source (one per home and data folder)."""
    from crashlens.config import data_dir, home_dir

    key = (str(home_dir()), str(data_dir()))
    if key not in _DEFAULT:
        _DEFAULT[key] = StoreSource()
    return _DEFAULT[key]


def active() -> Source:
    """The source engines read now: the innermost :func:`using`, else the store."""
    src = _ACTIVE.get()
    return src if src is not None else default()


def as_source(obj: SourceLike) -> Source:
    """Turn what a caller passed as ``source=`` into a :class:`Source`.

    ``None`` is the active source; a :class:`Source` itself; a folder path a
    :class:`~crashlens.data.folder.FolderSource`; a mapping or DataFrame a
    :class:`FramesSource`.
    """
    if obj is None:
        return active()
    if isinstance(obj, Source):
        return obj
    if isinstance(obj, str | Path):
        from crashlens.data.folder import FolderSource

        return FolderSource(obj)
    if isinstance(obj, Mapping | pd.DataFrame):
        return FramesSource(obj)
    raise ParameterError(f"source: expected a crashlens.data.Source, a folder, a mapping of "
                         f"frames or a DataFrame, got {type(obj).__name__}")


@contextlib.contextmanager
def using(source: SourceLike) -> Iterator[Source]:
    """Make ``source`` the one engines read inside the ``with`` block (nests, per thread)."""
    src = as_source(source)
    token = _ACTIVE.set(src)
    try:
        yield src
    finally:
        _ACTIVE.reset(token)


def reads_source(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate a public engine function whose keyword ``source=`` selects where it reads.

    The function declares ``source: SourceLike = None`` (documented in its docstring); the
    decorator makes that source active for the call, so every read inside it — including
    helpers and other engines it calls — uses it. ``None`` leaves the active source as it is.
    """
    param = inspect.signature(fn).parameters.get("source")
    if param is None or param.kind is not inspect.Parameter.KEYWORD_ONLY:
        raise TypeError(f"{fn.__qualname__} must take a keyword-only 'source' parameter")

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        src = kwargs.get("source")
        if src is None:
            return fn(*args, **kwargs)
        with using(src):  # type: ignore[arg-type]
            return fn(*args, **kwargs)

    return wrapper


def is_store(src: Source | None = None) -> bool:
    """Whether ``src`` (default: the active source) is the crashlens store, through wrappers."""
    return isinstance((src if src is not None else active()).base, StoreSource)


def known(name: str) -> bool:
    """Whether the active source holds catalog series ``name``."""
    return name.strip().upper() in set(active().names())


__all__ = ["CATALOG", "CutSource", "FramesSource", "Source", "SourceLike", "StoreSource",
           "WrappedSource", "active", "as_source", "close_column", "conform", "default",
           "is_store", "known", "reads_source", "using"]
