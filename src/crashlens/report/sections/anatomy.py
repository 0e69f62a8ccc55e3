"""Sell-off anatomy: cross-asset moves over the event window, measured from data.

Computes the observed moves itself (no model: returns, σ-moves, distance from highs and moving
averages) and adds the market value lost and the breadth from ``crashlens.episodes.anatomy``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crashlens._result import json_safe
from crashlens.errors import CrashlensError
from crashlens.notes import Note, wrap
from crashlens.report import fmt
from crashlens.report.charts import PALETTE, shade_window, style
from crashlens.report.context import Chart, Force, ReportContext, SectionOutput, Table
from crashlens.report.sections._blocks import missing

if TYPE_CHECKING:
    from crashlens.episodes.anatomy import AnatomyResult

SECTION_ID = "anatomy"

#: (series, mode): mode "pct" = percent change, "pts" = point change, "bp" = basis points.
ASSETS: tuple[tuple[str, str], ...] = (
    ("SPX", "pct"), ("NDX", "pct"), ("RUT", "pct"), ("SMH", "pct"),
    ("NVDA", "pct"), ("GOOG", "pct"), ("MSFT", "pct"), ("META", "pct"), ("AMZN", "pct"),
    ("TSLA", "pct"), ("PLTR", "pct"), ("COIN", "pct"), ("MSTR", "pct"),
    ("VIX", "pts"), ("BTC", "pct"), ("ETH", "pct"),
    ("GOLD", "pct"), ("SILVER", "pct"), ("WTI", "pct"), ("DXY", "pct"), ("USDJPY", "pct"),
    ("UST2Y", "bp"), ("UST10Y", "bp"), ("HY_OAS", "bp"), ("IG_OAS", "bp"),
)
#: Series drawn in the rebased-paths chart.
PATH_ASSETS = ("SPX", "NDX", "NVDA", "BTC", "GOLD", "SILVER")
#: Assets offered to the executive summary as forces.
FORCE_ASSETS = ("SPX", "NDX", "NVDA", "BTC", "VIX", "HY_OAS", "UST10Y", "SILVER", "GOLD")

VOL_LOOKBACK_DAYS = 365
HIGH_LOOKBACK_DAYS = 365


def measure(s: pd.Series, start: pd.Timestamp, asof: pd.Timestamp, mode: str) -> dict[str, Any]:
    """Measure one series' move over ``[start, asof]``.

    Parameters
    ----------
    s : Series
        Closes (or values) indexed by date, up to at least ``asof``.
    start, asof : Timestamp
        Window bounds (inclusive).
    mode : {"pct", "pts", "bp"}
        How the change is expressed.

    Returns
    -------
    dict
        ``base`` (last close before the window), ``last``, ``change`` (fraction for pct,
        points for pts, percentage points for bp), ``sigma`` (window move over one-year
        daily volatility times sqrt(n)), ``drawdown`` (fraction from the one-year high, price
        modes only), ``high_date``, ``vs_ma20/50/200`` (fractions), ``n`` (observations).
    """
    s = s.dropna()
    s = s[s.index <= asof]
    before = s[s.index < start]
    inside = s[s.index >= start]
    if before.empty or inside.empty:
        raise CrashlensError(Note("report.no_observation_in_window"))
    base, last = float(before.iloc[-1]), float(inside.iloc[-1])
    n = len(inside)
    hist = before[before.index >= start - pd.Timedelta(days=VOL_LOOKBACK_DAYS)]
    out: dict[str, Any] = {"base": base, "last": last, "last_date": inside.index[-1], "n": n,
                           "mode": mode}
    if mode == "bp":
        change = last - base
        d = np.diff(hist.to_numpy(dtype=float))
        move = change
    else:
        change = last / base - 1.0 if mode == "pct" else last - base
        d = np.diff(np.log(hist.to_numpy(dtype=float)))
        move = math.log(last / base)
    vol = float(np.std(d, ddof=1)) if d.size > 20 else float("nan")
    out["change"] = change
    out["change_pct"] = last / base - 1.0 if mode != "bp" else None
    out["sigma"] = move / (vol * math.sqrt(n)) if vol and math.isfinite(vol) and vol > 0 else None
    if mode != "bp":
        year = s[s.index >= asof - pd.Timedelta(days=HIGH_LOOKBACK_DAYS)]
        out["drawdown"] = last / float(year.max()) - 1.0
        out["high_date"] = year.idxmax()
        for w in (20, 50, 200):
            tail = s.iloc[-w:]
            out[f"vs_ma{w}"] = last / float(tail.mean()) - 1.0 if len(tail) == w else None
    else:
        out["drawdown"] = None
        out["high_date"] = None
        for w in (20, 50, 200):
            out[f"vs_ma{w}"] = None
    return out


def _change_text(m: dict[str, Any], lang: str) -> str:
    if m["mode"] == "bp":
        return fmt.bp(m["change"], lang)
    if m["mode"] == "pts":
        pts = fmt.num(m["change"], 1, lang, sign=True)
        return f"{pts} ({fmt.pct(m['change_pct'], 1, lang, sign=True)})"
    return fmt.pct(m["change"], 1, lang, sign=True)


def build(ctx: ReportContext) -> SectionOutput:
    """Build the anatomy section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.anatomy"))
    lo = ctx.start - pd.Timedelta(days=800)
    measured: dict[str, dict[str, Any]] = {}
    series: dict[str, pd.Series] = {}
    for name, mode in ASSETS:
        try:
            s = ctx.close(name, lo)
            m = measure(s, ctx.start, ctx.asof, mode)
        except CrashlensError as exc:
            out.warnings.append(wrap("report.series_unreadable", exc, series=name))
            continue
        if m["last_date"] < ctx.asof - pd.Timedelta(days=7):
            out.warnings.append(Note("report.series_stale", series=name, day=m["last_date"]))
        measured[name] = m
        series[name] = s
    out.data["window"] = {"start": ctx.start, "end": ctx.asof}
    out.data["assets"] = [{"name": k, **v} for k, v in measured.items()]
    ctx.cache["anatomy"] = measured
    out.paragraphs.append(t("anatomy.lead", start=fmt.date(ctx.start, lang),
                            end=fmt.date(ctx.asof, lang)))
    if "SPX" in measured:
        m = measured["SPX"]
        out.paragraphs.append(t(
            "anatomy.ma_note", close=fmt.level(m["last"], lang),
            date=fmt.date(m["last_date"], lang),
            vs20=fmt.pct(m["vs_ma20"], 1, lang, sign=True),
            vs50=fmt.pct(m["vs_ma50"], 1, lang, sign=True),
            vs200=fmt.pct(m["vs_ma200"], 1, lang, sign=True)))
    pct_moves = {k: v["change"] for k, v in measured.items() if v["mode"] == "pct"}
    if len(pct_moves) >= 2:
        best = max(pct_moves, key=lambda k: pct_moves[k])
        worst = min(pct_moves, key=lambda k: pct_moves[k])
        out.paragraphs.append(t("anatomy.leaders", best=t.asset(best),
                                best_chg=fmt.pct(pct_moves[best], 1, lang, sign=True),
                                worst=t.asset(worst),
                                worst_chg=fmt.pct(pct_moves[worst], 1, lang, sign=True)))
    rows, nums = [], []
    for name, m in measured.items():
        shown = (fmt.num(m["last"], 2, lang) + "%" if m["mode"] == "bp"
                 else fmt.level(m["last"], lang))
        rows.append([t.asset(name), shown, _change_text(m, lang),
                     fmt.sigma(m["sigma"], lang), fmt.pct(m["drawdown"], 1, lang),
                     fmt.date(m["high_date"], lang) if m["high_date"] is not None else fmt.DASH,
                     fmt.pct(m["vs_ma50"], 1, lang, sign=True),
                     fmt.pct(m["vs_ma200"], 1, lang, sign=True)])
        nums.append([None, m["last"], m["change"], m["sigma"], m["drawdown"], None,
                     m["vs_ma50"], m["vs_ma200"]])
    out.tables.append(Table(
        caption=t("anatomy.table"),
        headers=[t("col.asset"), t("col.level"), t("col.change"), t("col.move_sigma"),
                 t("col.drawdown"), t("col.high_date"), t("col.vs_ma50"), t("col.vs_ma200")],
        rows=rows, numbers=nums, note=t("anatomy.rates_note"), ident="anatomy-moves"))
    _charts(ctx, out, series)
    _episode_anatomy(ctx, out)
    for name in FORCE_ASSETS:
        fm = measured.get(name)
        if fm is None or fm["sigma"] is None:
            continue
        out.forces.append(Force(
            label=t("force.move", asset=t.asset(name)), size=fmt.sigma(fm["sigma"], lang),
            detail=t("force.move_detail", chg=_change_text(fm, lang),
                     dd=fmt.pct(fm["drawdown"], 1, lang)) if fm["drawdown"] is not None
            else _change_text(fm, lang),
            score=abs(float(fm["sigma"]))))
    out.assumptions = {"vol_lookback_days": VOL_LOOKBACK_DAYS,
                       "high_lookback_days": HIGH_LOOKBACK_DAYS,
                       "moving_averages": "20, 50, 200 observations (simple)"}
    return out


