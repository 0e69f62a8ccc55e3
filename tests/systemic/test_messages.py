"""Warnings of the systemic engines are Notes: a code, its parameters and a Chinese text."""

from __future__ import annotations

import pandas as pd
import pytest

import crashlens as cl
from crashlens.systemic import contagion, fragility
from crashlens.systemic.crowding import DEFAULT_MARKETS

pytestmark = pytest.mark.realdata


def _by_code(warnings, code):
    found = [w for w in warnings if getattr(w, "code", None) == code]
    assert found, f"no {code} among {list(warnings)}"
    return found


def test_contagion_before_a_listing_notes_the_missing_series():
    # COIN listed in April 2021: on 2021-03-01 it has no close, so no beta
    assert cl.data.close("COIN").index[0] > pd.Timestamp("2021-03-01")
    res = contagion("2021-03-01")
    coin = next(w for w in _by_code(res.warnings, "systemic.no_pair_data")
            if w.params["asset"] == "COIN")
    assert coin == "COIN: no COIN data on or before 2021-03-01; no beta"
    assert coin.text("zh") == "COIN：2021-03-01 当日及之前没有 COIN 数据；无贝塔"
    assert "COIN" not in res.betas


def test_fragility_on_a_saturday_early_in_the_cot_file():
    res = fragility("2024-03-02")
    # the COT reports (Tuesdays) are public 3 days later: those released by 2024-03-02
    dates = cl.data.get("COT_ES").index
    n = int((dates + pd.Timedelta(days=3) <= pd.Timestamp("2024-03-02")).sum())
    assert n == 9
    markets = ", ".join(f"{m} ({n})" for m in DEFAULT_MARKETS)
    (cot,) = _by_code(res.warnings, "systemic.cot_short")
    assert cot.params == {"min_weeks": 26, "end": "2024-03-02", "markets": markets}
    assert cot.text("zh") == (f"COT：截至 2024-03-02，{markets} 已公布的报告少于 26 份（原始 COT "
                              "文件始于 2024-01）；不计算其拥挤度分位数")
    (last,) = _by_code(res.warnings, "systemic.last_complete_day")
    assert last == "last complete day of indicators is 2024-03-01 (as-of 2024-03-02)"
    assert last.text("zh") == "指标的最后一个完整交易日为 2024-03-01（截至日 2024-03-02）"
    (miss,) = _by_code(res.warnings, "systemic.components_missing")
    assert miss.text("zh") == ("2024-03-01 无法获得的分项：['crowding']；权重已在其余分项间重新"
                               "归一")

