"""Executive summary: an argument of at most eight sentences, then the forces ranked by size.

The sentences follow the chain of forces the strategy notes describe — what broke, who was
forced to trade, the macro backdrop, the catalysts, what history says and the scenarios — and
each is built only from a number another section of the same report measured, with a link to
that section. A sentence whose inputs are missing (a date before Bitcoin, an expired option
chain, no scenario set) is left out rather than printed with a gap.

Built after all other sections (it reads their results and ``forces``), but rendered first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from crashlens.errors import CrashlensError
from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput, Sentence, Table
from crashlens.report.sections._blocks import number
from crashlens.report.sections._engine import cached_result
from crashlens.report.sections.analogs import episode_name

if TYPE_CHECKING:
    from crashlens.crypto.result import CryptoResult
    from crashlens.cta.result import CTAResult
    from crashlens.episodes.analogs import AnalogsResult
    from crashlens.episodes.catalysts import CatalystsResult
    from crashlens.options.profile import GammaProfile
    from crashlens.scenarios.result import ScenarioResult

SECTION_ID = "summary"


def _ok(ctx: ReportContext, section: str) -> bool:
    out = ctx.outputs.get(section)
    return out is not None and out.status == "ok"


def _result(ctx: ReportContext, section: str, engine: str | None = None) -> Any:
    """The engine result an "ok" section rendered, or None.

    Sections call their engine once per report with :func:`cached_call`, which keeps the
    result in ``ctx.cache``; this reads it back. None when the section is not "ok" or did not
    get a result (the dealer-gamma section stays "ok" with a notice when no option chain is
    quoted by the date): the summary never calls an engine again.
    """
    if not _ok(ctx, section):
        return None
    return cached_result(ctx, engine or section)


def _text(x: Any) -> str:
    """A text cell of a result's table; "" when missing (None, NaN)."""
    return x if isinstance(x, str) else ""


def _abs_pct(x: Any, lang: str) -> str:
    """A fall as a positive percentage ("4.2% below its high")."""
    f = number(x)
    return fmt.pct(abs(f) if f is not None else None, 1, lang)


def _flow(t: Any, x: Any, lang: str) -> str:
    """A flow as "sell $21.2bn" / "buy $3.0bn"."""
    f = number(x)
    if f is None:
        return fmt.DASH
    return t("arg.sell" if f < 0 else "arg.buy", usd=fmt.money_bn(abs(f), lang))


def _pct_points(x: Any, lang: str) -> str:
    """A move already in percent (``-7.5`` → ``−7.5%``); the placeholder when missing."""
    f = number(x)
    return fmt.num(f, 1, lang, sign=True) + "%" if f is not None else fmt.DASH


