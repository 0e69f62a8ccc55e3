"""CFTC COT (Socrata) and Binance futures providers against recorded-format responses."""

from __future__ import annotations

import datetime as dt
import json
import statistics

import pytest
from _provider_replay import Reply, load, make

import crashlens.data.providers.binance as binance_mod
from crashlens.data.providers import (
    BinanceFundingProvider,
    BinanceOpenInterestProvider,
    CftcCotProvider,
)
from crashlens.errors import ParameterError, ProviderError

TFF = "/resource/gpe5-46if.json"
DISAGG = "/resource/72hh-3qpy.json"


# --- CFTC ------------------------------------------------------------------------------------


def test_cot_tff_es(server):
    server.add(TFF, Reply.file("cftc_tff_es.json"))
    res = make(CftcCotProvider, server).fetch(market="ES", start=dt.date(2025, 11, 1))
    assert res.kind == "cot" and res.symbol == "13874A"
    assert list(res.frame.columns) == [
        "open_interest", "dealer_long", "dealer_short", "asset_mgr_long", "asset_mgr_short",
        "lev_funds_long", "lev_funds_short",
    ]
    raw = json.loads(load("cftc_tff_es.json"))
    for r in raw:
        row = res.frame.loc[r["report_date_as_yyyy_mm_dd"][:10]]
        assert row["open_interest"] == float(r["open_interest_all"])
        assert row["dealer_short"] == float(r["dealer_positions_short_all"])
        assert row["asset_mgr_long"] == float(r["asset_mgr_positions_long"])
        assert row["lev_funds_short"] == float(r["lev_money_positions_short"])
    assert res.frame.loc["2025-11-18", "lev_funds_short"] == 611987.0  # by hand
    (hit,) = server.hits
    assert hit.query["$where"] == (
        "cftc_contract_market_code='13874A' AND report_date_as_yyyy_mm_dd >= "
        "'2025-11-01T00:00:00.000'"
    )
    assert hit.query["$order"] == "report_date_as_yyyy_mm_dd ASC"


def test_cot_disaggregated_gold_double_underscore_field(server):
    server.add(DISAGG, Reply.file("cftc_disagg_gc.json"))
    res = make(CftcCotProvider, server).fetch(market="gc")
    assert list(res.frame.columns) == [
        "open_interest", "producer_long", "producer_short", "swap_long", "swap_short",
        "managed_money_long", "managed_money_short",
    ]
    # swap short comes from Socrata's 'swap__positions_short_all' (sic).
    assert res.frame["swap_short"].tolist() == [235501.0, 231002.0, 238870.0]
    assert res.frame["managed_money_long"].tolist() == [151223.0, 148765.0, 155432.0]
    assert res.meta["market_names"] == ["GOLD - COMMODITY EXCHANGE INC."]


def test_cot_pages_until_a_short_page(server):
    rows = json.loads(load("cftc_tff_es.json"))

    def pages(path, query):
        off, lim = int(query["$offset"]), int(query["$limit"])
        return Reply(200, json.dumps(rows[off:off + lim]).encode())

    server.handle(TFF, pages)
    res = make(CftcCotProvider, server).fetch(market="ES", page_size=2)
    assert len(res.frame) == 3
    assert [h.query["$offset"] for h in server.hits] == ["0", "2"]
    assert len(res.provenance.urls) == 2


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (load("cftc_socrata_error.json"), "Socrata error: No such column"),
        (b'{"rows": []}', "expected a list of row objects"),
        (json.dumps([{"report_date_as_yyyy_mm_dd": "2025-11-18T00:00:00.000",
                      "open_interest_all": "1"}]).encode(), "field for 'dealer_long' missing"),
        (json.dumps([{**json.loads(load("cftc_tff_es.json"))[0],
                      "open_interest_all": "lots"}]).encode(), "'lots' is not a number"),
        (json.dumps([{**json.loads(load("cftc_tff_es.json"))[0],
                      "cftc_contract_market_code": "209742"}]).encode(),
         "is not the requested '13874A'"),
        (load("cftc_tff_es.json")[:500], "not valid JSON"),
    ],
    ids=["socrata-error", "shape", "missing-field", "non-numeric", "wrong-contract", "truncated"],
)
def test_cot_bad_bodies(server, body, match):
    server.add(TFF, Reply(200, body))
    with pytest.raises(ProviderError, match=match) as exc:
        make(CftcCotProvider, server).fetch(market="ES")
    assert str(exc.value).startswith("cftc: ") and TFF in str(exc.value)


def test_cot_query_validation():
    with pytest.raises(ParameterError, match="unknown COT market 'XX'"):
        CftcCotProvider().fetch(market="XX")
    with pytest.raises(ParameterError, match="give a market"):
        CftcCotProvider().fetch(contract_code="13874A")


# --- Binance ---------------------------------------------------------------------------------


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2025, 11, 22))


