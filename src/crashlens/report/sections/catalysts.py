"""Catalysts (:func:`crashlens.episodes.catalysts`).

Abnormal returns around dated events and thematic baskets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crashlens.report import figtext, fmt
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._blocks import num_or_none, plot, records, rows_of
from crashlens.report.sections._engine import cached_call, omit_without_event
from crashlens.report.sections._generic import copy_meta

if TYPE_CHECKING:
    from crashlens.episodes.catalysts import CatalystsResult

SECTION_ID = "catalysts"
KEY_ASSETS = ("SPX", "NDX", "NVDA", "BTC", "GOOG", "SMH")


def build(ctx: ReportContext) -> SectionOutput:
    """Build the catalysts section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.catalysts"))
    if omit_without_event(ctx, out, "catalysts"):
        return out
    res: CatalystsResult = cached_call(ctx, "catalysts")
    out.data["catalysts"] = res.to_dict()
    copy_meta(out, res)
    events = rows_of(res.events)
    out.paragraphs.append(t("catalysts.lead", n=fmt.num(len(events), 0, lang)))
    # each event's own assets (NVDA for its earnings, SILVER for the silver crash), then the
    # key comparisons
    rows = [r for r in rows_of(res.table) if r["role"] == "event" or r["asset"] in KEY_ASSETS]
    names = {e["event"]: (lang == "zh" and e["name_zh"]) or e["name"] for e in events}
    out.tables.append(records(
        ctx, t("catalysts.table"),
        [t("col.date"), t("col.episode"), t("col.asset"), t("catalysts.ar0"), t("catalysts.t"),
         t("catalysts.car"), t("catalysts.t")], rows,
        [lambda r: (fmt.date(r["day0"], lang), None),
         lambda r: (str(names.get(r["event"]) or r["name"]), None),
         lambda r: (t.asset(str(r["asset"])), None),
         lambda r: (fmt.pct(r["ar0"], 1, lang, sign=True), num_or_none(r["ar0"])),
         lambda r: (fmt.num(r["t_ar0"], 1, lang, sign=True), num_or_none(r["t_ar0"])),
         lambda r: (fmt.pct(r["car"], 1, lang, sign=True), num_or_none(r["car"])),
         lambda r: (fmt.num(r["t_car"], 1, lang, sign=True), num_or_none(r["t_car"]))],
        ident="catalysts-table", limit=40, note=t("catalysts.note")))
    out.tables.append(records(
        ctx, t("catalysts.baskets"),
        [t("catalysts.basket"), t("catalysts.event"), t("catalysts.long"), t("catalysts.short"),
         t("catalysts.relative")], rows_of(res.baskets),
        [lambda r: (figtext.text(str(r["basket"]), lang), None),
         lambda r: (str(names.get(r["event"]) or r["event"]), None),
         lambda r: (fmt.pct(r["long_return"], 1, lang, sign=True),
                    num_or_none(r["long_return"])),
         lambda r: (fmt.pct(r["short_return"], 1, lang, sign=True),
                    num_or_none(r["short_return"])),
         lambda r: (fmt.pct(r["relative"], 1, lang, sign=True),
                    num_or_none(r["relative"]))],
        ident="catalysts-baskets"))
    plot(ctx, out, res, "plot_car", t("catalysts.chart_car"), "catalysts-car")
    plot(ctx, out, res, "plot_baskets", t("catalysts.chart_baskets"), "catalysts-baskets-chart")
    return out
