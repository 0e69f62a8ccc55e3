"""Claims audit (:func:`crashlens.audit.audit`): a note's numeric claims checked against data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._blocks import plot, records
from crashlens.report.sections._engine import (
    cached_call,
    event_file,
    omit_without_event,
    unavailable,
)
from crashlens.report.sections._generic import copy_meta
from crashlens.report.warntext import warning_text

SECTION_ID = "audit"


def _claimed(r: Mapping[str, Any], lang: str) -> str:
    """The claim in checkable form; a free-text claim (claimed = text) in the report's language."""
    claimed = str(r.get("claimed", ""))
    if lang == "zh" and r.get("text_zh") and claimed == str(r.get("text")):
        return str(r.get("text_zh"))
    return claimed


def build(ctx: ReportContext) -> SectionOutput:
    """Build the claims-audit section (the claims file of the event, else the newest)."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.audit"))
    if unavailable(ctx, out, "audit") or omit_without_event(ctx, out, "audit"):
        return out
    res = cached_call(ctx, "audit")
    d: dict[str, Any] = res.to_dict()
    d.pop("path", None)  # a server path is not part of the report
    out.data["audit"] = d
    copy_meta(out, res)
    counts = d.get("counts") or {}
    claims = event_file(ctx, "audit")
    out.paragraphs.append(t(
        "audit.lead", name=str(d.get("name", claims)),
        source=str((lang == "zh" and d.get("source_zh")) or d.get("source", "")),
        confirmed=fmt.num(counts.get("confirmed", 0), 0, lang),
        refuted=fmt.num(counts.get("refuted", 0), 0, lang),
        nc=fmt.num(counts.get("not_checkable", 0), 0, lang)))
    out.tables.append(records(
        ctx, t("audit.table"),
        [t("col.claim"), t("col.verdict"), t("col.claimed"), t("col.measured"), t("col.note")],
        d.get("verdicts") or [],
        [lambda r: (str((lang == "zh" and r.get("text_zh")) or r.get("text")), None),
         lambda r: (t.get(f"verdict.{r.get('verdict')}", str(r.get("verdict"))), None),
         lambda r: (_claimed(r, lang), None),
         lambda r: (str(r.get("measured_text") or fmt.num(r.get("measured"), 2, lang)), None),
         lambda r: (warning_text(str(r.get("note") or ""), lang), None)],
        ident="audit-verdicts", limit=40, note=t("audit.note")))
    plot(ctx, out, res, "plot_verdicts", t("audit.chart"), "audit-chart",
         axes={"yaxis": "axis.claims"})
    return out
