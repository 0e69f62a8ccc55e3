"""Catalysts (:func:`crashlens.episodes.catalysts`).

Abnormal returns around dated events and thematic baskets.
"""

from __future__ import annotations

from typing import Any

from crashlens.report import figtext, fmt
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._blocks import num_or_none, plot, records
from crashlens.report.sections._engine import cached_call, omit_without_event, unavailable
from crashlens.report.sections._generic import copy_meta

SECTION_ID = "catalysts"
KEY_ASSETS = ("SPX", "NDX", "NVDA", "BTC", "GOOG", "SMH")


def build(ctx: ReportContext) -> SectionOutput:
    """Build the catalysts section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.catalysts"))
    if unavailable(ctx, out, "catalysts") or omit_without_event(ctx, out, "catalysts"):
        return out
    res = cached_call(ctx, "catalysts")
    d: dict[str, Any] = res.to_dict()
    out.data["catalysts"] = d
    copy_meta(out, res)
    out.paragraphs.append(t("catalysts.lead", n=fmt.num(len(d.get("events") or []), 0, lang)))
    # each event's own assets (NVDA for its earnings, SILVER for the silver crash), then the
    # key comparisons
    rows = [r for r in d.get("table") or []
            if r.get("role") == "event" or r.get("asset") in KEY_ASSETS]
    names = {e.get("event"): (lang == "zh" and e.get("name_zh")) or e.get("name")
             for e in d.get("events") or []}
    out.tables.append(records(
        ctx, t("catalysts.table"),
        [t("col.date"), t("col.episode"), t("col.asset"), t("catalysts.ar0"), t("catalysts.t"),
         t("catalysts.car"), t("catalysts.t")], rows,
        [lambda r: (fmt.date(r.get("day0"), lang), None),
         lambda r: (str(names.get(r.get("event")) or r.get("name")), None),
         lambda r: (t.asset(str(r.get("asset"))), None),
         lambda r: (fmt.pct(r.get("ar0"), 1, lang, sign=True), num_or_none(r.get("ar0"))),
         lambda r: (fmt.num(r.get("t_ar0"), 1, lang, sign=True), num_or_none(r.get("t_ar0"))),
         lambda r: (fmt.pct(r.get("car"), 1, lang, sign=True), num_or_none(r.get("car"))),
         lambda r: (fmt.num(r.get("t_car"), 1, lang, sign=True), num_or_none(r.get("t_car")))],
        ident="catalysts-table", limit=40, note=t("catalysts.note")))
    out.tables.append(records(
        ctx, t("catalysts.baskets"),
        [t("catalysts.basket"), t("catalysts.event"), t("catalysts.long"), t("catalysts.short"),
         t("catalysts.relative")], d.get("baskets") or [],
        [lambda r: (figtext.text(str(r.get("basket")), lang), None),
         lambda r: (str(names.get(r.get("event")) or r.get("event")), None),
         lambda r: (fmt.pct(r.get("long_return"), 1, lang, sign=True),
                    num_or_none(r.get("long_return"))),
         lambda r: (fmt.pct(r.get("short_return"), 1, lang, sign=True),
                    num_or_none(r.get("short_return"))),
         lambda r: (fmt.pct(r.get("relative"), 1, lang, sign=True),
                    num_or_none(r.get("relative")))],
        ident="catalysts-baskets"))
    plot(ctx, out, res, "plot_car", t("catalysts.chart_car"), "catalysts-car")
    plot(ctx, out, res, "plot_baskets", t("catalysts.chart_baskets"), "catalysts-baskets-chart")
    return out
