"""Catalog names → providers, and pull() against the replay server."""

from __future__ import annotations

import datetime as dt

import pytest
from _provider_replay import URL_VARS, Reply, make

import crashlens.data.providers._routes as routes_mod
import crashlens.data.providers.binance as binance_mod
from crashlens.data.catalog import CATALOG
from crashlens.data.providers import CHAIN, FredProvider, RetryPolicy, pull, route
from crashlens.errors import ParameterError, ProviderError, UnknownSeriesError


@pytest.mark.parametrize("name", sorted(set(CATALOG) - set(routes_mod.FILE_ONLY)))
def test_every_catalog_series_has_a_route_of_its_kind(name):
    r = route(name)
    assert r.kind == CATALOG[name].kind.value


@pytest.mark.parametrize("name", sorted(routes_mod.FILE_ONLY))
def test_file_only_series_say_why_they_have_no_route(name):
    assert name in CATALOG
    with pytest.raises(ParameterError, match=rf"^{name}: no online provider \(.+\); it comes"):
        route(name)


@pytest.mark.parametrize(
    ("name", "provider", "symbol"),
    [
        ("SPX", "yahoo", "^GSPC"), ("NDX", "yahoo", "^NDX"), ("VIX", "yahoo", "^VIX"),
        ("BTC", "yahoo", "BTC-USD"), ("GOLD", "yahoo", "GC=F"), ("SILVER", "yahoo", "SI=F"),
        ("DXY", "yahoo", "DX-Y.NYB"), ("nvda", "yahoo", "NVDA"),
        ("DAX", "yahoo", "^GDAXI"), ("NIKKEI", "yahoo", "^N225"), ("ZN", "yahoo", "ZN=F"),
        ("UST10Y", "fred", "DGS10"), ("UST2Y", "fred", "DGS2"), ("EFFR", "fred", "DFF"),
        ("HY_OAS", "fred", "BAMLH0A0HYM2"), ("UNRATE", "fred", "UNRATE"),
        ("PAYEMS", "fred", "PAYEMS"), ("ICSA", "fred", "ICSA"), ("CPI", "fred", "CPIAUCSL"),
        ("COT_ES", "cftc", "ES"), ("COT_GC", "cftc", "GC"),
        ("FUNDING_BTC", "binance_funding", "BTCUSDT"), ("OI_BTC", "binance_oi", "BTCUSDT"),
        ("OI_SOL", "binance_oi", "SOLUSDT"),
        ("YAHOO:aapl", "yahoo", "aapl"), ("FRED:DGS7", "fred", "DGS7"),
        ("CHAIN:SPY", "cboe", "SPY"), ("CHAIN_SPX", "cboe", "SPX"),
    ],
)
def test_routes(name, provider, symbol):
    r = route(name)
    assert (r.provider, r.symbol) == (provider, symbol)


@pytest.mark.parametrize("bad", ["SPXX", "COT_XX", "", "YAHOO:", "OI_B$"])
def test_unknown_names(bad):
    with pytest.raises(UnknownSeriesError):
        route(bad)


def test_unknown_name_suggests_and_fails_before_any_request(server):
    with pytest.raises(UnknownSeriesError, match=r"did you mean.*SPX"):
        pull(["UST10Y", "SPXX"])
    assert server.count() == 0


@pytest.fixture
def wired(server, monkeypatch):
    """Point every provider's env var at the replay server and serve one response each."""
    for var in URL_VARS:
        monkeypatch.setenv(var, server.url)
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2025, 11, 22))
    server.add("/v8/finance/chart/%5EGSPC", Reply.file("yahoo_chart_gspc.json"))
    server.add("/graph/fredgraph.csv", Reply.file("fred_dgs10.csv"))
    server.add("/resource/gpe5-46if.json", Reply.file("cftc_tff_es.json"))
    server.add("/fapi/v1/fundingRate", Reply.file("binance_funding_btcusdt.json"))
    server.add("/futures/data/openInterestHist", Reply.file("binance_oi_btcusdt.json"))
    server.add("/api/global/delayed_quotes/options/SPY.json", Reply.file("cboe_spy.json"))
    return server


def test_pull_mixed_names(wired):
    events = []
    names = ["SPX", "UST10Y", "COT_ES", "FUNDING_BTC", "OI_BTC", "CHAIN:SPY", "spx"]
    out = pull(names, dt.date(2025, 11, 17),
               on_progress=lambda *a: events.append(a))
    assert list(out) == ["SPX", "UST10Y", "COT_ES", "FUNDING_BTC", "OI_BTC", "CHAIN:SPY"]
    assert [out[n].kind for n in out] == ["price", "value", "cot", "funding", "oi", CHAIN]
    assert events == [(n, i, 6, None) for i, n in enumerate(out, start=1)]
    assert out["SPX"].name == "SPX" and out["SPX"].symbol == "^GSPC"
    assert out["UST10Y"].frame.index[0] == dt.datetime(2025, 11, 17)
    fred_hit = next(h for h in wired.hits if h.path == "/graph/fredgraph.csv")
    assert fred_hit.query["cosd"] == "2025-11-17"
    cboe_hit = next(h for h in wired.hits if h.path.endswith("SPY.json"))
    assert cboe_hit.query == {}  # a chain is a snapshot: no window


def test_pull_strict_raises_and_lenient_skips(wired):
    wired.add("/graph/fredgraph.csv", Reply(500, b"down"))
    fast = {"fred": make(FredProvider, wired, retry=RetryPolicy(max_retries=0))}
    with pytest.raises(ProviderError, match="fred: HTTP 500"):
        pull(["UST10Y", "SPX"], providers=fast)
    events = []
    out = pull(["UST10Y", "SPX"], providers=fast, strict=False,
               on_progress=lambda *a: events.append(a))
    assert list(out) == ["SPX"]
    assert events[0][0] == "UST10Y" and isinstance(events[0][3], ProviderError)
    assert events[1] == ("SPX", 2, 2, None)


def test_pull_converts_price_to_catalog_value_kind(wired, monkeypatch):
    monkeypatch.setitem(routes_mod.YAHOO_SYMBOLS, "UNRATE", "^GSPC")
    res = pull(["UNRATE"])["UNRATE"]
    assert res.kind == "value" and list(res.frame.columns) == ["value"]
    assert res.frame.loc["2025-11-20", "value"] == 6538.76


def test_pull_parameter_errors():
    with pytest.raises(ParameterError, match="after until"):
        pull(["SPX"], dt.date(2025, 2, 1), until=dt.date(2025, 1, 1))
    with pytest.raises(ParameterError, match="unknown provider key"):
        pull(["SPX"], providers={"nope": FredProvider()})
