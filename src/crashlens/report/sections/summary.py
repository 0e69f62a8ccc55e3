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
from typing import Any

import pandas as pd

from crashlens.errors import CrashlensError
from crashlens.report import engines, fmt
from crashlens.report.context import ReportContext, SectionOutput, Sentence, Table
from crashlens.report.sections.analogs import episode_name

SECTION_ID = "summary"


def _dict(ctx: ReportContext, name: str) -> dict[str, Any]:
    """The JSON of an engine result this report computed (empty when it did not run)."""
    res = ctx.cache.get(f"engine:{name}")
    if res is None:
        return {}
    return dict(engines.to_json(res, False, name))


def _ok(ctx: ReportContext, section: str) -> bool:
    out = ctx.outputs.get(section)
    return out is not None and out.status == "ok"


def _g(d: Mapping[str, Any] | None, *keys: str) -> Any:
    """``d[k1][k2]...`` or None."""
    cur: Any = d
    for k in keys:
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(k)
    return cur


def _abs_pct(x: Any, lang: str) -> str:
    """A fall as a positive percentage ("4.2% below its high")."""
    return fmt.pct(abs(float(x)) if isinstance(x, int | float) else None, 1, lang)


def _flow(t: Any, x: Any, lang: str) -> str:
    """A flow as "sell $21.2bn" / "buy $3.0bn"."""
    if not isinstance(x, int | float):
        return fmt.DASH
    return t("arg.sell" if x < 0 else "arg.buy", usd=fmt.money_bn(abs(x), lang))


