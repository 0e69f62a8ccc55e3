"""A Chinese report has no English sentence among its warnings (they are notes with codes)."""

from __future__ import annotations

import re

import pytest

from crashlens.report.builder import build_report

#: Three lowercase English words in a row: a sentence, not a ticker, a parameter or a name.
_ENGLISH = re.compile(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b")


@pytest.mark.realdata
@pytest.mark.parametrize("asof", ["2025-11-21", "2008-10-10"])
def test_chinese_report_warnings_are_chinese(raw_dir, asof: str) -> None:
    report = build_report(asof=asof, lang="zh")
    warnings = [w for s in report.sections for w in s.warnings]
    assert len(warnings) >= 5  # both dates have stale inputs, skipped events, missing parts
    english = [w for w in warnings if _ENGLISH.search(w)]
    assert not english, english[:3]
    assert all(re.search(r"[\u4e00-\u9fff]", w) for w in warnings)
