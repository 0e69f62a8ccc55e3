"""Replay of real days on the real files: inputs checked against the files read with plain csv,
the validation figure for 2025-10-10, the JSON shape and bad input."""

from __future__ import annotations

import csv
import json
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from crashlens.cli.main import app, main
from crashlens.crypto import LiquidationModel, replay
from crashlens.errors import InsufficientDataError, ParameterError

#: Public figures for 2025-10-10 (CoinGlass, widely reported): all coins, all venues.
PUBLIC_LIQ_2025_10_10 = 19.1e9


def _rows(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def oct10(raw_dir):
    return replay("2025-10-10")


@pytest.mark.realdata
def test_inputs_match_the_files(raw_dir, oct10):
    agg = {r["time_utc"]: float(r["close"]) for r in
           _rows(raw_dir / "crypto_oi_all_exchanges_4h_BTC_2025.csv")}
    # OI before = market OI at 2025-10-10 00:00 = close of the 2025-10-09 20:00 bar
    assert oct10.oi_usd_before["BTC"] == agg["2025-10-09T20:00:00Z"]
    p = oct10.path[oct10.path["coin"] == "BTC"].set_index("time")
    assert len(p) == 6  # six 4-h steps ending 04:00 .. 24:00
    assert p.loc["2025-10-11 00:00", "oi_market_usd"] == agg["2025-10-10T20:00:00Z"]
    # the day's low from the daily OHLC file lands on the 20:00-24:00 step (the crash)
    ohlc = {r["Date"][:10]: r for r in _rows(raw_dir / "btc_usd_ohlcv_daily_2024plus.csv")}
    assert p["low"].min() == pytest.approx(float(ohlc["2025-10-10"]["Low"]))
    assert p["low"].idxmin() == pd.Timestamp("2025-10-11 00:00")
    # 4-h prices are the per-exchange snapshots
    snap = {r["time_utc"]: float(r["price"]) for r in
            _rows(raw_dir / "crypto_oi_by_exchange_4h_BTC_2025.csv")}
    assert p.loc["2025-10-10 16:00", "price"] == snap["2025-10-10T16:00:00Z"]
    # observed Binance-only liquidations: the file's six bars of the day
    liq = [r for r in _rows(raw_dir / "crypto_liquidations_binance_4h_BTC_2025.csv")
           if r["time_utc"].startswith("2025-10-10")]
    b = oct10.observed["BTC"]["binance_liquidations_usd"]
    assert b["long"] == pytest.approx(sum(float(r["aggregated_long_liquidation_usd"])
                                          for r in liq))
    assert oct10.observed["BTC"]["oi_change_usd"] == pytest.approx(
        agg["2025-10-10T20:00:00Z"] - agg["2025-10-09T20:00:00Z"])


@pytest.mark.realdata
def test_totals_add_up(oct10):
    liq = oct10.liquidations_usd
    p = oct10.path
    assert liq["long"] == pytest.approx(p["long_liq_usd"].sum())
    assert liq["short"] == pytest.approx(p["short_liq_usd"].sum())
    assert liq["total"] == pytest.approx(sum(v["total"] for v in liq["by_coin"].values()))
    for coin, v in liq["by_coin"].items():
        q = p[p["coin"] == coin]
        assert v["long"] == pytest.approx(q["long_liq_usd"].sum())
    # a crash after a rally: longs dominate
    assert liq["long"] > 10 * liq["short"]
    text = oct10.summary()
    assert f"BTC: ${liq['by_coin']['BTC']['total'] / 1e9:,.2f} bn" in text
    assert "Binance-only file $0.40 bn" in text  # $286m + $117m (SOURCES.md)
    fig = oct10.plot_liquidations()
    assert len(fig.data) == 4  # longs and shorts of BTC and ETH


@pytest.mark.realdata
def test_validation_2025_10_10(oct10):
    """Done-when: within a factor of 2 of the public figure, default parameters (not fitted
    to this day). BTC + ETH only are modelled, against $19.1bn for all coins: the measured
    ratio is 0.76 (docs/fragility.md)."""
    ratio = oct10.liquidations_usd["total"] / PUBLIC_LIQ_2025_10_10
    assert 0.5 <= ratio <= 2.0
    assert oct10.assumptions["lookback_days"] == LiquidationModel().lookback_days


@pytest.mark.realdata
def test_daily_steps_after_the_aggregate(raw_dir):
    r = replay("2025-11-21", coins=["BTC"])
    p = r.path.set_index("time")
    assert list(p.index) == [pd.Timestamp("2025-11-22")]  # one daily step
    ohlc = {r_["Date"][:10]: r_ for r_ in _rows(raw_dir / "btc_usd_ohlcv_daily_2024plus.csv")}
    assert p["price"].iloc[0] == pytest.approx(float(ohlc["2025-11-21"]["Close"]))
    assert p["low"].iloc[0] == pytest.approx(float(ohlc["2025-11-21"]["Low"]))
    assert p["price_source"].iloc[0] == "daily close"
    assert p["coverage"].iloc[0] == pytest.approx(0.13, abs=0.01)
    assert r.observed["BTC"]["binance_liquidations_usd"] is None  # outside that file
    assert any("CME carried forward" in w for w in r.warnings)


@pytest.mark.realdata
def test_cli_replay_json_shape(raw_dir):
    res = CliRunner().invoke(app, ["crypto", "replay", "--start", "2025-10-10", "--end",
                                   "2025-10-11", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert set(d["liquidations_usd"]) == {"total", "long", "short", "by_coin"}
    assert set(d["liquidations_usd"]["by_coin"]) == {"BTC", "ETH"}
    assert set(d["oi_usd_before"]) == {"BTC", "ETH"}
    assert len(d["path"]) == 2 * 12 and {"time", "coin", "price"} <= d["path"][0].keys()
    assert d["assumptions"]["leverage"] and isinstance(d["warnings"], list)


@pytest.mark.realdata
@pytest.mark.parametrize(("args", "msg"), [
    (["--start", "2025-10-12", "--end", "2025-10-10"], "after end"),
    (["--start", "2025-10-32"], "--start: '2025-10-32' is not a date"),
    (["--start", "2025-10-10", "--coins", "SOL"], "no market OI for SOL"),
    (["--start", "2024-01-10"], "fewer than 2 values"),
])
def test_cli_replay_bad_input(raw_dir, monkeypatch, capsys, args, msg):
    monkeypatch.setattr(sys, "argv", ["crashlens", "crypto", "replay", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert msg in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.realdata
def test_api_errors(raw_dir):
    with pytest.raises(ParameterError):
        replay("2025-10-10", coins=[])
    with pytest.raises(InsufficientDataError):
        replay("2026-03-01")