def _episode_anatomy(ctx: ReportContext, out: SectionOutput) -> None:
    """Market value lost and breadth from :func:`crashlens.episodes.anatomy`."""
    from crashlens.report.sections._engine import cached_call
    from crashlens.report.sections._generic import copy_meta

    t, lang = ctx.t, ctx.lang
    res: AnatomyResult = cached_call(ctx, "anatomy")
    out.data["episodes_anatomy"] = {k: json_safe(getattr(res, k))
                                    for k in ("breadth", "market_value")}
    copy_meta(out, res, "episodes.anatomy.")
    mv, br = res.market_value, res.breadth
    # the engine writes the value lost only for the assets it could price over the window:
    # no S&P 500 or BTC row (BTC before 2010) leaves those keys out of ``market_value``
    if not missing(mv.get("spx_value_lost_usd")):
        out.paragraphs.append(t.join(
            t.maybe("anatomy.value", spx=fmt.money(mv["spx_value_lost_usd"], lang),
                    pk=fmt.money(mv["spx_value_lost_peak_to_trough_usd"], lang)),
            t.maybe("anatomy.value_btc", btc=fmt.money(mv.get("btc_value_lost_usd"), lang))))
    # without single stocks the breadth is only ``n = 0`` and the universe
    if br["n"]:
        out.paragraphs.append(t(
            "anatomy.breadth", down=fmt.num(br["n_down"], 0, lang),
            n=fmt.num(br["n"], 0, lang),
            median=fmt.pct(br["median_return"], 1, lang, sign=True),
            below=fmt.num(br["n_below_50dma"], 0, lang)))


