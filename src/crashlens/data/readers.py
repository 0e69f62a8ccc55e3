"""Series readers for the ``data=`` argument of the scenarios, the scorecard and the audit.

Series come from the *active source* (:mod:`crashlens.data.source`; the store unless the caller
passed ``source=`` or is inside ``crashlens.data.using``): the reader :func:`make_source` with
no data reads through :func:`crashlens.data.close` / :func:`~crashlens.data.get`.

The older ``data=`` argument stays for backward compatibility: a mapping ``name -> Series or
OHLC DataFrame``, a wide DataFrame of closes (one column per asset) or a callable ``(name,
field) -> Series``. :func:`data_source` turns a mapping or a frame whose names are all catalog
names into a :class:`~crashlens.data.FramesSource`, which the engines then read like any
source (the CTA flows and the crypto liquidations included). Data that a
:class:`~crashlens.data.FramesSource` cannot express — names outside the catalog (``kinds=``
gives their coordinates) or a callable — is read through the legacy reader here, and the parts
that need another engine (CTA flows, crypto liquidations, CTA conditions) say in a note that
they need a source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from crashlens.data.source import FramesSource, Source
from crashlens.errors import DataError, ParameterError, UnknownSeriesError

Field = Literal["close", "open", "high", "low"]
SeriesSource = Callable[[str, str], pd.Series]


def _frame_field(frame: pd.DataFrame, name: str, field: str) -> pd.Series:
    for col in (field, "value", "close") if field == "close" else (field,):
        if col in frame.columns:
            return frame[col]
    raise DataError(f"series '{name}' has no '{field}' column", column=field)


def _clean(s: pd.Series, name: str) -> pd.Series:
    if not isinstance(s.index, pd.DatetimeIndex):
        s = s.copy()
        s.index = pd.DatetimeIndex(pd.to_datetime(s.index))
    s = s.astype(float).sort_index()
    s.name = name
    return s.dropna()


def make_source(data: Any = None) -> SeriesSource:
    """Return a ``(name, field) -> Series`` reader for ``data`` (None: the data store)."""
    if data is None:
        from crashlens import data as cldata

        def _store(name: str, field: str = "close") -> pd.Series:
            if field == "close":
                return _clean(cldata.close(name), name.upper())
            frame = cldata.get(name)
            return _clean(_frame_field(frame, name, field), name.upper())

        return _store
    if callable(data) and not isinstance(data, pd.DataFrame):
        fn = data

        def _call(name: str, field: str = "close") -> pd.Series:
            return _clean(fn(name, field), name.upper())

        return _call
    if isinstance(data, pd.DataFrame):
        cols = {str(c).upper(): c for c in data.columns}

        def _wide(name: str, field: str = "close") -> pd.Series:
            key = name.upper()
            if key not in cols:
                raise UnknownSeriesError(name, cols, kind="series in the given data")
            if field != "close":
                raise DataError(f"only closes are given for '{name}', not '{field}'")
            return _clean(data[cols[key]], key)

        return _wide
    if isinstance(data, Mapping):
        keys = {str(k).upper(): k for k in data}

        def _map(name: str, field: str = "close") -> pd.Series:
            key = name.upper()
            if key not in keys:
                raise UnknownSeriesError(name, keys, kind="series in the given data")
            obj = data[keys[key]]
            if isinstance(obj, pd.DataFrame):
                return _clean(_frame_field(obj, name, field), key)
            if field != "close":
                raise DataError(f"only closes are given for '{name}', not '{field}'")
            return _clean(pd.Series(obj), key)

        return _map
    raise TypeError(f"data must be None, a mapping, a DataFrame or a callable, not "
                    f"{type(data).__name__}")


def data_source(data: Any, source: Any = None) -> Source | None:
    """The :class:`FramesSource` of ``data=`` when it can be one, else None.

    A mapping or a wide DataFrame whose names are all catalog names becomes a
    :class:`~crashlens.data.FramesSource` (its frames checked as any source's: one-line
    :class:`~crashlens.errors.DataError` naming the series); None (no data), a callable or
    names outside the catalog give None (the caller keeps the legacy reader for those).

    Raises
    ------
    ParameterError
        Both ``data=`` and ``source=`` were given.
    """
    if data is None:
        return None
    if source is not None:
        raise ParameterError("give either data= or source=, not both (data= is the older "
                             "form of source=)")
    from crashlens.data.catalog import CATALOG

    if isinstance(data, pd.DataFrame):
        keys = [str(c) for c in data.columns]
    elif isinstance(data, Mapping):
        keys = [str(k) for k in data]
    else:
        return None
    if not keys or any(k.strip().upper() not in CATALOG for k in keys):
        return None
    return FramesSource(data, label="data")


def unit_of(name: str) -> str:
    """Unit of a catalog series ('' when unknown)."""
    from crashlens.data.catalog import CATALOG

    sp = CATALOG.get(name.upper())
    return sp.unit if sp is not None else ""


def is_daily(s: pd.Series) -> bool:
    """Whether a series is (at least) daily: median spacing of its dates <= 4 days."""
    if len(s) < 3:
        return False
    gaps = np.diff(s.index.values).astype("timedelta64[D]").astype(float)
    return bool(np.median(gaps) <= 4.0)


def value_at(s: pd.Series, date: pd.Timestamp) -> tuple[pd.Timestamp, float] | None:
    """Last observation on or before ``date`` as ``(date, value)``; None if there is none."""
    sub = s.loc[:date]
    if sub.empty:
        return None
    return sub.index[-1], float(sub.iloc[-1])
