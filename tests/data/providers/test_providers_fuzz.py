"""Property: whatever JSON or text a server sends, a provider returns a result or raises
ProviderError; never another exception."""

from __future__ import annotations

import datetime as dt
import json

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from crashlens.data.providers import (
    BinanceFundingProvider,
    BinanceOpenInterestProvider,
    CboeOptionsProvider,
    CftcCotProvider,
    FredProvider,
    HttpResponse,
    ProviderResult,
    YahooChartProvider,
)
from crashlens.errors import ProviderError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(["chart", "result", "meta", "timestamp", "indicators", "quote", "close",
                         "open", "high", "low", "volume", "error", "data", "options", "option",
                         "bid", "iv", "fundingTime", "fundingRate", "timestamp",
                         "sumOpenInterestValue", "report_date_as_yyyy_mm_dd",
                         "open_interest_all", "code", "x"]),
        inner, max_size=5),
    max_leaves=20,
)

PROVIDERS = [
    (YahooChartProvider, {"symbol": "^GSPC"}),
    (CboeOptionsProvider, {"symbol": "SPY"}),
    (CftcCotProvider, {"market": "ES"}),
    (BinanceFundingProvider, {"symbol": "BTCUSDT", "start": dt.date(2025, 11, 19)}),
    (BinanceOpenInterestProvider, {"symbol": "BTCUSDT", "start": dt.date(2025, 11, 19)}),
]


def _run(cls, params, body: bytes) -> None:
    p = cls(base_url="http://127.0.0.1:9")
    p.extract = lambda q: [HttpResponse("http://x/y", 200, body, dt.datetime.now(dt.UTC))]
    try:
        res = p.fetch(**params)
    except ProviderError:
        return
    assert isinstance(res, ProviderResult)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(doc=json_values, which=st.integers(0, len(PROVIDERS) - 1))
def test_any_json_gives_a_result_or_provider_error(doc, which):
    cls, params = PROVIDERS[which]
    _run(cls, params, json.dumps(doc).encode())


@settings(max_examples=60, deadline=None, derandomize=True)
@given(text=st.text(max_size=200))
def test_any_text_gives_a_result_or_provider_error_for_fred(text):
    _run(FredProvider, {"series_id": "DGS10"}, text.encode("utf-8", "surrogatepass"))


GOOD = [
    (YahooChartProvider, {"symbol": "^GSPC"}, "yahoo_chart_gspc.json"),
    (CboeOptionsProvider, {"symbol": "SPY"}, "cboe_spy.json"),
    (CftcCotProvider, {"market": "ES"}, "cftc_tff_es.json"),
    (BinanceFundingProvider, {"symbol": "BTCUSDT", "start": dt.date(2025, 11, 19)},
     "binance_funding_btcusdt.json"),
    (BinanceOpenInterestProvider, {"symbol": "BTCUSDT", "start": dt.date(2025, 11, 19)},
     "binance_oi_btcusdt.json"),
]


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _replace(doc, path, value):
    if not path:
        return value
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


@settings(max_examples=80, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(which=st.integers(0, len(GOOD) - 1), pick=st.integers(0, 10**6), value=json_values)
def test_recorded_response_with_one_node_replaced(which, pick, value):
    from _provider_replay import load

    cls, params, name = GOOD[which]
    doc = json.loads(load(name))
    paths = list(_paths(doc))
    doc = _replace(doc, paths[pick % len(paths)], value)
    _run(cls, params, json.dumps(doc).encode())
