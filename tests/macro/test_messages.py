"""Macro warnings are notes: a code, the English text as before and a Chinese text."""

from __future__ import annotations

import pandas as pd
import pytest

from crashlens.macro import lens
from crashlens.notes import Note


@pytest.mark.realdata
def test_data_vacuum_note_on_2025_11_21(raw_dir) -> None:
    # the October 2025 household survey and CPI were not published by 2025-11-21 (shutdown):
    # overdue at the frontier ("late"), each with its reference month
    (n,) = [w for w in lens("2025-11-21").warnings if w.startswith("data vacuum")]
    assert isinstance(n, Note) and n.code == "macro.data_vacuum"
    assert n == "data vacuum: UNRATE late 2025-10-01; CPI late 2025-10-01; CORE_CPI late 2025-10-01"
    assert n.text("zh") == ("数据真空：UNRATE 延迟（2025-10-01）；CPI 延迟（2025-10-01）；"
                            "CORE_CPI 延迟（2025-10-01）")


@pytest.mark.realdata
def test_missing_and_late_months_both_render(raw_dir) -> None:
    # 2025-12-20: October 2025 (no household survey, no CPI) is a hole behind November; with
    # payrolls cut after August 2025, September to November are overdue at the frontier
    from crashlens import data

    asof = pd.Timestamp("2025-12-20")
    frames = {n: data.get(n, None, asof) for n in data.names()}
    frames["PAYEMS"] = frames["PAYEMS"].loc[:"2025-08-01"]
    src = data.FramesSource({n: f for n, f in frames.items() if len(f)}, label="cut payrolls")
    (n,) = [w for w in lens(asof, source=src).warnings
            if isinstance(w, Note) and w.startswith("data vacuum")]
    assert n == ("data vacuum: UNRATE missing 2025-10-01; CPI missing 2025-10-01; CORE_CPI "
                 "missing 2025-10-01; PAYEMS late 2025-09-01, 2025-10-01, 2025-11-01")
    assert n.text("zh") == ("数据真空：UNRATE 缺失（2025-10-01）；CPI 缺失（2025-10-01）；CORE_CPI "
                            "缺失（2025-10-01）；PAYEMS 延迟（2025-09-01, 2025-10-01, 2025-11-01）")
