"""Dealer gamma from the newest option chain quoted at or before the as-of date.

The section names the chain's own date and how stale it is; without a usable chain it says so
plainly ("no chain") instead of failing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from crashlens.errors import DataError
from crashlens.notes import reason
from crashlens.options import gamma_history
from crashlens.report import fmt
from crashlens.report.charts import style
from crashlens.report.context import Chart, Force, ReportContext, SectionOutput, Table
from crashlens.report.figtext import translate_figure
from crashlens.report.sections._blocks import kv, number, plot, records
from crashlens.report.sections._engine import cached_call
from crashlens.report.sections._generic import copy_meta

if TYPE_CHECKING:
    from crashlens.options import GexResult

SECTION_ID = "gamma"


def build(ctx: ReportContext) -> SectionOutput:
    """Build the dealer-gamma section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.gamma"))
    try:
        prof = cached_call(ctx, "gex")
    except DataError as exc:
        out.notice = t("gamma.no_chain", date=fmt.date(ctx.asof, lang))
        out.warnings.append(reason(exc))
        out.data["chain"] = None
        return out
    chain_day = pd.Timestamp(prof.asof)
    chain_day = chain_day.tz_localize(None) if chain_day.tzinfo else chain_day
    out.paragraphs.append(t("gamma.chain_date", date=fmt.date(chain_day, lang)) + " "
                          + t("gamma.source", source=str(prof.source).rsplit("/", 1)[-1],
                              underlying=prof.underlying, spot=fmt.level(prof.spot0, lang)))
    days = (ctx.asof.normalize() - chain_day.normalize()).days
    if prof.status == "expired":
        out.paragraphs.append(t("gamma.expired", date=fmt.date(chain_day, lang)))
    elif prof.status == "stale":
        out.paragraphs.append(t("gamma.stale", days=fmt.num(days, 0, lang)))
    out.data["chain"] = {"date": chain_day, "source": prof.source, "age_days": days,
                         "status": prof.status, "profile": prof.to_dict()}
    res: GexResult = prof.result
    out.data["gex"] = res.to_dict()
    # the profile carries the result's assumptions and warnings (its own chain-age warning
    # first): copying the result's as well would list every warning twice
    copy_meta(out, prof)
    total = number(res.total_gex_usd_per_1pct)
    zero = prof.zero_gamma
    spot = number(res.spot)

    def rel(level: Any) -> str:
        lv = number(level)
        if lv is None or not spot:
            return fmt.level(lv, lang)
        return f"{fmt.level(lv, lang)} ({fmt.pct(lv / spot - 1.0, 1, lang, sign=True)})"

    out.tables.append(kv(ctx, t("result.key_figures"), [
        (t("gamma.spot"), fmt.level(spot, lang), spot),
        (t("gamma.total"), fmt.money(total, lang, sign=True), total),
        (t("gamma.zero"), rel(res.zero_gamma), number(res.zero_gamma)),
        (t("gamma.call_wall"), rel(res.call_wall), number(res.call_wall)),
        (t("gamma.put_wall"), rel(res.put_wall), number(res.put_wall)),
        (t("gamma.abs_strike"), rel(res.abs_gamma_strike), number(res.abs_gamma_strike)),
        (t("gamma.hedge"), fmt.money(res.hedge_flow_usd_per_1pct, lang, sign=True),
         number(res.hedge_flow_usd_per_1pct)),
        (t("gamma.zero_dte"), fmt.pct(res.zero_dte_share, 1, lang), number(res.zero_dte_share)),
    ], ident="gamma-figures"))
    out.tables.append(records(
        ctx, t("gamma.by_expiry"), [t("gamma.expiry"), t("gamma.total")],
        cast("list[dict[str, Any]]", res.by_expiry.to_dict("records")),
        [lambda r: (fmt.date(r["expiry"], lang), None),
         lambda r: (fmt.money(r["gex_usd_per_1pct"], lang, sign=True),
                    number(r["gex_usd_per_1pct"]))], ident="gamma-by-expiry"))
    when = fmt.date(chain_day, lang)
    plot(ctx, out, res, "plot_profile", t("gamma.chart_profile", date=when), "gamma-profile")
    plot(ctx, out, res, "plot_by_strike", t("gamma.chart_strike", date=when), "gamma-strike")
    plot(ctx, out, res, "plot_by_expiry", t("gamma.chart_expiry", date=when), "gamma-expiry")
    if total is not None:
        regime = "long_gamma" if total >= 0 else "short_gamma"
        out.paragraphs.append(t("gamma.regime", regime=t(f"regime.{regime}"),
                                total=fmt.money(total, lang, sign=True),
                                zero=fmt.level(zero, lang)))
        if prof.status == "current":  # a stale or expired chain never ranks as a force
            out.forces.append(Force(
                label=t("force.gamma"), size=fmt.money(total, lang, sign=True),
                detail=t("force.gamma_detail", regime=t(f"regime.{regime}"),
                         date=fmt.date(chain_day, lang)),
                score=abs(total) / 1e9, kind="flow"))
    _levels_over_time(ctx, out)
    return out


def _levels_over_time(ctx: ReportContext, out: SectionOutput) -> None:
    """Zero gamma, walls and total GEX of every chain quoted by the as-of date."""
    t, lang = ctx.t, ctx.lang
    try:
        hist = gamma_history(ctx.asof)
    except DataError:
        return
    f = hist.frame
    out.data["levels_over_time"] = hist.to_dict()["chains"]
    out.tables.append(Table(
        t("gamma.levels_table"),
        [t("gamma.chain_quoted"), t("gamma.spot"), t("gamma.zero"), t("gamma.put_wall"),
         t("gamma.call_wall"), t("gamma.total"), t("gamma.expiries")],
        [[fmt.date(ts, lang), fmt.level(r["spot"], lang), fmt.level(r["zero_gamma"], lang),
          fmt.level(r["put_wall"], lang), fmt.level(r["call_wall"], lang),
          fmt.money(r["total_gex_usd_per_1pct"], lang, sign=True),
          fmt.num(r["expiries"], 0, lang)]
         for ts, r in zip(f.index, f.to_dict("records"), strict=True)],
        numbers=[[None, number(r["spot"]), number(r["zero_gamma"]), number(r["put_wall"]),
                  number(r["call_wall"]), number(r["total_gex_usd_per_1pct"]), r["expiries"]]
                 for r in f.to_dict("records")],
        note=t("gamma.levels_note"), ident="gamma-levels"))
    if len(f) > 1:
        fig = hist.plot_levels()
        translate_figure(fig, ctx.lang)
        cap = t("gamma.levels_chart")
        src = f"{t('report.source')}: crashlens.options.gamma_history"
        style(fig, title=cap, yaxis=t("axis.spy_price"), xaxis=t("gamma.chain_quoted"),
              source=src)
        out.charts.append(Chart(cap, fig, src, ident="gamma-levels-chart"))
