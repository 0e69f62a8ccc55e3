"""The CTA machine: modelled positioning, percentiles, trigger levels and scenario flows.

Renders :func:`crashlens.cta.positioning` (through the engine registry, as the API does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from crashlens.errors import CrashlensError
from crashlens.notes import wrap
from crashlens.report import fmt
from crashlens.report.charts import PALETTE, shade_window, style
from crashlens.report.context import Chart, Force, ReportContext, SectionOutput, Table
from crashlens.report.figtext import translate_figure
from crashlens.report.sections._blocks import number
from crashlens.report.sections._engine import cached_call
from crashlens.report.sections._generic import copy_meta

if TYPE_CHECKING:
    from crashlens.cta.result import CTAResult

SECTION_ID = "cta"
SCENARIOS = ("flat", "up", "down", "down_big")
HORIZONS = ("1w", "1m")
#: Calendar days of CTA levels shown before the window starts.
HISTORY_DAYS = 90
#: Calendar days before the window in which a pivot crossing counts as part of the story.
CROSSING_LOOKBACK_DAYS = 14


def _pct(p: Mapping[str, Any], years: str) -> Any:
    """Percentile over ``years`` (``"1y"``); None when the book did not compute that window.

    The windows are a modelling parameter (``percentile_years``, default 1, 3 and 5 years), so a
    window missing from the mapping is legitimate, not a renamed key.
    """
    return p.get(years)


def _pct_line(p: Mapping[str, Any], lang: str) -> list[str]:
    return [fmt.percentile(_pct(p, k), lang) for k in ("1y", "3y", "5y")]


def build(ctx: ReportContext) -> SectionOutput:
    """Build the CTA section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.cta"))
    res: CTAResult = cached_call(ctx, "cta")
    out.data["cta"] = res.to_dict()
    copy_meta(out, res)
    total = res.total
    assets = res.assets
    band, nb = total["aum_band_usd"], total["notional_usd_band"]
    out.paragraphs.append(t(
        "cta.lead", notional=fmt.money_bn(total["notional_usd"], lang, sign=True),
        lo=fmt.money_bn(nb["low"], lang), hi=fmt.money_bn(nb["high"], lang),
        p1=fmt.percentile(_pct(total["percentile"], "1y"), lang),
        p3=fmt.percentile(_pct(total["percentile"], "3y"), lang),
        aum=fmt.money_bn(total["aum_usd"], lang),
        aum_lo=fmt.money_bn(band["low"], lang), aum_hi=fmt.money_bn(band["high"], lang),
        per1=fmt.money_bn(total["usd_per_1pct"], lang)))
    spx = assets.get("SPX")  # optional: a universe without the S&P 500
    if spx is not None:
        trig = spx["triggers"]
        price = number(spx["price"])

        def dist(level: Any) -> str:
            lv = number(level)
            return fmt.pct(lv / price - 1.0, 1, lang, sign=True) if lv and price else fmt.DASH

        horizons = ("short", "medium", "long")
        levels = [t.maybe("cta.trigger_item", horizon=t(f"cta.h.{h}"),
                          level=fmt.level(trig[h], lang), dist=dist(trig[h]))
                  for h in horizons]
        flat = [t(f"cta.h.{h}") for h, x in zip(horizons, levels, strict=True) if not x]
        out.paragraphs.append(t.join(
            t.maybe("cta.spx", notional=fmt.money_bn(spx["notional_usd"], lang, sign=True),
                    pos=fmt.pct(spx["position_pct"], 0, lang)),
            t.maybe("cta.spx_triggers", levels=fmt.join((x for x in levels if x), lang)),
            t.maybe("cta.spx_no_trigger", horizons=fmt.join(flat, lang))))
    # positioning table
    rows, nums = [], []
    for name, a in assets.items():
        pc = a["percentile"]
        rows.append([t.asset(name), fmt.level(a["price"], lang),
                     fmt.pct(a["position_pct"], 0, lang, sign=True),
                     fmt.money_bn(a["notional_usd"], lang), *_pct_line(pc, lang),
                     fmt.money_bn(a["usd_per_1pct"], lang)])
        nums.append([None, number(a["price"]), number(a["position_pct"]), number(a["notional_usd"]),
                     *[number(_pct(pc, k)) for k in ("1y", "3y", "5y")], number(a["usd_per_1pct"])])
    pc = total["percentile"]
    rows.append([t("cta.total"), fmt.DASH, fmt.DASH, fmt.money_bn(total["notional_usd"], lang),
                 *_pct_line(pc, lang), fmt.money_bn(total["usd_per_1pct"], lang)])
    nums.append([None, None, None, number(total["notional_usd"]),
                 *[number(_pct(pc, k)) for k in ("1y", "3y", "5y")], number(total["usd_per_1pct"])])
    out.tables.append(Table(
        t("cta.positioning"),
        [t("col.asset"), t("col.level"), t("cta.pos_pct"), t("cta.notional"), t("cta.pct1y"),
         t("cta.pct3y"), t("cta.pct5y"), t("cta.per1pct")], rows, numbers=nums,
        note=t("cta.positioning_note"), ident="cta-positioning"))
    # triggers table (a trigger is NaN when no flip lies within the bracket)
    trows, tnums = [], []
    for name, a in assets.items():
        price, trig = number(a["price"]), a["triggers"]
        row, num = [t.asset(name), fmt.level(price, lang)], [None, price]
        for h in ("short", "medium", "long"):
            lv = number(trig[h])
            dd = lv / price - 1.0 if lv and price else None
            row.append(f"{fmt.level(lv, lang)} ({fmt.pct(dd, 1, lang, sign=True)})"
                       if lv else fmt.DASH)
            num.append(lv)
        trows.append(row)
        tnums.append(num)
    out.tables.append(Table(
        t("cta.triggers"), [t("col.asset"), t("col.level"), t("cta.short"), t("cta.medium"),
                            t("cta.long")], trows, numbers=tnums,
        note=t("cta.triggers_note"), ident="cta-triggers"))
    # flows table: the whole book, its equity sector (what desk notes quote) and the S&P 500
    equity = total["sectors"].get("equity")  # optional: a book without equities
    frows, fnums = [], []
    for label, block in ((t("cta.total"), total), (t("cta.equity"), equity),
                         (t.asset("SPX"), spx)):
        if not block:
            continue
        flows = block["flows_usd"]
        for h in HORIZONS:
            f = flows[h]
            frows.append([label, t(f"cta.h.{h}"), *[fmt.money_bn(f[s], lang, sign=True)
                                                   for s in SCENARIOS]])
            fnums.append([None, None, *[number(f[s]) for s in SCENARIOS]])
    out.tables.append(Table(
        t("cta.flows"), [t("col.asset"), t("col.horizon"),
                         *[t(f"cta.s.{s}") for s in SCENARIOS]], frows, numbers=fnums,
        note=t("cta.flows_note"), ident="cta-flows"))
    _flows_chart(ctx, out, total["flows_usd"])
    # The ranked force is the equity sector: a "down" tape moves every asset of the book at
    # once (bond and dollar proxies included), so the book total is not an equity sell-off.
    # The book total stays in the detail column and the table above.
    book = total["flows_usd"]
    flows = equity["flows_usd"] if equity else book
    for s in ("down", "flat"):
        v = number(flows["1w"][s])
        if v is not None:
            out.forces.append(Force(
                label=t(f"force.cta_{s}"), size=fmt.money_bn(v, lang, sign=True),
                detail=t("force.cta_detail",
                         m=fmt.money_bn(flows["1m"][s], lang, sign=True),
                         b=fmt.money_bn(book["1w"][s], lang, sign=True)),
                score=abs(v) / 1e9, kind="flow"))
    _levels_over_time(ctx, out)
    return out


