"""Cases 9 and 12 of issue #17: no global lock in the API, trusted hosts, no server paths in
errors, ``serve --host`` validated.

The concurrency test is deterministic (no timing): four report builds are held on an event
while a cached engine request is served; it must be answered before the builds are released.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.reliability.conftest import one_line_error, run_cli

from crashlens.api import create_app, sessions
from crashlens.errors import DataError
from crashlens.report import engines


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The 'cta' engine replaced by an instant fake counting its calls."""
    calls: list[engines.Request] = []

    def adapter(_fn, req):  # type: ignore[no-untyped-def]
        calls.append(req)
        from crashlens._result import Result

        return Result(assumptions={"fake": True})

    monkeypatch.setitem(engines.ENGINES, "cta", dataclasses.replace(
        engines.ENGINES["cta"], adapter=adapter, summary="fake cta"))
    monkeypatch.setattr(sessions, "newest", lambda: __import__("pandas").Timestamp("2025-11-21"))
    sessions.clear()
    yield calls
    sessions.clear()


def test_cached_engine_is_served_while_reports_build(fake_engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Case 9: four report builds in flight do not block a cached /api/cta."""
    release = threading.Event()
    started: list[str] = []
    finished: list[str] = []
    running = [0]
    peak = [0]
    guard = threading.Lock()

    def slow_build(**kwargs):  # type: ignore[no-untyped-def]
        with guard:
            started.append(kwargs["lang"])
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        release.wait(30)
        with guard:
            running[0] -= 1
            finished.append(kwargs["lang"])
        return f"report {kwargs}"

    monkeypatch.setattr(sessions, "build_report", slow_build)
    client = TestClient(create_app())
    assert client.get("/api/cta", params={"asof": "2025-11-21"}).status_code == 200
    assert len(fake_engine) == 1  # computed once, cached from now on

    asofs = ["2025-11-17", "2025-11-18", "2025-11-19", "2025-11-20"]
    threads = [threading.Thread(target=sessions.report, args=(None, a, "en")) for a in asofs]
    for t in threads:
        t.start()
    try:
        # with the old global lock this call waited for all four builds (released only below)
        r = client.get("/api/cta", params={"asof": "2025-11-21"})
        assert r.status_code == 200 and not finished  # answered while every build is held
        assert len(fake_engine) == 1
        # builds run in the bounded pool: never more than REPORT_WORKERS at once
        assert peak[0] <= sessions.REPORT_WORKERS
    finally:
        release.set()
        for t in threads:
            t.join(60)
    assert len(started) == 4 and peak[0] == min(4, sessions.REPORT_WORKERS)


def test_same_key_is_computed_once(fake_engine) -> None:  # type: ignore[no-untyped-def]
    """Concurrent identical requests share one computation (per-key lock)."""
    req = engines.Request(asof=__import__("pandas").Timestamp("2025-11-21"))
    threads = [threading.Thread(target=sessions.engine_result, args=("cta", req))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(fake_engine) == 1


def test_untrusted_host_is_refused(fake_engine) -> None:  # type: ignore[no-untyped-def]
    """Case 12: a Host header outside the trusted list gets 400 (DNS rebinding)."""
    client = TestClient(create_app())
    assert client.get("/api/sections").status_code == 200
    bad = client.get("/api/sections", headers={"Host": "attacker.example"})
    assert bad.status_code == 400
    ok = client.get("/api/sections", headers={"Host": "127.0.0.1:8050"})
    assert ok.status_code == 200
    extra = TestClient(create_app(hosts=("dash.internal",)))
    assert extra.get("/api/sections", headers={"Host": "dash.internal"}).status_code == 200


def test_errors_do_not_reveal_server_paths(fake_engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Case 12: a data error's absolute path is cut to the file name in the API's answer."""
    def broken(_fn, _req):  # type: ignore[no-untyped-def]
        raise DataError("'x' is not a number", path="/srv/secret/raw/sp500_daily_ohlc.csv",
                        row=7, column="Close")

    def crash(_fn, _req):  # type: ignore[no-untyped-def]
        raise OSError(2, "No such file or directory", "/srv/secret/home/store/CURRENT")

    client = TestClient(create_app(), raise_server_exceptions=False)
    # a user error (bad data) is a 422 naming the file, not its folder; anything else is a bug:
    # a 500 whose answer carries only an error id (the path is in the server log only)
    for adapter, status, kept in ((broken, 422, "sp500_daily_ohlc.csv, row 7, column 'Close'"),
                                  (crash, 500, "internal error (id ")):
        monkeypatch.setitem(engines.ENGINES, "cta", dataclasses.replace(
            engines.ENGINES["cta"], adapter=adapter, summary="fake cta"))
        sessions.clear()
        r = client.get("/api/cta")
        assert r.status_code == status
        detail = r.json()["detail"]
        assert "/srv" not in r.text and "secret" not in r.text and kept in detail


@pytest.mark.parametrize("host", ["999.1.1.1", "1.2.3", "bad host", "-x"])
def test_serve_bad_host_is_exit_2(host: str, tmp_path: Path) -> None:
    """Case 12: 'serve --host 999.1.1.1' is a one-line error with exit status 2 (was 3)."""
    proc = run_cli("serve", "--host", host, "--port", "8999", home=tmp_path)
    assert f"--host: '{host}' is not an IP address or a host name" in one_line_error(proc)


def test_serve_port_in_use_is_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = run_cli("serve", "--port", str(port), home=tmp_path)
    assert one_line_error(proc).endswith(
        f"--host/--port: cannot listen on 127.0.0.1:{port} (Address already in use)")


def test_ipv6_host_is_trusted_bracketed() -> None:
    from crashlens.api.app import trusted_hosts

    assert "[fe80::1]" in trusted_hosts(("fe80::1",))