def test_funding_daily_mean_fraction_per_8h(server, today):
    server.add("/fapi/v1/fundingRate", Reply.file("binance_funding_btcusdt.json"))
    res = make(BinanceFundingProvider, server).fetch(
        symbol="btcusdt", start=dt.date(2025, 11, 19), end=dt.date(2025, 11, 22)
    )
    assert res.kind == "funding" and res.symbol == "BTCUSDT"
    # Independent: group the prints by UTC day by hand and average.
    by_day: dict[str, list[float]] = {}
    for r in json.loads(load("binance_funding_btcusdt.json")):
        day = dt.datetime.fromtimestamp(r["fundingTime"] / 1000, dt.UTC).date().isoformat()
        by_day.setdefault(day, []).append(float(r["fundingRate"]))
    got = {d.date().isoformat(): v for d, v in res.frame["value"].items()}
    assert got.keys() == by_day.keys()
    for day, vals in by_day.items():
        assert got[day] == pytest.approx(statistics.fmean(vals), rel=1e-12)
    assert got["2025-11-19"] == pytest.approx((0.0001 + 0.00008512 + 0.00005321) / 3)
    assert any("2025-11-22" in w and "partial" in w for w in res.warnings)
    q = server.hits[0].query
    assert q["symbol"] == "BTCUSDT" and q["limit"] == "1000"
    assert int(q["startTime"]) == 1763510400000  # 2025-11-19T00:00Z in ms, by hand


def test_funding_4h_interval_scaled_to_8h(server, today):
    t0 = 1763510400000
    rows = [{"symbol": "XUSDT", "fundingTime": t0 + k * 4 * 3_600_000, "fundingRate": "0.0001"}
            for k in range(6)]
    server.add("/fapi/v1/fundingRate", Reply(200, json.dumps(rows).encode()))
    res = make(BinanceFundingProvider, server).fetch(symbol="XUSDT", start=dt.date(2025, 11, 19))
    assert res.frame["value"].tolist() == [pytest.approx(0.0002)]  # 0.01 %/4h = 0.02 %/8h
    assert res.assumptions["funding_interval_h"] == 4.0


def test_funding_pagination(server, today):
    rows = json.loads(load("binance_funding_btcusdt.json"))

    def pages(path, query):
        start = int(query["startTime"])
        sel = [r for r in rows if r["fundingTime"] >= start][:4]
        return Reply(200, json.dumps(sel).encode())

    server.handle("/fapi/v1/fundingRate", pages)
    p = make(BinanceFundingProvider, server)
    p.page_limit = 4
    res = p.fetch(symbol="BTCUSDT", start=dt.date(2025, 11, 19))
    assert server.count() == 3  # 4 + 4 + 2 prints
    assert len(res.frame) == 4


def test_open_interest_daily_ohlc_in_usd(server, today):
    server.add("/futures/data/openInterestHist", Reply.file("binance_oi_btcusdt.json"))
    res = make(BinanceOpenInterestProvider, server).fetch(
        symbol="BTCUSDT", start=dt.date(2025, 11, 19)
    )
    assert res.kind == "oi" and list(res.frame.columns) == ["open", "high", "low", "close"]
    by_day: dict[str, list[float]] = {}
    for r in json.loads(load("binance_oi_btcusdt.json")):
        day = dt.datetime.fromtimestamp(r["timestamp"] / 1000, dt.UTC).date().isoformat()
        by_day.setdefault(day, []).append(float(r["sumOpenInterestValue"]))
    for day, v in by_day.items():
        row = res.frame.loc[day]
        assert (row.open, row.high, row.low, row.close) == (v[0], max(v), min(v), v[-1])
    assert res.frame.loc["2025-11-21", "low"] == 7998.7e6  # by hand
    assert server.hits[0].query["period"] == "4h"


def test_open_interest_start_clamped_to_30_days(server, today):
    server.add("/futures/data/openInterestHist", Reply.file("binance_oi_btcusdt.json"))
    res = make(BinanceOpenInterestProvider, server).fetch(
        symbol="BTCUSDT", start=dt.date(2025, 1, 1)
    )
    assert any("clamped to 2025-10-24" in w for w in res.warnings)
    assert int(server.hits[0].query["startTime"]) == 1761264000000  # 2025-10-24T00:00Z


@pytest.mark.parametrize(
    ("status", "body", "match"),
    [
        (400, load("binance_error_invalid_symbol.json"), r"HTTP 400.*Invalid symbol"),
        (200, load("binance_error_invalid_symbol.json"), r"Binance error -1121: Invalid symbol"),
        (200, b'[{"fundingTime": 1763510400000}]', "field 'fundingRate' missing"),
        (200, b'[{"fundingTime": "x", "fundingRate": "0.1"}]', "bad or missing 'fundingTime'"),
        (200, b'[{"fundingTime": 1763510400000, "fundingRate": "abc"}]', "'abc' is not a number"),
        (200, load("binance_funding_btcusdt.json")[:-40], "not valid JSON"),
    ],
    ids=["http-400", "error-200", "missing", "bad-time", "non-numeric", "truncated"],
)
def test_binance_bad_bodies(server, today, status, body, match):
    server.add("/fapi/v1/fundingRate", Reply(status, body))
    with pytest.raises(ProviderError, match=match) as exc:
        make(BinanceFundingProvider, server).fetch(symbol="BTCUSDT", start=dt.date(2025, 11, 19))
    assert str(exc.value).startswith("binance: ") and "/fapi/v1/fundingRate" in str(exc.value)


def test_oi_period_validation():
    with pytest.raises(ParameterError, match="period must be one of"):
        BinanceOpenInterestProvider().fetch(symbol="BTCUSDT", period="3h")
