"""Audit verdict notes are notes: a code, the English text as before and a Chinese text."""

from __future__ import annotations

import pytest

from crashlens.audit import audit
from crashlens.audit.result import AuditResult
from crashlens.notes import Note

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def feb() -> AuditResult:
    return audit("2026-02-selloff")


@pytest.fixture(scope="module")
def nov() -> AuditResult:
    return audit("2025-11-selloff")


def test_every_note_the_audit_writes_is_a_note(feb: AuditResult, nov: AuditResult) -> None:
    notes = [v.note for r in (feb, nov) for v in r.verdicts if v.note]
    assert len(notes) > 20
    assert all(isinstance(n, Note) and n.code.startswith("audit.") for n in notes)


def test_stablecoin_note_on_real_files(feb: AuditResult) -> None:
    # the stablecoin file ends 2025-11-13; the claim is dated 2026-02-05: 84 days later
    n = feb.verdict("stablecoins-200bn-plus").note
    assert isinstance(n, Note) and n.code == "audit.file_ends"
    assert n == "the file ends 2025-11-13: value 84 days before the claim's date"
    assert n.text("zh") == "数据文件止于 2025-11-13：所用数值比观点日期早 84 天"


def test_record_and_model_notes(feb: AuditResult, nov: AuditResult) -> None:
    # the S&P 500 history of the store starts 1927-12-30
    n = feb.verdict("spx-record-late-jan").note
    assert isinstance(n, Note) and n.code == "audit.all_time_since"
    assert n.text("zh") == "“历史”指自数据起点 1927-12-30 以来"
    beta = nov.verdict("pltr-high-beta-to-crypto").note
    assert isinstance(beta, Note) and beta.code == "audit.model_betas_window"
    assert beta == ("model '60-day betas': betas from a rolling window of daily returns; "
                    "another window gives other numbers")
    assert beta.text("zh") == "模型“60 日贝塔”：贝塔来自日收益率的滚动窗口；换一个窗口结果不同"
    cta = nov.verdict("cta-notional-165bn").note
    assert isinstance(cta, Note) and cta.text("zh").startswith("模型“desk”：输出取决于模型参数")
    vintage = nov.verdict("september-unemployment-4.4").note
    assert isinstance(vintage, Note) and vintage.text("zh") == "按最新修订值核查"


def test_notes_survive_the_result_dict(nov: AuditResult) -> None:
    d = nov.to_dict()
    rec = next(r for r in d["verdicts"] if r["id"] == "pltr-high-beta-to-crypto")
    assert rec["note"] == str(nov.verdict("pltr-high-beta-to-crypto").note)
