"""Scenarios with probabilities (:func:`crashlens.scenarios.run`).

Where the future is already in the data, also the ex-post scorecard
(:func:`crashlens.scenarios.scorecard`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from crashlens import notes
from crashlens.report import engines, fmt
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._blocks import kv, num_or_none, plot, records, rows_of
from crashlens.report.sections._engine import cached_call, event_file, omit_without_event
from crashlens.report.sections._generic import copy_meta

if TYPE_CHECKING:
    from crashlens.scenarios.result import ScenarioResult

SECTION_ID = "scenarios"


def _move(v: Any, unit: str, lang: str) -> str:
    if v is None:
        return fmt.DASH
    if unit == "bp":
        return fmt.num(v, 0, lang, sign=True) + " bp"
    if unit == "%":
        return fmt.num(v, 1, lang, sign=True) + "%"
    return fmt.num(v, 2, lang, sign=True) + (f" {unit}" if unit else "")


def _zh(rec: Mapping[str, Any], key: str, lang: str) -> Any:
    """``rec[key + "_zh"]`` in a Chinese report when the spec gives it, else ``rec[key]``."""
    return (lang == "zh" and rec[f"{key}_zh"]) or rec[key]


def build(ctx: ReportContext) -> SectionOutput:
    """Build the scenarios section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.scenarios"))
    if omit_without_event(ctx, out, "scenarios"):
        return out
    res: ScenarioResult = cached_call(ctx, "scenarios")
    d = res.to_dict()
    out.data["scenarios"] = d
    copy_meta(out, res)
    source = (lang == "zh" and res.source_zh) or res.source
    out.paragraphs.append(t("scenarios.lead", name=str(res.name), source=str(source),
                            end=fmt.date(res.horizon_end, lang),
                            days=fmt.num(res.horizon_days, 0, lang)))
    # the CTA flows are absent when the CTA book could not be built ({"available": False,
    # "note": ...}) or when the run skipped flows: the column then shows the placeholder
    cta = res.flows.get("cta") or {}
    flows = cta["scenarios"] if cta.get("available") else {}

    def total(r: Mapping[str, Any]) -> Any:
        flow = flows.get(str(r["id"]))
        return flow["total_usd"] if flow is not None else None

    out.tables.append(records(
        ctx, t("scenarios.table"),
        [t("col.scenario"), t("col.probability"), t("scenarios.narrative"),
         t("scenarios.cta_flow")], res.scenarios,
        [lambda r: (f"{r['id']}: {_zh(r, 'name', lang)}", None),
         lambda r: (fmt.pct(r["probability"], 0, lang), num_or_none(r["probability"])),
         lambda r: (str(_zh(r, "narrative", lang)), None),
         lambda r: (fmt.money(total(r), lang, sign=True), num_or_none(total(r)))],
        ident="scenarios-table"))
    out.tables.append(records(
        ctx, t("scenarios.expected"),
        [t("col.asset"), t("scenarios.expected_move"), t("scenarios.tail_low"),
         t("scenarios.tail_high")], rows_of(res.expected),
        [lambda r: (t.asset(str(r["asset"])), None),
         lambda r: (_move(r["expected"], str(r["unit"]), lang), num_or_none(r["expected"])),
         lambda r: (_move(r["tail_low"], str(r["unit"]), lang), num_or_none(r["tail_low"])),
         lambda r: (_move(r["tail_high"], str(r["unit"]), lang),
                    num_or_none(r["tail_high"]))],
        ident="scenarios-expected", limit=12, note=t("scenarios.expected_note")))
    plot(ctx, out, res, "plot_moves", t("scenarios.chart_moves"), "scenarios-moves",
         axes={"yaxis": "axis.scenario_move"})
    _scorecard(ctx, out, res)
    return out


def _scorecard(ctx: ReportContext, out: SectionOutput, res: ScenarioResult) -> None:
    """The ex-post scorecard, only in a retrospective report.

    It grades the scenarios with data after the as-of date, so it is labelled as written after
    the fact.
    """
    from crashlens.scenarios import scorecard

    t, lang = ctx.t, ctx.lang
    end = res.horizon_end
    if end is None:  # a spec with a horizon in days only: nothing to grade against
        return
    if not ctx.retrospective:
        out.paragraphs.append(t("scenarios.not_retrospective", end=fmt.date(end, lang)))
        return
    from crashlens.report.builder import latest_date

    if pd.Timestamp(end) > latest_date():
        out.paragraphs.append(t("scenarios.future_unknown", end=fmt.date(end, lang)))
        return
    sc = scorecard(engines.example_path("scenarios", event_file(ctx, "scenarios")), ctx.asof)
    out.data["scorecard"] = sc.to_dict()
    copy_meta(out, sc, "scorecard.")
    realised = fmt.DASH if sc.realised_scenario is None else str(sc.realised_scenario)
    resembled = fmt.DASH if sc.resembled is None else str(sc.resembled)
    out.paragraphs.append(t("scenarios.scorecard_lead", until=fmt.date(sc.until, lang),
                            realised=realised))
    out.tables.append(kv(ctx, t("scenarios.scorecard"), [
        (t("scenarios.realised"), realised, None),
        (t("scenarios.resembled"), resembled, None),
        (t("scenarios.brier"), fmt.num(sc.brier, 3, lang), sc.brier),
        (t("scenarios.brier_uniform"), fmt.num(sc.brier_uniform, 3, lang), sc.brier_uniform),
    ], ident="scenarios-scorecard"))
    out.tables.append(records(
        ctx, t("scenarios.conditions"),
        [t("col.scenario"), t("col.claim"), t("col.verdict"), t("col.detail")],
        rows_of(sc.conditions),
        [lambda r: (str(r["scenario"]), None),
         lambda r: (str(_zh(r, "condition", lang)), None),
         lambda r: (t.get(f"scenarios.st.{r['status']}", str(r["status"])), None),
         lambda r: (notes.text(r["detail"] or "", lang), None)],
        ident="scenarios-conditions", limit=20))
