"""Crypto leverage and contagion to equities.

Renders :func:`crashlens.crypto.leverage` and :func:`crashlens.systemic.contagion`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crashlens import data as cldata
from crashlens.errors import CrashlensError
from crashlens.notes import reason, text, wrap
from crashlens.report import fmt
from crashlens.report.charts import shade_window, style
from crashlens.report.context import Chart, Force, ReportContext, SectionOutput
from crashlens.report.sections._blocks import kv, number, plot, records
from crashlens.report.sections._engine import cached_call
from crashlens.report.sections._generic import copy_meta

if TYPE_CHECKING:
    from crashlens.crypto.result import CryptoResult
    from crashlens.systemic.results import ContagionResult

SECTION_ID = "crypto"
#: Calendar days of price and open interest shown before the window starts.
HISTORY_DAYS = 90


def _names(value: Any) -> list[str]:
    """A basket given as a list or a comma-separated string, as a list of names."""
    if isinstance(value, str):
        return [x.strip() for x in value.split(",") if x.strip()]
    return [str(x) for x in value or []]


def _first_date(name: str) -> pd.Timestamp | None:
    """First date of a series in the store (None when absent)."""
    try:
        idx = cldata.close(name).index
    except CrashlensError:
        return None
    return pd.Timestamp(idx[0]) if len(idx) else None


def _rows(block: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per-name records of a result's mapping of ``{name: {field: value}}``."""
    return [{"name": k, **v} for k, v in block.items() if isinstance(v, Mapping)]


