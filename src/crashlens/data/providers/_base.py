"""Provider base: query params → extract (HTTP) → transform (vendor-neutral frame).

In the style of OpenBB's fetchers, without the plugin machinery. A concrete provider declares

- ``name``, ``default_base_url`` and ``env_var`` (the base-URL override, so tests and mirrors
  can point it elsewhere), the default rate limit and cache TTL, and a licence note;
- ``query_model``: a pydantic model of its parameters (validated, frozen);
- ``extract(query) -> list[HttpResponse]``: the HTTP requests (through :class:`HttpClient`);
- ``transform(query, responses) -> Transformed``: the parse onto a schema of
  :mod:`crashlens.data.schema`, with warnings.

:meth:`Provider.fetch` runs the three steps and wraps the frame in a :class:`ProviderResult`
envelope with its provenance (provider, URLs, fetch time, cache use) and warnings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import numpy as np
import pandas as pd
import pydantic

from crashlens._result import Result, json_safe
from crashlens.data.providers._http import (
    HttpClient,
    HttpResponse,
    ResponseCache,
    RetryPolicy,
    Sleep,
    TokenBucket,
)
from crashlens.data.schema import CHAIN_COLUMNS, Kind, columns_for
from crashlens.errors import ParameterError, ProviderError
from crashlens.notes import Note

#: Kind label of option-chain results (chains are not a catalog :class:`Kind`).
CHAIN = "chain"


class QueryParams(pydantic.BaseModel):
    """Base query: an optional inclusive date window."""

    model_config = pydantic.ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    start: dt.date | None = None
    end: dt.date | None = None

    @pydantic.model_validator(mode="after")
    def _window(self) -> QueryParams:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self


Q = TypeVar("Q", bound=QueryParams)


@dataclasses.dataclass(frozen=True)
class Provenance:
    """Where a provider result came from.

    Attributes
    ----------
    provider : str
        Provider name (``yahoo``, ``fred`` ...).
    urls : tuple of str
        Every URL read, in order.
    fetched_at : datetime
        UTC time of the oldest response used (the fetch time of a cached body, not the time
        it was read back from the cache).
    from_cache : bool
        True when every response came from the on-disk cache.
    licence : str
        Licence / terms note of the source.
    """

    provider: str
    urls: tuple[str, ...]
    fetched_at: dt.datetime
    from_cache: bool
    licence: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        """Mapping-style access to a field (``prov.get("provider")``)."""
        return getattr(self, key, default) if key in self.__dataclass_fields__ else default


@dataclasses.dataclass(frozen=True)
class ProviderResult(Result):
    """Envelope of one provider fetch: the frame plus provenance and warnings.

    Attributes
    ----------
    name : str
        Label of the series (the catalog name when fetched through :func:`pull`).
    kind : str
        ``price``, ``value``, ``oi``, ``funding``, ``cot`` (see :mod:`crashlens.data.schema`)
        or ``chain``.
    symbol : str
        The provider's own identifier (``^GSPC``, ``DGS10``, ``13874A``, ``BTCUSDT`` ...).
    frame : pandas.DataFrame
        Daily kinds: indexed by ``date`` with the kind's float columns. Chains: one row per
        contract with :data:`~crashlens.data.schema.CHAIN_COLUMNS`.
    provenance : Provenance
        Provider, URLs, fetch time, cache use, licence.
    meta : mapping
        Provider extras (e.g. the underlying price of a chain snapshot).
    """

    name: str
    kind: str
    symbol: str
    frame: pd.DataFrame = dataclasses.field(repr=False, compare=False)
    provenance: Provenance
    meta: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Number of rows of the frame."""
        return len(self.frame)

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the data frame."""
        return self.frame.copy()

    def _span(self) -> tuple[Any, Any]:
        if self.frame.empty:
            return None, None
        if self.kind == CHAIN:
            q = self.frame["quote_time"]
            return q.min(), q.max()
        return self.frame.index[0], self.frame.index[-1]

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe summary: identity, coverage, provenance, assumptions and warnings.

        The frame itself is not included (use :meth:`to_frame`).
        """
        first, last = self._span()
        return json_safe(
            {
                "name": self.name,
                "kind": self.kind,
                "symbol": self.symbol,
                "rows": self.rows,
                "first": first,
                "last": last,
                "columns": list(self.frame.columns),
                "provenance": dataclasses.asdict(self.provenance),
                "meta": dict(self.meta),
                "assumptions": dict(self.assumptions),
                "warnings": list(self.warnings),
            }
        )

    def summary(self) -> str:
        """One block of text: name, coverage, source and warnings."""
        first, last = self._span()
        p = self.provenance
        lines = [
            f"{self.name} ({self.kind}, {self.symbol}): {self.rows} rows"
            + (f", {json_safe(first)} .. {json_safe(last)}" if first is not None else ""),
            f"  source: {p.provider} {p.urls[0] if p.urls else ''}"
            + (f" (+{len(p.urls) - 1} more)" if len(p.urls) > 1 else ""),
            f"  fetched: {p.fetched_at.isoformat(timespec='seconds')}"
            + (" (cache)" if p.from_cache else ""),
        ]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


