"""The online providers as a :class:`~crashlens.data.Source`: series fetched when first read.

``ProviderSource()`` holds every catalog series that has an online route
(:func:`crashlens.data.providers.route`: Yahoo for prices, FRED for rates and macro, CFTC for
COT, Binance / Bybit / OKX for crypto funding and open interest). The first read of a series
fetches it through :func:`crashlens.data.providers.pull` (the providers' retries, rate limits
and on-disk HTTP cache apply), checks it with :func:`crashlens.data.source.conform` (the
catalog's plausible ranges) and keeps it in memory for the life of the source; nothing is
written to the store.

Point in time: providers serve today's vintage of a series (FRED revises macro data, Yahoo
back-adjusts some histories). An engine run as of a past date on a ``ProviderSource`` cuts the
rows after that date, but the values are the revised ones; the raw files of the store keep what
was downloaded at the time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from crashlens.data.catalog import CATALOG
from crashlens.data.source import Source, conform, rows
from crashlens.errors import CrashlensError, DataError, ProviderError, UnknownSeriesError

__all__ = ["ProviderSource"]


class ProviderSource(Source):
    """Catalog series fetched online on demand.

    Parameters
    ----------
    start : date-like, optional
        First date fetched (inclusive); default each provider's full history.
    cache_dir : str or Path, optional
        Folder of the providers' on-disk HTTP cache; default
        ``$CRASHLENS_HOME/cache/http`` (the cache ``crashlens data pull`` uses).
    providers : mapping, optional
        Provider instances by key of :data:`crashlens.data.providers.PROVIDERS` (``yahoo``,
        ``fred`` ...), to set base URLs, timeouts, rate limits or caches; the others are made
        on first use (with ``cache_dir``).

    Raises
    ------
    ProviderError
        When a read fails: names the provider and the URL.
    DataError
        A fetched frame outside the series' plausible range (names the provider and symbol).
    """

    label = "online providers"

    def __init__(self, start: Any = None, cache_dir: str | Path | None = None,
                 providers: Mapping[str, Any] | None = None) -> None:
        from crashlens._dates import to_timestamp
        from crashlens.data.providers._routes import PROVIDERS

        self.start: dt.date | None = (None if start is None
                                      else to_timestamp(start, "start").date())
        self.cache_dir = None if cache_dir is None else Path(cache_dir).expanduser()
        given = dict(providers or {})
        unknown = sorted(set(given) - set(PROVIDERS))
        if unknown:
            from crashlens.errors import ParameterError

            raise ParameterError(f"providers: unknown key(s) {unknown}; known: "
                                 f"{sorted(PROVIDERS)}")
        self._given = given
        self._owned: dict[str, Any] = {}
        self._frames: dict[str, pd.DataFrame] = {}
        self._origin: dict[str, str] = {}
        self._lock = threading.RLock()
        self._names: list[str] | None = None

    def names(self) -> list[str]:
        """Catalog series with an online route, sorted."""
        if self._names is None:
            from crashlens.data.providers._routes import route

            held = []
            for name, sp in CATALOG.items():
                try:
                    r = route(name)
                except CrashlensError:  # FILE_ONLY series: no online provider
                    continue
                if r.kind == sp.kind.value:
                    held.append(name)
            self._names = sorted(held)
        return list(self._names)

    def provider_of(self, name: str) -> str:
        """``provider:symbol`` a series is (or would be) fetched from, e.g. ``yahoo:^GSPC``."""
        from crashlens.data.providers._routes import route

        r = route(name)
        return f"{r.provider}:{r.symbol}"

    def _provider(self, key: str) -> Any:
        from crashlens.data.providers._routes import PROVIDERS

        if key in self._given:
            return self._given[key]
        if key not in self._owned:
            self._owned[key] = PROVIDERS[key](cache_dir=self.cache_dir)
        return self._owned[key]

    def _fetch(self, name: str) -> pd.DataFrame:
        from crashlens.data.providers._routes import pull, route

        with self._lock:
            if name in self._frames:
                return self._frames[name]
            r = route(name)
            where = f"{r.provider}:{r.symbol}"
            try:
                res = pull([name], self.start, providers={r.provider: self._provider(r.provider)})
            except ProviderError:
                raise
            except CrashlensError as exc:  # a transform or kind error: name the provider
                raise DataError(f"{name}: {exc}", path=where) from None
            frame = conform(name, res[name].frame, where)
            self._frames[name] = frame
            self._origin[name] = where
            return frame

    def read(self, name: str, start: pd.Timestamp | None = None,
             end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """Rows of one series between two dates, fetched on first use (see :meth:`Source.read`)."""
        key = name.strip().upper()
        if key not in self.names():
            raise UnknownSeriesError(name, self.names(), kind=f"series in {self.label}")
        frame = self._fetch(key)
        return rows(frame, key, start, end, fields, self._origin.get(key, self.label))

    def fetched(self) -> dict[str, str]:
        """Series fetched so far and where from (``{"SPX": "yahoo:^GSPC"}``)."""
        with self._lock:
            return dict(self._origin)

    def fingerprint(self) -> str:
        """One instance, one fetch: equal only to itself (providers' data changes daily)."""
        return f"providers:{self.start}:{id(self)}"

    def close(self) -> None:
        """Close the provider clients this source made."""
        with self._lock:
            for prov in self._owned.values():
                prov.close()
            self._owned.clear()

    def __enter__(self) -> ProviderSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
