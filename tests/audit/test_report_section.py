"""The report's audit section: grouped by the note's sections, counts, claimed vs measured."""

from __future__ import annotations

import pytest


@pytest.mark.realdata
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_audit_section_grouped_by_note_sections(raw_dir, lang: str) -> None:
    from crashlens.audit import load_claims
    from crashlens.report import build_report

    rep = build_report(event="2026-02", lang=lang, sections=["audit"])
    sec = rep.section("audit")
    assert sec.status == "ok"
    verdicts = sec.data["audit"]["verdicts"]
    # one summary table, then one table per section of the note, in the note's order
    summary, *per_section = sec.tables
    cf = load_claims(sec.data["audit"]["name"])
    key = "section_zh" if lang == "zh" else "section"
    order = list(dict.fromkeys(getattr(c, key) for c in cf.claims))
    assert [row[0] for row in summary.rows] == order
    assert len(per_section) == len(order)
    # counts per section, recomputed from the verdict records
    for row, name in zip(summary.rows, order, strict=True):
        mine = [v for v in verdicts if v[key] == name]
        assert row[1:] == [str(sum(v["verdict"] == k for v in mine))
                           for k in ("confirmed", "refuted", "not_checkable")]
    # claimed and measured side by side for a first print
    labour = per_section[0]
    i = [r for r in labour.rows if "10.8" in r[2] or "108,000" in r[2]]
    assert i and "108,435" in i[0][3]
    if lang == "zh":
        assert "原文" in labour.rows[0][0]
        assert summary.headers[1] == "证实"


def test_audit_notes_in_chinese() -> None:
    from crashlens.notes import Note
    from crashlens.notes import text as _note  # what the audit section renders notes with

    model = Note("audit.model_dependent", model="desk")
    assert str(model) == ("model 'desk': outputs depend on the model's parameters (AUM, "
                          "horizons, leverage distribution...): compare the order of magnitude, "
                          "not the digits")
    assert _note(model, "zh").startswith("模型“desk”")
    assert _note(model, "en") == model
    assert _note(Note("audit.latest_vintage"), "zh") == "按最新修订值核查"
    assert _note(Note("audit.latest_vintage"), "en") == "checked against the latest vintage"
    assert _note(Note("audit.not_yet_public", asof="2025-11-19"), "zh") == "2025-11-19 时尚未公布"
    # a plain string (no code) is shown as it is
    assert _note("something new", "zh") == "something new"