@dataclasses.dataclass
class Transformed:
    """What :meth:`Provider.transform` returns."""

    frame: pd.DataFrame
    kind: str
    symbol: str
    warnings: list[str] = dataclasses.field(default_factory=list)
    assumptions: dict[str, Any] = dataclasses.field(default_factory=dict)
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)


class Provider(ABC, Generic[Q]):
    """Base class of online providers.

    Parameters
    ----------
    base_url : str, optional
        Root URL of the API. Default: the env var named by ``env_var`` if set, else
        ``default_base_url``.
    timeout_s : float
        Per-attempt timeout, seconds. Default 20.
    retry : RetryPolicy, optional
        Retry schedule on timeouts / connection errors / 429 / 5xx. Default 3 retries,
        backoff 0.5 s doubling.
    rate_per_s : float, optional
        Sustained request rate of the token bucket. Default: the provider's ``default_rate``.
    burst : float
        Token-bucket capacity. Default 1 (no bursts).
    cache_ttl_s : float, optional
        Cache time-to-live, seconds. Default: the provider's ``default_ttl_s``.
    use_cache : bool
        Read and write the on-disk response cache. Default True; False neither reads nor
        writes it (always asks the server).
    cache_dir : path, optional
        Cache folder. Default ``home_dir()/cache/http``.
    sleep : callable
        Sleep function for backoff and rate limiting (injected in tests).
    """

    name: ClassVar[str]
    env_var: ClassVar[str]
    default_base_url: ClassVar[str]
    query_model: ClassVar[type[QueryParams]]
    default_rate: ClassVar[float] = 2.0
    default_ttl_s: ClassVar[float] = 6 * 3600.0
    licence: ClassVar[str] = ""
    headers: ClassVar[Mapping[str, str]] = {}

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout_s: float = 20.0,
        retry: RetryPolicy | None = None,
        rate_per_s: float | None = None,
        burst: float = 1.0,
        cache_ttl_s: float | None = None,
        use_cache: bool = True,
        cache_dir: os.PathLike[str] | str | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._base_url = base_url
        self._seen: list[HttpResponse] = []
        self.use_cache = use_cache
        rate = self.default_rate if rate_per_s is None else rate_per_s
        try:
            limiter = TokenBucket(rate, burst, sleep=sleep)
            self.http = HttpClient(
                self.name,
                timeout_s=timeout_s,
                retry=retry,
                limiter=limiter,
                cache=(
                    ResponseCache(Path(cache_dir) if cache_dir is not None else None)
                    if use_cache
                    else None
                ),
                cache_ttl_s=self.default_ttl_s if cache_ttl_s is None else cache_ttl_s,
                headers=self.headers,
                sleep=sleep,
            )
        except ValueError as exc:
            raise ParameterError(f"{self.name} provider: {exc}") from exc

    @property
    def base_url(self) -> str:
        """Root URL in use (constructor argument, else env var, else the public default)."""
        url = self._base_url or os.environ.get(self.env_var, "").strip() or self.default_base_url
        return url.rstrip("/")

    # -- pipeline ---------------------------------------------------------------------------

    def transform_query(self, params: Mapping[str, Any]) -> Q:
        """Validate raw parameters into the provider's query model."""
        try:
            return self.query_model(**params)  # type: ignore[return-value]
        except pydantic.ValidationError as exc:
            details = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'query'}: {e['msg']}"
                for e in exc.errors()
            )
            raise ParameterError(f"{self.name} provider: bad query ({details})") from exc

    @abstractmethod
    def extract(self, query: Q) -> list[HttpResponse]:
        """Make the HTTP requests; return the raw responses."""

    @abstractmethod
    def transform(self, query: Q, responses: Sequence[HttpResponse]) -> Transformed:
        """Parse the responses onto a vendor-neutral frame."""

    def fetch(
        self, query: Q | None = None, *, label: str | None = None, **params: Any
    ) -> ProviderResult:
        """Run query → extract → transform and wrap the frame in a :class:`ProviderResult`.

        Parameters
        ----------
        query : QueryParams, optional
            A ready query; otherwise ``params`` are validated into one.
        label : str, optional
            Name stored in the result (default: the provider's symbol).
        **params
            Query parameters (see the provider's ``query_model``).

        Raises
        ------
        ParameterError
            Invalid query parameters.
        ProviderError
            HTTP failure, timeout, or a body that cannot be parsed (garbage, truncated, wrong
            fields); the message names the provider and the URL.
        """
        q = query if query is not None else self.transform_query(params)
        self._seen = []
        try:
            responses = self.extract(q)
            try:
                out = self.transform(q, responses)
            except (
                KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError
            ) as exc:
                # Valid JSON/CSV of an unexpected shape: still the provider's bad answer.
                where = responses[0].url if responses else self.base_url
                raise self.error(
                    where, f"unexpected response structure ({type(exc).__name__}: {exc})"
                ) from exc
            frame = _check_frame(out.frame, out.kind, self.name)
        except ProviderError:
            # An unusable body must not be served again from the cache.
            if self.http.cache is not None:
                for r in self._seen:
                    self.http.cache.invalidate(r.url)
            raise
        warnings = list(out.warnings)
        if frame.empty:
            warnings.append(Note("data.provider_no_data", provider=self.name, symbol=out.symbol))
        fetched = min((r.fetched_at for r in responses), default=dt.datetime.now(dt.UTC))
        prov = Provenance(
            provider=self.name,
            urls=tuple(r.url for r in responses),
            fetched_at=fetched,
            from_cache=bool(responses) and all(r.from_cache for r in responses),
            licence=self.licence,
        )
        assumptions = {
            "provider": self.name,
            "base_url": self.base_url,
            **out.assumptions,
        }
        return ProviderResult(
            name=label or out.symbol,
            kind=out.kind,
            symbol=out.symbol,
            frame=frame,
            provenance=prov,
            meta=out.meta,
            assumptions=assumptions,
            warnings=tuple(dict.fromkeys(warnings)),
        )

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> HttpResponse:
        """GET through this provider's HTTP client (cache, rate limit, retries)."""
        resp = self.http.get(url, params, use_cache=self.use_cache)
        self._seen.append(resp)
        return resp

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self.http.close()

    def __enter__(self) -> Provider[Q]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers for subclasses ---------------------------------------------------------------

    def error(self, response: HttpResponse | str, message: str) -> ProviderError:
        """Build a ProviderError naming this provider and the response's URL."""
        url = response if isinstance(response, str) else response.url
        return ProviderError(f"{self.name}: {message} ({url})")

    def parse_json(self, response: HttpResponse) -> Any:
        """Decode a JSON body, turning garbage or truncation into a ProviderError."""
        head = response.body.lstrip()[:1]
        if not head:
            raise self.error(response, "empty response body")
        if head == b"<":
            raise self.error(
                response, "expected JSON, got HTML (an error, login or consent page; garbage)"
            )
        try:
            return json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise self.error(
                response, f"response is not valid JSON (garbage or truncated body: {exc})"
            ) from exc


