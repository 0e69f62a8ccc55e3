"""Macro and data gaps (:func:`crashlens.macro.lens`).

Rates, cut pricing, labour, inflation and the release "vacuum".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from crashlens.errors import CrashlensError
from crashlens.notes import reason
from crashlens.report import fmt
from crashlens.report.context import Chart, ReportContext, SectionOutput, Table
from crashlens.report.i18n import Translator
from crashlens.report.sections._blocks import kv, number, plot, records
from crashlens.report.sections._engine import cached_call
from crashlens.report.sections._generic import copy_meta

if TYPE_CHECKING:
    from crashlens.macro.lens import MacroLensResult

SECTION_ID = "macro"


def _pp(v: Any, lang: str) -> str:
    """A level already in percent (3.88 → 3.88%)."""
    f = number(v)
    return fmt.num(f, 2, lang) + "%" if f is not None else fmt.DASH


def _bp(v: Any, lang: str) -> str:
    """A change already in basis points."""
    f = number(v)
    return fmt.bp(f / 100.0 if f is not None else None, lang)


def _release(t: Translator, r: Mapping[str, Any], lang: str) -> str:
    """A release's name: the engine's in English, the catalogue's (by series) in Chinese."""
    name = str(r["release"])
    return t.get(f"release.{r['series']}", name) if lang == "zh" else name


def _when(series: Any, d: Any, lang: str) -> str:
    """An observation date; a monthly series' is the month it measures (``Sep 2025``)."""
    from crashlens import data as cldata

    spec = cldata.catalog().get(str(series))
    monthly = spec is not None and spec.frequency == "monthly"
    return (fmt.month if monthly else fmt.date)(d, lang)


def _thousands(k: Any, lang: str) -> str:
    """A signed count in thousands of persons (en ``+119k``; zh ``+11.9万``)."""
    if fmt.num(k, 0, lang) == fmt.DASH:
        return fmt.DASH
    if lang == "zh":
        return fmt.num(float(k) / 10.0, 1, lang, sign=True) + "万"
    return fmt.num(k, 0, lang, sign=True) + "k"


def _period(r: Mapping[str, Any], key: str, lang: str) -> str:
    return _when(r["series"], r[key], lang)


#: Releases of the first-print table, in reading order.
FIRST_PRINTS = ("PAYEMS", "ADP", "JOLTS", "CHALLENGER", "CPI", "PPI", "PCE", "RETAIL")
#: How long after its last snapshot prediction-market odds still describe the as-of date.
FED_ODDS_MAX_AGE = pd.Timedelta(days=3)


def _print_value(code: str, value: Any, change: Any, lang: str) -> str:
    """A first print in its own unit: payroll-type counts as the monthly change."""
    if code in ("PAYEMS", "ADP"):
        return _thousands(change / 1e3 if change is not None and change == change else None,
                          lang)
    if code in ("JOLTS", "CHALLENGER"):
        return fmt.num(value, 0, lang)
    if code in ("PCE", "RETAIL"):
        return fmt.money_bn(value * 1e9 if value is not None else None, lang)
    return fmt.num(value, 1, lang)


def _first_prints(ctx: ReportContext, out: SectionOutput) -> None:
    """The releases public on the as-of date, as first printed (never a later revision)."""
    t, lang = ctx.t, ctx.lang
    try:
        from crashlens.macro import first_prints as fp

        known = fp.known_at(ctx.asof, indicators=list(FIRST_PRINTS))
    except CrashlensError as exc:  # no releases file for this data folder
        out.warnings.append(reason(exc))
        return
    if known.empty:
        return
    latest = known.sort_values("period").groupby("indicator").tail(1).set_index("indicator")
    rows = [latest.loc[c] for c in FIRST_PRINTS if c in latest.index]
    out.tables.append(Table(
        t("macro.first_prints", date=fmt.date(ctx.asof, lang)),
        [t("macro.release"), t("macro.period"), t("macro.first_print"), t("macro.released")],
        [[t(f"fp.{r.name}"), fmt.month(str(r["period"]), lang),
          _print_value(str(r.name), r["value"], r["change"], lang),
          fmt.date(r["release_date"], lang)] for r in rows],
        note=t("macro.first_prints_note"), ident="macro-first-prints"))
    out.data["first_prints"] = [{"indicator": r.name, "period": r["period"],
                                 "value": r["value"], "change": r["change"],
                                 "release_date": r["release_date"]} for r in rows]
    if "PAYEMS" in latest.index:
        p = latest.loc["PAYEMS"]
        out.data["argument"].append(t.maybe(
            "arg.jobs", month=fmt.month(str(p["period"]), lang),
            date=fmt.date(p["release_date"], lang),
            chg=_print_value("PAYEMS", p["value"], p["change"], lang)))


