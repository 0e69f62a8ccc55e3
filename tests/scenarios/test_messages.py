"""Scenario warnings and scorecard details are notes: a code, the English text, a Chinese text."""

from __future__ import annotations

import pandas as pd
import pytest

import crashlens as cl
from crashlens import data
from crashlens.notes import Note

ASOF = pd.Timestamp("2025-11-21")


@pytest.mark.realdata
def test_run_warning_is_a_note_with_chinese(raw_dir):
    res = cl.scenarios.run("2026q1", ASOF, flows=False)
    assert all(isinstance(w, Note) for w in res.warnings)
    n = next(w for w in res.warnings if w.code == "scenarios.psd_repaired")
    shift = n.params["shift"]
    assert 0 < shift < 1
    assert n == ("the pairwise covariance was not positive semi-definite (assets with shorter "
                 f"histories); repaired on the correlation scale, largest change of a "
                 f"correlation {shift:.3f}")
    assert n.text("zh") == ("两两协方差矩阵非半正定（部分资产历史较短）；已在相关系数尺度上修正，"
                            f"单个相关系数的最大调整为 {shift:.3f}")


@pytest.mark.realdata
def test_scorecard_details_are_notes(raw_dir):
    card = cl.scenarios.scorecard("2026q1")
    details = list(card.conditions["detail"])
    assert all(isinstance(d, Note) for d in details)
    # the December 2025 cut: the first change of the Fed's upper target after the as-of date
    fed = data.close("FED_TARGET_UPPER")
    before = fed.loc[:ASOF].iloc[-1]
    after = fed.loc[ASOF + pd.Timedelta(days=1):]
    moved = after[after != before]
    day, level = moved.index[0], moved.iloc[0]
    assert (before, level, day) == (4.0, 3.75, pd.Timestamp("2025-12-11"))
    hit = next(d for d in details if d.code == "scenarios.cond_policy_hit")
    assert hit == "FED_TARGET_UPPER 4 on 2025-11-21 -> 3.75 on 2025-12-11 (-25 bp)"
    assert hit.text("zh") == "FED_TARGET_UPPER 从 2025-11-21 的 4 变为 2025-12-11 的 3.75（-25 bp）"
    free = next(d for d in details if d.code == "scenarios.cond_free_text")
    assert free.text("zh") == "自由文本：没有数据序列能判定"


def test_flows_of_data_no_source_expresses_say_so():
    from tests.scenarios.conftest import KINDS, make_market

    spec = cl.scenarios.loads("name: t\nscenarios:\n  - {id: down, probability: 1, "
                              "shocks: {AAA: '-10%'}}\n", known=KINDS)
    res = cl.scenarios.run(spec, "2024-04-01", window="1y", horizon_days=20,
                           data=make_market(), kinds=KINDS, universe=["AAA", "BBB", "RATE"])
    note = res.flows["cta"]["note"]
    assert isinstance(note, Note) and note.code == "scenarios.cta_needs_source"
    assert note.text("zh").startswith("未计算 CTA 资金流")
    assert note in res.warnings
