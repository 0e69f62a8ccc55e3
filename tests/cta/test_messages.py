"""Warnings of the CTA engine are Notes: a code, its parameters and a Chinese text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import crashlens as cl
from crashlens.cta import positioning, read_readings
from crashlens.cta.messages import no_trigger_code
from crashlens.cta.params import default_params
from crashlens.notes import Note

pytestmark = pytest.mark.realdata


def _by_code(warnings, code):
    found = [w for w in warnings if getattr(w, "code", None) == code]
    assert found, f"no {code} among {list(warnings)}"
    return found


def test_march_2020_spx_has_no_medium_or_long_trigger_within_the_bracket(raw_dir: Path):
    res = positioning("2020-03-23", ["SPX"], mc=False)
    (note,) = _by_code(res.warnings, "cta.no_trigger_medium_long")
    assert note == "SPX: no medium/long trigger within +-30% of spot"
    assert note.text("zh") == "SPX：现价 ±30% 范围内没有中期/长期触发水平"
    # independently: the desk preset's pivots are EMAs of the closes (price-vs-EMA signals);
    # on 2020-03-23 the 120- and 330-day EMAs are more than 30 % above the close, the 35-day
    # one is not
    raw = pd.read_csv(raw_dir / "sp500_daily_ohlc.csv", parse_dates=["Date"], index_col="Date")
    close = raw["Close"].astype(float).loc[:"2020-03-23"]
    spot = close.iloc[-1]
    bracket = default_params().trigger_bracket
    ema = {h: close.ewm(span=h, adjust=False).mean().iloc[-1] for h in (35, 120, 330)}
    assert ema[120] > (1 + bracket) * spot and ema[330] > (1 + bracket) * spot
    assert (1 - bracket) * spot < ema[35] < (1 + bracket) * spot
    assert res.assets["SPX"]["triggers"]["short"] == pytest.approx(ema[35], rel=2e-3)


def test_a_stale_member_is_left_out_with_a_note():
    asof = pd.Timestamp("2025-11-20")
    last = cl.data.close("BUND10Y", end=asof).index[-1]
    days = (asof - last).days
    assert days > default_params().max_stale_days
    res = positioning(asof, mc=False)
    (note,) = _by_code(res.warnings, "cta.stale_left_out")
    assert note.params["asset"] == "BUND10Y" and "BUND10Y" not in res.total["sectors"]["rates"][
        "assets"]
    assert note.text("zh") == (f"BUND10Y：截至日 2025-11-20 比最后一个收盘价（{last.date()}）晚 "
                               f"{days} 天；max_stale_days=7；已剔除")


def test_desk_readings_cells_that_are_not_values(raw_dir: Path):
    desk = read_readings(raw_dir.parent / "desk" / "cta_desk_readings_2018_2025h1.csv")
    codes = {n.code: n for n in desk.notes}
    assert codes["cta.reading_not_number"].text("zh") == (
        "第 3 行 'us_pct' 列：'SPX 24th pct' 不是数字；留空")
    assert codes["cta.reading_bound"].text("zh") == (
        "第 18 行 'global_length_bn' 列：'>70' 是界限而非数值；留空")


@pytest.mark.parametrize("groups", [("short",), ("medium",), ("long",), ("short", "medium"),
                                    ("short", "long"), ("medium", "long"),
                                    ("short", "medium", "long")])
def test_every_combination_of_missing_triggers_has_a_message(groups):
    zh = {"short": "短期", "medium": "中期", "long": "长期"}
    note = Note(no_trigger_code(groups), asset="NDX", bracket=0.1)
    assert note == f"NDX: no {'/'.join(groups)} trigger within +-10% of spot"
    assert note.text("zh") == f"NDX：现价 ±10% 范围内没有{'/'.join(zh[g] for g in groups)}触发水平"
