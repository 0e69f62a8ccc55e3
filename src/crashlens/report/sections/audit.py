"""Claims audit (:func:`crashlens.audit.audit`): a note's numeric claims checked against data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crashlens import notes
from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._blocks import num_or_none, plot, records
from crashlens.report.sections._engine import cached_call, omit_without_event
from crashlens.report.sections._generic import copy_meta

if TYPE_CHECKING:
    from crashlens.audit.checks import Verdict
    from crashlens.audit.result import AuditResult

SECTION_ID = "audit"


def _claimed(v: Verdict, lang: str) -> str:
    """The claim in checkable form; a free-text claim (claimed = text) in the report's language."""
    if lang == "zh" and v.text_zh and v.claimed == v.text:
        return v.text_zh
    return v.claimed


def _claim_text(v: Verdict, lang: str) -> str:
    """The claim in the report's language; the Chinese report adds the note's own words."""
    text = str((lang == "zh" and v.text_zh) or v.text or v.id)
    if lang == "zh" and v.quote and v.quote not in text:
        return f"{text}（原文：“{v.quote}”）"
    return text


def _by_section(verdicts: list[Verdict], lang: str,
                other: str) -> list[tuple[str, list[Verdict]]]:
    """Verdicts grouped by the note's section, in the order the sections first appear."""
    groups: dict[str, list[Verdict]] = {}
    for v in verdicts:
        name = str((lang == "zh" and v.section_zh) or v.section or other)
        groups.setdefault(name, []).append(v)
    return list(groups.items())


def _counts(rows: list[Verdict]) -> dict[str, int]:
    return {k: sum(v.verdict == k for v in rows) for k in ("confirmed", "refuted", "not_checkable")}


def build(ctx: ReportContext) -> SectionOutput:
    """Build the claims-audit section (the claims file of the event, else the newest)."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.audit"))
    if omit_without_event(ctx, out, "audit"):
        return out
    res: AuditResult = cached_call(ctx, "audit")
    d = res.to_dict()
    d.pop("path")  # a server path is not part of the report
    out.data["audit"] = d
    copy_meta(out, res)
    counts = res.counts
    out.paragraphs.append(t(
        "audit.lead", name=str(res.name),
        source=str((lang == "zh" and res.source_zh) or res.source),
        confirmed=fmt.num(counts["confirmed"], 0, lang),
        refuted=fmt.num(counts["refuted"], 0, lang),
        nc=fmt.num(counts["not_checkable"], 0, lang)))
    groups = _by_section(list(res.verdicts), lang, t("audit.no_section"))
    out.tables.append(records(
        ctx, t("audit.by_section"),
        [t("col.section"), t("col.confirmed"), t("col.refuted"), t("col.not_checkable")],
        [{"section": name, **_counts(rows)} for name, rows in groups],
        [lambda r: (str(r["section"]), None),
         lambda r: (fmt.num(r["confirmed"], 0, lang), float(r["confirmed"])),
         lambda r: (fmt.num(r["refuted"], 0, lang), float(r["refuted"])),
         lambda r: (fmt.num(r["not_checkable"], 0, lang), float(r["not_checkable"]))],
        ident="audit-sections", limit=50))
    for i, (name, rows) in enumerate(groups):
        c = _counts(rows)
        out.tables.append(records(
            ctx, t("audit.section_table", section=name,
                   confirmed=fmt.num(c["confirmed"], 0, lang),
                   refuted=fmt.num(c["refuted"], 0, lang),
                   nc=fmt.num(c["not_checkable"], 0, lang)),
            [t("col.claim"), t("col.verdict"), t("col.claimed"), t("col.measured"),
             t("col.note")],
            rows,
            [lambda v: (_claim_text(v, lang), None),
             lambda v: (t.get(f"verdict.{v.verdict.value}", v.verdict.value), None),
             lambda v: (_claimed(v, lang), None),
             lambda v: (str(v.measured_text or fmt.num(v.measured, 2, lang)),
                        num_or_none(v.measured)),
             lambda v: (notes.text(v.note, lang), None)],
            ident=f"audit-verdicts-{i + 1}", limit=60,
            note=t("audit.note") if i == len(groups) - 1 else ""))
    plot(ctx, out, res, "plot_verdicts", t("audit.chart"), "audit-chart",
         axes={"yaxis": "axis.claims"})
    return out