def _what_broke(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    if not _ok(ctx, "anatomy"):
        return []
    # the anatomy section's measures by asset; an asset it could not measure is absent
    m: Mapping[str, Mapping[str, Any]] = ctx.cache["anatomy"]
    spx, btc, vix = m.get("SPX"), m.get("BTC"), m.get("VIX")
    if spx is None:
        return []
    text = t.join(
        t.maybe("arg.broke", start=fmt.date(ctx.start, lang), end=fmt.date(ctx.asof, lang),
                chg=fmt.pct(spx["change"], 1, lang, sign=True),
                sigma=fmt.sigma(spx["sigma"], lang),
                dd=_abs_pct(spx["drawdown"], lang)),
        t.maybe("arg.broke_btc", chg=fmt.pct(btc["change"], 1, lang, sign=True),
                dd=_abs_pct(btc["drawdown"], lang)) if btc is not None else "",
        t.maybe("arg.broke_vix", vix=fmt.num(vix["last"], 1, lang)) if vix is not None else "")
    return [Sentence(text, "anatomy")] if text else []


def _crossed(ctx: ReportContext) -> str:
    """The latest pivot the S&P 500 closed through around the window ("" if none)."""
    t, lang = ctx.t, ctx.lang
    if not _ok(ctx, "cta"):
        return ""
    # the CTA section's recent pivot crossings (rows of CTAHistory.crossings()); absent when
    # its history could not be computed (a warning says why)
    crossings = ctx.outputs["cta"].data.get("crossings")
    if not crossings:
        return ""
    last = crossings[-1]
    return t.maybe("arg.crossed", date=fmt.date(last["date"], lang),
                   direction=t(f"cta.dir.{last['direction']}"),
                   group=t(f"cta.h.{last['group']}"), level=fmt.level(last["level"], lang))


def _forced_sellers(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    out: list[Sentence] = []
    cta: CTAResult | None = _result(ctx, "cta")
    if cta is not None:
        total = cta.total
        # global equity length as the desks publish it; absent in a book without equities
        # (then the sentence is left out: its length is missing)
        eq = total["desk_view"].get("equity_global")
        years = total["desk_view"]["percentile_years"]["years"]
        spx = cta.assets.get("SPX")  # optional: a universe without the S&P 500
        price = number(spx["price"]) if spx is not None else None
        trig = number(spx["triggers"]["short"]) if spx is not None else None
        model = str(cta.assumptions["model"] or "")  # the parameters' preset (desk, generic)
        crossed = _crossed(ctx)
        text = t.join(
            crossed,
            t.maybe("arg.cta", eq=fmt.money_bn(eq["notional_usd"], lang, sign=True),
                    pct=fmt.percentile(eq["percentile"], lang), years=fmt.num(years, 0, lang),
                    w1=_flow(t, eq["flows_usd"]["1w"]["down"], lang),
                    m1=_flow(t, eq["flows_usd"]["1m"]["down"], lang),
                    model=t.get(f"arg.model.{model}", model) if model else fmt.DASH)
            if eq is not None else "",
            "" if crossed else t.maybe("arg.cta_pivot",
                    side=t("arg.below" if (price and trig and price < trig) else "arg.above"),
                    level=fmt.level(trig, lang),
                    dist=fmt.pct(price / trig - 1.0 if price and trig else None, 1, lang,
                                 sign=True)))
        if text:
            out.append(Sentence(text, "cta"))
    prof: GammaProfile | None = _result(ctx, "gamma", "gex")
    if prof is not None:
        if prof.status == "current":
            res = prof.result
            tot, zero, spot = (number(res.total_gex_usd_per_1pct), number(res.zero_gamma),
                               number(res.spot))
            text = t.maybe(
                "arg.gamma", date=fmt.date(prof.asof, lang),
                regime=t("arg.long_gamma" if (tot or 0) >= 0 else "arg.short_gamma"),
                total=fmt.money(tot, lang, sign=True), zero=fmt.level(zero, lang),
                dist=fmt.pct(spot / zero - 1.0 if zero and spot else None, 1, lang,
                             sign=True))
        else:
            text = t.maybe(f"arg.gamma_{prof.status}", date=fmt.date(prof.asof, lang))
        if text:
            out.append(Sentence(text, "gamma"))
    cr: CryptoResult | None = _result(ctx, "crypto")
    # market-wide open interest of Bitcoin; absent before it exists (May 2025)
    oi = cr.oi.get("BTC") if cr is not None else None
    if cr is not None and oi is not None and number(oi["market_usd"]) is not None:
        casc = cr.cascade  # empty when no cascade could be run
        dd = _abs_pct(cr.btc["drawdown"], lang)
        ath = fmt.date(cr.btc["ath_date"], lang)
        if oi["is_current"] and casc and number(casc["liquidated_usd"]) is not None:
            text = t.maybe("arg.crypto", dd=dd, ath=ath,
                           oi=fmt.money_bn(oi["market_usd"], lang),
                           shock=fmt.pct(casc["shock"], 0, lang, sign=True),
                           liq=fmt.money_bn(casc["liquidated_usd"], lang))
        else:  # stale open interest never feeds a headline figure: say how old it is
            text = t.maybe("arg.crypto_stale", dd=dd, ath=ath,
                           oi_date=fmt.date(oi["asof"], lang))
        if text:
            out.append(Sentence(text, "crypto"))
    return out


def _macro(ctx: ReportContext) -> list[Sentence]:
    t = ctx.t
    sec = ctx.outputs.get("macro")
    if sec is None or sec.status != "ok":
        return []
    # the macro section's sentences for the summary (set whenever it is "ok")
    text = t.join(*(str(x) for x in sec.data["argument"]))
    return [Sentence(text, "macro")] if text else []


def _catalysts(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    res: CatalystsResult | None = _result(ctx, "catalysts")
    if res is None or res.table.empty:
        return []
    lo = ctx.start - pd.Timedelta(days=7)
    rows = [r for r in res.table.to_dict("records")
            if r["role"] == "event" and number(r["ar0"]) is not None and pd.notna(r["day0"])
            and lo <= pd.Timestamp(r["day0"]) <= ctx.asof]
    if not rows:
        return []
    top = max(rows, key=lambda r: abs(float(r["ar0"])))
    names = {e["event"]: (lang == "zh" and _text(e["name_zh"])) or e["name"]
             for e in res.events.to_dict("records")}
    text = t.maybe("arg.catalyst", name=str(names.get(top["event"]) or top["name"]),
                   date=fmt.date(top["day0"], lang), asset=t.asset(str(top["asset"])),
                   ar=fmt.pct(top["ar0"], 1, lang, sign=True),
                   tstat=fmt.num(top["t_ar0"], 1, lang), n=str(len(
                       {r["event"] for r in rows})))
    return [Sentence(text, "catalysts")] if text else []


def _history(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    res: AnalogsResult | None = _result(ctx, "analogs")
    if res is None:
        return []
    m1 = next((r for r in res.forward.to_dict("records") if r["horizon"] == "1m"), None)
    if not m1:
        return []
    eps = [episode_name(t, e["key"], e["name"], lang)
           for e in res.nearest_episodes.head(2).to_dict("records") if _text(e["name"])]
    text = t.maybe("arg.analogs", names=fmt.join(eps, lang),
                   pn=fmt.pct(m1["p_negative"], 0, lang),
                   p=fmt.pct(m1["p_below_5pct"], 0, lang))
    return [Sentence(text, "analogs")] if text else []


def _scenarios(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    sc: ScenarioResult | None = _result(ctx, "scenarios")
    if sc is None or sc.expected.empty:
        return []
    spx = next((r for r in sc.expected.to_dict("records") if r["asset"] == "SPX"), None)
    if spx is None:
        return []
    zh = lang == "zh"
    weights = fmt.join((f"{r['id']} {(zh and r['name_zh']) or r['name']} "
                        f"{fmt.pct(r['probability'], 0, lang)}"
                        for r in sc.scenarios), lang)
    text = t.maybe("arg.scenarios", weights=weights, end=fmt.date(sc.horizon_end, lang),
                   exp=_pct_points(spx["expected"], lang),
                   lo=_pct_points(spx["tail_low"], lang),
                   hi=_pct_points(spx["tail_high"], lang))
    return [Sentence(text, "scenarios")] if text else []


def argument(ctx: ReportContext) -> list[Sentence]:
    """The summary's sentences, in the order of the notes' chain of forces."""
    out: list[Sentence] = []
    for part in (_what_broke, _forced_sellers, _macro, _catalysts, _history, _scenarios):
        try:
            out += part(ctx)
        except CrashlensError:  # a figure that cannot be computed drops its sentence only
            continue
    return out


def build(ctx: ReportContext) -> SectionOutput:
    """Build the summary from the other sections' outputs in ``ctx.outputs``."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.summary"))
    out.argument = argument(ctx)
    out.data["argument"] = [{"text": s.text, "section": s.section} for s in out.argument]
    forces = [(sid, f) for sid, o in ctx.outputs.items() for f in o.forces]
    forces.sort(key=lambda p: -p[1].score)
    for kind, key in (("flow", "summary.flows"), ("move", "summary.moves")):
        sel = [(sid, f) for sid, f in forces if f.kind == kind]
        if not sel:
            continue
        rows = [[fmt.num(i + 1, 0, lang), f.label, f.size, f.detail, ctx.outputs[sid].title]
                for i, (sid, f) in enumerate(sel)]
        out.tables.append(Table(
            t(key),
            [t("col.rank"), t("col.force"), t("col.size"), t("col.detail"), t("col.section")],
            rows, numbers=[[None, None, f.score, None, None] for _, f in sel],
            ident=f"summary-{kind}s"))
    out.data["forces"] = [{"section": sid, "label": f.label, "score": f.score, "kind": f.kind,
                           "size": f.size} for sid, f in forces]
    others = [o for sid, o in ctx.outputs.items() if sid not in (SECTION_ID, "provenance")]
    done = sum(o.status == "ok" for o in others)
    left_out = [o.title for o in others if o.status == "omitted"]
    out.paragraphs.append(t.join(
        t("summary.engines", done=fmt.num(done, 0, lang), total=fmt.num(len(others), 0, lang)),
        t.maybe("summary.left_out", sections=fmt.join(left_out, lang))))
    out.data["sections_ok"] = done
    out.data["sections_total"] = len(others)
    return out