def _check_frame(frame: pd.DataFrame, kind: str, provider: str) -> pd.DataFrame:
    """Enforce the schema contract on a transformed frame (a provider bug otherwise)."""
    if kind == CHAIN:
        missing = [c for c in CHAIN_COLUMNS if c not in frame.columns]
        if missing:
            raise AssertionError(f"{provider}: chain frame lacks {missing}")
        return frame.loc[:, list(CHAIN_COLUMNS)].reset_index(drop=True)
    idx = frame.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.name != "date" or idx.tz is not None:
        raise AssertionError(f"{provider}: frame index must be a tz-naive DatetimeIndex 'date'")
    if not (idx.is_monotonic_increasing and idx.is_unique):
        raise AssertionError(f"{provider}: dates must be strictly increasing")
    expected = columns_for(Kind(kind))
    if expected and tuple(frame.columns) != expected:
        raise AssertionError(f"{provider}: columns {list(frame.columns)} != {list(expected)}")
    for col in frame.columns:
        if frame[col].dtype != np.float64:
            raise AssertionError(f"{provider}: column {col} is {frame[col].dtype}, not float64")
    return frame


def daily_frame(
    dates: Sequence[Any] | pd.Index,
    columns: Mapping[str, Any],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    warnings: list[str] | None = None,
    what: str = "rows",
) -> pd.DataFrame:
    """Build a schema frame: ``date`` index (ns, normalised, tz-naive, sorted, unique), floats.

    Duplicate dates keep the last row and add a warning; rows outside ``[start, end]`` are
    dropped.
    """
    if not isinstance(dates, pd.Index):
        dates = list(dates)
    idx = pd.DatetimeIndex(pd.to_datetime(dates)).normalize().astype("datetime64[ns]")
    frame = pd.DataFrame(
        {k: np.asarray(v, dtype=np.float64) for k, v in columns.items()}, index=idx
    )
    frame.index.name = "date"
    frame = frame.sort_index(kind="stable")
    dup = frame.index.duplicated(keep="last")
    if dup.any() and warnings is not None:
        days = sorted({d.date().isoformat() for d in frame.index[dup]})
        code = _DUPLICATES.get(what)
        params = {"n": int(dup.sum()), "days": first_few(days)}
        warnings.append(Note(code, **params) if code is not None
                        else Note("data.dup_other", what=what, **params))
    frame = frame[~dup]
    if start is not None:
        frame = frame[frame.index >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame.index <= pd.Timestamp(end)]
    return frame


