"""Levels over time (part 5) and flows as desks publish them (part 6)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from crashlens.cta import CTAHistory, CTAParams, history, positioning

from .conftest import random_walk


def _book() -> pd.DataFrame:
    return pd.concat({"SPX": random_walk(2200, seed=11, drift=0.0003),
                      "DAX": random_walk(2200, seed=12),
                      "GOLD": random_walk(2200, seed=13, vol=0.015)}, axis=1)


def test_crossings_by_hand() -> None:
    d = pd.bdate_range("2025-11-10", periods=5)
    frame = pd.DataFrame({
        "date": d, "asset": "SPX",
        "price":          [100.0, 101.0, 99.0, 99.5, 102.0],
        "signal": 0.0,
        "trigger_short":  [100.5, 100.0, 99.8, 99.0, 99.0],
        "trigger_medium": [90.0, 90.0, 90.0, 90.0, 90.0],
        "trigger_long":   [float("nan")] * 5,
    })
    got = CTAHistory(frame=frame, replica=pd.DataFrame()).crossings()
    # day 2: 100 -> 101 crosses 100.5 (quoted day 1) up; day 3: 101 -> 99 crosses 100 down;
    # day 4: 99 -> 99.5 crosses 99.8? no (both below); day 5: 99.5 -> 102 vs 99.0: no
    assert list(zip(got["date"], got["group"], got["direction"], got["level"],
                    strict=True)) == [(d[1], "short", "up", 100.5), (d[2], "short", "down", 100.0)]


def test_a_close_on_the_pivot_touches_it_and_leaving_it_crosses() -> None:
    d = pd.bdate_range("2025-11-10", periods=4)
    frame = pd.DataFrame({
        "date": d, "asset": "SPX",
        "price":         [101.0, 100.0, 100.0, 98.0],
        "signal": 0.0,
        "trigger_short": [100.0, 100.0, 100.0, 100.0],
    })
    got = CTAHistory(frame=frame, replica=pd.DataFrame()).crossings()
    # day 2 lands on 100 (touched, not crossed); day 3 unchanged; day 4 leaves it downwards
    assert list(zip(got["date"], got["direction"], got["prev_close"], got["close"],
                    strict=True)) == [(d[3], "down", 100.0, 98.0)]


def test_history_matches_positioning_each_day() -> None:
    df = _book()
    params = CTAParams.preset("desk").replace(universe=tuple(df.columns))
    hist = history("2008-03-03", "2008-05-30", prices=df, params=params)
    years = params.headline_percentile_years
    f = hist.to_frame()
    for day in ("2008-03-03", "2008-04-01", "2008-05-30"):
        pos = positioning(day, prices=df, params=params, mc=False)
        for asset in df.columns:
            row = f[(f["date"] == pd.Timestamp(day)) & (f["asset"] == asset)].iloc[0]
            b = pos.assets[asset]
            assert row["percentile"] == pytest.approx(b["percentile"][f"{years}y"])
            assert row["notional_usd"] == pytest.approx(b["notional_usd"])
            assert row["trigger_short"] == pytest.approx(b["triggers"]["short"])
        eq = hist.sectors.loc[pd.Timestamp(day)]
        assert eq["equity_global_notional_usd"] == pytest.approx(
            pos.total["sectors"]["equity"]["notional_usd"])
        assert eq["equity_global_percentile"] == pytest.approx(
            pos.total["sectors"]["equity"]["percentile"][f"{years}y"])
        assert eq["equity_us_notional_usd"] == pytest.approx(pos.assets["SPX"]["notional_usd"])
    fig = hist.plot_levels("SPX")
    assert isinstance(fig, go.Figure)
    names = {t.name for t in fig.data}
    assert {"close", "short pivot", "medium pivot", "long pivot", "position % of max"} <= names
    d = hist.to_dict()
    assert {"history", "flips", "crossings", "sectors"} <= set(d)


def test_desk_view_adds_up() -> None:
    df = _book()
    params = CTAParams.preset("desk").replace(universe=tuple(df.columns))
    res = positioning("2008-05-30", ["GOLD"], prices=df, params=params, mc=False)
    view = res.total["desk_view"]
    full = positioning("2008-05-30", prices=df, params=params, mc=False)
    eq = full.assets["SPX"]["notional_usd"] + full.assets["DAX"]["notional_usd"]
    assert view["equity_global"]["notional_usd"] == pytest.approx(eq)
    assert view["equity_us"]["notional_usd"] == pytest.approx(full.assets["SPX"]["notional_usd"])
    for h in ("1w", "1m"):
        for k in ("flat", "up", "down", "down_big"):
            assert view["equity_global"]["flows_usd"][h][k] == pytest.approx(
                full.assets["SPX"]["flows_usd"][h][k] + full.assets["DAX"]["flows_usd"][h][k])
            assert view["spx"]["flows_usd"][h][k] == full.assets["SPX"]["flows_usd"][h][k]
    assert "global equity" in res.summary()


@pytest.mark.realdata
def test_2025_11_history_marks_the_short_pivot_break(raw_dir) -> None:
    """The S&P closed 6734.11 on 2025-11-14 below the short pivot quoted on the 13th."""
    hist = history("2025-11-03", "2025-11-21", assets=["SPX"])
    cr = hist.crossings()
    row = cr[(cr["date"] == pd.Timestamp("2025-11-14")) & (cr["group"] == "short")]
    assert len(row) == 1 and row["direction"].iloc[0] == "down"
    assert row["close"].iloc[0] == pytest.approx(6734.11, abs=0.01)


@pytest.mark.realdata
def test_cli_history_chart(raw_dir, tmp_path) -> None:
    from typer.testing import CliRunner

    from crashlens.cli.main import app

    out_file = tmp_path / "spx.html"
    out = CliRunner().invoke(app, ["cta", "--asof", "2025-11-21", "--history-from",
                                   "2025-11-10", "--assets", "SPX", "--chart", str(out_file)])
    assert out.exit_code == 0, out.output
    assert "2025-11-14 SPX: closed down through the short pivot" in out.stdout
    html = out_file.read_text(encoding="utf-8")
    assert "short pivot" in html and "pivot crossed" in html
