"""Systemic fragility: the composite of :func:`crashlens.systemic.fragility`, explained."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._blocks import kv, missing, num_or_none, plot, records
from crashlens.report.sections._engine import cached_call
from crashlens.report.sections._generic import copy_meta

if TYPE_CHECKING:
    from crashlens.systemic.results import FragilityResult

SECTION_ID = "systemic"


def _pctile100(v: Any, lang: str) -> str:
    """A percentile given on a 0-100 scale."""
    f = num_or_none(v)
    return fmt.percentile(f / 100.0 if f is not None else None, lang)


def build(ctx: ReportContext) -> SectionOutput:
    """Build the systemic fragility section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.systemic"))
    res: FragilityResult = cached_call(ctx, "fragility")
    out.data["fragility"] = res.to_dict()
    copy_meta(out, res)
    vr = res.vol_regime
    regime = None if missing(vr["regime"]) else vr["regime"]
    out.paragraphs.append(t.join(
        t.maybe("systemic.lead", composite=fmt.num(res.composite, 0, lang),
                regime=t.get(f"systemic.regime.{regime}", str(regime or fmt.DASH)),
                vix=fmt.num(vr["vix"], 1, lang),
                vixp=_pctile100(vr["vix_percentile"], lang)),
        t.maybe("systemic.term", term=fmt.num(vr["term_ratio"], 2, lang))))
    out.tables.append(records(
        ctx, t("systemic.components"),
        [t("col.metric"), t("systemic.score"), t("systemic.weight")],
        [{"name": k, **v} for k, v in res.components.items()],
        [lambda r: (t.get(f"systemic.c.{r['name']}", str(r["name"])), None),
         lambda r: (fmt.num(r["score"], 0, lang), num_or_none(r["score"])),
         lambda r: (fmt.pct(r["weight"], 0, lang), num_or_none(r["weight"]))],
        ident="systemic-components", note=t("systemic.components_note")))
    out.tables.append(kv(ctx, t("systemic.measures"), [
        (t("systemic.c.absorption_ratio"), fmt.pct(res.absorption_ratio, 1, lang),
         res.absorption_ratio),
        (t("systemic.c.absorption_shift"), fmt.num(res.absorption_shift, 2, lang),
         res.absorption_shift),
        (t("systemic.c.turbulence"), fmt.num(res.turbulence, 2, lang), res.turbulence),
        (t("systemic.turb_pct"), _pctile100(res.turbulence_percentile, lang),
         res.turbulence_percentile),
        (t("systemic.c.correlation_surprise"), fmt.num(res.correlation_surprise, 2, lang),
         res.correlation_surprise),
        (t("systemic.c.avg_correlation"), fmt.num(res.avg_correlation, 2, lang),
         res.avg_correlation),
    ], ident="systemic-measures"))
    out.tables.append(records(
        ctx, t("systemic.crowding"),
        [t("systemic.market"), t("systemic.net_oi"), t("systemic.crowd_pct"), t("col.date")],
        # one record per market; the composite's "score" entry is a number, not a market
        [{"name": k, **v} for k, v in res.crowding.items() if isinstance(v, dict)],
        [lambda r: (t.get(f"cot.{r['name']}", str(r["name"])), None),
         lambda r: (fmt.pct(r["net_share_of_oi"], 1, lang, sign=True),
                    num_or_none(r["net_share_of_oi"])),
         lambda r: (_pctile100(r["percentile"], lang), num_or_none(r["percentile"])),
         lambda r: (fmt.date(r["report_released"], lang), None)],
        ident="systemic-crowding", note=t("systemic.crowding_note")))
    plot(ctx, out, res, "plot_components", t("systemic.chart_components"), "systemic-chart")
    plot(ctx, out, res, "plot_history", t("systemic.chart_history"), "systemic-history")
    return out
