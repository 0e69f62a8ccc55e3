"""Anatomy of a window against values computed directly from the raw CSV files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crashlens.episodes as ep
from crashlens.errors import InsufficientDataError, ParameterError, UnknownSeriesError

from .conftest import raw_close

pytestmark = pytest.mark.realdata

START, END = "2025-11-17", "2025-11-21"


@pytest.fixture(scope="module")
def nov() -> ep.AnatomyResult:
    return ep.anatomy(START, END)


def _hand(s: pd.Series, start: str, end: str, lookback: int, ppy: float) -> dict[str, float]:
    before = s[s.index < start]
    win = s[(s.index >= start) & (s.index <= end)]
    path = [before.iloc[-1], *win.tolist()]
    peak, mdd = path[0], 0.0
    for p in path:
        peak = max(peak, p)
        mdd = min(mdd, p / peak - 1)
    rets = [path[i] / path[i - 1] - 1 for i in range(1, len(path))]
    lr = np.log(np.array(path[1:]) / np.array(path[:-1]))
    pre = before.iloc[-(lookback + 1):].to_numpy()
    lpre = np.log(pre[1:] / pre[:-1])
    return {"return": path[-1] / path[0] - 1, "mdd": mdd, "worst": min(rets),
            "vol_window": float(np.std(lr, ddof=1) * math.sqrt(ppy)),
            "vol_before": float(np.std(lpre, ddof=1) * math.sqrt(ppy)),
            "base": before.iloc[-1], "end": win.iloc[-1]}


def test_spx_stats_match_raw_csv(nov: ep.AnatomyResult, spx_raw: pd.Series) -> None:
    h = _hand(spx_raw, START, END, 20, 252)
    row = nov.to_frame().loc["SPX"]
    assert row["return"] == pytest.approx(h["return"], rel=1e-9)
    assert row["max_drawdown"] == pytest.approx(h["mdd"], rel=1e-9)
    assert row["worst_day_return"] == pytest.approx(h["worst"], rel=1e-9)
    assert row["vol_window"] == pytest.approx(h["vol_window"], rel=1e-9)
    assert row["vol_before"] == pytest.approx(h["vol_before"], rel=1e-9)
    assert pd.Timestamp(row["worst_day_date"]) == pd.Timestamp("2025-11-20")
    assert nov.market_days == 5


def test_btc_uses_its_own_calendar(nov: ep.AnatomyResult, raw_dir: Path) -> None:
    btc = raw_close(raw_dir, "btc_usd_ohlcv_daily_2024plus.csv")
    h = _hand(btc, START, END, 20, 365)
    row = nov.to_frame().loc["BTC"]
    assert pd.Timestamp(row["base_date"]) == pd.Timestamp("2025-11-16")  # a Sunday
    assert row["return"] == pytest.approx(h["return"], rel=1e-9)
    assert row["vol_window"] == pytest.approx(h["vol_window"], rel=1e-9)


def test_breadth_matches_raw_stock_files(nov: ep.AnatomyResult, raw_dir: Path) -> None:
    down = 0
    for t in ("NVDA", "GOOG", "MSFT", "AMZN", "META", "TSLA", "COIN"):
        s = raw_close(raw_dir, f"stock_{t}_daily.csv", "date", "close")
        down += _hand(s, START, END, 20, 252)["return"] < 0
    for t in ("PLTR", "MSTR"):
        s = raw_close(raw_dir, f"stock_{t}_daily_2024plus.csv")
        down += _hand(s, START, END, 20, 252)["return"] < 0
    assert nov.breadth["n"] == 9
    assert nov.breadth["n_down"] == down


def test_market_value_is_divisor_times_points(spx_raw: pd.Series) -> None:
    r = ep.anatomy(START, END, assets=["SPX"], divisor=8.0e9)
    h = _hand(spx_raw, START, END, 20, 252)
    assert r.market_value["spx_value_lost_usd"] == pytest.approx(8.0e9 * (h["base"] - h["end"]))
    assert r.assumptions["divisor"] == 8.0e9
    assert "does_not_cover" in r.market_value


def test_levels_and_correlation_block(nov: ep.AnatomyResult, raw_dir: Path) -> None:
    rates = raw_close(raw_dir, "us_rates_daily.csv", "date", "DGS10")
    base = rates[rates.index < START].iloc[-1]
    end = rates[rates.index <= END].iloc[-1]
    lv = nov.levels.set_index("series").loc["UST10Y"]
    assert lv["change_bp"] == pytest.approx(100 * (end - base))
    c = nov.correlation
    assert c["n_window"] == 5 and c["n_before"] == 60
    m = np.array(c["window"], dtype=float)
    assert np.allclose(np.diag(m), 1.0)
    json.dumps(nov.to_dict(), allow_nan=False)
    assert "market value lost" in nov.summary()
    assert nov.plot_returns().data


def test_weekend_window_has_no_trading_days() -> None:
    with pytest.raises(InsufficientDataError, match="no trading day"):
        ep.anatomy("2025-11-22", "2025-11-23")


def test_start_after_end() -> None:
    with pytest.raises(ParameterError, match="after end"):
        ep.anatomy("2025-11-21", "2025-11-17")


def test_bad_parameters() -> None:
    with pytest.raises(UnknownSeriesError):
        ep.anatomy(START, END, assets=["SPX", "NOPE"])
    with pytest.raises(ParameterError, match="divisor"):
        ep.anatomy(START, END, divisor=-1)
    with pytest.raises(ParameterError, match="not a date"):
        ep.anatomy("2025-13-45", END)


def test_ranking_holds_every_priced_asset_by_sigma_move(nov: ep.AnatomyResult,
                                                       spx_raw: pd.Series,
                                                       raw_dir: Path) -> None:
    a = nov.assets.set_index("asset")
    # the S&P 500 and the Nasdaq-100 are ranked; volatility indices are not
    assert {"SPX", "NDX", "NVDA", "BTC", "GOLD"} <= set(a.index)
    assert not {"VIX", "GVZ", "VXN", "MOVE"} & set(a.index)
    assert list(nov.assets["sigma_move"]) == sorted(nov.assets["sigma_move"])
    # SPX σ-move by hand: log return over the std of the 250 daily log returns before
    before = spx_raw[spx_raw.index < START].iloc[-251:]
    lr = [math.log(before.iloc[i] / before.iloc[i - 1]) for i in range(1, len(before))]
    mu = sum(lr) / len(lr)
    sd = math.sqrt(sum((x - mu) ** 2 for x in lr) / (len(lr) - 1))
    end = spx_raw[spx_raw.index <= END].iloc[-1]
    assert a.loc["SPX", "sigma_move"] == pytest.approx(
        math.log(end / before.iloc[-1]) / (sd * math.sqrt(5)), rel=1e-9)
    assert a.loc["SPX", "sigma_move"] == pytest.approx(-0.7, abs=0.05)
    text = nov.summary()
    assert any(line.split()[:1] == ["SPX"] for line in text.splitlines())
    assert max(len(line) for line in text.splitlines()) <= 80


def test_vol_indices_in_points_in_their_own_table(nov: ep.AnatomyResult,
                                                  raw_dir: Path) -> None:
    vix = raw_close(raw_dir, "cboe_volatility_indices_daily.csv", "date", "VIX")
    gvz = raw_close(raw_dir, "cboe_volatility_indices_daily.csv", "date", "GVZ")
    v = nov.vol_indices.set_index("series")
    for name, s in (("VIX", vix), ("GVZ", gvz)):
        base = s[s.index < START].iloc[-1]
        end = s[s.index <= END].iloc[-1]
        assert v.loc[name, "change_pt"] == pytest.approx(end - base, abs=1e-9)
        assert v.loc[name, "change_pct"] == pytest.approx(end / base - 1, rel=1e-9)
    assert v.loc["VIX", "change_pt"] == pytest.approx(3.60, abs=0.005)  # 19.83 -> 23.43
    text = nov.summary()
    assert "volatility indices (points)" in text and "+3.60 pt" in text
    assert "yields and spreads" in text
