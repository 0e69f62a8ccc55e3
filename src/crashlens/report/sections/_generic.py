"""Guarded engine calls and a generic renderer for any :class:`~crashlens._result.Result`.

A section calls :func:`run_engine`; when the engine has not landed in this build the section
gets a translated "not available" notice instead of an exception. :func:`render_result` turns a
result's ``to_dict()`` scalars into a key-figures table (formatted by the key's meaning: money
in $bn, percentiles as %, dates per locale), calls its ``plot_*`` methods and copies its
assumptions and warnings.
"""

from __future__ import annotations

import inspect
import logging
import math
from collections.abc import Mapping
from typing import Any

from crashlens.report import fmt
from crashlens.report.context import Chart, ReportContext, SectionOutput, Table, engine_function
from crashlens.report.figtext import translate_figure

log = logging.getLogger(__name__)

MAX_PLOTS = 4


def call_with(fn: Any, **kwargs: Any) -> Any:
    """Call ``fn`` with the subset of ``kwargs`` its signature accepts."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn(**kwargs)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return fn(**kwargs)
    return fn(**{k: v for k, v in kwargs.items() if k in params})


def run_engine(ctx: ReportContext, out: SectionOutput, module: str, names: tuple[str, ...],
               engine_key: str, **kwargs: Any) -> Any:
    """Call the engine function if it exists; otherwise mark ``out`` unavailable.

    Errors of the engine (:class:`~crashlens.errors.CrashlensError`) propagate to the builder,
    which shows their message in the section.
    """
    fn = engine_function(module, *names)
    if fn is None:
        out.status = "unavailable"
        out.notice = ctx.t("state.unavailable", what=ctx.t(engine_key))
        return None
    return call_with(fn, **kwargs)


def _label(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def format_value(key: str, value: Any, lang: str) -> str:
    """Format one scalar by what its key says it is.

    ``*_usd`` / ``*notional*`` / ``*flow*`` → $bn; ``*_bn`` → already in bn; ``*percentile*`` /
    ``*pctile*`` / ``*_rank`` → percent (fractions in [0, 1], else taken as percent);
    ``*_pct`` / ``*share*`` / ``*return*`` / ``*drawdown*`` / ``*_frac`` → percent of a fraction;
    ``*date*`` / ``asof`` → date; other floats → 2 decimals (4 significant for small values).
    """
    k = key.lower()
    if value is None:
        return fmt.DASH
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, str):
        if "date" in k or k in {"asof", "as_of", "start", "end"}:
            return fmt.date(value, lang)
        return value
    if not isinstance(value, int | float):
        return str(value)
    f = float(value)
    if not math.isfinite(f):
        return fmt.DASH
    if k.endswith("_bn") or "_bn_" in k:
        return fmt.money_bn(f * 1e9, lang)
    if "usd" in k or "notional" in k or "flow" in k or "dollar" in k:
        return fmt.money(f, lang)
    if "percentile" in k or "pctile" in k or k.endswith("_rank"):
        return fmt.percentile(f if abs(f) <= 1 else f / 100.0, lang)
    if (k.endswith(("_pct", "_frac", "_vol", "_move", "_chg", "_change")) or "share" in k
            or "return" in k or "drawdown" in k or k.startswith(("distance", "var_", "ret_"))
            or "covar" in k or k in {"move", "shock", "car", "ar"}):
        return fmt.pct(f, 1, lang)
    if isinstance(value, int):
        return fmt.num(f, 0, lang)
    if f != 0 and abs(f) < 0.01:
        return f"{f:.4g}"
    return fmt.num(f, 2, lang)


def scalar_items(d: Mapping[str, Any], prefix: str = "", depth: int = 0) -> list[tuple[str, Any]]:
    """Flatten the scalar entries of a result dict (one level of nested dicts)."""
    out: list[tuple[str, Any]] = []
    for key, val in d.items():
        if key in {"assumptions", "warnings"}:
            continue
        name = f"{prefix}{key}"
        if isinstance(val, Mapping) and depth == 0:
            out.extend(scalar_items(val, name + ".", depth + 1))
        elif val is None or isinstance(val, str | int | float | bool):
            out.append((name, val))
    return out


MAX_ROWS = 25
MAX_COLS = 9


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, str | int | float | bool)


def _cell(key: str, v: Any, lang: str) -> str:
    if isinstance(v, list) and all(_is_scalar(x) for x in v):
        return ", ".join(format_value(key, x, lang) for x in v[:8])
    if _is_scalar(v):
        return format_value(key, v, lang)
    return "…"


def record_table(ctx: ReportContext, key: str, value: Any, *, caption: str | None = None,
                 columns: list[str] | None = None, ident: str = "") -> Table | None:
    """A table from a list of records, or from a mapping of name → record.

    Returns None when ``value`` is not tabular. At most :data:`MAX_ROWS` rows and
    :data:`MAX_COLS` columns (``columns`` picks and orders them).
    """
    t, lang = ctx.t, ctx.lang
    records: list[dict[str, Any]]
    if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
        records = value
    elif (isinstance(value, dict) and value
          and all(isinstance(r, dict) for r in value.values())):
        records = [{"name": k, **r} for k, r in value.items()]
    else:
        return None
    cols = columns or [c for c in records[0] if any(
        _is_scalar(r.get(c)) or isinstance(r.get(c), list) for r in records[:5])]
    cols = [c for c in cols if not any(isinstance(r.get(c), dict) for r in records[:5])]
    cols = cols[:MAX_COLS]
    if not cols:
        return None
    rows = [[_cell(c, r.get(c), lang) for c in cols] for r in records[:MAX_ROWS]]
    nums = [[float(r[c]) if isinstance(r.get(c), int | float) and not isinstance(r.get(c), bool)
             else None for c in cols] for r in records[:MAX_ROWS]]
    note = ""
    if len(records) > MAX_ROWS:
        note = t("result.rows_shown", shown=fmt.num(MAX_ROWS, 0, lang),
                 total=fmt.num(len(records), 0, lang))
    return Table(caption or t.get(f"field.{key}", _label(key)),
                 [t.get(f"field.{c}", _label(c)) for c in cols], rows, note=note,
                 numbers=nums, ident=ident or f"table-{key}")


def copy_meta(out: SectionOutput, result: Any, prefix: str = "") -> None:
    """Copy a result's assumptions (optionally prefixed) and warnings into ``out``."""
    for k, v in (getattr(result, "assumptions", None) or {}).items():
        out.assumptions[f"{prefix}{k}"] = v
    out.warnings.extend(str(w) for w in (getattr(result, "warnings", None) or ()))


