"""Dealer gamma from the newest option chain quoted at or before the as-of date.

The section names the chain's own date and how stale it is; without a usable chain it says so
plainly ("no chain") instead of failing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from crashlens.errors import DataError
from crashlens.report import fmt
from crashlens.report.context import Force, ReportContext, SectionOutput
from crashlens.report.sections._engine import cached_call, unavailable
from crashlens.report.sections._generic import render_result

SECTION_ID = "gamma"
STALE_DAYS = 3


def _find(d: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if d.get(k) is not None:
            return d[k]
    return None


def build(ctx: ReportContext) -> SectionOutput:
    """Build the dealer-gamma section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.gamma"))
    if unavailable(ctx, out, "gex"):
        return out
    try:
        prof = cached_call(ctx, "gex")
    except DataError as exc:
        out.notice = t("gamma.no_chain", date=fmt.date(ctx.asof, lang))
        out.warnings.append(str(exc))
        out.data["chain"] = None
        return out
    chain_day = pd.Timestamp(prof.asof)
    chain_day = chain_day.tz_localize(None) if chain_day.tzinfo else chain_day
    out.paragraphs.append(t("gamma.chain_date", date=fmt.date(chain_day, lang)) + " "
                          + t("gamma.source", source=str(prof.source).rsplit("/", 1)[-1],
                              underlying=prof.underlying, spot=fmt.level(prof.spot0, lang)))
    days = (ctx.asof.normalize() - chain_day.normalize()).days
    if days > STALE_DAYS:
        out.paragraphs.append(t("gamma.stale", days=fmt.num(days, 0, lang)))
    out.data["chain"] = {"date": chain_day, "source": prof.source, "age_days": days,
                         "profile": prof.to_dict()}
    d = render_result(ctx, out, prof.result, "gex")
    total = _find(d, "total_gex_usd_per_1pct", "total_gex_usd", "total_gex")
    zero = prof.zero_gamma
    if isinstance(total, int | float):
        regime = "long_gamma" if total >= 0 else "short_gamma"
        out.paragraphs.append(t("gamma.regime", regime=t(f"regime.{regime}"),
                                total=fmt.money(total, lang, sign=True),
                                zero=fmt.level(zero, lang)))
        out.forces.append(Force(label=t("force.gamma"), size=fmt.money(total, lang, sign=True),
                                detail=t(f"regime.{regime}"),
                                score=abs(float(total)) / 1e9, kind="flow"))
    return out
