"""Benchmark of the online providers (no internet: a local server and in-memory responses).

Measures (medians):

- the Yahoo chart transform on a full-history-sized response (25,000 daily bars) against a
  plain-Python reference parse (json + zoneinfo row by row);
- the CBOE chain transform on a 10,000-contract response;
- an on-disk cache hit against a request answered by a local HTTP server.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from crashlens.data.providers import (
    CboeOptionsProvider,
    HttpClient,
    HttpResponse,
    ResponseCache,
    YahooChartProvider,
)


def _median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _yahoo_body(n: int) -> bytes:
    rng = np.random.default_rng(0)
    ny = ZoneInfo("America/New_York")
    days = pd.bdate_range("1927-12-30", periods=n)
    stamps = [int(dt.datetime(d.year, d.month, d.day, 9, 30, tzinfo=ny).timestamp()) for d in days]
    close = 17.66 * np.exp(np.cumsum(rng.normal(0.0002, 0.01, n)))
    q = {
        "open": (close * 0.999).round(2).tolist(),
        "high": (close * 1.01).round(2).tolist(),
        "low": (close * 0.99).round(2).tolist(),
        "close": close.round(2).tolist(),
        "volume": rng.integers(1e6, 1e9, n).tolist(),
    }
    doc = {"chart": {"result": [{"meta": {"symbol": "^GSPC",
                                          "exchangeTimezoneName": "America/New_York"},
                                 "timestamp": stamps, "indicators": {"quote": [q]}}],
                     "error": None}}
    return json.dumps(doc).encode()


def _yahoo_reference(body: bytes) -> pd.DataFrame:
    res = json.loads(body)["chart"]["result"][0]
    tz = ZoneInfo(res["meta"]["exchangeTimezoneName"])
    q = res["indicators"]["quote"][0]
    cols = ("open", "high", "low", "close", "volume")
    rows = {}
    for i, t in enumerate(res["timestamp"]):
        day = dt.datetime.fromtimestamp(t, tz).date()
        rows[pd.Timestamp(day)] = [float("nan") if q[c][i] is None else float(q[c][i])
                                   for c in cols]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(cols))
    out.index = pd.DatetimeIndex(out.index).astype("datetime64[ns]")
    out.index.name = "date"
    return out


def _cboe_body(n: int) -> bytes:
    rng = np.random.default_rng(1)
    opts = []
    for i in range(n):
        exp = dt.date(2025, 10, 1) + dt.timedelta(days=int(i % 50) * 7)
        strike = 400 + (i // 100) * 5
        cp = "C" if i % 2 else "P"
        opts.append({"option": f"SPY{exp:%y%m%d}{cp}{strike * 1000:08d}",
                     "bid": float(rng.uniform(0, 10)), "ask": float(rng.uniform(10, 11)),
                     "iv": float(rng.uniform(0.1, 0.5)), "open_interest": float(i),
                     "volume": float(i % 97), "last_trade_price": 5.0})
    return json.dumps({"timestamp": "2025-09-26 01:05:00",
                       "data": {"symbol": "SPY", "current_price": 658.05,
                                "options": opts}}).encode()


def _response(url: str, body: bytes) -> HttpResponse:
    return HttpResponse(url=url, status=200, body=body, fetched_at=dt.datetime.now(dt.UTC))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    body = b"x" * 50_000

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    yahoo = YahooChartProvider()
    body = _yahoo_body(25_000)
    q = yahoo.transform_query({"symbol": "^GSPC"})
    resp = [_response("http://local/chart", body)]
    t_vec = _median_time(lambda: yahoo.transform(q, resp), 7)
    t_ref = _median_time(lambda: _yahoo_reference(body), 3)
    same = yahoo.transform(q, resp).frame.equals(_yahoo_reference(body))
    print(f"yahoo transform, 25,000 bars ({len(body) / 1e6:.1f} MB): {t_vec * 1e3:.0f} ms, "
          f"python loop {t_ref * 1e3:.0f} ms, ratio {t_ref / t_vec:.1f}x (equal: {same})")

    cboe = CboeOptionsProvider()
    cbody = _cboe_body(10_000)
    cq = cboe.transform_query({"symbol": "SPY"})
    cresp = [_response("http://local/spy.json", cbody)]
    t_chain = _median_time(lambda: cboe.transform(cq, cresp), 5)
    print(f"cboe transform, 10,000 contracts: {t_chain * 1e3:.0f} ms")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/data"
    with tempfile.TemporaryDirectory() as tmp:
        client = HttpClient("bench", cache=ResponseCache(Path(tmp)))
        client.get(url)  # warm the pool and fill the cache
        counter = iter(range(10**9))
        t_net = _median_time(lambda: client.get(url, {"n": next(counter)}, use_cache=False), 50)
        t_hit = _median_time(lambda: client.get(url), 200)
        client.close()
    httpd.shutdown()
    httpd.server_close()
    print(f"50 kB GET: cache hit {t_hit * 1e3:.2f} ms, local server {t_net * 1e3:.2f} ms, "
          f"ratio {t_net / t_hit:.1f}x")


if __name__ == "__main__":
    main()
