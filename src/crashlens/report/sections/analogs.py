"""Historical analogs (:func:`crashlens.episodes.analogs`).

The nearest past states, what followed them, and today's sell-off side by side with 2008,
Q4 2018 and March 2020.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput, Table
from crashlens.report.i18n import Translator
from crashlens.report.sections._blocks import num_or_none, plot, records, rows_of
from crashlens.report.sections._engine import cached_call
from crashlens.report.sections._generic import copy_meta

if TYPE_CHECKING:
    from crashlens.episodes.analogs import AnalogsResult

SECTION_ID = "analogs"
SIDE_BY_SIDE = ("now", "2008", "2018-Q4", "2020")


#: State features shown as percentages (fractions) and as basis points (percentage points).
STATE_PCT = frozenset({"dd_depth", "ret_5d", "ret_20d", "rv_10d", "btc_dd"})
STATE_BP = frozenset({"hy_oas_chg20", "ust10y_chg20", "curve_2s10s"})


def _state_value(feature: str, v: Any, lang: str) -> str:
    """A state feature in its reading unit: % for returns/vol/drawdowns, bp for rate moves."""
    if feature in STATE_PCT:
        return fmt.pct(v, 1, lang, sign=feature != "rv_10d")
    if feature in STATE_BP:
        return fmt.bp(v, lang)
    if feature == "vix":
        return fmt.num(v, 1, lang)
    return fmt.num(v, 2, lang)


def _by_unit(v: Any, unit: str, lang: str) -> str:
    if v is None:
        return fmt.DASH
    if unit == "fraction" or unit.startswith("fraction"):
        # moves carry a sign; a share of stocks does not
        return fmt.pct(v, 1, lang, sign=unit in ("fraction", "fraction/session"))
    if unit.startswith("bp"):
        return fmt.num(v, 0, lang, sign=True) + (" bp" if lang == "en" else "个基点")
    if unit == "date":
        return fmt.date(v, lang)
    if unit == "text" or isinstance(v, str):
        return str(v)
    if unit == "sessions" or unit.startswith("stocks"):
        return fmt.num(v, 0, lang)
    return fmt.num(v, 2, lang)


_DETECTED = re.compile(r"^(?P<asset>[A-Z0-9_]+) drawdown from (?P<date>\d{4}-\d{2}-\d{2})$")


def episode_name(t: Translator, key: Any, name: Any, lang: str) -> str:
    """An episode's display name: the engine's in English, the catalogue's in Chinese."""
    if lang == "en":
        return str(name)
    m = _DETECTED.match(str(name))
    if m:
        return t("episode.detected", asset=t.asset(m["asset"]), date=fmt.date(m["date"], lang))
    return t.get(f"episode.{key}", str(name))


def _template_cell(t: Translator, r: dict[str, Any], col: str, lang: str) -> str:
    """A cell of the side-by-side table (drivers translated in Chinese)."""
    if r["metric"] == "driver" and lang == "zh":
        return t.get(f"episode.driver.{col}", str(r[col]))
    return _by_unit(r[col], str(r["unit"] or ""), lang)


def _pct_cell(key: str, lang: str) -> Any:
    return lambda r: (fmt.pct(r[key], 1, lang, sign=True), num_or_none(r[key]))


