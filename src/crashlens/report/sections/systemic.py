"""Systemic fragility: the composite of :func:`crashlens.systemic.fragility`, explained."""

from __future__ import annotations

from typing import Any

from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._blocks import kv, num_or_none, plot, records
from crashlens.report.sections._engine import cached_call, unavailable
from crashlens.report.sections._generic import copy_meta

SECTION_ID = "systemic"


def _pctile100(v: Any, lang: str) -> str:
    """A percentile given on a 0-100 scale."""
    f = num_or_none(v)
    return fmt.percentile(f / 100.0 if f is not None else None, lang)


def build(ctx: ReportContext) -> SectionOutput:
    """Build the systemic fragility section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.systemic"))
    if unavailable(ctx, out, "fragility"):
        return out
    res = cached_call(ctx, "fragility")
    d: dict[str, Any] = res.to_dict()
    out.data["fragility"] = d
    copy_meta(out, res)
    vr = d.get("vol_regime") or {}
    out.paragraphs.append(t.join(
        t.maybe("systemic.lead", composite=fmt.num(d.get("composite"), 0, lang),
                regime=t.get(f"systemic.regime.{vr.get('regime')}",
                             str(vr.get("regime") or fmt.DASH)),
                vix=fmt.num(vr.get("vix"), 1, lang),
                vixp=_pctile100(vr.get("vix_percentile"), lang)),
        t.maybe("systemic.term", term=fmt.num(vr.get("term_ratio"), 2, lang))))
    comps = d.get("components") or {}
    out.tables.append(records(
        ctx, t("systemic.components"),
        [t("col.metric"), t("systemic.score"), t("systemic.weight")],
        [{"name": k, **v} for k, v in comps.items() if isinstance(v, dict)],
        [lambda r: (t.get(f"systemic.c.{r['name']}", str(r["name"])), None),
         lambda r: (fmt.num(r.get("score"), 0, lang), num_or_none(r.get("score"))),
         lambda r: (fmt.pct(r.get("weight"), 0, lang), num_or_none(r.get("weight")))],
        ident="systemic-components", note=t("systemic.components_note")))
    out.tables.append(kv(ctx, t("systemic.measures"), [
        (t("systemic.c.absorption_ratio"), fmt.pct(d.get("absorption_ratio"), 1, lang),
         d.get("absorption_ratio")),
        (t("systemic.c.absorption_shift"), fmt.num(d.get("absorption_shift"), 2, lang),
         d.get("absorption_shift")),
        (t("systemic.c.turbulence"), fmt.num(d.get("turbulence"), 2, lang), d.get("turbulence")),
        (t("systemic.turb_pct"), _pctile100(d.get("turbulence_percentile"), lang),
         d.get("turbulence_percentile")),
        (t("systemic.c.correlation_surprise"), fmt.num(d.get("correlation_surprise"), 2, lang),
         d.get("correlation_surprise")),
        (t("systemic.c.avg_correlation"), fmt.num(d.get("avg_correlation"), 2, lang),
         d.get("avg_correlation")),
    ], ident="systemic-measures"))
    crowd = d.get("crowding") or {}
    out.tables.append(records(
        ctx, t("systemic.crowding"),
        [t("systemic.market"), t("systemic.net_oi"), t("systemic.crowd_pct"), t("col.date")],
        [{"name": k, **v} for k, v in crowd.items() if isinstance(v, dict)],
        [lambda r: (t.get(f"cot.{r['name']}", str(r["name"])), None),
         lambda r: (fmt.pct(r.get("net_share_of_oi"), 1, lang, sign=True),
                    num_or_none(r.get("net_share_of_oi"))),
         lambda r: (_pctile100(r.get("percentile"), lang), num_or_none(r.get("percentile"))),
         lambda r: (fmt.date(r.get("report_released"), lang), None)],
        ident="systemic-crowding", note=t("systemic.crowding_note")))
    plot(ctx, out, res, "plot_components", t("systemic.chart_components"), "systemic-chart")
    plot(ctx, out, res, "plot_history", t("systemic.chart_history"), "systemic-history")
    return out
