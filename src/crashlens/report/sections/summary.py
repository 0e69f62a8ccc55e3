"""Executive summary: the lead paragraph and the forces of every section ranked by size.

Built after all other sections (it reads their ``forces`` and the anatomy measurements), but
rendered first.
"""

from __future__ import annotations

from typing import Any

from crashlens.report import engines, fmt
from crashlens.report.context import ReportContext, SectionOutput, Table

SECTION_ID = "summary"


def _dict(ctx: ReportContext, name: str) -> dict[str, Any]:
    res = ctx.cache.get(f"engine:{name}")
    if res is None:
        return {}
    try:
        return dict(engines.to_json(res, False, name))
    except Exception:  # a summary line must never sink the summary
        return {}


def _state(ctx: ReportContext) -> list[str]:
    """One sentence per engine that ran: positioning, fragility, gamma, analogs."""
    t, lang = ctx.t, ctx.lang
    lines = []
    cta = _dict(ctx, "cta")
    if cta:
        total = cta.get("total") or {}
        spx = (cta.get("assets") or {}).get("SPX") or {}
        trig = (spx.get("triggers") or {}).get("short")
        price = spx.get("price")
        equity = (total.get("sectors") or {}).get("equity") or {}
        lines.append(t("summary.cta", notional=fmt.money_bn(total.get("notional_usd"), lang),
                       eq=fmt.money_bn(equity.get("notional_usd"), lang),
                       pct=fmt.percentile((total.get("percentile") or {}).get("1y"), lang),
                       trig=fmt.level(trig, lang),
                       dist=fmt.pct(trig / price - 1 if trig and price else None, 1, lang,
                                    sign=True)))
    fr = _dict(ctx, "fragility")
    if fr.get("composite") is not None:
        lines.append(t("summary.fragility", score=fmt.num(fr["composite"], 0, lang)))
    gx = _dict(ctx, "gex")
    prof = ctx.cache.get("engine:gex")
    if prof is not None and getattr(prof, "status", "current") != "current":
        # an expired or stale chain never feeds the headline: name it and say why
        lines.append(t(f"summary.gamma_{prof.status}", date=fmt.date(prof.asof, lang)))
    elif gx.get("total_gex_usd_per_1pct") is not None:
        tot = gx["total_gex_usd_per_1pct"]
        lines.append(t("summary.gamma", date=fmt.date(gx.get("asof"), lang),
                       regime=t("regime.long_gamma" if tot >= 0 else "regime.short_gamma"),
                       total=fmt.money(tot, lang, sign=True)))
    elif "gamma" in ctx.outputs and ctx.outputs["gamma"].data.get("chain", 1) is None:
        lines.append(t("summary.no_gamma"))
    an = _dict(ctx, "analogs")
    m1 = next((r for r in an.get("forward") or [] if r.get("horizon") == "1m"), None)
    if m1:
        lines.append(t("summary.analogs", p=fmt.pct(m1.get("p_below_5pct"), 0, lang),
                       pn=fmt.pct(m1.get("p_negative"), 0, lang)))
    return lines


def build(ctx: ReportContext) -> SectionOutput:
    """Build the summary from the other sections' outputs in ``ctx.outputs``."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.summary"))
    m = ctx.cache.get("anatomy", {})
    spx, btc, vix = m.get("SPX"), m.get("BTC"), m.get("VIX")
    if spx and btc and vix:
        out.paragraphs.append(t(
            "summary.lead", start=fmt.date(ctx.start, lang), end=fmt.date(ctx.asof, lang),
            spx_chg=fmt.pct(spx["change"], 1, lang, sign=True),
            spx_sigma=fmt.sigma(spx["sigma"], lang), spx_dd=fmt.pct(spx["drawdown"], 1, lang),
            btc_chg=fmt.pct(btc["change"], 1, lang, sign=True),
            btc_dd=fmt.pct(btc["drawdown"], 1, lang), vix=fmt.num(vix["last"], 1, lang)))
        out.data["lead"] = {"spx_change": spx["change"], "spx_sigma": spx["sigma"],
                            "spx_drawdown": spx["drawdown"], "btc_change": btc["change"],
                            "btc_drawdown": btc["drawdown"], "vix": vix["last"]}
    state = _state(ctx)
    if state:
        out.paragraphs.append(" ".join(state))
    forces = [(sid, f) for sid, o in ctx.outputs.items() for f in o.forces]
    forces.sort(key=lambda p: -p[1].score)
    if forces:
        out.paragraphs.append(t("summary.ranked"))
    else:
        out.paragraphs.append(t("summary.no_forces"))
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
    out.paragraphs.append(t("summary.engines", done=fmt.num(done, 0, lang),
                            total=fmt.num(len(others), 0, lang)))
    out.data["sections_ok"] = done
    out.data["sections_total"] = len(others)
    return out