def build(ctx: ReportContext) -> SectionOutput:
    """Build the analogs section."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.analogs"))
    res: AnalogsResult = cached_call(ctx, "analogs")
    out.data["analogs"] = res.to_dict()
    copy_meta(out, res)
    forward = rows_of(res.forward)
    fwd = {r["horizon"]: r for r in forward}
    # a horizon the engine did not compute has no row: its values are missing, not a bug
    m1 = fwd.get("1m", dict.fromkeys(res.forward.columns))
    eps = rows_of(res.nearest_episodes)
    out.paragraphs.append(t.join(
        t.maybe("analogs.first", first=episode_name(t, eps[0]["key"], eps[0]["name"], lang)
                if eps else fmt.DASH),
        t.maybe("analogs.lead", p_neg=fmt.pct(m1["p_negative"], 0, lang),
                p5=fmt.pct(m1["p_below_5pct"], 0, lang),
                median=fmt.pct(m1["median"], 1, lang, sign=True),
                ess=fmt.num(m1["ess"], 0, lang))))
    out.tables.append(records(
        ctx, t("analogs.forward"),
        [t("col.horizon"), t("analogs.mean"), "5%", t("analogs.median"), "95%",
         t("analogs.p_neg"), t("analogs.p5"), t("analogs.ess")],
        forward,
        [lambda r: (t.get(f"analogs.h.{r['horizon']}", str(r["horizon"])), None),
         *[_pct_cell(k, lang) for k in ("mean", "q05", "median", "q95")],
         lambda r: (fmt.pct(r["p_negative"], 0, lang), num_or_none(r["p_negative"])),
         lambda r: (fmt.pct(r["p_below_5pct"], 0, lang), num_or_none(r["p_below_5pct"])),
         lambda r: (fmt.num(r["ess"], 0, lang), num_or_none(r["ess"]))],
        ident="analogs-forward", note=t("analogs.forward_note")))
    out.tables.append(records(
        ctx, t("analogs.episodes"),
        [t("col.episode"), t("analogs.best_date"), t("analogs.similarity"), t("col.drawdown"),
         t("analogs.fwd1m"), t("analogs.fwd3m")], eps,
        [lambda r: (episode_name(t, r["key"], r["name"], lang), None),
         lambda r: (fmt.date(r["best_date"], lang), None),
         lambda r: (fmt.num(r["similarity"], 3, lang), num_or_none(r["similarity"])),
         lambda r: (fmt.pct(r["drawdown"], 1, lang), num_or_none(r["drawdown"])),
         lambda r: (fmt.pct(r["fwd_1m"], 1, lang, sign=True), num_or_none(r["fwd_1m"])),
         lambda r: (fmt.pct(r["fwd_3m"], 1, lang, sign=True), num_or_none(r["fwd_3m"]))],
        ident="analogs-episodes", limit=10))
    tmpl = rows_of(res.templates)
    if tmpl:
        # the templates the engine compared (a template without history has no column)
        cols = [c for c in SIDE_BY_SIDE if c in res.templates.columns]
        rows = [[t.get(f"analogs.m.{r['metric']}", str(r["metric"])),
                 *[_template_cell(t, r, c, lang) for c in cols]] for r in tmpl]
        out.tables.append(Table(
            t("analogs.side_by_side"),
            [t("col.metric"), *[t.get(f"analogs.col.{c}", c) for c in cols]], rows,
            numbers=[[None, *[num_or_none(r[c]) for c in cols]] for r in tmpl],
            ident="analogs-templates"))
    out.tables.append(records(
        ctx, t("analogs.state"), [t("col.metric"), t("col.value"), t("analogs.z")],
        rows_of(res.state),
        [lambda r: (t.get(f"analogs.f.{r['feature']}", str(r["feature"])), None),
         lambda r: (_state_value(str(r["feature"]), r["value"], lang),
                    num_or_none(r["value"])),
         lambda r: (fmt.num(r["z"], 2, lang, sign=True), num_or_none(r["z"]))],
        ident="analogs-state"))
    plot(ctx, out, res, "plot_forward", t("analogs.chart_forward"), "analogs-forward-chart")
    n_charts = len(out.charts)
    if not res.nearest_episodes.empty:  # no episode before the date: nothing to rank
        plot(ctx, out, res, "plot_distance", t("analogs.chart_distance"), "analogs-distance",
             axes={"yaxis": "axis.analog"})
    if len(out.charts) > n_charts:  # episode keys -> display names
        names = {str(r["key"]): episode_name(t, r["key"], r["name"], lang) for r in eps}
        for tr in out.charts[-1].figure.data:
            if tr.y is not None:
                tr.y = [names.get(str(k), str(k)) for k in tr.y]
        out.charts[-1].figure.update_yaxes(type="category", automargin=True)
    return out
