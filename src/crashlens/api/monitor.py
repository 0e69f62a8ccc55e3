"""The dashboard's "monitor" view.

Today's (newest data) fragility composite, CTA trigger distances and dealer-gamma regime, each
read from its engine's ``to_dict()``.
"""

from __future__ import annotations

from typing import Any

from crashlens._result import json_safe
from crashlens.api import sessions
from crashlens.errors import CrashlensError, DataError
from crashlens.report import engines, fmt
from crashlens.report.i18n import Translator


def _find(d: Any, *keys: str) -> Any:
    """First value under one of ``keys`` in a (shallowly nested) dict."""
    if not isinstance(d, dict):
        return None
    for k in keys:
        if k in d and d[k] is not None:
            return d[k]
    for v in d.values():
        if isinstance(v, dict):
            for k in keys:
                if k in v and v[k] is not None:
                    return v[k]
    return None


def _card(name: str, req: engines.Request, t: Translator) -> tuple[dict[str, Any], Any]:
    try:
        res = sessions.engine_result(name, req)
    except CrashlensError as exc:  # one engine lacking data must not blank the monitor
        if name == "gex" and isinstance(exc, DataError):  # the usual case: no chain for today
            notice = t("gamma.no_chain", date=fmt.date(req.asof, t.lang))
        else:
            from crashlens.api.app import public_message  # as the API's 422: no server paths

            notice = t("state.error", message=public_message(str(exc)))
        return {"available": False, "notice": notice}, None
    # any other exception is a bug: it reaches the API's 500-with-an-error-id answer
    return {"available": True}, engines.to_json(res, False, name)


def _chain_text(chain_date: Any, asof: Any, t: Translator) -> str:
    if chain_date is None:
        return ""
    import pandas as pd

    day = pd.Timestamp(chain_date)
    day = day.tz_localize(None) if day.tzinfo else day
    days = (pd.Timestamp(asof).normalize() - day.normalize()).days
    return t("gamma.chain_age", date=fmt.date(day, t.lang), days=fmt.num(days, 0, t.lang))


def monitor(lang: str = "en") -> dict[str, Any]:
    """Monitor payload: values plus their formatted display in ``lang``."""
    t = Translator(lang)
    asof = sessions.newest()  # cached per store fingerprint; no lock held while computing
    req = engines.Request(asof=asof)
    out: dict[str, Any] = {"asof": asof.date().isoformat(), "lang": lang,
                           "asof_text": fmt.date(asof, lang)}
    card, d = _card("fragility", req, t)
    if d is not None:
        comp = _find(d, "composite", "score")
        comps = d.get("components") or {}
        card.update(value=comp, text=fmt.num(comp, 0, lang) + " / 100" if comp is not None
                    else fmt.DASH, components=comps,
                    rows=[[t.get(f"systemic.c.{k}", k),
                           fmt.num((v or {}).get("score"), 0, lang)] for k, v in comps.items()])
    out["fragility"] = card
    card, d = _card("cta", req, t)
    if d is not None:
        spx = (d.get("assets") or {}).get("SPX") or {}
        price, trig = spx.get("price"), spx.get("triggers") or {}
        dist = {k: (v / price - 1.0 if v and price else None) for k, v in trig.items()}
        card.update(price=price, triggers=trig, distance=dist,
                    text={k: fmt.pct(v, 1, lang, sign=True) for k, v in dist.items()},
                    levels={k: fmt.level(v, lang) for k, v in trig.items()},
                    labels={k: t.get(f"cta.{k}", k) for k in trig},
                    price_text=fmt.level(price, lang))
    out["cta"] = card
    card, d = _card("gex", req, t)
    if d is not None:
        regime = _find(d, "regime")
        total = _find(d, "total_gex_usd_per_1pct", "total_gex", "net_gex", "total")
        if regime is None and isinstance(total, int | float):
            regime = "long_gamma" if total >= 0 else "short_gamma"
        card.update(regime=regime, total=total,
                    text=t.get(f"regime.{regime}", str(regime) if regime else fmt.DASH),
                    chain_date=_find(d, "asof", "chain_date"),
                    chain_text=_chain_text(_find(d, "asof", "chain_date"), asof, t))
    out["gamma"] = card
    result: dict[str, Any] = json_safe(out)
    return result
