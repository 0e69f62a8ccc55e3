"""Bounded loopback load test of the API: latency with one heavy request in flight.

Starts ``crashlens serve`` on 127.0.0.1 (a free port, real data from ``CRASHLENS_DATA``, a
private ``CRASHLENS_HOME``) and measures, with plain ``http.client`` requests one at a time:

1. *cached, idle*: ``/api/cta?asof=2025-11-21`` already computed, nothing else running;
2. *cached, busy*: the same while one uncached ``/api/report`` build is in flight;
3. *uncached, busy*: ``/api/cta`` for as-of dates never asked before, while the build runs.

Before issue #17 every computation held one global lock: a cached ``/api/cta`` waited 9 s
behind report builds. Bounded: at most ``N_CACHED`` + ``N_UNCACHED`` timed requests per phase,
120 s timeout per request, loopback only; the server is stopped at the end.

Run: ``CRASHLENS_DATA=... python -m benchmarks api_load``. With ``BENCH_API_REFERENCE_SRC``
naming a ``src`` folder, the same measurements are repeated against a server importing
crashlens from there. The reference in RESULTS.md is this checkout's ``src`` with
``api/{sessions,app,monitor}.py`` and ``cli/serve.py`` taken from commit ``b0df047^`` (the API
with its global lock)::

    git archive HEAD src | tar -x -C REF
    for f in api/sessions.py api/app.py api/monitor.py cli/serve.py; do
        git show b0df047^:src/crashlens/$f > REF/src/crashlens/$f; done
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

N_CACHED = 40
N_UNCACHED = 12
TIMEOUT_S = 120.0
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, float]:
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status, time.perf_counter() - t0
    finally:
        conn.close()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def _line(name: str, times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return (f"| {name} | {len(ms)} | {statistics.median(ms):.0f} ms | {_pct(ms, 0.95):.0f} ms | "
            f"{max(ms):.0f} ms |")


def main() -> None:
    if not os.environ.get("CRASHLENS_DATA"):
        print("needs CRASHLENS_DATA (real data)")
        return
    print("== this checkout ==")
    _measure(None)
    reference = os.environ.get("BENCH_API_REFERENCE_SRC")
    if reference:
        print(f"== reference: {reference} ==")
        _measure(reference)


def _measure(src: str | None) -> None:
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="crashlens-load-") as home:
        env = dict(os.environ, CRASHLENS_HOME=home, CRASHLENS_NO_PROGRESS="1",
                   CRASHLENS_REPORTS=str(Path(home) / "reports"))
        if src is not None:  # the reference server imports crashlens from that folder
            env["PYTHONPATH"] = src
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "crashlens.cli.main", "data", "ingest"], env=env,
                       check=True, capture_output=True)
        print(f"ingest: {time.perf_counter() - t0:.1f} s")
        server = subprocess.Popen([sys.executable, "-m", "crashlens.cli.main", "serve",
                                   "--host", HOST, "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if _get(port, "/api/sections")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("server did not start")
                time.sleep(0.2)
            cached = "/api/cta?asof=2025-11-21"
            status, first = _get(port, cached)
            assert status == 200, status
            print(f"first /api/cta (uncached, idle): {first * 1000:.0f} ms")
            idle = [_get(port, cached)[1] for _ in range(N_CACHED)]

            heavy: dict[str, float] = {}

            def build() -> None:
                status, secs = _get(port, "/api/report?asof=2025-11-14&lang=en")
                heavy["status"], heavy["seconds"] = status, secs

            th = threading.Thread(target=build)
            th.start()
            time.sleep(1.0)  # let the build start
            busy: list[float] = []
            uncached: list[float] = []
            dates = [d.strftime("%Y-%m-%d") for d in
                     __import__("pandas").bdate_range("2025-09-01", periods=N_UNCACHED)]
            for i in range(max(N_CACHED, N_UNCACHED)):
                if not th.is_alive():
                    break
                if i < N_CACHED:
                    busy.append(_get(port, cached)[1])
                if i < N_UNCACHED:
                    s, secs = _get(port, f"/api/cta?asof={dates[i]}")
                    assert s == 200, s
                    uncached.append(secs)
            in_flight = th.is_alive()
            th.join(TIMEOUT_S * 3)
            print(f"heavy /api/report (uncached): status {heavy.get('status')}, "
                  f"{heavy.get('seconds', float('nan')):.1f} s; measurements taken while it "
                  f"ran: {len(busy)} cached, {len(uncached)} uncached "
                  f"(build still running at the end: {in_flight})")
            print("| requests | n | p50 | p95 | max |\n|---|---|---|---|---|")
            print(_line("cached /api/cta, idle", idle))
            if busy:
                print(_line("cached /api/cta, one report build in flight", busy))
            if uncached:
                print(_line("uncached /api/cta (new as-of), report build in flight", uncached))
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
