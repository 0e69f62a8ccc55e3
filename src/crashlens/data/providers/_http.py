"""HTTP plumbing shared by every provider: timeouts, retries with backoff, rate limit, cache.

One :class:`HttpClient` per provider instance. A request goes through

1. the on-disk :class:`ResponseCache` (``home_dir()/cache/http``, keyed by the full URL,
   entries older than the TTL are ignored);
2. the :class:`TokenBucket` rate limiter (blocks until a token is free);
3. ``httpx`` with a timeout, retried with exponential backoff (:class:`RetryPolicy`) on
   timeouts, connection errors, truncated bodies, HTTP 429 and HTTP 5xx. Other HTTP errors
   (400, 404 ...) are not retried: asking again would not change the answer.

Every failure becomes a :class:`~crashlens.errors.ProviderError` whose message names the
provider, the URL and what went wrong.

The environment is honoured as httpx does by default (``trust_env=True``): ``HTTP_PROXY``,
``HTTPS_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` route requests through a proxy, and
``SSL_CERT_FILE`` (else ``SSL_CERT_DIR``) replaces certifi's CA bundle, so a corporate proxy or
TLS-inspecting gateway works without code changes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from crashlens import config
from crashlens._atomic import write_atomic
from crashlens.errors import ProviderError

#: User-Agent sent with every request (some CDNs reject library defaults).
USER_AGENT = "Mozilla/5.0 (compatible; crashlens/0.1; +https://github.com/crashlens)"

Sleep = Callable[[float], None]
Clock = Callable[[], float]


@dataclass(frozen=True)
class RetryPolicy:
    """How failed requests are retried.

    Attributes
    ----------
    max_retries : int
        Retries after the first attempt (0 = try once). Default 3.
    backoff_s : float
        Wait before the first retry, seconds. Default 0.5.
    backoff_factor : float
        Each later wait is multiplied by this. Default 2 (0.5, 1, 2, 4 s ...).
    max_backoff_s : float
        Cap on any single wait, including a server's ``Retry-After``. Default 30 s.
    """

    max_retries: int = 3
    backoff_s: float = 0.5
    backoff_factor: float = 2.0
    max_backoff_s: float = 30.0

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.backoff_s < 0 or self.backoff_factor < 1:
            raise ValueError(
                "RetryPolicy needs max_retries >= 0, backoff_s >= 0 and backoff_factor >= 1"
            )

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (0-based)."""
        return float(min(self.max_backoff_s, self.backoff_s * self.backoff_factor**retry))


class TokenBucket:
    """Token-bucket rate limiter (thread-safe).

    Parameters
    ----------
    rate_per_s : float
        Tokens added per second (sustained request rate). ``inf`` disables limiting.
    capacity : float
        Bucket size: how many requests may go out back to back. Default 1.
    clock, sleep : callable
        Injected for tests; default ``time.monotonic`` and ``time.sleep``.
    """

    def __init__(
        self,
        rate_per_s: float,
        capacity: float = 1.0,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        if not rate_per_s > 0 or not capacity >= 1:
            raise ValueError("TokenBucket needs rate_per_s > 0 and capacity >= 1")
        self.rate_per_s = float(rate_per_s)
        self.capacity = float(capacity)
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(capacity)
        self._last = clock()
        self._lock = threading.Lock()
        self.waited_s = 0.0  # total time spent waiting, for diagnostics

    def acquire(self) -> float:
        """Take one token, sleeping until one is available; return the seconds waited."""
        if self.rate_per_s == float("inf"):
            return 0.0
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate_per_s)
            self._last = now
            wait = 0.0
            if self._tokens < 1.0:
                wait = (1.0 - self._tokens) / self.rate_per_s
                self._sleep(wait)
                now = self._clock()
                self._tokens = min(
                    self.capacity, self._tokens + (now - self._last) * self.rate_per_s
                )
                self._last = now
                # The sleep may return a hair early; never go below zero tokens.
            self._tokens = max(0.0, self._tokens - 1.0)
            self.waited_s += wait
            return wait


@dataclass(frozen=True)
class HttpResponse:
    """A successful (2xx) response body with where and when it came from."""

    url: str
    status: int
    body: bytes
    fetched_at: dt.datetime
    from_cache: bool = False
    content_type: str = ""

    def text(self) -> str:
        """Body decoded as UTF-8 (a BOM is dropped, undecodable bytes replaced)."""
        return self.body.decode("utf-8-sig", errors="replace")


