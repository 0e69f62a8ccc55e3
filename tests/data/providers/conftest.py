"""Fixtures of the provider tests: a local replay server; no test touches the internet."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# pytest runs in importlib mode (test files share base names across folders), which does not put
# test folders on sys.path: make this folder's helper module importable by the tests here.
sys.path.insert(0, str(Path(__file__).parent))

from _provider_replay import URL_VARS, ReplayServer, SleepRecorder

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRASHLENS_HOME", str(tmp_path / "home"))
    for var in URL_VARS:
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    # The client honours proxies from the environment (trust_env): a user's proxy must not
    # capture the requests to the local replay server.
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.lower(), raising=False)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    srv = ReplayServer()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()
