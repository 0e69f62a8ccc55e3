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


def _claim_text(r: Mapping[str, Any], lang: str) -> str:
    """The claim in the report's language; the Chinese report adds the note's own words."""
    text = str((lang == "zh" and r.get("text_zh")) or r.get("text") or r.get("id"))
    quote = str(r.get("quote") or "")
    if lang == "zh" and quote and quote not in text:
        return f"{text}（原文：“{quote}”）"
    return text


def _note(note: str, lang: str) -> str:
    """The audit note in the report's language (the audit's own wording, then the common one)."""
    if lang != "zh" or not note:
        return note
    from crashlens.audit._zh import note_zh

    zh = note_zh(note)
    return zh if zh != note else warning_text(note, lang)


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _by_section(verdicts: list[dict[str, Any]], lang: str,
                other: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """Verdicts grouped by the note's section, in the order the sections first appear."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in verdicts:
        name = str((lang == "zh" and r.get("section_zh")) or r.get("section") or other)
        groups.setdefault(name, []).append(r)
    return list(groups.items())


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {k: sum(r.get("verdict") == k for r in rows)
            for k in ("confirmed", "refuted", "not_checkable")}


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
    verdicts = list(d.get("verdicts") or [])
    groups = _by_section(verdicts, lang, t("audit.no_section"))
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
            [lambda r: (_claim_text(r, lang), None),
             lambda r: (t.get(f"verdict.{r.get('verdict')}", str(r.get("verdict"))), None),
             lambda r: (_claimed(r, lang), None),
             lambda r: (str(r.get("measured_text") or fmt.num(r.get("measured"), 2, lang)),
                        _number(r.get("measured"))),
             lambda r: (_note(str(r.get("note") or ""), lang), None)],
            ident=f"audit-verdicts-{i + 1}", limit=60,
            note=t("audit.note") if i == len(groups) - 1 else ""))
    plot(ctx, out, res, "plot_verdicts", t("audit.chart"), "audit-chart",
         axes={"yaxis": "axis.claims"})
    return out