def _fed_odds(ctx: ReportContext, out: SectionOutput) -> None:
    """Prediction-market odds of the next FOMC decision, when the data covers the date."""
    t, lang = ctx.t, ctx.lang
    try:
        from crashlens.macro.fed_odds import load_fed_odds

        odds = load_fed_odds()
    except CrashlensError:
        return
    meeting = pd.Timestamp(odds.meeting)
    cut = odds.asof(ctx.asof).p_cut()
    if cut.empty or ctx.asof > meeting or ctx.asof - cut.index[-1] > FED_ODDS_MAX_AGE:
        return  # no odds yet, the meeting is past, or the file stops long before the date
    now, when = float(cut.iloc[-1]), cut.index[-1]
    # the reference: the low of the odds from a week before the window to the as-of date
    since = cut.loc[ctx.start - pd.Timedelta(days=7):]
    then, when0 = (float(since.min()), since.idxmin()) if len(since) else (None, None)
    if when0 is not None and when - when0 < pd.Timedelta(days=1):
        then = when0 = None
    out.data["fed_odds"] = {"meeting": odds.meeting, "time": when, "p_cut": now,
                            "reference_time": when0, "p_cut_reference": then}
    out.data["argument"].append(
        t.maybe("arg.fed_odds_move", meeting=fmt.date(meeting, lang), p=fmt.pct(now, 0, lang),
                date=fmt.date(when, lang), p0=fmt.pct(then, 0, lang),
                date0=fmt.date(when0, lang))
        or t.maybe("arg.fed_odds", meeting=fmt.date(meeting, lang), p=fmt.pct(now, 0, lang),
                   date=fmt.date(when, lang)))
    view = dataclasses.replace(odds, frame=odds.frame.loc[
        max(ctx.start - pd.Timedelta(days=14), odds.frame.index[0]): when])
    fig = view.plot_odds()
    fig.update_layout(title=None, yaxis_title=t("axis.probability"),
                      xaxis_title=t("axis.time_et"))
    out.charts.append(Chart(t("macro.chart_fed_odds", meeting=fmt.date(meeting, lang)), fig,
                            ident="macro-fed-odds"))


def build(ctx: ReportContext) -> SectionOutput:
    """Build the macro section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.macro"))
    res: MacroLensResult = cached_call(ctx, "macro")
    out.data["macro"] = res.to_dict()
    out.data["argument"] = []
    copy_meta(out, res)
    pol, rates, path = res.policy, res.rates, res.implied_path
    lab, inf, vs = res.labour, res.inflation, res.vacuum_summary
    effr = _pp(pol["effr"], lang)
    out.paragraphs.append(t.join(
        t.maybe("macro.target", lo=_pp(pol["target_lower"], lang),
                hi=_pp(pol["target_upper"], lang), effr=effr)
        or t.maybe("macro.effr", effr=effr),
        t.maybe("macro.lead", cuts2y=fmt.num(path["cuts_priced_2y"], 1, lang),
                cuts3m=fmt.num(path["cuts_priced_3m"], 1, lang),
                curve=_bp(rates["curve_2s10s_bp"], lang))))
    if vs["in_vacuum"] and vs["n_late"]:
        late = fmt.join((f"{k} ({fmt.join((_when(k, x, lang) for x in v), lang)})"
                         for k, v in vs["late"].items()), lang)
        out.paragraphs.append(t.maybe("macro.vacuum", n=fmt.num(vs["n_late"], 0, lang),
                                      late=late))
    out.tables.append(kv(ctx, t("macro.rates"), [
        (t("asset.UST2Y"), f"{_pp(rates['ust2y'], lang)} "
         f"({_bp(rates['ust2y_chg_1m_bp'], lang)} {t('macro.1m')})", number(rates["ust2y"])),
        (t("asset.UST10Y"), f"{_pp(rates['ust10y'], lang)} "
         f"({_bp(rates['ust10y_chg_1m_bp'], lang)} {t('macro.1m')})", number(rates["ust10y"])),
        (t("macro.curve"), _bp(rates["curve_2s10s_bp"], lang), number(rates["curve_2s10s_bp"])),
        (t("macro.cuts_3m"), fmt.num(path["cuts_priced_3m"], 2, lang),
         number(path["cuts_priced_3m"])),
        (t("macro.cuts_2y"), fmt.num(path["cuts_priced_2y"], 2, lang),
         number(path["cuts_priced_2y"])),
        (t("macro.unrate"), f"{_pp(lab['unrate'], lang)} "
         f"({fmt.month(lab['unrate_date'], lang)})", number(lab["unrate"])),
        (t("macro.sahm"), fmt.num(lab["sahm_gap"], 2, lang), number(lab["sahm_gap"])),
        (t("macro.claims"), fmt.num(lab["claims_4wk_avg"], 0, lang),
         number(lab["claims_4wk_avg"])),
        (t("macro.cpi"), f"{_pp(inf['cpi_yoy'], lang)} "
         f"({fmt.month(inf['cpi_date'], lang)})", number(inf["cpi_yoy"])),
        (t("macro.core_pce"), _pp(inf["core_pce_yoy"], lang), number(inf["core_pce_yoy"])),
    ], ident="macro-figures"))
    out.tables.append(records(
        ctx, t("macro.releases"),
        [t("macro.release"), t("macro.last_obs"), t("macro.expected"), t("macro.status"),
         t("macro.overdue")],
        cast("list[dict[str, Any]]", res.vacuum.to_dict("records")),
        [lambda r: (_release(t, r, lang), None),
         lambda r: (_period(r, "last_observation", lang), None),
         lambda r: (_period(r, "expected_latest", lang), None),
         lambda r: (t.get(f"macro.st.{r['status']}", str(r["status"])), None),
         lambda r: (fmt.num(r["days_overdue"], 0, lang), r["days_overdue"])],
        ident="macro-releases"))
    _first_prints(ctx, out)
    _fed_odds(ctx, out)
    if vs["in_vacuum"] and vs["n_late"]:
        out.data["argument"].insert(0, t.maybe(
            "arg.vacuum", n=fmt.num(vs["n_late"], 0, lang),
            late=fmt.join((t.get(f"release.{k}", k) for k in vs["late"]), lang)))
    plot(ctx, out, res, "plot_curve", t("macro.chart_curve"), "macro-curve")
    if not res.inflation_path.empty:  # else the engine's warning says why there is no analog
        plot(ctx, out, res, "plot_inflation_path", t("macro.chart_infl"), "macro-inflation")
    return out
