"""Yahoo chart API provider against recorded-format responses."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from _provider_replay import Reply, load, make

from crashlens.data.providers import YahooChartProvider
from crashlens.errors import ParameterError, ProviderError

GSPC = "/v8/finance/chart/%5EGSPC"


def _expected(name: str) -> pd.DataFrame:
    """The frame rebuilt from the JSON with plain json + zoneinfo, row by row."""
    res = json.loads(load(name))["chart"]["result"][0]
    tz = ZoneInfo(res["meta"]["exchangeTimezoneName"])
    q = res["indicators"]["quote"][0]
    rows = {}
    for i, t in enumerate(res["timestamp"]):
        day = dt.datetime.fromtimestamp(t, tz).date()
        rows[pd.Timestamp(day)] = [
            np.nan if q[c][i] is None else float(q[c][i])
            for c in ("open", "high", "low", "close", "volume")
        ]
    out = pd.DataFrame.from_dict(
        rows, orient="index", columns=["open", "high", "low", "close", "volume"]
    )
    out.index = pd.DatetimeIndex(out.index).astype("datetime64[ns]")
    out.index.name = "date"
    return out


def test_daily_bars_match_the_response(server):
    server.add(GSPC, Reply.file("yahoo_chart_gspc.json"))
    res = make(YahooChartProvider, server).fetch(
        symbol="^GSPC", start=dt.date(2025, 11, 17), end=dt.date(2025, 11, 21)
    )
    assert res.kind == "price" and res.symbol == "^GSPC"
    pd.testing.assert_frame_equal(res.frame, _expected("yahoo_chart_gspc.json"), check_freq=False)
    # A value known independently (SOURCES.md): the 2025-11-20 reversal.
    row = res.frame.loc["2025-11-20"]
    assert (row["open"], row["high"], row["low"], row["close"]) == (
        6737.93, 6770.35, 6534.05, 6538.76
    )
    (hit,) = server.hits
    assert hit.query["interval"] == "1d"
    assert int(hit.query["period1"]) == calendar.timegm((2025, 11, 17, 0, 0, 0))
    assert int(hit.query["period2"]) == calendar.timegm((2025, 11, 22, 0, 0, 0))
    assert res.provenance.provider == "yahoo"
    assert res.provenance.urls[0].startswith(server.url + GSPC)
    assert res.provenance.fetched_at.tzinfo is not None
    assert not res.provenance.from_cache


def test_bar_dates_are_exchange_dates_not_utc_dates(server):
    # Sydney opens at 10:00 AEDT = 23:00 UTC of the previous day: a naive UTC conversion
    # would shift every bar back by one day.
    server.add("/v8/finance/chart/%5EAXJO", Reply.file("yahoo_chart_axjo.json"))
    res = make(YahooChartProvider, server).fetch(symbol="^AXJO")
    assert [d.date().isoformat() for d in res.frame.index] == [
        "2025-11-18", "2025-11-19", "2025-11-20", "2025-11-21"
    ]
    pd.testing.assert_frame_equal(res.frame, _expected("yahoo_chart_axjo.json"), check_freq=False)
    assert np.isnan(res.frame["volume"].iloc[1])
    # No start: period1 is 1900-01-01 00:00 UTC (never range=max, which answers quarterly bars).
    assert "range" not in server.hits[0].query
    assert int(server.hits[0].query["period1"]) == calendar.timegm((1900, 1, 1, 0, 0, 0))


def test_null_and_non_positive_bars_are_dropped_with_warnings(server):
    server.add(GSPC, Reply.file("yahoo_chart_gspc_gaps.json"))
    res = make(YahooChartProvider, server).fetch(symbol="^GSPC")
    assert [d.date().isoformat() for d in res.frame.index] == [
        "2025-11-17", "2025-11-18", "2025-11-20"
    ]
    text = " ".join(res.warnings)
    assert "1 bar(s) without a close" in text
    assert "non-positive close dropped: 2025-11-21" in text


def test_second_fetch_is_served_from_cache(server):
    server.add(GSPC, Reply.file("yahoo_chart_gspc.json"))
    p = make(YahooChartProvider, server)
    a = p.fetch(symbol="^GSPC", start=dt.date(2025, 11, 17), end=dt.date(2025, 11, 21))
    b = p.fetch(symbol="^GSPC", start=dt.date(2025, 11, 17), end=dt.date(2025, 11, 21))
    assert server.count() == 1
    assert b.provenance.from_cache and b.provenance.fetched_at == a.provenance.fetched_at
    pd.testing.assert_frame_equal(a.frame, b.frame)


def test_use_cache_false_always_asks(server, tmp_path):
    server.add(GSPC, Reply.file("yahoo_chart_gspc.json"))
    p = make(YahooChartProvider, server, use_cache=False)
    p.fetch(symbol="^GSPC")
    assert not p.fetch(symbol="^GSPC").provenance.from_cache
    assert server.count() == 2
    assert not (tmp_path / "home" / "cache" / "http").exists()


def test_unknown_symbol_404(server):
    server.add("/v8/finance/chart/NOPE", Reply(404, load("yahoo_chart_not_found.json")))
    with pytest.raises(ProviderError, match=r"yahoo: HTTP 404.*No data found.*chart/NOPE"):
        make(YahooChartProvider, server).fetch(symbol="NOPE")
    assert server.count() == 1


def test_error_object_in_200_body(server):
    server.add("/v8/finance/chart/NOPE", Reply.file("yahoo_chart_not_found.json"))
    with pytest.raises(ProviderError, match="Yahoo error for NOPE: No data found"):
        make(YahooChartProvider, server).fetch(symbol="NOPE")


def test_mismatched_field_lengths(server):
    doc = json.loads(load("yahoo_chart_gspc.json"))
    doc["chart"]["result"][0]["indicators"]["quote"][0]["close"].pop()
    server.add(GSPC, Reply(200, json.dumps(doc).encode()))
    with pytest.raises(ProviderError, match="field 'close' has 4 values for 5 timestamps"):
        make(YahooChartProvider, server).fetch(symbol="^GSPC")


def test_bad_query():
    with pytest.raises(ParameterError, match="start 2025-11-21 is after end"):
        YahooChartProvider().fetch(
            symbol="^GSPC", start=dt.date(2025, 11, 21), end=dt.date(2025, 11, 1)
        )
    with pytest.raises(ParameterError, match="symbol"):
        YahooChartProvider().fetch(start=dt.date(2025, 11, 1))


def test_result_envelope_is_json_safe(server):
    server.add(GSPC, Reply.file("yahoo_chart_gspc.json"))
    res = make(YahooChartProvider, server).fetch(symbol="^GSPC", label="SPX")
    d = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert d["name"] == "SPX" and d["rows"] == 5
    assert d["first"] == "2025-11-17" and d["last"] == "2025-11-21"
    assert d["provenance"]["provider"] == "yahoo"
    assert d["assumptions"]["adjusted"] is False
    assert "SPX (price, ^GSPC): 5 rows" in res.summary()


def test_empty_window_is_an_empty_frame_with_a_warning(server):
    doc = {"chart": {"result": [{"meta": {"symbol": "^GSPC",
                                          "exchangeTimezoneName": "America/New_York"},
                                 "indicators": {"quote": [{}]}}], "error": None}}
    server.add(GSPC, Reply(200, json.dumps(doc).encode()))
    res = make(YahooChartProvider, server).fetch(symbol="^GSPC", start=dt.date(2025, 11, 22))
    assert res.rows == 0 and list(res.frame.columns) == ["open", "high", "low", "close", "volume"]
    assert res.warnings == ("yahoo returned no data for ^GSPC in the window",)
    assert res.to_dict()["first"] is None