def _levels_over_time(ctx: ReportContext, out: SectionOutput) -> None:
    """The S&P 500's pivots, position and percentile around the window; pivots crossed."""
    t, lang = ctx.t, ctx.lang
    from crashlens import cta

    start = ctx.start - pd.Timedelta(days=HISTORY_DAYS)
    try:
        hist = cta.history(start, ctx.asof, assets=["SPX"])
    except CrashlensError as exc:
        out.warnings.append(wrap("report.cta_levels_failed", exc))
        return
    cr = hist.crossings()
    recent = cr[cr["date"] >= ctx.start - pd.Timedelta(days=CROSSING_LOOKBACK_DAYS)]
    out.data["crossings"] = recent.to_dict("records")
    if len(recent):
        out.tables.append(Table(
            t("cta.crossings", since=fmt.date(ctx.start - pd.Timedelta(
                days=CROSSING_LOOKBACK_DAYS), lang)),
            [t("col.date"), t("cta.pivot"), t("col.level"), t("cta.close"), t("cta.direction")],
            [[fmt.date(r["date"], lang), t(f"cta.h.{r['group']}"), fmt.level(r["level"], lang),
              fmt.level(r["close"], lang), t(f"cta.dir.{r['direction']}")]
             for r in recent.to_dict("records")],
            numbers=[[None, None, r["level"], r["close"], None]
                     for r in recent.to_dict("records")], ident="cta-crossings"))
    fig = hist.plot_levels("SPX")
    translate_figure(fig, ctx.lang)
    shade_window(fig, ctx.start, ctx.asof)
    cap = t("cta.levels_chart")
    src = f"{t('report.source')}: crashlens.cta.history"
    style(fig, title=cap, yaxis=t("axis.spx_level"), source=src, height=520)
    fig.update_yaxes(title_text="%", row=2, col=1)
    out.charts.append(Chart(cap, fig, src, ident="cta-levels-chart"))


def _flows_chart(ctx: ReportContext, out: SectionOutput,
                 flows: Mapping[str, Mapping[str, float]]) -> None:
    """Bars of the book's scenario flows (US$ bn) per horizon and tape."""
    t = ctx.t
    fig = go.Figure()
    for i, h in enumerate(HORIZONS):
        f = flows[h]
        fig.add_trace(go.Bar(x=[t(f"cta.s.{s}") for s in SCENARIOS],
                             y=[round((number(f[s]) or 0.0) / 1e9, 1) for s in SCENARIOS],
                             name=t(f"cta.h.{h}"), marker_color=PALETTE[i]))
    src = f"{t('report.source')}: crashlens.cta.positioning"
    style(fig, title=t("cta.flows_chart"), yaxis=t("axis.usd_bn"), source=src)
    fig.update_layout(barmode="group", hovermode="closest")
    out.charts.append(Chart(t("cta.flows_chart"), fig, src, ident="cta-flows-chart"))
