"""Crypto leverage and contagion to equities.

Renders :func:`crashlens.crypto.leverage` and :func:`crashlens.systemic.contagion`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crashlens import data as cldata
from crashlens.errors import CrashlensError
from crashlens.report import engines, fmt
from crashlens.report.charts import shade_window, style
from crashlens.report.context import Chart, Force, ReportContext, SectionOutput
from crashlens.report.sections._blocks import kv, num_or_none, plot, records
from crashlens.report.sections._engine import cached_call, unavailable
from crashlens.report.sections._generic import copy_meta

SECTION_ID = "crypto"
#: Calendar days of price and open interest shown before the window starts.
HISTORY_DAYS = 90



def _names(value: Any) -> list[str]:
    """A basket given as a list or a comma-separated string, as a list of names."""
    if isinstance(value, str):
        return [x.strip() for x in value.split(",") if x.strip()]
    return [str(x) for x in value or []]


def _first_date(ctx: ReportContext, name: str) -> pd.Timestamp | None:
    """First date of a series in the store (None when absent)."""
    try:
        idx = cldata.close(name).index
    except CrashlensError:
        return None
    return pd.Timestamp(idx[0]) if len(idx) else None


def _leverage(ctx: ReportContext, out: SectionOutput) -> None:
    t, lang = ctx.t, ctx.lang
    res = cached_call(ctx, "crypto")
    d: dict[str, Any] = res.to_dict()
    out.data["crypto"] = d
    copy_meta(out, res, "crypto.")
    btc, eth = d.get("btc") or {}, d.get("eth") or {}
    out.paragraphs.append(t.join(
        t.maybe("crypto.lead", price=fmt.level(btc.get("price"), lang),
                dd=fmt.pct(btc.get("drawdown"), 1, lang), ath=fmt.level(btc.get("ath"), lang),
                ath_date=fmt.date(btc.get("ath_date"), lang),
                vol=fmt.pct(btc.get("realised_vol"), 0, lang)),
        t.maybe("crypto.eth", eth_dd=fmt.pct(eth.get("drawdown"), 1, lang))))
    funding = d.get("funding") or {}
    out.tables.append(records(
        ctx, t("crypto.funding"),
        [t("col.asset"), t("crypto.rate_8h"), t("crypto.annualised"), t("crypto.mean_30d"),
         t("col.date")],
        [{"name": k, **v} for k, v in funding.items() if isinstance(v, dict)],
        [lambda r: (t.get(f"asset.{r['name']}", str(r["name"])), None),
         lambda r: (fmt.pct(r.get("rate_8h"), 4, lang), num_or_none(r.get("rate_8h"))),
         lambda r: (fmt.pct(r.get("annualised"), 1, lang), num_or_none(r.get("annualised"))),
         lambda r: (fmt.pct(r.get("mean_30d"), 4, lang), num_or_none(r.get("mean_30d"))),
         lambda r: (fmt.date(r.get("date"), lang), None)],
        ident="crypto-funding", note=t("crypto.stale_note")))
    oi = d.get("open_interest") or {}
    out.tables.append(records(
        ctx, t("crypto.oi"),
        [t("col.asset"), t("crypto.oi_usd"), t("crypto.chg7"), t("crypto.chg30"), t("col.date")],
        [{"name": k, **v} for k, v in oi.items() if isinstance(v, dict)],
        [lambda r: (t.asset(str(r["name"])), None),
         lambda r: (fmt.money(r.get("usd"), lang), num_or_none(r.get("usd"))),
         lambda r: (fmt.pct(r.get("change_7d"), 1, lang, sign=True),
                    num_or_none(r.get("change_7d"))),
         lambda r: (fmt.pct(r.get("change_30d"), 1, lang, sign=True),
                    num_or_none(r.get("change_30d"))),
         lambda r: (fmt.date(r.get("date"), lang), None)], ident="crypto-oi"))
    market = d.get("oi") or {}
    if market:
        out.tables.append(records(
            ctx, t("crypto.market_oi"),
            [t("col.asset"), t("crypto.oi_usd"), t("crypto.coverage"), t("crypto.oi_asof"),
             t("crypto.oi_status")],
            [{"name": k, **v} for k, v in market.items() if isinstance(v, dict)],
            [lambda r: (t.asset(str(r["name"])), None),
             lambda r: (fmt.money(r.get("market_usd"), lang), num_or_none(r.get("market_usd"))),
             lambda r: (fmt.pct(r.get("coverage"), 0, lang), num_or_none(r.get("coverage"))),
             lambda r: (fmt.date(r.get("asof"), lang), None),
             lambda r: (t("crypto.current") if r.get("is_current")
                        else t("crypto.stale", days=fmt.num(r.get("age_days"), 0, lang)), None)],
            ident="crypto-market-oi", note=t("crypto.market_oi_note")))
    # ranked only when the cascade ran on current market-wide OI: before May 2025 it runs on
    # one venue's sliver (Binance coin-margined), shown in the table but not a market force
    current = res.is_current and bool(market)
    c = d.get("cascade") or {}
    if c:
        out.tables.append(kv(ctx, t("crypto.cascade"), [
            (t("crypto.shock"), fmt.pct(c.get("shock"), 0, lang, sign=True), c.get("shock")),
            (t("crypto.final_price"), fmt.level(c.get("final_price"), lang),
             c.get("final_price")),
            (t("crypto.total_move"), fmt.pct(c.get("total_move"), 1, lang, sign=True),
             c.get("total_move")),
            (t("crypto.liquidated"), fmt.money(c.get("liquidated_usd"), lang),
             c.get("liquidated_usd")),
            (t("crypto.liq_share"), fmt.pct(c.get("liquidated_share_of_oi"), 2, lang),
             c.get("liquidated_share_of_oi")),
            (t("crypto.amplification"), fmt.num(c.get("amplification"), 3, lang),
             c.get("amplification")),
            (t("crypto.ref_oi"), f"{fmt.money(c.get('reference_oi_usd'), lang)} "
             f"({fmt.date(c.get('reference_oi_date'), lang)})", c.get("reference_oi_usd")),
        ], ident="crypto-cascade"))
        if c.get("liquidated_usd") is not None and current:
            # liquidations on stale open interest are shown above, never ranked as a force
            out.forces.append(Force(
                label=t("force.crypto_cascade", shock=fmt.pct(c.get("shock"), 0, lang)),
                size=fmt.money(c.get("liquidated_usd"), lang),
                detail=t("crypto.cascade_detail",
                         move=fmt.pct(c.get("total_move"), 1, lang, sign=True)),
                score=abs(float(c["liquidated_usd"])) / 1e9, kind="flow"))
    plot(ctx, out, res, "plot_drawdown", t("crypto.chart_dd"), "crypto-dd",
         axes={"yaxis": "axis.btc_usd", "yaxis2": "axis.drawdown_pct"})
    plot(ctx, out, res, "plot_liquidation_map", t("crypto.chart_map"), "crypto-map")
    _market_oi_over_time(ctx, out)
    _window_liquidations(ctx, out)


def _window_liquidations(ctx: ReportContext, out: SectionOutput) -> None:
    """Liquidations the model finds on the realised path of the window (market OI)."""
    t, lang = ctx.t, ctx.lang
    from crashlens.crypto import replay

    try:
        rep = replay(ctx.start, ctx.asof)
    except CrashlensError as exc:  # no market OI over the window: said, not estimated
        out.warnings.append(f"crypto replay of the window: {exc}")
        return
    liq = rep.liquidations_usd
    coins = liq.get("by_coin") or {}
    obs = rep.observed or {}
    rows = [(t("crypto.liq_total"), liq.get("total")), (t("crypto.liq_long"), liq.get("long")),
            (t("crypto.liq_short"), liq.get("short")),
            *[(t.asset(c), v.get("total")) for c, v in coins.items()],
            *[(t("crypto.oi_change", coin=t.asset(c)), v.get("oi_change_usd"))
              for c, v in obs.items() if v.get("oi_change_usd") is not None]]
    out.tables.append(kv(ctx, t("crypto.window_liq", start=fmt.date(ctx.start, lang),
                                end=fmt.date(ctx.asof, lang)),
                         [(k, fmt.money(v, lang, sign=k.startswith("Δ")), v)
                          for k, v in rows], ident="crypto-window-liq"))
    out.tables[-1].note = t("crypto.window_liq_note")
    out.data["window_liquidations"] = {"liquidations_usd": dict(liq), "observed": dict(obs)}
    plot(ctx, out, rep, "plot_liquidations", t("crypto.chart_window_liq"), "crypto-window-liq",
         axes={"yaxis": "axis.usd"})


def _market_oi_over_time(ctx: ReportContext, out: SectionOutput) -> None:
    """Bitcoin's price and market-wide open interest around the window."""
    t = ctx.t
    from crashlens.crypto import leverage_history

    try:
        h = leverage_history(ctx.start - pd.Timedelta(days=HISTORY_DAYS), ctx.asof).frame
    except CrashlensError as exc:
        out.warnings.append(f"crypto levels over time: {exc}")
        return
    if "oi_market_usd" not in h or not h["oi_market_usd"].notna().any():
        return
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=h.index, y=h["close"], name=t("asset.BTC"),
                             line={"color": "black"}), secondary_y=False)
    fig.add_trace(go.Scatter(x=h.index, y=h["oi_market_usd"] / 1e9,
                             name=t("crypto.oi_market_series"), line={"color": "#c0392b"}),
                  secondary_y=True)
    shade_window(fig, ctx.start, ctx.asof)
    cap = t("crypto.levels_chart")
    src = f"{t('report.source')}: crashlens.crypto.leverage_history"
    style(fig, title=cap, yaxis=t("axis.btc_usd"), source=src)
    fig.update_yaxes(title_text=t("axis.usd_bn"), secondary_y=True)
    out.charts.append(Chart(cap, fig, src, ident="crypto-levels-chart"))


