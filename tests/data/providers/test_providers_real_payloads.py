"""Provider fixes reproduced on real recorded live payloads (issue #12, part 7).

The payloads are read in place from ``shared/fixtures/providers`` (see its PROVENANCE.md; the
tests skip when the folder is absent) and replayed through the local replay server. Expected
values are rebuilt from the JSON with plain ``json`` and ``zoneinfo``, never from the code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import ssl
from pathlib import Path
from zoneinfo import ZoneInfo

import certifi
import httpcore
import httpx
import pytest
from _provider_replay import Reply, make, real

import crashlens.data.providers.binance as binance_mod
from crashlens.data.providers import (
    BinanceFundingProvider,
    CboeOptionsProvider,
    CftcCotProvider,
    FredProvider,
    YahooChartProvider,
)
from crashlens.data.providers._http import HttpClient
from crashlens.errors import ProviderError

MSFT_OPEN = "yahoo_yfinance-rs_history_chart_MSFT_06740f7.json"  # recorded at 16:38 UTC
MSFT_CLOSED = "yahoo_yfinance-rs_history_chart_MSFT_fcb546e.json"  # recorded after the close
VFINX_MAX = "yahoo_yfinance-rs_history_chart_VFINX_fcb546e.json"  # range=max -> 3mo bars
CBOE_SPY = "cboe_1997roylee_SPY_data_2f93a9f.json"


def _chart(name: str) -> dict:
    return json.loads(real(name))["chart"]["result"][0]


def _bars(name: str) -> dict[str, tuple[float | None, ...]]:
    """Exchange-local date -> (open, high, low, close, volume), straight from the JSON."""
    res = _chart(name)
    tz = ZoneInfo(res["meta"]["exchangeTimezoneName"])
    q = res["indicators"]["quote"][0]
    return {
        dt.datetime.fromtimestamp(t, tz).date().isoformat(): tuple(
            q[c][i] for c in ("open", "high", "low", "close", "volume")
        )
        for i, t in enumerate(res["timestamp"])
    }


def _path(symbol: str) -> str:
    return "/v8/finance/chart/" + symbol.replace("^", "%5E").replace("=", "%3D")


# --- 1. Yahoo: period1/period2 always, only daily granularity ---------------------------------


def test_no_start_sends_period1_and_period2_never_range_max(server, monkeypatch):
    import crashlens.data.providers.yahoo as yahoo_mod

    monkeypatch.setattr(yahoo_mod, "today_utc", lambda: dt.date(2025, 10, 29))
    server.add(_path("MSFT"), Reply(200, real(MSFT_CLOSED)))
    make(YahooChartProvider, server).fetch(symbol="MSFT")
    (hit,) = server.hits
    assert "range" not in hit.query
    assert hit.query["interval"] == "1d"
    assert int(hit.query["period1"]) == calendar.timegm((1900, 1, 1, 0, 0, 0))
    assert int(hit.query["period2"]) == calendar.timegm((2025, 10, 30, 0, 0, 0))


def test_quarterly_bars_of_range_max_are_refused(server):
    # The real answer to range=max&interval=1d for VFINX: 164 bars from 1985, three months
    # apart, which the old code stored as 164 daily closes.
    res = _chart(VFINX_MAX)
    assert res["meta"]["dataGranularity"] == "3mo" and len(res["timestamp"]) == 164
    gap_days = (res["timestamp"][-1] - res["timestamp"][-2]) / 86_400
    assert 89 <= gap_days <= 92
    server.add(_path("VFINX"), Reply(200, real(VFINX_MAX)))
    with pytest.raises(ProviderError) as exc:
        make(YahooChartProvider, server).fetch(symbol="VFINX")
    msg = str(exc.value)
    assert "\n" not in msg
    assert msg.startswith("yahoo: VFINX: dataGranularity is '3mo', not '1d'")


# --- 2. Yahoo: the bar of a session still open ------------------------------------------------


def test_unfinished_bar_of_an_open_session_is_dropped_with_a_warning(server):
    meta = _chart(MSFT_OPEN)["meta"]
    regular = meta["currentTradingPeriod"]["regular"]
    # The payload itself says the session was open: last trade inside the regular period.
    assert regular["start"] <= meta["regularMarketTime"] < regular["end"]
    server.add(_path("MSFT"), Reply(200, real(MSFT_OPEN)))
    res = make(YahooChartProvider, server).fetch(
        symbol="MSFT", start=dt.date(2025, 1, 1), end=dt.date(2025, 8, 25)
    )
    bars = _bars(MSFT_OPEN)
    assert list(bars)[-1] == "2025-08-25"
    assert res.frame.index[-1] == dt.datetime(2025, 8, 22)  # the Friday before
    assert len(res.frame) == len(bars) - 1 == 125
    for day, (o, h, lo, c, v) in list(bars.items())[:-1]:
        row = res.frame.loc[day]
        assert (row["open"], row["high"], row["low"], row["close"], row["volume"]) == (
            o, h, lo, c, v
        )
    assert any(
        w.startswith("last bar 2025-08-25 dropped: unfinished") and "12:38" in w
        for w in res.warnings
    )
    assert res.meta["unfinished_bar_dropped"] is True
    assert res.assumptions["unfinished_last_bar"] == "dropped"


@pytest.mark.parametrize(
    ("name", "symbol", "last_day", "rows"),
    [
        # recorded at 20:00:01 UTC, one second after the regular session ended
        (MSFT_CLOSED, "MSFT", "2025-10-29", 127),
        # Xetra, recorded at 16:35 UTC after the 16:30 close; the trading period is the next day
        ("yahoo_yfinance-rs_history_chart_GS2C.DE_fcb546e.json", "GS2C.DE", "2025-10-29", 5),
        # 24 h market open when recorded, but the window is 2020: nothing is cut
        ("yahoo_yf2_chart_BTC-USD.json", "BTC-USD", "2020-01-03", 3),
    ],
)
def test_finished_bars_are_kept(server, name, symbol, last_day, rows):
    server.add(_path(symbol), Reply(200, real(name)))
    res = make(YahooChartProvider, server).fetch(symbol=symbol, start=dt.date(2019, 12, 1))
    bars = _bars(name)
    assert len(res.frame) == rows == len(bars)
    assert res.frame.index[-1].date().isoformat() == last_day
    assert res.frame["close"].iloc[-1] == bars[last_day][3]
    assert not any("unfinished" in w for w in res.warnings)
    assert res.meta["unfinished_bar_dropped"] is False


# --- 5. Yahoo: FX pairs report volume 0 -------------------------------------------------------


def test_fx_volume_zero_is_missing(server):
    name = "yahoo_yf2_chart_EURUSD_X.json"
    res_json = _chart(name)
    assert res_json["meta"]["instrumentType"] == "CURRENCY"
    assert res_json["indicators"]["quote"][0]["volume"] == [0, 0, 0]
    server.add(_path("EURUSD=X"), Reply(200, real(name)))
    res = make(YahooChartProvider, server).fetch(symbol="EURUSD=X", start=dt.date(2020, 1, 1))
    bars = _bars(name)
    assert [d.date().isoformat() for d in res.frame.index] == list(bars)
    assert res.frame["volume"].isna().all()
    assert res.frame["close"].tolist() == [b[3] for b in bars.values()]
    assert res.assumptions["no_volume_instrument_types"] == ["CURRENCY"]


@pytest.mark.parametrize(
    ("name", "symbol"),
    [("yahoo_yf2_chart_GC_F.json", "GC=F"), ("yahoo_yf2_chart_WSU.DE.json", "WSU.DE")],
)
def test_traded_volume_is_kept(server, name, symbol):
    server.add(_path(symbol), Reply(200, real(name)))
    res = make(YahooChartProvider, server).fetch(symbol=symbol, start=dt.date(2019, 12, 1))
    assert res.frame["volume"].tolist() == [float(b[4]) for b in _bars(name).values()]


# --- 3. CBOE: placeholder implied vols ------------------------------------------------------


def _cboe_envelope() -> bytes:
    # The recorded file is the body's `data` object; the envelope around it is synthetic.
    data = json.loads(real(CBOE_SPY))
    return json.dumps({"timestamp": "2022-04-01 20:15:00", "symbol": "SPY", "data": data}).encode()


def test_cboe_placeholder_ivs_are_missing(server):
    body = _cboe_envelope()
    opts = json.loads(body)["data"]["options"]
    zero = {o["option"] for o in opts if o["iv"] <= 0}
    placeholder = {o["option"] for o in opts if o["iv"] == 0.02}
    huge = {o["option"] for o in opts if o["iv"] > 5}
    assert (len(opts), len(zero), len(placeholder), len(huge)) == (9798, 142, 1409, 108)
    server.add("/api/global/delayed_quotes/options/SPY.json", Reply(200, body))
    res = make(CboeOptionsProvider, server).fetch(symbol="SPY")
    f = res.frame
    assert len(f) == 9798
    symbols = [
        f"SPY{e:%y%m%d}{t}{round(k * 1000):08d}"
        for e, t, k in zip(f["expiry"], f["option_type"], f["strike"], strict=True)
    ]
    iv = dict(zip(symbols, f["iv"], strict=True))
    missing = {s for s, v in iv.items() if math.isnan(v)}
    assert missing == zero | placeholder | huge
    kept = {o["option"]: o["iv"] for o in opts if o["option"] not in missing}
    assert all(iv[s] == v for s, v in kept.items())
    assert max(kept.values()) <= 5 and 0.02 not in kept.values()
    assert math.isnan(iv["SPY220401P00200000"])  # iv 26.001 in the payload
    text = " | ".join(res.warnings)
    assert "142 contract(s) with iv <= 0 set to NaN" in text
    assert "1409 contract(s) with the placeholder iv 0.02 set to NaN" in text
    assert "108 contract(s) with iv > 5 set to NaN" in text
    assert (res.assumptions["iv_placeholder"], res.assumptions["iv_max"]) == (0.02, 5.0)


def test_cboe_iv_thresholds_are_parameters(server):
    body = _cboe_envelope()
    opts = json.loads(body)["data"]["options"]
    server.add("/api/global/delayed_quotes/options/SPY.json", Reply(200, body))
    res = make(CboeOptionsProvider, server).fetch(symbol="SPY", iv_max=30.0)
    expected = sum(1 for o in opts if o["iv"] > 0 and o["iv"] != 0.02)
    assert int(res.frame["iv"].notna().sum()) == expected
    assert res.frame["iv"].max() == 26.001


# --- 4. Binance: each print's own funding interval --------------------------------------------


def _funding(server, monkeypatch, rows, **query):
    monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2026, 10, 8))
    server.add("/fapi/v1/fundingRate", Reply(200, json.dumps(rows).encode()))
    return make(BinanceFundingProvider, server).fetch(symbol="BTCUSDT", **query)


def _by_day(res) -> dict[str, float]:
    return {d.date().isoformat(): v for d, v in res.frame["value"].items()}


def test_funding_prints_years_apart_are_not_scaled(server, monkeypatch):
    # Real rows: the first BTCUSDT print (2019-09-10) and one of 2026-10-06, seven years apart.
    # One interval for the whole series (their median spacing) made it 7 years and scaled both
    # rates by 8 / 61,000 h, to ~1e-9.
    rows = json.loads(real("binance_real_rows.json"))["funding_captured_2026-10-07"]
    res = _funding(server, monkeypatch, rows, start=dt.date(2019, 9, 1))
    assert _by_day(res) == {"2019-09-10": 0.0001, "2026-10-06": -0.00001592}
    assert any("funding interval unknown on 2 day(s)" in w for w in res.warnings)
    assert res.assumptions["funding_interval_h"] == 8.0


def test_funding_real_prints_eight_hours_apart(server, monkeypatch):
    real_rows = json.loads(real("binance_real_rows.json"))
    rows = real_rows["funding_first_prints_BTCUSDT"] + real_rows["funding_testdata_json"]
    res = _funding(server, monkeypatch, rows, start=dt.date(2019, 9, 1))
    # 2019-09-10 00:00 and 08:00 UTC; 2026-08-15 08:00:00.002 and 16:00 (a 2 ms late stamp
    # still spaces the prints 8 h): per-8 h rates as sent, the day's mean.
    assert _by_day(res) == pytest.approx(
        {"2019-09-10": (0.0001 - 0.00002695) / 2, "2026-08-15": (0.00006523 + 0.00005311) / 2},
        rel=1e-12,
    )
    assert not any("interval is" in w for w in res.warnings)


def test_funding_interval_change_scales_only_its_own_prints(server, monkeypatch):
    # Day 1: 8 h prints; day 2 switches to 4 h after midnight (Binance does so in turmoil).
    t0 = calendar.timegm((2025, 11, 19, 0, 0, 0)) * 1000
    hours = [0, 8, 16, 24, 28, 32, 36, 40, 44]
    rows = [{"symbol": "BTCUSDT", "fundingTime": t0 + h * 3_600_000, "fundingRate": "0.0001"}
            for h in hours]
    res = _funding(server, monkeypatch, rows, start=dt.date(2025, 11, 19))
    # By hand: day 1 is 3 prints of 0.01 %/8 h; day 2 is the 00:00 print (8 h since 16:00)
    # plus five 4 h prints worth 0.02 %/8 h each: (0.0001 + 5 x 0.0002) / 6.
    assert _by_day(res) == pytest.approx(
        {"2025-11-19": 0.0001, "2025-11-20": 0.0011 / 6}, rel=1e-12
    )
    assert any("funding interval is 4 h on 1 day(s) (2025-11-20 .. 2025-11-20)" in w
               for w in res.warnings)
    assert not any("partial" in w for w in res.warnings)


# --- 6. Proxies and CA bundles from the environment ---------------------------------------------


def test_https_proxy_from_the_environment_is_used(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.test:3128")
    client = HttpClient("yahoo")._http()
    transport = client._transport_for_url(httpx.URL("https://query1.finance.yahoo.com/v8"))
    pool = transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool, httpcore.HTTPProxy)
    assert (pool._proxy_url.host, pool._proxy_url.port) == (b"proxy.corp.test", 3128)
    monkeypatch.setenv("NO_PROXY", "finance.yahoo.com")
    client = HttpClient("yahoo")._http()
    transport = client._transport_for_url(httpx.URL("https://query1.finance.yahoo.com/v8"))
    assert not isinstance(transport._pool, httpcore.HTTPProxy)  # type: ignore[attr-defined]


def test_http_proxy_from_the_environment_carries_the_request(server, monkeypatch):
    # The replay server acts as the proxy: the request for an unresolvable host reaches it.
    monkeypatch.setenv("HTTP_PROXY", server.url)
    server.add(_path("MSFT"), Reply(200, real(MSFT_CLOSED)))
    p = YahooChartProvider(base_url="http://yahoo.invalid", timeout_s=2.0, use_cache=False)
    res = p.fetch(symbol="MSFT", start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 29))
    assert len(res.frame) == 21 and server.count(_path("MSFT")) == 1


def test_ssl_cert_file_from_the_environment_is_the_ca_bundle(monkeypatch, tmp_path: Path):
    pem = Path(certifi.where()).read_text()
    end = "-----END CERTIFICATE-----"
    one = pem[pem.index("-----BEGIN CERTIFICATE-----"): pem.index(end) + len(end)] + "\n"
    bundle = tmp_path / "corp-ca.pem"
    bundle.write_text(one)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    client = HttpClient("fred")._http()
    ctx = client._transport_for_url(httpx.URL("https://fred.stlouisfed.org"))._pool._ssl_context  # type: ignore[attr-defined]
    assert isinstance(ctx, ssl.SSLContext)
    assert len(ctx.get_ca_certs()) == 1  # only the corporate bundle, not certifi's ~150
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    client = HttpClient("fred")._http()
    ctx = client._transport_for_url(httpx.URL("https://fred.stlouisfed.org"))._pool._ssl_context  # type: ignore[attr-defined]
    assert len(ctx.get_ca_certs()) == pem.count(end)


def test_unreadable_ssl_cert_file_is_a_one_line_error(server, monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(ProviderError) as exc:
        make(YahooChartProvider, server).fetch(symbol="MSFT")
    msg = str(exc.value)
    assert "\n" not in msg
    assert msg.startswith(f"yahoo: SSL_CERT_FILE={tmp_path / 'missing.pem'}: cannot load CA")


# --- The other recorded payloads: FRED, CFTC and vendors' error bodies (regressions) ---------


@pytest.mark.parametrize(
    ("name", "series"),
    [
        ("fred_DGS10_cPca_b9b787e.csv", "DGS10"),
        ("fred_CPIAUCSL_cPca_b9b787e.csv", "CPIAUCSL"),
        ("fred_UNRATE_cPca_b9b787e.csv", "UNRATE"),
        ("fred_DGS10_legacy_economics-databases_2d88d95.csv", "DGS10"),
        ("fred_DGS3MO_legacy_economics-databases_2d88d95.csv", "DGS3MO"),
    ],
)
def test_fred_real_downloads(server, name, series):
    import csv
    import io

    text = real(name).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][1] == series
    values = {d: float(v) for d, v in rows[1:] if v not in ("", ".")}
    gaps = [d for d, v in rows[1:] if v in ("", ".")]
    server.add("/graph/fredgraph.csv", Reply(200, real(name)))
    res = make(FredProvider, server).fetch(series_id=series)
    got = {d.date().isoformat(): v for d, v in res.frame["value"].items()}
    assert got == values
    assert any(w.startswith(f"{len(gaps)} missing observation(s)") for w in res.warnings)
    if series in ("CPIAUCSL", "UNRATE"):
        assert gaps == ["2025-10-01"]  # the 2025 shutdown: no October survey


def test_cftc_disaggregated_gold_real_rows(server):
    rows = json.loads(real("cftc_disagg_72hh-3qpy_GC_088691_2026-09.json"))
    server.add("/resource/72hh-3qpy.json", Reply(200, json.dumps(rows).encode()))
    res = make(CftcCotProvider, server).fetch(market="GC")
    assert len(res.frame) == len(rows) == 2
    for r in rows:
        row = res.frame.loc[r["report_date_as_yyyy_mm_dd"][:10]]
        assert row["open_interest"] == float(r["open_interest_all"])
        assert row["producer_long"] == float(r["prod_merc_positions_long"])
        assert row["swap_short"] == float(r["swap__positions_short_all"])
        assert row["managed_money_long"] == float(r["m_money_positions_long_all"])


@pytest.mark.parametrize(
    ("key", "attempts", "text"),
    [
        ("yahoo_404_not_found", 1, "No data found, symbol may be delisted"),
        ("yahoo_401_invalid_crumb", 1, "Invalid Crumb"),
        ("yahoo_429_too_many", 2, "HTTP 429: Too Many Requests"),
        ("yahoo_429_edge", 2, "HTTP 429: Edge: Too Many Requests"),
        ("binance_451_restricted", 1, "Service unavailable from a restricted location"),
        ("binance_400_invalid_symbol", 1, "Invalid symbol."),
    ],
)
def test_real_error_bodies_are_one_line_errors(server, monkeypatch, key, attempts, text):
    reply = json.loads(real("error_bodies.json"))[key]
    if key.startswith("yahoo"):
        path, cls, query = _path("X"), YahooChartProvider, {"symbol": "X"}
    else:
        monkeypatch.setattr(binance_mod, "today_utc", lambda: dt.date(2025, 1, 2))
        path, cls = "/fapi/v1/fundingRate", BinanceFundingProvider
        query = {"symbol": "BTCUSDT", "start": dt.date(2025, 1, 1)}
    server.add(path, Reply(reply["status"], reply["body"].encode()))
    with pytest.raises(ProviderError) as exc:
        make(cls, server).fetch(**query)
    msg = str(exc.value)
    assert "\n" not in msg and text in msg
    assert msg.startswith(f"{cls.name}: HTTP {reply['status']}")
    assert server.count(path) == attempts  # only 429 (and 5xx) are retried