def render_result(ctx: ReportContext, out: SectionOutput, result: Any, key: str,
                  caption: str | None = None, skip: frozenset[str] = frozenset(),
                  ) -> dict[str, Any]:
    """Render a result object generically into ``out`` and return its ``to_dict()``."""
    t, lang = ctx.t, ctx.lang
    d = result.to_dict() if hasattr(result, "to_dict") else {}
    out.data[key] = d
    items = scalar_items(d)
    if items:
        rows = [[t.get(f"field.{k}", _label(k.split(".")[-1]) if "." not in k else
                       " · ".join(_label(p) for p in k.split("."))),
                 format_value(k.split(".")[-1], v, lang)] for k, v in items[:40]]
        nums = [[None, float(v) if isinstance(v, int | float) and not isinstance(v, bool)
                 else None] for _, v in items[:40]]
        out.tables.append(Table(caption or t("result.key_figures"),
                                [t("col.metric"), t("col.value")], rows, numbers=nums,
                                ident=f"{key}-figures"))
    for k, v in d.items():
        if k in {"assumptions", "warnings"} or k in skip:
            continue
        if isinstance(v, list) and len(v) > 4 * MAX_ROWS:
            continue  # long paths are for charts, not tables
        tb = record_table(ctx, k, v, ident=f"{key}-{k}".replace("_", "-"))
        if tb is not None:
            out.tables.append(tb)
    for name in sorted(n for n in dir(result) if n.startswith("plot_"))[:MAX_PLOTS]:
        try:
            fig = getattr(result, name)()
        except Exception as exc:  # a plot failing must not sink the section
            log.debug("plot %s failed: %s", name, exc)
            continue
        title = ""
        try:
            title = str(fig.layout.title.text or "")
        except AttributeError:
            title = ""
        translate_figure(fig, ctx.lang)
        out.charts.append(Chart(title or _label(name[5:]), fig, ident=f"{key}-{name[5:]}"))
    for k, v in (getattr(result, "assumptions", None) or {}).items():
        out.assumptions[k if key == out.ident else f"{key}.{k}"] = v
    out.warnings.extend(str(w) for w in (getattr(result, "warnings", None) or ()))
    return d


__all__ = ["call_with", "copy_meta", "format_value", "record_table", "render_result",
           "run_engine", "scalar_items"]
