"""Render the dashboard page (controls, section placeholders, monitor cards)."""

from __future__ import annotations

import json

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from crashlens import __version__
from crashlens.report.events import EVENTS
from crashlens.report.i18n import TEXT, Translator, check_lang
from crashlens.report.sections import ORDER

#: Catalogue keys the page's script needs in both languages.
UI_KEYS = ("dash.title", "dash.report", "dash.monitor", "dash.apply", "dash.monitor_lead",
           "dash.fragility", "dash.cta_distance", "dash.gamma_regime", "report.asof",
           "report.event", "report.language", "state.loading", "report.synthetic",
           "report.synthetic_note", "col.trigger", "col.distance", "asset.SPX")


def ui_strings() -> dict[str, dict[str, str]]:
    """UI texts by language (section titles included) for the page's script."""
    out: dict[str, dict[str, str]] = {}
    for i, lang in enumerate(("en", "zh")):
        d = {k: TEXT[k][i] for k in UI_KEYS}
        d.update({f"section.{s}": TEXT[f"section.{s}"][i] for s in ORDER})
        d.update({f"event.{k}": e.name(lang) for k, e in EVENTS.items()})
        out[lang] = d
    return out


def render_dashboard(view: str, lang: str) -> str:
    """The dashboard HTML for ``view`` ("report" or "monitor") in ``lang``."""
    check_lang(lang)
    env = Environment(loader=PackageLoader("crashlens.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]))
    tmpl = env.get_template("dashboard.html.j2")
    events = {k: {"asof": e.asof, "start": e.start} for k, e in EVENTS.items()}
    boot = {"view": view, "lang": lang, "order": list(ORDER), "events": events,
            "ui": ui_strings()}
    # JSON inside <script>: escape "<" so no string can close the tag.
    boot_json = Markup(json.dumps(boot, ensure_ascii=False).replace("<", "\\u003c"))
    return tmpl.render(t=Translator(lang), lang=lang, view=view, boot=boot_json,
                       events=EVENTS, version=__version__)
