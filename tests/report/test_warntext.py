"""Engine warnings in the Chinese report: common patterns translated, the rest kept."""

from __future__ import annotations

import pytest

from crashlens.report.warntext import warning_text

CASES = [
    ("OI_BTC ends 2025-10-26, 26 days before the as-of date 2025-11-21: its value is as of "
     "2025-10-26, not current",
     "OI_BTC 数据截至 2025-10-26，比截至日 2025-11-21 早 26 天：所示数值为 2025-10-26 的值，并非最新"),
    ("GOLD: no medium/long trigger within +-30% of spot", "GOLD：现价 ±30% 范围内没有中期/长期触发水平"),
    ("data vacuum: UNRATE late 2025-10-01; CPI missing 2025-10-01",
     "数据真空：UNRATE 延迟（2025-10-01）；CPI 缺失（2025-10-01）"),
    ("event 'Silver crash' (2026-01-30, line 41): after the as-of date 2025-11-21; skipped",
     "事件“Silver crash”（2026-01-30，第 41 行）：晚于截至日 2025-11-21，已跳过"),
    ("event 'X' (2025-11-19, line 29): event window truncated at the as-of date 2025-11-21: "
     "CAR over sessions -1..1",
     "事件“X”（2025-11-19，第 29 行）：事件窗口在截至日 2025-11-21 截断，累计异常收益按第 -1 至 1 "
     "个交易日计算"),
    ("4 contracts with OI but no usable IV excluded (OI 270, 0.00% of live OI)",
     "剔除 4 个有持仓但无可用隐含波动率的合约（持仓量 270，占有效持仓 0.00%）"),
]


@pytest.mark.parametrize(("en", "zh"), CASES)
def test_known_warnings_translated(en: str, zh: str) -> None:
    assert warning_text(en, "zh") == zh
    assert warning_text(en, "en") == en


def test_unknown_or_half_matching_warnings_stay_english() -> None:
    for text in ("something new happened",
                 "GOLD: no weird trigger within +-30% of spot",
                 "data vacuum: UNRATE unusual 2025-10-01"):
        assert warning_text(text, "zh") == text


def test_audit_notes_translated() -> None:
    assert warning_text("checked against the latest vintage", "zh") == "按最新修订值核查"
    assert warning_text("no data series can decide this statement; needs Challenger data",
                        "zh") == "没有数据序列能判定此表述；需要：Challenger data"
    assert warning_text("'all-time' = since 2016-06-28, the start of the data",
                        "zh") == "“历史”指自数据起点 2016-06-28 以来"


def test_scorecard_details_translated() -> None:
    assert (warning_text("never met in 2025-12-01..2026-03-01; closest level 4.4", "zh")
            == "2025-12-01 至 2026-03-01 期间从未满足；最接近的水平为 4.4")
    assert warning_text("SPX on 2026-03-31: change -1.128 %", "zh") == "SPX 于 2026-03-31：变动 -1.128 %"
    assert (warning_text("FED_TARGET_UPPER unchanged at 3.75 from 2026-02-05 to 2026-03-31", "zh")
            == "FED_TARGET_UPPER 在 2026-02-05 至 2026-03-31 期间维持 3.75 不变")
