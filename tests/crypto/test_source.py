"""Crypto engines read through ``source=``: the store and frames of the store give equal numbers.

The frames are the store's own series cut at the as-of date (point in time) and the crypto
market files come from the same raw folder (``files=``), so every number must be identical; a
source without the market files or a series falls back with a note naming what is missing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crashlens as cl
from crashlens import data
from crashlens.crypto import leverage, market_oi, replay, stablecoins
from crashlens.crypto import market as mk
from crashlens.errors import UnknownSeriesError

ASOF = pd.Timestamp("2025-11-21")
CRYPTO = ("BTC", "ETH", "OI_BTC", "OI_ETH", "FUNDING_BTC", "FUNDING_ETH", "FUNDING_SOL",
          "FUNDING_XRP", "FUNDING_BNB", "FUNDING_DOGE")


def _frames(asof: pd.Timestamp, names: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """The store's frames of ``names`` (default all) up to ``asof``."""
    held = data.names()
    out = {n: data.get(n, None, asof) for n in (names or held) if n in held}
    return {n: f for n, f in out.items() if len(f)}


@pytest.fixture(scope="module")
def store_run() -> cl.crypto.CryptoResult:
    return leverage(ASOF)


@pytest.fixture(scope="module")
def frames_run(raw_dir: Path) -> cl.crypto.CryptoResult:
    src = data.FramesSource(_frames(ASOF), files=raw_dir, label="store frames")
    return leverage(ASOF, source=src)


@pytest.mark.realdata
def test_leverage_on_frames_equals_the_store(store_run, frames_run, raw_dir):
    a, b = store_run, frames_run
    # drawdown: last close over the closing high, computed here from the frame itself
    btc = data.get("BTC", None, ASOF)["close"].dropna()
    assert a.btc["drawdown"] == pytest.approx(btc.iloc[-1] / btc.max() - 1.0, rel=1e-12)
    assert b.btc["drawdown"] == a.btc["drawdown"]
    assert b.btc["price"] == a.btc["price"] == btc.iloc[-1]
    # open interest: the venue series' last value and the market-wide value at the day's end
    oi = data.close("OI_BTC", None, ASOF).dropna()
    assert a.open_interest["BTC"]["usd"] == b.open_interest["BTC"]["usd"] == oi.iloc[-1]
    for coin in ("BTC", "ETH"):
        assert b.oi[coin]["market_usd"] == a.oi[coin]["market_usd"]
        assert b.oi[coin]["asof"] == a.oi[coin]["asof"]
    agg = mk.aggregate_oi("BTC").loc[:ASOF + pd.Timedelta(days=1)]
    if a.oi["BTC"]["source"].startswith("aggregate"):
        assert a.oi["BTC"]["market_usd"] == agg.iloc[-1]
    # modelled liquidations: the cascade on market OI and the whole map
    assert a.cascade["oi_source"] == b.cascade["oi_source"] == "market"
    assert a.cascade["liquidated_usd"] > 0
    assert b.cascade["liquidated_usd"] == a.cascade["liquidated_usd"]
    assert b.cascade["up"]["liquidated_usd"] == a.cascade["up"]["liquidated_usd"]
    pd.testing.assert_frame_equal(a.liquidation_map.reset_index(drop=True),
                                  b.liquidation_map.reset_index(drop=True))
    assert list(a.warnings) == list(b.warnings)


@pytest.mark.realdata
def test_replay_and_stablecoins_on_frames_equal_the_store(raw_dir):
    day = pd.Timestamp("2025-10-10")
    src = data.FramesSource(_frames(day + pd.Timedelta(days=1), ("BTC", "ETH")), files=raw_dir)
    a, b = replay(day), replay(day, source=src)
    assert a.liquidations_usd["total"] > 1e9
    assert b.liquidations_usd == a.liquidations_usd
    s1 = stablecoins("2025-11-21")
    s2 = stablecoins("2025-11-21", source=data.FramesSource(_frames(ASOF, ("BTC",)),
                                                            files=raw_dir))
    assert s2.supply["USDT"]["usd"] == s1.supply["USDT"]["usd"]
    assert s2.total == s1.total


@pytest.mark.realdata
def test_frames_without_market_files_fall_back_with_notes(raw_dir):
    src = data.FramesSource(_frames(ASOF, ("BTC", "ETH")), label="my frames")
    r = leverage(ASOF, source=src)
    codes = {getattr(w, "code", None): w for w in r.warnings}
    assert codes["crypto.no_files_in_source"] == ("market-wide crypto files need a folder of "
                                                  "raw files; the source my frames has none")
    assert "OI_BTC: not in the source my frames" in r.warnings
    assert "crypto.oi_btc_short" in codes and r.cascade == {} and r.oi == {}
    # the price block is still the store's
    assert r.btc["drawdown"] == leverage(ASOF, oi_source="binance").btc["drawdown"]
    # no BTC at all: a one-line error naming the series
    with pytest.raises(UnknownSeriesError, match="BTC"):
        leverage(ASOF, source=data.FramesSource(_frames(ASOF, ("ETH",))))


def _aggregate(folder: Path, scale: float) -> None:
    times = pd.date_range("2025-06-01", periods=12, freq="4h")
    v = scale * (1.0 + np.arange(12) / 100)
    ms = (times - pd.Timestamp("1970-01-01")) // pd.Timedelta(milliseconds=1)
    pd.DataFrame({"time_utc": times.strftime("%Y-%m-%dT%H:%M:%SZ"), "time": ms, "open": v,
                  "high": v, "low": v, "close": v}).to_csv(
        folder / mk.AGGREGATE_FILE.format(coin="BTC"), index=False)


def test_two_folders_never_share_a_cached_read(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    _aggregate(one, 5e10)
    _aggregate(two, 7e10)
    spx = pd.Series([6000.0, 6010.0], index=pd.to_datetime(["2025-06-02", "2025-06-03"]))
    a = market_oi("BTC", source=data.FramesSource({"SPX": spx}, files=one))[0]
    b = market_oi("BTC", source=data.FramesSource({"SPX": spx}, files=two))[0]
    assert a["market_usd"].iloc[0] == pytest.approx(5e10)
    assert b["market_usd"].iloc[0] == pytest.approx(7e10)
    # the same folder again is served the same values
    again = market_oi("BTC", source=data.FramesSource({"SPX": spx}, files=one))[0]
    pd.testing.assert_series_equal(again["market_usd"], a["market_usd"])