def _contagion(ctx: ReportContext, out: SectionOutput) -> None:
    t, lang = ctx.t, ctx.lang
    res = cached_call(ctx, "contagion")
    d: dict[str, Any] = res.to_dict()
    out.data["contagion"] = d
    copy_meta(out, res, "contagion.")
    sp = d.get("spillover") or {}
    cv = d.get("covar") or {}
    out.paragraphs.append(t.join(
        t.maybe("contagion.lead", source=t.asset(str(d.get("source", "BTC"))),
                total=fmt.num(sp.get("total"), 1, lang)),
        t.maybe("contagion.tx",
                tx=fmt.join((t.asset(x) for x in d.get("transmitters") or []), lang),
                rx=fmt.join((t.asset(x) for x in d.get("receivers") or []), lang)),
        t.maybe("contagion.dcovar", dcovar=fmt.pct(cv.get("delta_covar"), 2, lang),
                q=fmt.pct(cv.get("quantile"), 0, lang),
                basket=fmt.join((t.asset(x) for x in _names(cv.get("basket"))), lang))))
    betas = d.get("betas") or {}
    out.tables.append(records(
        ctx, t("contagion.betas", source=t.asset(str(d.get("source", "BTC")))),
        [t("col.asset"), t("contagion.beta"), t("contagion.corr"), t("col.date")],
        [{"name": k, **v} for k, v in betas.items() if isinstance(v, dict)],
        [lambda r: (t.asset(str(r["name"])), None),
         lambda r: (fmt.num(r.get("beta"), 2, lang), num_or_none(r.get("beta"))),
         lambda r: (fmt.num(r.get("correlation"), 2, lang), num_or_none(r.get("correlation"))),
         lambda r: (fmt.date(r.get("window_end"), lang), None)], ident="contagion-betas"))
    net = sp.get("net") or {}
    if net:
        out.tables.append(records(
            ctx, t("contagion.spill"),
            [t("col.asset"), t("contagion.to"), t("contagion.from"), t("contagion.net")],
            [{"name": k, "to": (sp.get("to") or {}).get(k), "from": (sp.get("from") or {}).get(k),
              "net": v} for k, v in net.items()],
            [lambda r: (t.asset(str(r["name"])), None),
             lambda r: (fmt.num(r.get("to"), 1, lang), num_or_none(r.get("to"))),
             lambda r: (fmt.num(r.get("from"), 1, lang), num_or_none(r.get("from"))),
             lambda r: (fmt.num(r.get("net"), 1, lang, sign=True), num_or_none(r.get("net")))],
            ident="contagion-spillover", note=t("contagion.spill_note")))
    plot(ctx, out, res, "plot_betas", t("contagion.chart_betas"), "contagion-betas-chart")
    plot(ctx, out, res, "plot_network", t("contagion.chart_network"), "contagion-network")


def build(ctx: ReportContext) -> SectionOutput:
    """Build the crypto leverage and contagion section."""
    out = SectionOutput(SECTION_ID, ctx.t("section.crypto"))
    first = _first_date(ctx, "BTC")
    if first is None or first > ctx.asof:
        # before Bitcoin traded there is no crypto leverage and no contagion from it
        out.status = "omitted"
        out.notice = ctx.t("crypto.before_btc", date=fmt.date(first, ctx.lang)) if first \
            else ctx.t("crypto.no_btc")
        return out
    notices, failed = [], 0
    for name, part in (("crypto", _leverage), ("contagion", _contagion)):
        probe = SectionOutput(SECTION_ID, out.title)
        if unavailable(ctx, probe, name):
            notices.append(probe.notice)
            failed += 1
            continue
        try:
            part(ctx, out)
        except CrashlensError as exc:  # one part without data keeps the other; a bug propagates
            notices.append(ctx.t("state.error", message=str(exc)))
            failed += 1
    if failed == 2:
        out.status = "unavailable" if all(
            not engines.get_engine(n).available() for n in ("crypto", "contagion")) else "error"
    out.notice = " ".join(notices)
    return out
