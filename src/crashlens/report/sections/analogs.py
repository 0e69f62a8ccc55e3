"""Historical analogs (:func:`crashlens.episodes.analogs`).

The nearest past states, what followed them, and today's sell-off side by side with 2008,
Q4 2018 and March 2020.
"""

from __future__ import annotations

from typing import Any

from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput, Table
from crashlens.report.sections._blocks import num_or_none, plot, records
from crashlens.report.sections._engine import cached_call, unavailable
from crashlens.report.sections._generic import copy_meta

SECTION_ID = "analogs"
SIDE_BY_SIDE = ("now", "2008", "2018-Q4", "2020")


def _by_unit(v: Any, unit: str, lang: str) -> str:
    if v is None:
        return fmt.DASH
    if unit == "fraction" or unit.startswith("fraction"):
        return fmt.pct(v, 1, lang)
    if unit.startswith("bp"):
        return fmt.num(v, 0, lang, sign=True) + " bp"
    if unit == "date":
        return fmt.date(v, lang)
    if unit == "text" or isinstance(v, str):
        return str(v)
    if unit == "sessions" or unit.startswith("stocks"):
        return fmt.num(v, 0, lang)
    return fmt.num(v, 2, lang)


def _pct_cell(key: str, lang: str) -> Any:
    return lambda r: (fmt.pct(r.get(key), 1, lang, sign=True), num_or_none(r.get(key)))


def build(ctx: ReportContext) -> SectionOutput:
    """Build the analogs section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.analogs"))
    if unavailable(ctx, out, "analogs"):
        return out
    res = cached_call(ctx, "analogs")
    d: dict[str, Any] = res.to_dict()
    out.data["analogs"] = d
    copy_meta(out, res)
    fwd = {r.get("horizon"): r for r in d.get("forward") or []}
    m1 = fwd.get("1m") or {}
    eps = d.get("nearest_episodes") or []
    out.paragraphs.append(t(
        "analogs.lead", first=str(eps[0].get("name")) if eps else fmt.DASH,
        p_neg=fmt.pct(m1.get("p_negative"), 0, lang),
        p5=fmt.pct(m1.get("p_below_5pct"), 0, lang), median=fmt.pct(m1.get("median"), 1, lang,
                                                                    sign=True),
        ess=fmt.num(m1.get("ess"), 0, lang)))
    out.tables.append(records(
        ctx, t("analogs.forward"),
        [t("col.horizon"), t("analogs.mean"), "5%", t("analogs.median"), "95%",
         t("analogs.p_neg"), t("analogs.p5"), t("analogs.ess")],
        d.get("forward") or [],
        [lambda r: (t.get(f"analogs.h.{r.get('horizon')}", str(r.get("horizon"))), None),
         *[_pct_cell(k, lang) for k in ("mean", "q05", "median", "q95")],
         lambda r: (fmt.pct(r.get("p_negative"), 0, lang), num_or_none(r.get("p_negative"))),
         lambda r: (fmt.pct(r.get("p_below_5pct"), 0, lang), num_or_none(r.get("p_below_5pct"))),
         lambda r: (fmt.num(r.get("ess"), 0, lang), num_or_none(r.get("ess")))],
        ident="analogs-forward", note=t("analogs.forward_note")))
    out.tables.append(records(
        ctx, t("analogs.episodes"),
        [t("col.episode"), t("analogs.best_date"), t("analogs.similarity"), t("col.drawdown"),
         t("analogs.fwd1m"), t("analogs.fwd3m")], eps,
        [lambda r: (str(r.get("name")), None),
         lambda r: (fmt.date(r.get("best_date"), lang), None),
         lambda r: (fmt.num(r.get("similarity"), 3, lang), num_or_none(r.get("similarity"))),
         lambda r: (fmt.pct(r.get("drawdown"), 1, lang), num_or_none(r.get("drawdown"))),
         lambda r: (fmt.pct(r.get("fwd_1m"), 1, lang, sign=True), num_or_none(r.get("fwd_1m"))),
         lambda r: (fmt.pct(r.get("fwd_3m"), 1, lang, sign=True), num_or_none(r.get("fwd_3m")))],
        ident="analogs-episodes", limit=10))
    tmpl = d.get("templates") or []
    if tmpl:
        cols = [c for c in SIDE_BY_SIDE if c in tmpl[0]]
        rows = [[t.get(f"analogs.m.{r.get('metric')}", str(r.get("metric"))),
                 *[_by_unit(r.get(c), str(r.get("unit", "")), lang) for c in cols]]
                for r in tmpl]
        out.tables.append(Table(
            t("analogs.side_by_side"),
            [t("col.metric"), *[t.get(f"analogs.col.{c}", c) for c in cols]], rows,
            numbers=[[None, *[num_or_none(r.get(c)) for c in cols]] for r in tmpl],
            ident="analogs-templates"))
    out.tables.append(records(
        ctx, t("analogs.state"), [t("col.metric"), t("col.value"), t("analogs.z")],
        d.get("state") or [],
        [lambda r: (t.get(f"analogs.f.{r.get('feature')}", str(r.get("feature"))), None),
         lambda r: (fmt.num(r.get("value"), 3, lang), num_or_none(r.get("value"))),
         lambda r: (fmt.num(r.get("z"), 2, lang, sign=True), num_or_none(r.get("z")))],
        ident="analogs-state"))
    plot(ctx, out, res, "plot_forward", t("analogs.chart_forward"), "analogs-forward-chart")
    plot(ctx, out, res, "plot_distance", t("analogs.chart_distance"), "analogs-distance",
         axes={"yaxis": "axis.analog"})
    return out
