"""Market-wide OI: coverage ratio and its error by hand, real values from the files read with
plain csv, staleness, and the snapshot's ``oi`` block."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from crashlens.cli.main import app
from crashlens.crypto import coverage_fit, leverage, market_oi, oi_snapshot
from crashlens.errors import InsufficientDataError, ParameterError


def test_coverage_fit_by_hand():
    t = pd.date_range("2025-01-01", periods=6, freq="D")
    venue = pd.Series([10.0, 11, 12, 13, 14, 15], index=t)
    ratios = np.array([5.0, 5.5, 4.5, 5.0, 5.2, 4.8])
    market = venue * ratios
    fit = coverage_fit(market, venue)
    assert fit.ratio == pytest.approx(ratios.mean())
    assert fit.coverage == pytest.approx(1 / ratios.mean())
    assert fit.rel_std == pytest.approx(ratios.std(ddof=1) / ratios.mean())
    # leave-one-out by hand: the ratio of the other five predicts each point
    errs = [(np.delete(ratios, i).mean() / ratios[i] - 1) ** 2 for i in range(6)]
    assert fit.loo_rel_error == pytest.approx(math.sqrt(np.mean(errs)))
    assert fit.n_overlap == 6
    # point in time: only points up to `upto`, and only the last `window_days`
    early = coverage_fit(market, venue, upto=t[2])
    assert early.ratio == pytest.approx(ratios[:3].mean())
    win = coverage_fit(market, venue, window_days=1)
    assert win.ratio == pytest.approx(ratios[-2:].mean())


def test_coverage_fit_constant_ratio_is_exact():
    t = pd.date_range("2025-01-01", periods=4, freq="D")
    v = pd.Series([1.0, 2, 3, 4], index=t)
    fit = coverage_fit(7.5 * v, v)
    assert fit.ratio == pytest.approx(7.5)
    assert fit.rel_std == pytest.approx(0.0, abs=1e-15)
    assert fit.loo_rel_error == pytest.approx(0.0, abs=1e-15)


def test_coverage_fit_without_overlap_is_an_error():
    a = pd.Series([1.0, 2.0], index=pd.date_range("2025-01-01", periods=2))
    b = pd.Series([1.0, 2.0], index=pd.date_range("2025-03-01", periods=2))
    with pytest.raises(InsufficientDataError, match="cannot be estimated: no overlap"):
        coverage_fit(a, b, venue_name="X")
    with pytest.raises(InsufficientDataError, match="up to 2024-12-31"):
        coverage_fit(a, a, upto=pd.Timestamp("2024-12-31"))
    with pytest.raises(ParameterError, match="window_days"):
        coverage_fit(a, a, window_days=0)
    one = coverage_fit(a.iloc[:1] * 3, a.iloc[:1])
    assert one.ratio == 3 and math.isnan(one.rel_std) and math.isnan(one.loo_rel_error)


def _agg_rows(raw_dir, coin):
    with open(raw_dir / f"crypto_oi_all_exchanges_4h_{coin}_2025.csv") as fh:
        return {r["time_utc"]: r for r in csv.DictReader(fh)}


def _usdtm(raw_dir, coin):
    c = coin.lower()
    out = {}
    with open(raw_dir / "crypto_binance_usdtm_oi_daily_2025q4.csv") as fh:
        for r in csv.DictReader(fh):
            vals = [r[k] for k in (f"{c}usdt_oi_value_usd", f"{c}usdt_oi_value_usd_y",
                                   f"{c}usdt_oi_value_usd_x", f"{c}_oi_value_usd") if r[k]]
            if vals:
                out[r["date"]] = float(vals[0])
    return out


@pytest.mark.realdata
def test_snapshot_on_the_aggregate(raw_dir):
    """Done-when: BTC market OI on 2025-10-06 within 2 % of the aggregated file (it is the
    file's own value: the close of the 20:00 bar)."""
    rows = _agg_rows(raw_dir, "BTC")
    want = float(rows["2025-10-06T20:00:00Z"]["close"])
    s = oi_snapshot("BTC", pd.Timestamp("2025-10-06"))
    assert s["market_usd"] == pytest.approx(want, rel=1e-12)
    assert abs(s["market_usd"] / 95e9 - 1) < 0.02  # SOURCES.md: about $95bn on 2025-10-06
    assert s["coverage"] == 1.0 and s["rel_error"] == 0.0
    assert s["asof"] == pd.Timestamp("2025-10-07 00:00") and s["is_current"]
    r = leverage("2025-10-06")
    assert r.oi["BTC"]["market_usd"] == pytest.approx(want, rel=1e-12)
    eth = float(_agg_rows(raw_dir, "ETH")["2025-10-06T20:00:00Z"]["close"])
    assert r.oi["ETH"]["market_usd"] == pytest.approx(eth, rel=1e-12)
    assert r.cascade["oi_source"] == "market" and r.is_current
    # 7- and 30-day changes by hand (last value at or before 7 / 30 days earlier)
    m = r.oi["BTC"]
    assert m["change_7d"] == pytest.approx(want / float(rows["2025-09-29T20:00:00Z"]["close"]) - 1)
    assert m["change_30d"] == pytest.approx(want / float(rows["2025-09-06T20:00:00Z"]["close"])
                                            - 1)


@pytest.mark.realdata
def test_extension_by_the_coverage_ratio(raw_dir):
    """After 2025-11-14 the market OI is Binance USDT-M times the mean overlap ratio; the
    aggregate at a day's 00:00 is the close of the previous day's 20:00 bar."""
    for coin in ("BTC", "ETH"):
        rows, ven = _agg_rows(raw_dir, coin), _usdtm(raw_dir, coin)
        prev = {d: (pd.Timestamp(d) - pd.Timedelta(days=1)).strftime("%Y-%m-%dT20:00:00Z")
                for d in ven}
        ratios = [float(rows[prev[d]]["close"]) / v for d, v in ven.items()
                  if prev[d] in rows]
        assert len(ratios) == 7  # 2025-11-08 .. 2025-11-14
        k = float(np.mean(ratios))
        s = oi_snapshot(coin, pd.Timestamp("2025-11-21"))
        assert s["market_usd"] == pytest.approx(k * ven["2025-11-22"], rel=1e-9)
        assert s["coverage"] == pytest.approx(1 / k, rel=1e-9)
        fit = s["coverage_fit"]
        assert fit["n_overlap"] == 7
        assert fit["rel_std"] == pytest.approx(np.std(ratios, ddof=1) / k, rel=1e-9)
        assert 0 < s["rel_error"] < 0.05  # measured: BTC 2.5 %, ETH 1.6 %
        assert s["asof"] == pd.Timestamp("2025-11-22") and s["is_current"]
    # BTCUSDT is ~13 % of the BTC market
    assert oi_snapshot("BTC", pd.Timestamp("2025-11-21"))["coverage"] == pytest.approx(0.13,
                                                                                       abs=0.01)


@pytest.mark.realdata
def test_point_in_time_series(raw_dir):
    """A series cut at t equals the full series up to t (nothing after t is used)."""
    full, _, _ = market_oi("BTC")
    cut, _, _ = market_oi("BTC", pd.Timestamp("2025-11-20"))
    pd.testing.assert_frame_equal(cut, full.loc[:"2025-11-20"])
    early, fit, _ = market_oi("BTC", pd.Timestamp("2025-11-01"))
    assert fit is None and early.index[-1] == pd.Timestamp("2025-11-01")


@pytest.mark.realdata
def test_stale_oi_is_never_current(raw_dir):
    r = leverage("2026-01-20")
    for coin in ("BTC", "ETH"):
        st = r.oi_status[coin]
        assert st["is_current"] is False
        assert st["asof"] == pd.Timestamp("2025-12-17")
        assert "stale" in st["status"] and "2025-12-17" in st["status"]
    assert r.is_current is False and r.cascade["is_current"] is False
    assert "NOT CURRENT" in r.summary()
    assert any("market OI BTC: stale" in w for w in r.warnings)
    # within the maximum age it is current again
    assert oi_snapshot("BTC", pd.Timestamp("2025-12-17"))["is_current"]
    assert not oi_snapshot("BTC", pd.Timestamp("2025-12-20"))["is_current"]
    assert oi_snapshot("BTC", pd.Timestamp("2025-12-20"), max_age_days=5)["is_current"]
    with pytest.raises(ParameterError):
        oi_snapshot("BTC", pd.Timestamp("2025-12-20"), max_age_days=0)


@pytest.mark.realdata
def test_before_the_aggregate_falls_back_with_a_warning(raw_dir):
    r = leverage("2025-03-01")
    assert r.oi == {}
    assert any("aggregate starts 2025-05-18" in w for w in r.warnings)
    assert any("Binance coin-margined OI only" in w for w in r.warnings)
    assert r.cascade["oi_source"].startswith("Binance coin-margined")


@pytest.mark.realdata
def test_cli_json_has_oi(raw_dir):
    res = CliRunner().invoke(app, ["crypto", "--asof", "2025-10-06", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    want = float(_agg_rows(raw_dir, "BTC")["2025-10-06T20:00:00Z"]["close"])
    assert d["oi"]["BTC"]["market_usd"] == pytest.approx(want)
    assert d["oi"]["BTC"]["asof_utc"] == "2025-10-07T00:00:00Z"
    assert {"market_usd", "coverage", "asof"} <= d["oi"]["ETH"].keys()


def test_unknown_coin():
    with pytest.raises(ParameterError, match="no market-wide OI for SOL"):
        market_oi("SOL")


@pytest.mark.realdata
def test_market_funding_from_the_files(raw_dir):
    from crashlens.crypto.market import funding_snapshot

    with open(raw_dir / "crypto_funding_oi_weighted_4h_BTC_2025.csv") as fh:
        bars = {r["time_utc"]: float(r["close"]) for r in csv.DictReader(fh)}
    f = funding_snapshot("BTC", pd.Timestamp("2025-10-06"))
    assert f["rate_8h"] == pytest.approx(bars["2025-10-06T20:00:00Z"] / 100)  # percent/8h
    assert f["annualised"] == pytest.approx(f["rate_8h"] * 1095)
    assert f["source"].startswith("OI-weighted") and f["is_current"]
    with open(raw_dir / "btc_funding_daily_2019_2026.csv") as fh:
        daily = {r["date"]: float(r["funding_mean"]) for r in csv.DictReader(fh)}
    g = funding_snapshot("BTC", pd.Timestamp("2025-11-21"))
    assert g["rate_8h"] == pytest.approx(daily["2025-11-21"])
    assert g["asof"] == pd.Timestamp("2025-11-22") and "one venue" in g["source"]
    e = funding_snapshot("ETH", pd.Timestamp("2025-11-21"))
    assert not e["is_current"] and "stale" in e["status"]
    r = leverage("2025-11-21")
    assert r.funding["market_BTC"]["rate_8h"] == pytest.approx(daily["2025-11-21"])
    assert any("market funding ETH: stale" in w for w in r.warnings)


@pytest.mark.realdata
@pytest.mark.parametrize("day", ["2025-10-10", "2025-11-21"])
def test_snapshot_is_point_in_time(raw_dir, monkeypatch, day):
    """The same JSON on a store cut at the as-of date (the market files are cut by their own
    timestamps at the end of that day)."""
    from crashlens.data.store import Store

    ts = pd.Timestamp(day)
    full = json.loads(json.dumps(leverage(ts).to_dict()))
    original = Store.read

    def read(self, name, start=None, end=None, fields=None):
        hi = ts if end is None else min(pd.Timestamp(end), ts)
        return original(self, name, start, hi, fields)

    monkeypatch.setattr(Store, "read", read)
    assert json.loads(json.dumps(leverage(ts).to_dict())) == full


@pytest.mark.realdata
def test_history_has_market_oi(raw_dir):
    from crashlens.crypto import leverage_history

    rows = _agg_rows(raw_dir, "BTC")
    f = leverage_history("2025-10-01", "2025-11-21").frame
    assert f.loc["2025-10-06", "oi_market_usd"] == float(rows["2025-10-06T20:00:00Z"]["close"])
    assert f.loc["2025-10-06", "oi_market_coverage"] == 1.0
    assert f.loc["2025-11-21", "oi_market_usd"] == pytest.approx(
        oi_snapshot("BTC", pd.Timestamp("2025-11-21"))["market_usd"])


def test_bad_market_file_is_a_one_line_error(tmp_path, monkeypatch):
    from crashlens.errors import DataError

    (tmp_path / "crypto_oi_all_exchanges_4h_BTC_2025.csv").write_text(
        "time_utc,time,open,high,low,close\n2025-10-10T00:00:00Z,0,1,1,1,1\n"
        "2025-10-10T04:00:00Z,0,1,1,1,12,5bn\n")
    monkeypatch.setenv("CRASHLENS_DATA", str(tmp_path))
    with pytest.raises(DataError, match=r"crypto_oi_all_exchanges_4h_BTC_2025.csv, row 3: row "
                                        r"has 7 fields, the header has 6"):
        market_oi("BTC")
    (tmp_path / "crypto_oi_all_exchanges_4h_BTC_2025.csv").write_text(
        "time_utc,time,open,high,low,close\n2025-10-10T00:00:00Z,0,1,1,1,1\n")
    s, fit, warns = market_oi("BTC")  # no venue file: the aggregate alone, with a warning
    assert fit is None and len(s) == 1
    assert any("no venue series" in w for w in warns)
    monkeypatch.delenv("CRASHLENS_DATA")
    with pytest.raises(InsufficientDataError, match="need CRASHLENS_DATA"):
        market_oi("BTC")
