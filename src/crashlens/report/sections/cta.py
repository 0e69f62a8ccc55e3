"""The CTA machine: modelled positioning, percentiles, trigger levels and scenario flows.

Renders :func:`crashlens.cta.positioning` (through the engine registry, as the API does).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from crashlens.errors import CrashlensError
from crashlens.report import fmt
from crashlens.report.charts import PALETTE, shade_window, style
from crashlens.report.context import Chart, Force, ReportContext, SectionOutput, Table
from crashlens.report.figtext import translate_figure
from crashlens.report.sections._engine import cached_call, unavailable
from crashlens.report.sections._generic import copy_meta

SECTION_ID = "cta"
SCENARIOS = ("flat", "up", "down", "down_big")
HORIZONS = ("1w", "1m")
#: Calendar days of CTA levels shown before the window starts.
HISTORY_DAYS = 90
#: Calendar days before the window in which a pivot crossing counts as part of the story.
CROSSING_LOOKBACK_DAYS = 14


def _pct_line(p: dict[str, Any] | None, lang: str) -> list[str]:
    p = p or {}
    return [fmt.percentile(p.get(k), lang) for k in ("1y", "3y", "5y")]


def build(ctx: ReportContext) -> SectionOutput:
    """Build the CTA section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.cta"))
    if unavailable(ctx, out, "cta"):
        return out
    res = cached_call(ctx, "cta")
    d = res.to_dict()
    out.data["cta"] = d
    copy_meta(out, res)
    total = d.get("total") or {}
    assets: dict[str, Any] = d.get("assets") or {}
    band = total.get("aum_band_usd") or {}
    nb = total.get("notional_usd_band") or {}
    out.paragraphs.append(t(
        "cta.lead", notional=fmt.money_bn(total.get("notional_usd"), lang, sign=True),
        lo=fmt.money_bn(nb.get("low"), lang), hi=fmt.money_bn(nb.get("high"), lang),
        p1=fmt.percentile((total.get("percentile") or {}).get("1y"), lang),
        p3=fmt.percentile((total.get("percentile") or {}).get("3y"), lang),
        aum=fmt.money_bn(total.get("aum_usd"), lang),
        aum_lo=fmt.money_bn(band.get("low"), lang), aum_hi=fmt.money_bn(band.get("high"), lang),
        per1=fmt.money_bn(total.get("usd_per_1pct"), lang)))
    spx = assets.get("SPX")
    if spx:
        trig = spx.get("triggers") or {}
        price = spx.get("price")

        def dist(level: Any) -> str:
            return fmt.pct(level / price - 1.0, 1, lang, sign=True) if level and price else \
                fmt.DASH

        horizons = ("short", "medium", "long")
        levels = [t.maybe("cta.trigger_item", horizon=t(f"cta.h.{h}"),
                          level=fmt.level(trig.get(h), lang), dist=dist(trig.get(h)))
                  for h in horizons]
        flat = [t(f"cta.h.{h}") for h, x in zip(horizons, levels, strict=True) if not x]
        out.paragraphs.append(t.join(
            t.maybe("cta.spx", notional=fmt.money_bn(spx.get("notional_usd"), lang, sign=True),
                    pos=fmt.pct(spx.get("position_pct"), 0, lang)),
            t.maybe("cta.spx_triggers", levels=fmt.join((x for x in levels if x), lang)),
            t.maybe("cta.spx_no_trigger", horizons=fmt.join(flat, lang))))
    # positioning table
    rows, nums = [], []
    for name, a in assets.items():
        pc = a.get("percentile") or {}
        rows.append([t.asset(name), fmt.level(a.get("price"), lang),
                     fmt.pct(a.get("position_pct"), 0, lang, sign=True),
                     fmt.money_bn(a.get("notional_usd"), lang), *_pct_line(pc, lang),
                     fmt.money_bn(a.get("usd_per_1pct"), lang)])
        nums.append([None, a.get("price"), a.get("position_pct"), a.get("notional_usd"),
                     pc.get("1y"), pc.get("3y"), pc.get("5y"), a.get("usd_per_1pct")])
    pc = total.get("percentile") or {}
    rows.append([t("cta.total"), fmt.DASH, fmt.DASH, fmt.money_bn(total.get("notional_usd"), lang),
                 *_pct_line(pc, lang), fmt.money_bn(total.get("usd_per_1pct"), lang)])
    nums.append([None, None, None, total.get("notional_usd"), pc.get("1y"), pc.get("3y"),
                 pc.get("5y"), total.get("usd_per_1pct")])
    out.tables.append(Table(
        t("cta.positioning"),
        [t("col.asset"), t("col.level"), t("cta.pos_pct"), t("cta.notional"), t("cta.pct1y"),
         t("cta.pct3y"), t("cta.pct5y"), t("cta.per1pct")], rows, numbers=nums,
        note=t("cta.positioning_note"), ident="cta-positioning"))
    # triggers table
    trows, tnums = [], []
    for name, a in assets.items():
        price, trig = a.get("price"), a.get("triggers") or {}
        row, num = [t.asset(name), fmt.level(price, lang)], [None, price]
        for h in ("short", "medium", "long"):
            lv = trig.get(h)
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
    equity = (total.get("sectors") or {}).get("equity") or {}
    frows, fnums = [], []
    for label, block in ((t("cta.total"), total), (t("cta.equity"), equity),
                         (t.asset("SPX"), spx or {})):
        if not block:
            continue
        flows = block.get("flows_usd") or {}
        for h in HORIZONS:
            f = flows.get(h) or {}
            frows.append([label, t(f"cta.h.{h}"), *[fmt.money_bn(f.get(s), lang, sign=True)
                                                   for s in SCENARIOS]])
            fnums.append([None, None, *[f.get(s) for s in SCENARIOS]])
    out.tables.append(Table(
        t("cta.flows"), [t("col.asset"), t("col.horizon"),
                         *[t(f"cta.s.{s}") for s in SCENARIOS]], frows, numbers=fnums,
        note=t("cta.flows_note"), ident="cta-flows"))
    _flows_chart(ctx, out, total)
    # The ranked force is the equity sector: a "down" tape moves every asset of the book at
    # once (bond and dollar proxies included), so the book total is not an equity sell-off.
    # The book total stays in the detail column and the table above.
    flows = equity.get("flows_usd") or total.get("flows_usd") or {}
    book = total.get("flows_usd") or {}
    for s in ("down", "flat"):
        v = (flows.get("1w") or {}).get(s)
        if v is not None:
            out.forces.append(Force(
                label=t(f"force.cta_{s}"), size=fmt.money_bn(v, lang, sign=True),
                detail=t("force.cta_detail",
                         m=fmt.money_bn((flows.get("1m") or {}).get(s), lang, sign=True),
                         b=fmt.money_bn((book.get("1w") or {}).get(s), lang, sign=True)),
                score=abs(float(v)) / 1e9, kind="flow"))
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
        out.warnings.append(f"CTA levels over time: {exc}")
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


def _flows_chart(ctx: ReportContext, out: SectionOutput, total: dict[str, Any]) -> None:
    t = ctx.t
    flows = total.get("flows_usd") or {}
    fig = go.Figure()
    for i, h in enumerate(HORIZONS):
        f = flows.get(h) or {}
        fig.add_trace(go.Bar(x=[t(f"cta.s.{s}") for s in SCENARIOS],
                             y=[round((f.get(s) or 0.0) / 1e9, 1) for s in SCENARIOS],
                             name=t(f"cta.h.{h}"), marker_color=PALETTE[i]))
    src = f"{t('report.source')}: crashlens.cta.positioning"
    style(fig, title=t("cta.flows_chart"), yaxis=t("axis.usd_bn"), source=src)
    fig.update_layout(barmode="group", hovermode="closest")
    out.charts.append(Chart(t("cta.flows_chart"), fig, src, ident="cta-flows-chart"))