def _what_broke(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    m = ctx.cache.get("anatomy", {})
    spx, btc, vix = m.get("SPX"), m.get("BTC"), m.get("VIX")
    if not (_ok(ctx, "anatomy") and spx):
        return []
    text = t.join(
        t.maybe("arg.broke", start=fmt.date(ctx.start, lang), end=fmt.date(ctx.asof, lang),
                chg=fmt.pct(spx.get("change"), 1, lang, sign=True),
                sigma=fmt.sigma(spx.get("sigma"), lang),
                dd=_abs_pct(spx.get("drawdown"), lang)),
        t.maybe("arg.broke_btc", chg=fmt.pct((btc or {}).get("change"), 1, lang, sign=True),
                dd=_abs_pct((btc or {}).get("drawdown"), lang)),
        t.maybe("arg.broke_vix", vix=fmt.num((vix or {}).get("last"), 1, lang)))
    return [Sentence(text, "anatomy")] if text else []


def _crossed(ctx: ReportContext) -> str:
    """The latest pivot the S&P 500 closed through around the window ("" if none)."""
    t, lang = ctx.t, ctx.lang
    cta = ctx.outputs.get("cta")
    crossings = cta.data.get("crossings") if cta is not None and cta.status == "ok" else None
    if not crossings:
        return ""
    last = crossings[-1]
    return t.maybe("arg.crossed", date=fmt.date(last.get("date"), lang),
                   direction=t(f"cta.dir.{last.get('direction')}"),
                   group=t(f"cta.h.{last.get('group')}"), level=fmt.level(last.get("level"), lang))


def _forced_sellers(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    out: list[Sentence] = []
    cta = _dict(ctx, "cta") if _ok(ctx, "cta") else {}
    spx = _g(cta, "assets", "SPX") or {}
    # global equity length as the desks publish it, else the model's equity sector
    eq = _g(cta, "total", "desk_view", "equity_global") or _g(cta, "total", "sectors",
                                                               "equity") or {}
    pct = eq.get("percentile", _g(cta, "total", "percentile", "1y"))
    years = _g(cta, "total", "desk_view", "percentile_years", "years") or 1
    if cta:
        price, trig = spx.get("price"), _g(spx, "triggers", "short")
        model = str(_g(cta, "assumptions", "model") or "")
        crossed = _crossed(ctx)
        text = t.join(
            crossed,
            t.maybe("arg.cta", eq=fmt.money_bn(eq.get("notional_usd"), lang, sign=True),
                    pct=fmt.percentile(pct, lang), years=fmt.num(years, 0, lang),
                    w1=_flow(t, _g(eq, "flows_usd", "1w", "down"), lang),
                    m1=_flow(t, _g(eq, "flows_usd", "1m", "down"), lang),
                    model=t.get(f"arg.model.{model}", model) if model else fmt.DASH),
            "" if crossed else t.maybe("arg.cta_pivot",
                    side=t("arg.below" if (price and trig and price < trig) else "arg.above"),
                    level=fmt.level(trig, lang),
                    dist=fmt.pct(price / trig - 1.0 if price and trig else None, 1, lang,
                                 sign=True)))
        if text:
            out.append(Sentence(text, "cta"))
    prof = ctx.cache.get("engine:gex")
    if prof is not None and _ok(ctx, "gamma"):
        if getattr(prof, "status", "current") == "current":
            res = prof.result
            tot, zero, spot = res.total_gex_usd_per_1pct, res.zero_gamma, res.spot
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
    cr = _dict(ctx, "crypto") if _ok(ctx, "crypto") else {}
    casc = cr.get("cascade") or {}
    oi = _g(cr, "oi", "BTC") or {}
    if cr and oi.get("market_usd") is not None:
        dd = _abs_pct(_g(cr, "btc", "drawdown"), lang)
        ath = fmt.date(_g(cr, "btc", "ath_date"), lang)
        if oi.get("is_current") and casc.get("liquidated_usd") is not None:
            text = t.maybe("arg.crypto", dd=dd, ath=ath,
                           oi=fmt.money_bn(oi.get("market_usd"), lang),
                           shock=fmt.pct(casc.get("shock"), 0, lang, sign=True),
                           liq=fmt.money_bn(casc.get("liquidated_usd"), lang))
        else:  # stale open interest never feeds a headline figure: say how old it is
            text = t.maybe("arg.crypto_stale", dd=dd, ath=ath,
                           oi_date=fmt.date(oi.get("asof"), lang))
        if text:
            out.append(Sentence(text, "crypto"))
    return out


def _macro(ctx: ReportContext) -> list[Sentence]:
    t = ctx.t
    sec = ctx.outputs.get("macro")
    if sec is None or sec.status != "ok":
        return []
    text = t.join(*(str(x) for x in sec.data.get("argument", [])))
    return [Sentence(text, "macro")] if text else []


def _catalysts(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    d = _dict(ctx, "catalysts") if _ok(ctx, "catalysts") else {}
    lo = ctx.start - pd.Timedelta(days=7)
    rows = [r for r in d.get("table") or []
            if r.get("role", "event") == "event" and r.get("ar0") is not None
            and r.get("day0") and lo <= pd.Timestamp(r["day0"]) <= ctx.asof]
    if not rows:
        return []
    top = max(rows, key=lambda r: abs(float(r["ar0"])))
    names = {e.get("event"): (lang == "zh" and e.get("name_zh")) or e.get("name")
             for e in d.get("events") or []}
    text = t.maybe("arg.catalyst", name=str(names.get(top.get("event")) or top.get("name")),
                   date=fmt.date(top.get("day0"), lang), asset=t.asset(str(top.get("asset"))),
                   ar=fmt.pct(top.get("ar0"), 1, lang, sign=True),
                   tstat=fmt.num(top.get("t_ar0", top.get("t0")), 1, lang), n=str(len(
                       {r.get("event") for r in rows})))
    return [Sentence(text, "catalysts")] if text else []


def _history(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    an = _dict(ctx, "analogs") if _ok(ctx, "analogs") else {}
    m1 = next((r for r in an.get("forward") or [] if r.get("horizon") == "1m"), None)
    if not m1:
        return []
    eps = [episode_name(t, e.get("key"), e.get("name"), lang)
           for e in (an.get("nearest_episodes") or [])[:2] if e.get("name")]
    text = t.maybe("arg.analogs", names=fmt.join(eps, lang),
                   pn=fmt.pct(m1.get("p_negative"), 0, lang),
                   p=fmt.pct(m1.get("p_below_5pct"), 0, lang))
    return [Sentence(text, "analogs")] if text else []


def _scenarios(ctx: ReportContext) -> list[Sentence]:
    t, lang = ctx.t, ctx.lang
    sc = _dict(ctx, "scenarios") if _ok(ctx, "scenarios") else {}
    spx = next((r for r in sc.get("expected") or [] if r.get("asset") == "SPX"), None)
    if not sc or spx is None:
        return []
    zh = lang == "zh"
    weights = fmt.join((f"{r.get('id')} {(zh and r.get('name_zh')) or r.get('name')} "
                        f"{fmt.pct(r.get('probability'), 0, lang)}"
                        for r in sc.get("scenarios") or []), lang)
    text = t.maybe("arg.scenarios", weights=weights, end=fmt.date(sc.get("horizon_end"), lang),
                   exp=fmt.num(spx.get("expected"), 1, lang, sign=True) + "%",
                   lo=fmt.num(spx.get("tail_low"), 1, lang, sign=True) + "%",
                   hi=fmt.num(spx.get("tail_high"), 1, lang, sign=True) + "%")
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
