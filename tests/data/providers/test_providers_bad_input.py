"""Every provider facing a server that answers 500, garbage, truncated bodies or too slowly."""

from __future__ import annotations

import datetime as dt

import pytest
from _provider_replay import Reply, load, make

import crashlens.data.providers.binance as binance_mod
from crashlens.data.providers import (
    BinanceFundingProvider,
    BinanceOpenInterestProvider,
    CboeOptionsProvider,
    CftcCotProvider,
    FredProvider,
    RetryPolicy,
    YahooChartProvider,
)
from crashlens.errors import ProviderError

# (provider class, request path, query, a good recorded response)
CASES = {
    "yahoo": (YahooChartProvider, "/v8/finance/chart/%5EGSPC", {"symbol": "^GSPC"},
              "yahoo_chart_gspc.json"),
    "fred": (FredProvider, "/graph/fredgraph.csv", {"series_id": "DGS10"}, "fred_dgs10.csv"),
    "cboe": (CboeOptionsProvider, "/api/global/delayed_quotes/options/SPY.json",
             {"symbol": "SPY"}, "cboe_spy.json"),
    "cftc": (CftcCotProvider, "/resource/gpe5-46if.json", {"market": "ES"}, "cftc_tff_es.json"),
    "binance_funding": (BinanceFundingProvider, "/fapi/v1/fundingRate",
                        {"symbol": "BTCUSDT", "start": dt.date(2025, 11, 19)},
                        "binance_funding_btcusdt.json"),
    "binance_oi": (BinanceOpenInterestProvider, "/futures/data/openInterestHist",
                   {"symbol": "BTCUSDT", "start": dt.date(2025, 11, 19)},
                   "binance_oi_btcusdt.json"),
}


@pytest.fixture(params=sorted(CASES))
def case(request, monkeypatch):
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2025, 11, 22))
    return CASES[request.param]


def _name(cls) -> str:
    return cls.name


def test_good_response_parses(server, case):
    cls, path, query, good = case
    server.add(path, Reply.file(good))
    res = make(cls, server).fetch(**query)
    assert res.rows > 0 and res.provenance.provider == _name(cls)


def test_500s_then_success(server, case):
    cls, path, query, good = case
    server.add(path, Reply(500, b"oops"), Reply(502, b"bad gateway"), Reply.file(good))
    p = make(cls, server, retry=RetryPolicy(max_retries=3, backoff_s=0.001))
    assert p.fetch(**query).rows > 0
    assert server.count(path) == 3


def test_persistent_500_names_provider_and_url(server, case):
    cls, path, query, _ = case
    server.add(path, Reply(500, b"Internal Server Error"))
    with pytest.raises(ProviderError) as exc:
        make(cls, server).fetch(**query)
    msg = str(exc.value)
    assert msg.startswith(f"{_name(cls)}: HTTP 500")
    assert f"{server.url}{path}" in msg and "gave up after 2 attempts" in msg


@pytest.mark.parametrize(
    "garbage",
    [b"<html><body>Access denied</body></html>", b"\x00\x01\x02\xff\xfe", b"{]", b"   "],
    ids=["html", "binary", "broken-json", "blank"],
)
def test_garbage_body(server, case, garbage):
    cls, path, query, good = case
    server.add(path, Reply(200, garbage), Reply.file(good))
    p = make(cls, server)
    with pytest.raises(ProviderError) as exc:
        p.fetch(**query)
    assert str(exc.value).startswith(f"{_name(cls)}: ") and path in str(exc.value)
    # The garbage was not left in the cache: the next fetch asks again and succeeds.
    assert p.fetch(**query).rows > 0
    assert server.count(path) == 2


def test_html_error_page_is_named(server, case):
    cls, path, query, _ = case
    server.add(path, Reply(200, b"<!DOCTYPE html><html><body>Consent</body></html>"))
    with pytest.raises(ProviderError, match="got HTML"):
        make(cls, server).fetch(**query)


def test_body_cut_short_of_content_length(server, case):
    cls, path, query, good = case
    body = load(good)
    server.add(path, Reply(200, body, truncate_to=len(body) // 2))
    with pytest.raises(ProviderError, match="truncated") as exc:
        make(cls, server).fetch(**query)
    assert path in str(exc.value)


def test_body_truncated_at_the_source(server, case):
    # Content-Length matches, but the recorded document itself stops half-way.
    cls, path, query, good = case
    body = load(good)
    server.add(path, Reply(200, body[: len(body) // 2]))
    with pytest.raises(ProviderError, match=rf"^{_name(cls)}: .*{path}"):
        make(cls, server).fetch(**query)


def test_slow_endpoint_times_out(server, case):
    cls, path, query, _ = case
    server.add(path, Reply(200, b"[]", delay=1.0))
    p = make(cls, server, timeout_s=0.15, retry=RetryPolicy(max_retries=0))
    with pytest.raises(ProviderError, match=rf"{_name(cls)}: timed out after 0.15 s from .*{path}"):
        p.fetch(**query)
