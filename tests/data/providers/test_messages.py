"""Provider warnings are notes (``data.*`` codes): the English text as before and a Chinese text.

Replayed from recorded live payloads (``real``; skipped when the fixtures folder is absent)
through the local replay server; no test touches the internet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from _provider_replay import Reply, make, real

import crashlens.data.providers.binance as binance_mod
from crashlens.data.providers import BinanceFundingProvider, FredProvider, YahooChartProvider
from crashlens.notes import Note


def _by_code(warnings: tuple[str, ...]) -> dict[str, Note]:
    assert all(isinstance(w, Note) for w in warnings), warnings
    return {w.code: w for w in warnings if isinstance(w, Note)}


def test_fred_gap_of_the_shutdown(server):
    # UNRATE as FRED served it: October 2025 is '.' (no household survey in the shutdown)
    name = "fred_UNRATE_cPca_b9b787e.csv"
    rows = list(csv.reader(io.StringIO(real(name).decode("utf-8"))))
    gaps = [d for d, v in rows[1:] if v in ("", ".")]
    server.add("/graph/fredgraph.csv", Reply(200, real(name)))
    n = _by_code(make(FredProvider, server).fetch(series_id="UNRATE").warnings)["data.fred_missing"]
    assert gaps == ["2025-10-01"]
    assert n == "1 missing observation(s) ('.' or empty) dropped: 2025-10-01"
    assert n.text("zh") == "剔除 1 个缺失观测值（'.' 或空白）：2025-10-01"


def test_yahoo_unfinished_bar(server):
    # MSFT recorded at 16:38 UTC on 2025-08-25, 12:38 in New York, the session open
    server.add("/v8/finance/chart/MSFT",
               Reply(200, real("yahoo_yfinance-rs_history_chart_MSFT_06740f7.json")))
    res = make(YahooChartProvider, server).fetch(symbol="MSFT", start=dt.date(2025, 1, 1),
                                                 end=dt.date(2025, 8, 25))
    n = _by_code(res.warnings)["data.yahoo_unfinished"]
    assert n == ("last bar 2025-08-25 dropped: unfinished (the session was open when Yahoo "
                 "answered, at 2025-08-25 12:38 America/New_York; its close is not the day's "
                 "close)")
    assert n.text("zh") == ("剔除最后一根K线 2025-08-25：尚未收盘（Yahoo 响应时交易时段仍在进行，"
                            "2025-08-25 12:38 America/New_York；其收盘价并非当日收盘价）")


def test_binance_funding_interval_unknown(server, monkeypatch):
    # the first BTCUSDT print (2019-09-10) and one of 2026-10-06: each alone on its day
    rows = json.loads(real("binance_real_rows.json"))["funding_captured_2026-10-07"]
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2026, 10, 8))
    server.add("/fapi/v1/fundingRate", Reply(200, json.dumps(rows).encode()))
    res = make(BinanceFundingProvider, server).fetch(symbol="BTCUSDT",
                                                    start=dt.date(2019, 9, 1))
    got = _by_code(res.warnings)
    n = got["data.funding_interval_unknown"]
    assert n == ("funding interval unknown on 2 day(s) (a lone print or a gap before it), 8 h "
                 "assumed: 2019-09-10, 2026-10-06")
    assert n.text("zh") == ("2 天的资金费率间隔未知（单条记录或其前有缺口），假定为 8 小时："
                            "2019-09-10, 2026-10-06")
    # one print a day covers 8 of 24 hours: both days are partial
    assert got["data.funding_partial_days"].params["n"] == 2
