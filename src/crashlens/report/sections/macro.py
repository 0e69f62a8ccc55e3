"""Macro and data gaps (:func:`crashlens.macro.lens`).

Rates, cut pricing, labour, inflation and the release "vacuum".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.i18n import Translator
from crashlens.report.sections._blocks import kv, plot, records
from crashlens.report.sections._engine import cached_call, unavailable
from crashlens.report.sections._generic import copy_meta

SECTION_ID = "macro"


def _pp(v: Any, lang: str) -> str:
    """A level already in percent (3.88 → 3.88%)."""
    return fmt.num(v, 2, lang) + "%" if v is not None else fmt.DASH


def _bp(v: Any, lang: str) -> str:
    """A change already in basis points."""
    return fmt.bp(v / 100.0 if isinstance(v, int | float) else None, lang)


def _release(t: Translator, r: Mapping[str, Any], lang: str) -> str:
    """A release's name: the engine's in English, the catalogue's (by series) in Chinese."""
    name = str(r.get("release", r.get("series")))
    return t.get(f"release.{r.get('series')}", name) if lang == "zh" else name


def _when(series: Any, d: Any, lang: str) -> str:
    """An observation date; a monthly series' is the month it measures (``Sep 2025``)."""
    try:
        from crashlens import data as cldata

        spec = cldata.catalog().get(str(series))
        monthly = spec is not None and spec.frequency == "monthly"
    except Exception:  # the label falls back to the day
        monthly = False
    return (fmt.month if monthly else fmt.date)(d, lang)


def _thousands(k: Any, lang: str) -> str:
    """A signed count in thousands of persons (en ``+119k``; zh ``+11.9万``)."""
    if fmt.num(k, 0, lang) == fmt.DASH:
        return fmt.DASH
    if lang == "zh":
        return fmt.num(float(k) / 10.0, 1, lang, sign=True) + "万"
    return fmt.num(k, 0, lang, sign=True) + "k"


def _period(r: Mapping[str, Any], key: str, lang: str) -> str:
    return _when(r.get("series"), r.get(key), lang)


def build(ctx: ReportContext) -> SectionOutput:
    """Build the macro section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.macro"))
    if unavailable(ctx, out, "macro"):
        return out
    res = cached_call(ctx, "macro")
    d: dict[str, Any] = res.to_dict()
    out.data["macro"] = d
    copy_meta(out, res)
    pol, rates = d.get("policy") or {}, d.get("rates") or {}
    path, lab, inf = d.get("implied_path") or {}, d.get("labour") or {}, d.get("inflation") or {}
    vs = d.get("vacuum_summary") or {}
    out.paragraphs.append(t(
        "macro.lead", lo=_pp(pol.get("target_lower"), lang), hi=_pp(pol.get("target_upper"), lang),
        effr=_pp(pol.get("effr"), lang), cuts2y=fmt.num(path.get("cuts_priced_2y"), 1, lang),
        cuts3m=fmt.num(path.get("cuts_priced_3m"), 1, lang),
        curve=_bp(rates.get("curve_2s10s_bp"), lang)))
    if vs.get("in_vacuum"):
        late = fmt.join((f"{k} ({fmt.join((_when(k, x, lang) for x in v), lang)})"
                         for k, v in (vs.get("late") or {}).items()), lang)
        out.paragraphs.append(t("macro.vacuum", n=fmt.num(vs.get("n_late"), 0, lang),
                                late=late or fmt.DASH))
    out.tables.append(kv(ctx, t("macro.rates"), [
        (t("asset.UST2Y"), f"{_pp(rates.get('ust2y'), lang)} "
         f"({_bp(rates.get('ust2y_chg_1m_bp'), lang)} {t('macro.1m')})", rates.get("ust2y")),
        (t("asset.UST10Y"), f"{_pp(rates.get('ust10y'), lang)} "
         f"({_bp(rates.get('ust10y_chg_1m_bp'), lang)} {t('macro.1m')})", rates.get("ust10y")),
        (t("macro.curve"), _bp(rates.get("curve_2s10s_bp"), lang), rates.get("curve_2s10s_bp")),
        (t("macro.cuts_3m"), fmt.num(path.get("cuts_priced_3m"), 2, lang),
         path.get("cuts_priced_3m")),
        (t("macro.cuts_2y"), fmt.num(path.get("cuts_priced_2y"), 2, lang),
         path.get("cuts_priced_2y")),
        (t("macro.unrate"), f"{_pp(lab.get('unrate'), lang)} "
         f"({fmt.month(lab.get('unrate_date'), lang)})", lab.get("unrate")),
        (t("macro.sahm"), fmt.num(lab.get("sahm_gap"), 2, lang), lab.get("sahm_gap")),
        (t("macro.payrolls"), _thousands(lab.get("payrolls_3m_avg_k"), lang),
         lab.get("payrolls_3m_avg_k")),
        (t("macro.claims"), fmt.num(lab.get("claims_4wk_avg"), 0, lang),
         lab.get("claims_4wk_avg")),
        (t("macro.cpi"), f"{_pp(inf.get('cpi_yoy'), lang)} "
         f"({fmt.month(inf.get('cpi_date'), lang)})", inf.get("cpi_yoy")),
        (t("macro.core_pce"), _pp(inf.get("core_pce_yoy"), lang), inf.get("core_pce_yoy")),
    ], ident="macro-figures"))
    out.tables.append(records(
        ctx, t("macro.releases"),
        [t("macro.release"), t("macro.last_obs"), t("macro.expected"), t("macro.status"),
         t("macro.overdue")],
        d.get("vacuum") or [],
        [lambda r: (_release(t, r, lang), None),
         lambda r: (_period(r, "last_observation", lang), None),
         lambda r: (_period(r, "expected_latest", lang), None),
         lambda r: (t.get(f"macro.st.{r.get('status')}", str(r.get("status"))), None),
         lambda r: (fmt.num(r.get("days_overdue"), 0, lang), r.get("days_overdue"))],
        ident="macro-releases"))
    plot(ctx, out, res, "plot_curve", t("macro.chart_curve"), "macro-curve")
    plot(ctx, out, res, "plot_inflation_path", t("macro.chart_infl"), "macro-inflation")
    return out