def _leverage(ctx: ReportContext, out: SectionOutput) -> None:
    t, lang = ctx.t, ctx.lang
    res: CryptoResult = cached_call(ctx, "crypto")
    out.data["crypto"] = res.to_dict()
    copy_meta(out, res, "crypto.")
    btc, eth = res.btc, res.eth  # eth is None when the store has no usable ETH history
    out.paragraphs.append(t.join(
        t.maybe("crypto.lead", price=fmt.level(btc["price"], lang),
                dd=fmt.pct(btc["drawdown"], 1, lang), ath=fmt.level(btc["ath"], lang),
                ath_date=fmt.date(btc["ath_date"], lang),
                vol=fmt.pct(btc["realised_vol"], 0, lang)),
        t.maybe("crypto.eth", eth_dd=fmt.pct(eth["drawdown"] if eth is not None else None,
                                             1, lang))))
    out.tables.append(records(
        ctx, t("crypto.funding"),
        [t("col.asset"), t("crypto.rate_8h"), t("crypto.annualised"), t("crypto.mean_30d"),
         t("col.date")],
        _rows(res.funding),
        [lambda r: (t.get(f"asset.{r['name']}", str(r["name"])), None),
         lambda r: (fmt.pct(r["rate_8h"], 4, lang), number(r["rate_8h"])),
         lambda r: (fmt.pct(r["annualised"], 1, lang), number(r["annualised"])),
         # optional: the OI-weighted row across coins has no 30-day mean
         lambda r: (fmt.pct(r.get("mean_30d"), 4, lang), number(r.get("mean_30d"))),
         lambda r: (fmt.date(r["date"], lang), None)],
        ident="crypto-funding", note=t("crypto.stale_note")))
    out.tables.append(records(
        ctx, t("crypto.oi"),
        [t("col.asset"), t("crypto.oi_usd"), t("crypto.chg7"), t("crypto.chg30"), t("col.date")],
        _rows(res.open_interest),
        [lambda r: (t.asset(str(r["name"])), None),
         lambda r: (fmt.money(r["usd"], lang), number(r["usd"])),
         lambda r: (fmt.pct(r["change_7d"], 1, lang, sign=True), number(r["change_7d"])),
         lambda r: (fmt.pct(r["change_30d"], 1, lang, sign=True), number(r["change_30d"])),
         lambda r: (fmt.date(r["date"], lang), None)], ident="crypto-oi"))
    market = res.oi  # empty when no market-wide OI exists at the date
    if market:
        out.tables.append(records(
            ctx, t("crypto.market_oi"),
            [t("col.asset"), t("crypto.oi_usd"), t("crypto.coverage"), t("crypto.oi_asof"),
             t("crypto.oi_status")],
            _rows(market),
            [lambda r: (t.asset(str(r["name"])), None),
             lambda r: (fmt.money(r["market_usd"], lang), number(r["market_usd"])),
             lambda r: (fmt.pct(r["coverage"], 0, lang), number(r["coverage"])),
             lambda r: (fmt.date(r["asof"], lang), None),
             lambda r: (t("crypto.current") if r["is_current"]
                        else t("crypto.stale", days=fmt.num(r["age_days"], 0, lang)), None)],
            ident="crypto-market-oi", note=t("crypto.market_oi_note")))
    # ranked only when the cascade ran on current market-wide OI: before May 2025 it runs on
    # one venue's sliver (Binance coin-margined), shown in the table but not a market force
    current = res.is_current and bool(market)
    c = res.cascade  # empty when there is no open interest to run it on (a warning says so)
    if c:
        liquidated = number(c["liquidated_usd"])
        out.tables.append(kv(ctx, t("crypto.cascade"), [
            (t("crypto.shock"), fmt.pct(c["shock"], 0, lang, sign=True), number(c["shock"])),
            (t("crypto.final_price"), fmt.level(c["final_price"], lang),
             number(c["final_price"])),
            (t("crypto.total_move"), fmt.pct(c["total_move"], 1, lang, sign=True),
             number(c["total_move"])),
            (t("crypto.liquidated"), fmt.money(liquidated, lang), liquidated),
            (t("crypto.liq_share"), fmt.pct(c["liquidated_share_of_oi"], 2, lang),
             number(c["liquidated_share_of_oi"])),
            (t("crypto.amplification"), fmt.num(c["amplification"], 3, lang),
             number(c["amplification"])),
            (t("crypto.ref_oi"), f"{fmt.money(c['reference_oi_usd'], lang)} "
             f"({fmt.date(c['reference_oi_date'], lang)})", number(c["reference_oi_usd"])),
        ], ident="crypto-cascade"))
        if liquidated is not None and current:
            # liquidations on stale open interest are shown above, never ranked as a force
            out.forces.append(Force(
                label=t("force.crypto_cascade", shock=fmt.pct(c["shock"], 0, lang)),
                size=fmt.money(liquidated, lang),
                detail=t("crypto.cascade_detail",
                         move=fmt.pct(c["total_move"], 1, lang, sign=True)),
                score=abs(liquidated) / 1e9, kind="flow"))
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
        out.warnings.append(wrap("report.crypto_replay_failed", exc))
        return
    liq = rep.liquidations_usd
    obs = rep.observed
    rows = [(t("crypto.liq_total"), liq["total"]), (t("crypto.liq_long"), liq["long"]),
            (t("crypto.liq_short"), liq["short"]),
            *[(t.asset(c), v["total"]) for c, v in liq["by_coin"].items()],
            # the observed OI change is None when the window has no step of that coin
            *[(t("crypto.oi_change", coin=t.asset(c)), v["oi_change_usd"])
              for c, v in obs.items() if number(v["oi_change_usd"]) is not None]]
    out.tables.append(kv(ctx, t("crypto.window_liq", start=fmt.date(ctx.start, lang),
                                end=fmt.date(ctx.asof, lang)),
                         [(k, fmt.money(v, lang, sign=k.startswith("Δ")), number(v))
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
        out.warnings.append(wrap("report.crypto_levels_failed", exc))
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
    res: ContagionResult = cached_call(ctx, "contagion")
    out.data["contagion"] = res.to_dict()
    copy_meta(out, res, "contagion.")
    sp = res.spillover
    cv = res.covar  # empty when ΔCoVaR could not be estimated (a warning says why)
    source = t.asset(res.source)
    out.paragraphs.append(t.join(
        t.maybe("contagion.lead", source=source, total=fmt.num(sp["total"], 1, lang)),
        t.maybe("contagion.tx",
                tx=fmt.join((t.asset(x) for x in res.transmitters), lang),
                rx=fmt.join((t.asset(x) for x in res.receivers), lang)),
        t.maybe("contagion.dcovar", dcovar=fmt.pct(cv["delta_covar"], 2, lang),
                q=fmt.pct(cv["quantile"], 0, lang),
                basket=fmt.join((t.asset(x) for x in _names(cv["basket"])), lang))
        if cv else ""))
    out.tables.append(records(
        ctx, t("contagion.betas", source=source),
        [t("col.asset"), t("contagion.beta"), t("contagion.corr"), t("col.date")],
        _rows(res.betas),
        [lambda r: (t.asset(str(r["name"])), None),
         lambda r: (fmt.num(r["beta"], 2, lang), number(r["beta"])),
         lambda r: (fmt.num(r["correlation"], 2, lang), number(r["correlation"])),
         lambda r: (fmt.date(r["window_end"], lang), None)], ident="contagion-betas"))
    net = sp["net"]
    if net:
        out.tables.append(records(
            ctx, t("contagion.spill"),
            [t("col.asset"), t("contagion.to"), t("contagion.from"), t("contagion.net")],
            [{"name": k, "to": sp["to"][k], "from": sp["from"][k], "net": v}
             for k, v in net.items()],
            [lambda r: (t.asset(str(r["name"])), None),
             lambda r: (fmt.num(r["to"], 1, lang), number(r["to"])),
             lambda r: (fmt.num(r["from"], 1, lang), number(r["from"])),
             lambda r: (fmt.num(r["net"], 1, lang, sign=True), number(r["net"]))],
            ident="contagion-spillover", note=t("contagion.spill_note")))
    plot(ctx, out, res, "plot_betas", t("contagion.chart_betas"), "contagion-betas-chart")
    plot(ctx, out, res, "plot_network", t("contagion.chart_network"), "contagion-network")


def build(ctx: ReportContext) -> SectionOutput:
    """Build the crypto leverage and contagion section."""
    out = SectionOutput(SECTION_ID, ctx.t("section.crypto"))
    first = _first_date("BTC")
    if first is None or first > ctx.asof:
        # before Bitcoin traded there is no crypto leverage and no contagion from it
        out.status = "omitted"
        out.notice = ctx.t("crypto.before_btc", date=fmt.date(first, ctx.lang)) if first \
            else ctx.t("crypto.no_btc")
        return out
    notices, failed = [], 0
    for part in (_leverage, _contagion):
        try:
            part(ctx, out)
        except CrashlensError as exc:  # one part without data keeps the other; a bug propagates
            notices.append(ctx.t("state.error", message=text(reason(exc), ctx.lang)))
            failed += 1
    if failed == 2:
        out.status = "error"
    out.notice = " ".join(notices)
    return out
