"""Executive summary: the lead paragraph and the forces of every section ranked by size.

Built after all other sections (it reads their ``forces`` and the anatomy measurements), but
rendered first.
"""

from __future__ import annotations

from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput, Table

SECTION_ID = "summary"


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