class ResponseCache:
    """On-disk cache of response bodies keyed by the full request URL.

    Each entry is two files named by the SHA-256 of the URL: ``<key>.body`` (raw bytes) and
    ``<key>.json`` (URL, status, content type, fetch time in UTC). Both are written to a
    temporary name and renamed, so a crash never leaves a half-written entry.

    Parameters
    ----------
    directory : Path, optional
        Cache folder. Default ``crashlens.config.home_dir() / "cache" / "http"``, resolved at
        each use so a changed ``CRASHLENS_HOME`` is honoured.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory

    @property
    def directory(self) -> Path:
        """The cache folder (created on demand)."""
        path = self._directory or config.home_dir() / "cache" / "http"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @staticmethod
    def key(url: str) -> str:
        """Cache key of a URL (hex SHA-256)."""
        return hashlib.sha256(url.encode("utf-8")).hexdigest()

    def _paths(self, url: str) -> tuple[Path, Path]:
        k = self.key(url)
        d = self.directory
        return d / f"{k}.body", d / f"{k}.json"

    def get(self, url: str, ttl_s: float, *, now: dt.datetime | None = None) -> HttpResponse | None:
        """Return the cached response for ``url`` if younger than ``ttl_s`` seconds, else None."""
        body_path, meta_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            fetched = dt.datetime.fromisoformat(meta["fetched_at"])
            if meta.get("url") != url:
                return None  # hash collision or foreign file: ignore
            body = body_path.read_bytes()
        except (OSError, ValueError, KeyError, TypeError):
            return None
        age = ((now or _utcnow()) - fetched).total_seconds()
        if age > ttl_s or age < -60:
            return None
        return HttpResponse(
            url=url,
            status=int(meta.get("status", 200)),
            body=body,
            fetched_at=fetched,
            from_cache=True,
            content_type=str(meta.get("content_type", "")),
        )

    def put(self, response: HttpResponse) -> None:
        """Store a response (atomically)."""
        body_path, meta_path = self._paths(response.url)
        meta = {
            "url": response.url,
            "status": response.status,
            "content_type": response.content_type,
            "fetched_at": response.fetched_at.isoformat(),
        }
        _atomic_write(body_path, response.body)
        _atomic_write(meta_path, json.dumps(meta).encode("utf-8"))

    def clear(self, older_than_s: float | None = None) -> int:
        """Delete entries (all, or those fetched more than ``older_than_s`` ago).

        Returns
        -------
        int
            Number of entries deleted.
        """
        now = _utcnow()
        removed = 0
        for meta_path in self.directory.glob("*.json"):
            if older_than_s is not None:
                try:
                    meta = json.loads(meta_path.read_text(encoding="utf-8"))
                    age = (now - dt.datetime.fromisoformat(meta["fetched_at"])).total_seconds()
                except (OSError, ValueError, KeyError, TypeError):
                    age = float("inf")  # unreadable entries go too
                if age <= older_than_s:
                    continue
            meta_path.unlink(missing_ok=True)
            meta_path.with_suffix(".body").unlink(missing_ok=True)
            removed += 1
        return removed

    def invalidate(self, url: str) -> None:
        """Forget the entry of ``url`` (used when a cached body turns out to be unusable)."""
        for path in self._paths(url):
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def _atomic_write(path: Path, data: bytes) -> None:
    write_atomic(path, data)  # the one atomic writer: regular files only, fsynced


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def build_url(url: str, params: Mapping[str, Any] | None = None) -> str:
    """Return ``url`` with ``params`` encoded as a query string, in sorted key order.

    Sorting makes the string (and so the cache key) independent of dict order. ``None``
    values are dropped.
    """
    if not params:
        return str(httpx.URL(url))
    items = sorted((k, str(v)) for k, v in params.items() if v is not None)
    return str(httpx.URL(url, params=items))


class HttpClient:
    """GET with cache, rate limit, timeout and retries; raises ProviderError on failure.

    Parameters
    ----------
    provider : str
        Provider name, used in error messages.
    timeout_s : float
        Connect and read timeout per attempt, seconds. Default 20.
    retry : RetryPolicy, optional
        Retry schedule. Default ``RetryPolicy()``.
    limiter : TokenBucket, optional
        Rate limiter; None disables limiting.
    cache : ResponseCache, optional
        Response cache; None disables caching.
    cache_ttl_s : float
        Age beyond which a cached body is refetched, seconds. Default 6 h.
    headers : mapping, optional
        Extra request headers.
    sleep : callable
        Used for backoff waits (injected in tests). Default ``time.sleep``.
    """

    def __init__(
        self,
        provider: str,
        *,
        timeout_s: float = 20.0,
        retry: RetryPolicy | None = None,
        limiter: TokenBucket | None = None,
        cache: ResponseCache | None = None,
        cache_ttl_s: float = 6 * 3600.0,
        headers: Mapping[str, str] | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        if not timeout_s > 0:
            raise ValueError("timeout_s must be > 0")
        self.provider = provider
        self.timeout_s = float(timeout_s)
        self.retry = retry or RetryPolicy()
        self.limiter = limiter
        self.cache = cache
        self.cache_ttl_s = float(cache_ttl_s)
        self.headers = {"User-Agent": USER_AGENT, "Accept": "*/*", **(headers or {})}
        self._sleep = sleep
        self._client: httpx.Client | None = None
        self.requests_sent = 0  # network attempts, for diagnostics and tests

    def _http(self) -> httpx.Client:
        if self._client is None:
            try:
                self._client = httpx.Client(
                    timeout=httpx.Timeout(self.timeout_s),
                    verify=_ssl_context(self.provider),
                    headers=self.headers,
                    follow_redirects=True,
                    trust_env=True,  # proxies from the environment (HTTPS_PROXY, NO_PROXY ...)
                )
            except (ValueError, ImportError, httpx.InvalidURL) as exc:
                # e.g. HTTPS_PROXY=socks5://... without socksio, or a malformed proxy URL
                raise ProviderError(
                    f"{self.provider}: cannot use the proxy settings of the environment "
                    f"({type(exc).__name__}: {exc})"
                ) from exc
        return self._client

    def close(self) -> None:
        """Close the underlying connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def get(
        self, url: str, params: Mapping[str, Any] | None = None, *, use_cache: bool = True
    ) -> HttpResponse:
        """GET ``url`` with ``params``; return the 2xx response (possibly from the cache).

        Raises
        ------
        ProviderError
            On a non-retryable HTTP error, or when every attempt failed (timeout, connection
            error, truncated body, 429, 5xx). The message names provider, URL and cause.
        """
        full = build_url(url, params)
        if use_cache and self.cache is not None:
            hit = self.cache.get(full, self.cache_ttl_s)
            if hit is not None:
                return hit
        attempts = self.retry.max_retries + 1
        cause = "no attempt made"
        for attempt in range(attempts):
            if self.limiter is not None:
                self.limiter.acquire()
            retry_after: float | None = None
            self.requests_sent += 1
            try:
                resp = self._http().get(full)
            except httpx.TimeoutException:
                cause = f"timed out after {self.timeout_s:g} s"
            except httpx.RemoteProtocolError as exc:
                cause = f"truncated or malformed response ({exc})"
            except httpx.TransportError as exc:
                cause = f"connection error ({type(exc).__name__}: {exc})"
            else:
                status = resp.status_code
                if 200 <= status < 300:
                    out = HttpResponse(
                        url=full,
                        status=status,
                        body=resp.content,
                        fetched_at=_utcnow(),
                        content_type=resp.headers.get("content-type", ""),
                    )
                    if self.cache is not None:
                        self.cache.put(out)
                    return out
                snippet = _snippet(resp.content)
                cause = f"HTTP {status}" + (f": {snippet}" if snippet else "")
                if status != 429 and status < 500:
                    raise ProviderError(f"{self.provider}: {cause} from {full}")
                retry_after = _retry_after(resp.headers.get("retry-after"))
            if attempt + 1 < attempts:
                wait = self.retry.delay(attempt)
                if retry_after is not None:
                    wait = min(self.retry.max_backoff_s, max(wait, retry_after))
                self._sleep(wait)
        raise ProviderError(
            f"{self.provider}: {cause} from {full} (gave up after {attempts} attempt"
            f"{'s' if attempts != 1 else ''})"
        )


def _ssl_context(provider: str) -> ssl.SSLContext:
    """The TLS context of the environment: ``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, else certifi.

    The same order as httpx's own ``trust_env``. An unreadable bundle is a one-line
    :class:`ProviderError` naming the variable.
    """
    for var in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        value = os.environ.get(var, "").strip()
        if value:
            try:
                return _context_for(var, value)
            except (OSError, ssl.SSLError) as exc:
                raise ProviderError(
                    f"{provider}: {var}={value}: cannot load CA certificates ({exc})"
                ) from exc
    return _context_for("", "")


@functools.cache
def _context_for(var: str, value: str) -> ssl.SSLContext:
    """One TLS context per CA source, shared by all clients (building one costs ~50 ms)."""
    if var == "SSL_CERT_FILE":
        return ssl.create_default_context(cafile=value)
    if var == "SSL_CERT_DIR":
        return ssl.create_default_context(capath=value)
    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover - certifi comes with httpx
        return ssl.create_default_context()


def _snippet(body: bytes, n: int = 160) -> str:
    text = body[:n * 2].decode("utf-8", errors="replace")
    text = " ".join(text.split())
    return text[:n] + ("..." if len(text) > n else "")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