def _charts(ctx: ReportContext, out: SectionOutput, series: dict[str, pd.Series]) -> None:
    t = ctx.t
    lo = ctx.start - pd.Timedelta(days=90)
    fig = go.Figure()
    srcs = []
    for i, name in enumerate(n for n in PATH_ASSETS if n in series):
        s = series[name]
        s = s[s.index >= lo]
        before = s[s.index < ctx.start]
        if before.empty:
            continue
        reb = 100.0 * s / float(before.iloc[-1])
        fig.add_trace(go.Scatter(x=reb.index, y=reb.round(2), name=t.asset(name),
                                 line={"color": PALETTE[i % len(PALETTE)], "width": 1.8}))
        srcs.append(name)
    shade_window(fig, ctx.start, ctx.asof)
    where = ctx.source_label() or "crashlens store"
    source = f"{t('report.source')}: {where} ({', '.join(srcs)})"
    style(fig, title=t("anatomy.chart_paths"), yaxis=t("axis.index"), source=source)
    out.charts.append(Chart(t("anatomy.chart_paths"), fig, source, ident="anatomy-paths"))
    if "SPX" in series:
        s = series["SPX"]
        fig2 = go.Figure()
        show = s.index >= ctx.asof - pd.Timedelta(days=365)
        fig2.add_trace(go.Scatter(x=s.index[show], y=s[show].round(2), name=t.asset("SPX"),
                                  line={"color": PALETTE[0], "width": 1.8}))
        for j, w in enumerate((20, 50, 200)):
            ma = s.rolling(w).mean()
            fig2.add_trace(go.Scatter(x=ma.index[show], y=ma[show].round(2),
                                      name=t(f"ma.{w}"),
                                      line={"color": PALETTE[j + 1], "width": 1.1,
                                            "dash": "dot"}))
        shade_window(fig2, ctx.start, ctx.asof)
        src = f"{t('report.source')}: {where} (SPX)"
        style(fig2, title=t("anatomy.chart_spx"), yaxis=t("axis.points"), source=src)
        out.charts.append(Chart(t("anatomy.chart_spx"), fig2, src, ident="anatomy-spx"))