#: What a provider's rows are called -> the code of its duplicated-dates warning.
_DUPLICATES: dict[str, str] = {
    "rows": "data.dup_rows", "funding prints": "data.dup_funding_prints",
    "snapshots": "data.dup_snapshots", "CSV": "data.dup_csv",
    "chart bars": "data.dup_chart_bars", "report rows": "data.dup_report_rows",
}


def daily_transformed(
    query: QueryParams,
    dates: Sequence[Any] | pd.Index,
    columns: Mapping[str, Any],
    *,
    kind: Kind,
    symbol: str,
    warnings: list[str],
    what: str,
    assumptions: Mapping[str, Any],
    meta: Mapping[str, Any] | None = None,
) -> Transformed:
    """:func:`daily_frame` of ``dates``/``columns`` cut to the query's window, as a result."""
    frame = daily_frame(dates, columns, start=query.start, end=query.end, warnings=warnings,
                        what=what)
    return Transformed(frame=frame, kind=kind.value, symbol=symbol, warnings=warnings,
                       assumptions=dict(assumptions), meta=dict(meta or {}))


def first_few(items: Sequence[str], n: int = 5) -> str:
    """The first ``n`` items joined for a warning, ``" ..."`` when there are more."""
    return ", ".join(items[:n]) + (" ..." if len(items) > n else "")


def epoch_s(day: dt.date) -> int:
    """Unix seconds of 00:00 UTC on ``day``."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def epoch_ms_window(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Unix milliseconds of 00:00 UTC on ``start`` and of the last millisecond of ``end``."""
    return epoch_s(start) * 1000, (epoch_s(end) + 86_400) * 1000 - 1


def today_utc() -> dt.date:
    """Today's date in UTC (a function so tests can patch it)."""
    return dt.datetime.now(dt.UTC).date()
