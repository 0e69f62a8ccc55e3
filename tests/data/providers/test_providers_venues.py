"""Bybit, OKX, Binance COIN-M and the venue sum (``OI_<COIN>_MARKET``) against the local
replay server, on payloads in the venues' documented formats and on real rows of the
market-wide crypto files."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from _provider_replay import Reply, make

import crashlens.data.providers.binance as binance_mod
from crashlens.data.providers import (
    BinanceCoinMFundingProvider,
    BinanceCoinMOpenInterestProvider,
    BinanceOpenInterestProvider,
    BybitFundingProvider,
    BybitOpenInterestProvider,
    OkxFundingProvider,
    OkxOpenInterestProvider,
    VenueSumOIProvider,
    route,
)
from crashlens.errors import ProviderError

DAY = 86_400_000
T0 = 1_762_128_000_000  # 2025-11-03 00:00 UTC
#: Binance's answer from a restricted region (quoted in public issue threads).
BINANCE_451 = (b'{"code": 0, "msg": "Service unavailable from a restricted location according '
               b"to 'b. Eligibility' in https://www.binance.com/en/terms.\"}")

BYBIT_OI = "/v5/market/open-interest"
BYBIT_KLINE = "/v5/market/kline"
BYBIT_FUND = "/v5/market/funding/history"
OKX_OI = "/api/v5/rubik/stat/contracts/open-interest-history"
OKX_FUND = "/api/v5/public/funding-rate-history"
BINANCE_OI = "/futures/data/openInterestHist"


def _json(doc) -> Reply:
    return Reply(body=json.dumps(doc).encode(), headers={"Content-Type": "application/json"})


def _bybit(rows, cursor="") -> Reply:
    return _json({"retCode": 0, "retMsg": "OK", "result": {"symbol": "BTCUSDT",
                  "category": "linear", "list": rows, "nextPageCursor": cursor},
                  "retExtInfo": {}, "time": T0})


def _okx(rows, code="0", msg="") -> Reply:
    return _json({"code": code, "msg": msg, "data": rows})


# --- Bybit -----------------------------------------------------------------------------------


def test_bybit_oi_in_coins_times_the_daily_open(server):
    # newest first, as Bybit answers; openInterest in BTC for a linear contract
    server.add(BYBIT_OI, _bybit([{"openInterest": "1100.5", "timestamp": str(T0 + DAY)},
                                 {"openInterest": "1000", "timestamp": str(T0)}]))
    server.add(BYBIT_KLINE, _bybit([[str(T0 + DAY), "91000", "92000", "90000", "91500", "1",
                                     "1"], [str(T0), "90000", "91000", "89000", "91000", "1",
                                            "1"]]))
    res = make(BybitOpenInterestProvider, server).fetch(
        symbol="btcusdt", start=dt.date(2025, 11, 3), end=dt.date(2025, 11, 4))
    assert res.kind == "oi" and res.symbol == "BTCUSDT"
    assert res.frame["close"].tolist() == [1000 * 90000.0, 1100.5 * 91000.0]
    hit = next(h for h in server.hits if h.path == BYBIT_OI)
    assert hit.query["intervalTime"] == "1d" and hit.query["category"] == "linear"


def test_bybit_oi_pages_by_cursor_and_inverse_is_usd(server):
    def oi(path, q):
        if q.get("cursor") == "p2":
            return _bybit([{"openInterest": "500", "timestamp": str(T0)}])
        return _bybit([{"openInterest": "600", "timestamp": str(T0 + DAY)}], cursor="p2")
    server.handle(BYBIT_OI, oi)
    res = make(BybitOpenInterestProvider, server).fetch(
        symbol="BTCUSD", category="inverse", start=dt.date(2025, 11, 3),
        end=dt.date(2025, 11, 4))
    assert res.frame["close"].tolist() == [500.0, 600.0]  # inverse: USD contracts
    assert server.count(BYBIT_OI) == 2 and server.count(BYBIT_KLINE) == 0


def test_bybit_missing_price_drops_the_day_with_a_warning(server):
    server.add(BYBIT_OI, _bybit([{"openInterest": "1", "timestamp": str(T0 + DAY)},
                                 {"openInterest": "1", "timestamp": str(T0)}]))
    server.add(BYBIT_KLINE, _bybit([[str(T0), "100", "1", "1", "1", "1", "1"]]))
    res = make(BybitOpenInterestProvider, server).fetch(symbol="BTCUSDT",
                                                        start=dt.date(2025, 11, 3))
    assert res.frame["close"].tolist() == [100.0]
    assert any("without a daily price" in w for w in res.warnings)


def test_bybit_funding_daily_mean(server):
    rows = [{"symbol": "BTCUSDT", "fundingRate": r, "fundingRateTimestamp": str(T0 + h * 3600000)}
            for h, r in ((16, "0.0003"), (8, "0.0002"), (0, "0.0001"))]
    server.add(BYBIT_FUND, _bybit(rows))
    res = make(BybitFundingProvider, server).fetch(symbol="BTCUSDT", start=dt.date(2025, 11, 3),
                                                   end=dt.date(2025, 11, 3))
    assert res.kind == "funding"
    assert res.frame["value"].iloc[0] == pytest.approx(0.0002)


@pytest.mark.parametrize(("reply", "match"), [
    (_json({"retCode": 10001, "retMsg": "params error: symbol invalid", "result": {}}),
     r"bybit: Bybit error 10001: params error: symbol invalid \(http://127"),
    (_bybit([{"fundingRate": "abc", "fundingRateTimestamp": str(T0)}]),
     r"row 0, field 'fundingRate': 'abc' is not a number"),
    (_bybit([{"fundingRateTimestamp": str(T0)}]), r"row 0: field 'fundingRate' missing"),
    (_bybit([{"fundingRate": "0.0001", "fundingRateTimestamp": "1762128000"}]),
     r"'fundingRateTimestamp' 1762128000 is not a time"),
    (_json([1, 2]), r"expected an object with 'retCode'"),
    (Reply(403, b"<html>Forbidden</html>"), r"bybit.*HTTP 403"),
])
def test_bybit_bad_answers(server, reply, match):
    server.add(BYBIT_FUND, reply)
    with pytest.raises(ProviderError, match=match):
        make(BybitFundingProvider, server).fetch(symbol="BTCUSDT", start=dt.date(2025, 11, 3),
                                                 end=dt.date(2025, 11, 3))


# --- OKX -------------------------------------------------------------------------------------


def test_okx_oi_uses_oi_usd_and_pages_backwards(server):
    full = [[str(T0 - i * DAY), "2867012", "28670.1", str(2.6e9 + i)] for i in range(100)]

    def oi(path, q):
        if int(q["end"]) <= T0 - 99 * DAY:
            return _okx([[str(T0 - 100 * DAY), "1", "1", "1.5e9"]])
        return _okx(full)
    server.handle(OKX_OI, oi)
    res = make(OkxOpenInterestProvider, server).fetch(
        inst_id="btc-usdt-swap", start=dt.date(2025, 7, 20), end=dt.date(2025, 11, 3))
    assert res.symbol == "BTC-USDT-SWAP"
    assert res.frame.loc["2025-11-03", "close"] == 2.6e9
    assert res.frame.loc["2025-07-26", "close"] == 1.5e9  # from the second page
    first, second = [h for h in server.hits if h.path == OKX_OI]
    assert first.query["period"] == "1Dutc" and second.query["end"] == str(T0 - 99 * DAY)


def test_okx_funding_and_errors(server):
    server.add(OKX_FUND, _okx([{"instId": "BTC-USDT-SWAP", "fundingRate": "0.0001",
                                "realizedRate": "0.0001", "fundingTime": str(T0)},
                               {"instId": "BTC-USDT-SWAP", "fundingRate": "0.0003",
                                "fundingTime": str(T0 + 8 * 3600000)}]))
    res = make(OkxFundingProvider, server).fetch(inst_id="BTC-USDT-SWAP",
                                                 start=dt.date(2025, 11, 3))
    assert res.frame["value"].iloc[0] == pytest.approx(0.0002)
    assert any("cover less than 24 h (partial days)" in w for w in res.warnings)
    server.add(OKX_FUND, _okx([], code="51001", msg="Instrument ID does not exist"))
    with pytest.raises(ProviderError, match="OKX error 51001: Instrument ID does not exist"):
        make(OkxFundingProvider, server, use_cache=False).fetch(inst_id="NOPE-USDT-SWAP")
    server.add(OKX_OI, _okx([[str(T0), "1", "1"]]))
    with pytest.raises(ProviderError, match="row 0: field '3' missing"):
        make(OkxOpenInterestProvider, server).fetch(inst_id="BTC-USDT-SWAP")


# --- Binance COIN-M and the USDT-M 1d history ------------------------------------------------


def test_binance_coinm_oi_contracts_times_face_value(server, monkeypatch):
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2025, 11, 10))
    server.add(BINANCE_OI, _json([
        {"pair": "BTCUSD", "contractType": "PERPETUAL", "sumOpenInterest": "24000.0",
         "sumOpenInterestValue": "23.1", "timestamp": T0},
        {"pair": "BTCUSD", "contractType": "PERPETUAL", "sumOpenInterest": "25000.0",
         "sumOpenInterestValue": "24.0", "timestamp": T0 + DAY}]))
    res = make(BinanceCoinMOpenInterestProvider, server).fetch(coin="btc",
                                                               start=dt.date(2025, 11, 3))
    assert res.frame["close"].tolist() == [2_400_000.0, 2_500_000.0]  # x 100 USD
    (hit,) = server.hits
    assert hit.query["pair"] == "BTCUSD" and hit.query["contractType"] == "PERPETUAL"
    server.add("/dapi/v1/fundingRate", _json([{"symbol": "BTCUSD_PERP", "fundingTime": T0,
                                               "fundingRate": "0.0001"}]))
    f = make(BinanceCoinMFundingProvider, server).fetch(coin="BTC", start=dt.date(2025, 11, 3),
                                                        end=dt.date(2025, 11, 3))
    assert f.symbol == "BTCUSD_PERP" and f.frame["value"].iloc[0] == pytest.approx(0.0001)


@pytest.mark.parametrize(("reply", "match"), [
    (Reply(451, BINANCE_451), r"binance_coinm.*HTTP 451.*restricted location"),
    (Reply(429, b"Too Many Requests"), r"HTTP 429"),
    (_json([{"sumOpenInterest": "12.5x", "timestamp": T0}]), r"'12.5x' is not a number"),
    (_json([{"timestamp": T0}]), r"field 'sumOpenInterest' missing"),
])
def test_binance_coinm_bad_answers(server, monkeypatch, reply, match):
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2025, 11, 10))
    server.add(BINANCE_OI, reply)
    with pytest.raises(ProviderError, match=match):
        make(BinanceCoinMOpenInterestProvider, server).fetch(coin="BTC",
                                                             start=dt.date(2025, 11, 3))


@pytest.mark.realdata
def test_binance_usdtm_1d_on_the_real_rows(server, monkeypatch, raw_dir):
    """The Q4 file is Binance's own ``sumOpenInterestValue`` (period 1d): served back in
    Binance's format, the provider returns the file's values."""
    with open(raw_dir / "crypto_binance_usdtm_oi_daily_2025q4.csv") as fh:
        cols = ("btcusdt_oi_value_usd", "btcusdt_oi_value_usd_y", "btcusdt_oi_value_usd_x",
                "btc_oi_value_usd")  # the merge artefacts hold the same value (SOURCES.md)
        rows = [(r["date"], float(next(r[c] for c in cols if r[c])))
                for r in csv.DictReader(fh) if "2025-11-17" <= r["date"] <= "2025-11-23"]
    assert len(rows) == 7
    ms = {d: int(dt.datetime.fromisoformat(d).replace(tzinfo=dt.UTC).timestamp() * 1000)
          for d, _ in rows}
    server.add(BINANCE_OI, _json([{"symbol": "BTCUSDT", "sumOpenInterest": "1",
                                   "sumOpenInterestValue": str(v), "timestamp": ms[d]}
                                  for d, v in rows]))
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2025, 11, 24))
    res = make(BinanceOpenInterestProvider, server).fetch(
        symbol="BTCUSDT", period="1d", start=dt.date(2025, 11, 17), end=dt.date(2025, 11, 23))
    for d, v in rows:
        assert res.frame.loc[d, "close"] == v
    assert res.frame.loc["2025-11-21", "close"] == pytest.approx(9.10e9, rel=0.001)


@pytest.mark.realdata
def test_okx_and_bybit_on_real_exchange_rows(server, raw_dir):
    """Real per-exchange OI of 2025-11-01..05 (00:00 UTC snapshots) served in each venue's
    format comes back unchanged in USD."""
    with open(raw_dir / "crypto_oi_by_exchange_4h_BTC_2025.csv") as fh:
        rows = [r for r in csv.DictReader(fh) if r["time_utc"][11:] == "00:00:00Z"
                and "2025-11-01" <= r["time_utc"][:10] <= "2025-11-05"]
    assert len(rows) == 5
    ms = [int(r["timestamp"]) for r in rows]
    server.add(OKX_OI, _okx([[str(t), "0", "0", r["OKX"]] for t, r in
                             reversed(list(zip(ms, rows, strict=True)))]))
    okx = make(OkxOpenInterestProvider, server).fetch(
        inst_id="BTC-USDT-SWAP", start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 5))
    assert okx.frame["close"].tolist() == [float(r["OKX"]) for r in rows]
    px = [float(r["price"]) for r in rows]
    server.add(BYBIT_OI, _bybit([{"openInterest": repr(float(r["BYBIT"]) / p),
                                  "timestamp": str(t)} for t, r, p in zip(ms, rows, px,
                                                                          strict=True)]))
    server.add(BYBIT_KLINE, _bybit([[str(t), str(p), "0", "0", "0", "0", "0"]
                                    for t, p in zip(ms, px, strict=True)]))
    byb = make(BybitOpenInterestProvider, server).fetch(
        symbol="BTCUSDT", start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 5))
    assert byb.frame["close"].tolist() == pytest.approx([float(r["BYBIT"]) for r in rows],
                                                        rel=1e-12)


# --- the venue sum ---------------------------------------------------------------------------


def _wire_all(server, binance_usdtm: Reply | None = None):
    def binance(path, q):
        if "pair" in q:  # COIN-M
            return _json([{"pair": "BTCUSD", "contractType": "PERPETUAL",
                           "sumOpenInterest": "20000", "sumOpenInterestValue": "1",
                           "timestamp": T0 + i * DAY} for i in range(3)])
        if binance_usdtm is not None:
            return binance_usdtm
        return _json([{"symbol": "BTCUSDT", "sumOpenInterest": "1",
                       "sumOpenInterestValue": str(8e9 + i), "timestamp": T0 + i * DAY}
                      for i in range(3)])
    server.handle(BINANCE_OI, binance)
    server.add(BYBIT_OI, _bybit([{"openInterest": "50000", "timestamp": str(T0 + i * DAY)}
                                 for i in (1, 0)]))  # Bybit lacks the third day
    server.add(BYBIT_KLINE, _bybit([[str(T0 + i * DAY), "100000", "0", "0", "0", "0", "0"]
                                    for i in range(3)]))
    server.add(OKX_OI, _okx([[str(T0 + i * DAY), "0", "0", "3e9"] for i in (2, 1, 0)]))


def test_venue_sum_on_common_days(server, monkeypatch):
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2025, 11, 10))
    _wire_all(server)
    res = make(VenueSumOIProvider, server).fetch(coin="btc", start=dt.date(2025, 11, 3),
                                                 end=dt.date(2025, 11, 5))
    # Binance USDT-M 8e9 + COIN-M 20000 x 100 + Bybit 50000 x 100000 + OKX 3e9
    assert res.frame["close"].tolist() == [8e9 + 2e6 + 5e9 + 3e9, 8e9 + 1 + 2e6 + 5e9 + 3e9]
    assert res.assumptions["venues"] == ["Binance USDT-M", "Binance COIN-M", "Bybit", "OKX"]
    assert any("1 day(s) not covered by every venue" in w for w in res.warnings)
    assert any("not all-exchange open interest" in w for w in res.warnings)


def test_venue_sum_leaves_a_restricted_venue_out_with_a_warning(server, monkeypatch):
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2025, 11, 10))
    _wire_all(server, binance_usdtm=Reply(451, BINANCE_451))
    res = make(VenueSumOIProvider, server).fetch(coin="BTC", start=dt.date(2025, 11, 3),
                                                 end=dt.date(2025, 11, 5))
    assert res.assumptions["venues"] == ["Binance COIN-M", "Bybit", "OKX"]
    assert any(w.startswith("Binance USDT-M left out") and "451" in w for w in res.warnings)
    assert res.frame["close"].iloc[0] == 2e6 + 5e9 + 3e9


def test_venue_sum_fails_when_every_venue_fails(server):
    for p in (BINANCE_OI, BYBIT_OI, OKX_OI):
        server.add(p, Reply(451, BINANCE_451))
    with pytest.raises(ProviderError, match="every venue failed for BTC"):
        make(VenueSumOIProvider, server).fetch(coin="BTC", start=dt.date(2025, 11, 3))


def test_routes_of_the_venue_names():
    assert route("OI_BTC_MARKET").provider == "venues_oi"
    assert route("oi_eth_bybit").params == {"symbol": "ETHUSDT"}
    assert route("OI_BTC_OKX").params == {"inst_id": "BTC-USDT-SWAP"}
    assert route("OI_BTC_BINANCE_COINM").provider == "binance_coinm_oi"
    assert route("OI_BTC_BINANCE_USDTM").params == {"symbol": "BTCUSDT", "period": "1d"}
    assert route("FUNDING_BTC_DAILY").kind == "funding"
    with pytest.raises(Exception, match="unknown series"):
        route("FUNDING_BTC_MARKET")


def test_cli_pull_of_a_venue_series(server, tmp_path):
    """``crashlens data pull OI:BTC_OKX`` (not a catalog series): written to a file."""
    import os
    import subprocess
    import sys

    server.add(OKX_OI, _okx([[str(T0 + DAY), "0", "0", "2.7e9"], [str(T0), "0", "0", "2.6e9"]]))
    env = dict(os.environ, CRASHLENS_HOME=str(tmp_path / "home"), CRASHLENS_OKX_URL=server.url)
    out = subprocess.run([sys.executable, "-m", "crashlens.cli.main", "data", "pull",
                          "OI:BTC_OKX", "--since", "2025-11-03", "--out", str(tmp_path / "o"),
                          "--json"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)["OI:BTC_OKX"]
    assert summary["provider"] == "okx" and summary["rows"] == 2
    text = (tmp_path / "o" / "OI_BTC_OKX.csv").read_text()
    assert "2025-11-04" in text and "2700000000.0" in text
    server.add(OKX_OI, _okx([], code="50011", msg="Too Many Requests"))
    env["CRASHLENS_HOME"] = str(tmp_path / "home2")
    out = subprocess.run([sys.executable, "-m", "crashlens.cli.main", "data", "pull",
                          "OI:BTC_OKX", "--no-store"], capture_output=True, text=True, env=env)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "OKX error 50011: Too Many Requests" in out.stderr
