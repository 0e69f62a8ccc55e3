"""Scenarios with probabilities (:func:`crashlens.scenarios.run`).

Where the future is already in the data, also the ex-post scorecard
(:func:`crashlens.scenarios.scorecard`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from crashlens.report import engines, fmt
from crashlens.report.context import ReportContext, SectionOutput, engine_function
from crashlens.report.sections._blocks import kv, num_or_none, plot, records
from crashlens.report.sections._engine import (
    cached_call,
    event_file,
    omit_without_event,
    unavailable,
)
from crashlens.report.sections._generic import copy_meta
from crashlens.report.warntext import warning_text

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
    return (lang == "zh" and rec.get(f"{key}_zh")) or rec.get(key, "")


def build(ctx: ReportContext) -> SectionOutput:
    """Build the scenarios section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.scenarios"))
    if unavailable(ctx, out, "scenarios") or omit_without_event(ctx, out, "scenarios"):
        return out
    res = cached_call(ctx, "scenarios")
    d: dict[str, Any] = res.to_dict()
    out.data["scenarios"] = d
    copy_meta(out, res)
    out.paragraphs.append(t("scenarios.lead", name=str(d.get("name")),
                            source=str(_zh(d, "source", lang)),
                            end=fmt.date(d.get("horizon_end"), lang),
                            days=fmt.num(d.get("horizon_days"), 0, lang)))
    scen = d.get("scenarios") or []
    flows = ((d.get("flows") or {}).get("cta") or {}).get("scenarios") or {}
    out.tables.append(records(
        ctx, t("scenarios.table"),
        [t("col.scenario"), t("col.probability"), t("scenarios.narrative"),
         t("scenarios.cta_flow")], scen,
        [lambda r: (f"{r.get('id')}: {_zh(r, 'name', lang)}", None),
         lambda r: (fmt.pct(r.get("probability"), 0, lang), num_or_none(r.get("probability"))),
         lambda r: (str(_zh(r, "narrative", lang)), None),
         lambda r: (fmt.money(((flows.get(str(r.get("id"))) or {}).get("total_usd")), lang,
                              sign=True),
                    num_or_none((flows.get(str(r.get("id"))) or {}).get("total_usd")))],
        ident="scenarios-table"))
    out.tables.append(records(
        ctx, t("scenarios.expected"),
        [t("col.asset"), t("scenarios.expected_move"), t("scenarios.tail_low"),
         t("scenarios.tail_high")], d.get("expected") or [],
        [lambda r: (t.asset(str(r.get("asset"))), None),
         lambda r: (_move(r.get("expected"), str(r.get("unit", "")), lang),
                    num_or_none(r.get("expected"))),
         lambda r: (_move(r.get("tail_low"), str(r.get("unit", "")), lang),
                    num_or_none(r.get("tail_low"))),
         lambda r: (_move(r.get("tail_high"), str(r.get("unit", "")), lang),
                    num_or_none(r.get("tail_high")))],
        ident="scenarios-expected", limit=12, note=t("scenarios.expected_note")))
    plot(ctx, out, res, "plot_moves", t("scenarios.chart_moves"), "scenarios-moves",
         axes={"yaxis": "axis.scenario_move"})
    _scorecard(ctx, out, d)
    return out


def _scorecard(ctx: ReportContext, out: SectionOutput, d: dict[str, Any]) -> None:
    """The ex-post scorecard, only in a retrospective report.

    It grades the scenarios with data after the as-of date, so it is labelled as written after
    the fact.
    """
    t, lang = ctx.t, ctx.lang
    fn = engine_function("scenarios", "scorecard")
    end = d.get("horizon_end")
    if fn is None or end is None:
        return
    if not ctx.retrospective:
        out.paragraphs.append(t("scenarios.not_retrospective", end=fmt.date(end, lang)))
        return
    from crashlens.report.builder import latest_date

    if pd.Timestamp(end) > latest_date():
        out.paragraphs.append(t("scenarios.future_unknown", end=fmt.date(end, lang)))
        return
    sc = fn(engines.example_path("scenarios", event_file(ctx, "scenarios")), ctx.asof)
    s = sc.to_dict()
    out.data["scorecard"] = s
    copy_meta(out, sc, "scorecard.")
    out.paragraphs.append(t("scenarios.scorecard_lead", until=fmt.date(s.get("until"), lang),
                            realised=str(s.get("realised_scenario", fmt.DASH))))
    out.tables.append(kv(ctx, t("scenarios.scorecard"), [
        (t("scenarios.realised"), str(s.get("realised_scenario", fmt.DASH)), None),
        (t("scenarios.resembled"), str(s.get("resembled", fmt.DASH)), None),
        (t("scenarios.brier"), fmt.num(s.get("brier"), 3, lang), s.get("brier")),
        (t("scenarios.brier_uniform"), fmt.num(s.get("brier_uniform"), 3, lang),
         s.get("brier_uniform")),
    ], ident="scenarios-scorecard"))
    out.tables.append(records(
        ctx, t("scenarios.conditions"),
        [t("col.scenario"), t("col.claim"), t("col.verdict"), t("col.detail")],
        s.get("conditions") or [],
        [lambda r: (str(r.get("scenario")), None),
         lambda r: (str(_zh(r, "condition", lang)), None),
         lambda r: (t.get(f"scenarios.st.{r.get('status')}", str(r.get("status"))), None),
         lambda r: (warning_text(str(r.get("detail", "")), lang), None)],
        ident="scenarios-conditions", limit=20))
