"""Optional Chinese wording in scenario specs (``name_zh``, ``narrative_zh``, ``source_zh``)."""

from __future__ import annotations

from crashlens.scenarios.spec import load, loads


def test_zh_fields_optional() -> None:
    sp = loads("name: x\nscenarios:\n  - {id: A, probability: 1}\n")
    assert sp.source_zh == ""
    assert sp.scenarios[0].name_zh == "" and sp.scenarios[0].narrative_zh == ""


def test_shipped_example_has_chinese_texts() -> None:
    sp = load("2026q1")
    assert sp.source_zh
    assert all(s.name_zh and s.narrative_zh for s in sp.scenarios)
    assert all(c.text_zh for s in sp.scenarios for c in s.conditions)
