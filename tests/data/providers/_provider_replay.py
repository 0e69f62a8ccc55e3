"""Replay server and helpers for the provider tests (imported by conftest and the tests)."""

from __future__ import annotations

import os
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RESPONSES = Path(__file__).parent / "responses"
#: Real recorded live payloads (shared/fixtures/providers, provenance in its PROVENANCE.md);
#: read in place, never copied into the repository. CRASHLENS_PROVIDER_FIXTURES overrides.
REAL = Path(
    os.environ.get("CRASHLENS_PROVIDER_FIXTURES")
    or Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "providers"
)

#: Every provider base-URL variable; pointed at a closed port so a forgotten base_url fails
#: fast with a connection error instead of reaching the real API.
URL_VARS = (
    "CRASHLENS_YAHOO_URL",
    "CRASHLENS_FRED_URL",
    "CRASHLENS_CBOE_URL",
    "CRASHLENS_CFTC_URL",
    "CRASHLENS_BINANCE_URL",
    "CRASHLENS_BINANCE_COINM_URL",
    "CRASHLENS_BYBIT_URL",
    "CRASHLENS_OKX_URL",
)


def load(name: str) -> bytes:
    return (RESPONSES / name).read_bytes()


def real(name: str) -> bytes:
    """Bytes of a recorded live payload; skips the test when the fixtures folder is absent."""
    import pytest

    path = REAL / name
    if not path.is_file():
        pytest.skip(f"recorded payload {path} not found (set CRASHLENS_PROVIDER_FIXTURES)")
    return path.read_bytes()


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate_to: int | None = None  # announce len(body) but send only this many bytes

    @classmethod
    def file(cls, name: str, **kw) -> Reply:
        return cls(body=load(name), **kw)


@dataclass
class Hit:
    t: float
    path: str
    query: dict[str, str]


Handler = Callable[[str, dict[str, str]], Reply]


class ReplayServer:
    """Routes by URL path. A route is a list of replies served in order (the last one
    repeats) or a function ``(path, query) -> Reply``."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply] | Handler] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        outer = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                reply = outer._next(parts.path, query)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(reply.body)))
                    if reply.truncate_to is not None:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    body = reply.body
                    if reply.truncate_to is not None:
                        body = body[: reply.truncate_to]
                        self.close_connection = True
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _H)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda *a: None  # type: ignore[method-assign]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def handle(self, path: str, fn: Handler) -> None:
        self.routes[path] = fn

    def count(self, path: str | None = None) -> int:
        return sum(1 for h in self.hits if path is None or h.path == path)

    def _next(self, path: str, query: dict[str, str]) -> Reply:
        with self._lock:
            self.hits.append(Hit(time.monotonic(), path, query))
            route = self.routes.get(path)
            if route is None:
                return Reply(404, b'{"error":"no route in replay server"}')
            if callable(route):
                return route(path, query)
            return route.pop(0) if len(route) > 1 else route[0]


class SleepRecorder:
    """Stands in for time.sleep: records the waits without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, s: float) -> None:
        self.waits.append(s)


def make(cls, server, **kw):
    """A provider pointed at the replay server, with fast retries and no rate limit."""
    from crashlens.data.providers import RetryPolicy

    kw.setdefault("retry", RetryPolicy(max_retries=1, backoff_s=0.0))
    kw.setdefault("rate_per_s", 1000.0)
    kw.setdefault("timeout_s", 2.0)
    return cls(base_url=server.url, **kw)
