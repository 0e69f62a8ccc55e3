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


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRASHLENS_HOME", str(tmp_path / "home"))
    for var in URL_VARS:
        monkeypatch.setenv(var, "http://127.0.0.1:9")


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
