"""Small building blocks for tailored sections: key-figure tables, record tables, plots."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from crashlens.errors import CrashlensError
from crashlens.notes import wrap
from crashlens.report.context import Chart, ReportContext, SectionOutput, Table
from crashlens.report.figtext import translate_figure

#: A cell: a function of the record (a mapping or a result's row object) giving
#: (display text, raw number or None).
Cell = Callable[[Any], tuple[str, float | None]]


def num_or_none(v: Any) -> float | None:
    """The value as a float when it is a finite real number (numpy scalars too), else None."""
    if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def number(x: Any) -> float | None:
    """A result's number as a float; None when the value is missing (None, NaN, inf).

    Unlike :func:`num_or_none`, a value that is not a number raises (a bug in the section or
    the result, not a missing value).
    """
    if x is None:
        return None
    f = float(x)
    return f if math.isfinite(f) else None


def missing(v: Any) -> bool:
    """Whether a cell value is missing (None, NaN, NaT); containers are never missing."""
    if v is None:
        return True
    if isinstance(v, str | list | tuple | dict) or not pd.api.types.is_scalar(v):
        return False
    return bool(pd.isna(v))


def rows_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a result's table as records, missing values (NaN, NaT) as None.

    Sections index a record by column name (``r["ess"]``): a renamed column is a KeyError, a
    missing value prints as the placeholder.
    """
    return [{str(k): None if missing(v) else v for k, v in r.items()}
            for r in frame.to_dict(orient="records")]


def kv(ctx: ReportContext, caption: str, items: Iterable[tuple[str, str, Any]],
       ident: str) -> Table:
    """A two-column key-figures table from ``(label, text, raw)`` items."""
    items = list(items)
    return Table(caption, [ctx.t("col.metric"), ctx.t("col.value")],
                 [[label, text] for label, text, _ in items],
                 numbers=[[None, num_or_none(raw)] for _, _, raw in items], ident=ident)


def records(ctx: ReportContext, caption: str, headers: list[str],
            rows: Iterable[Any], cells: list[Cell], ident: str,
            note: str = "", limit: int = 25) -> Table:
    """A table with one row per record and one column per cell function."""
    body, nums = [], []
    for r in list(rows)[:limit]:
        pairs = [c(r) for c in cells]
        body.append([p[0] for p in pairs])
        nums.append([p[1] for p in pairs])
    return Table(caption, headers, body, numbers=nums, note=note, ident=ident)


def plot(ctx: ReportContext, out: SectionOutput, result: Any, method: str, caption: str,
         ident: str, source: str = "", axes: Mapping[str, str] | None = None) -> None:
    """Add ``result.<method>()`` with a translated title; a failing plot is skipped.

    The figure's own texts (axis titles, legends, categories) are translated with
    :func:`crashlens.report.figtext.translate_figure`; ``axes`` maps a layout axis
    (``"yaxis"``, ``"yaxis2"``) to the catalogue key of a title (with units) given to the
    axis when the engine left it untitled.
    """
    fn = getattr(result, method)  # a renamed plot method is a bug, not a missing chart
    try:
        fig = fn()
    except CrashlensError as exc:  # a chart without data is left out; a bug propagates
        out.warnings.append(wrap("report.plot_failed", exc, chart=method))
        return
    for axis, key in (axes or {}).items():
        ax = fig.layout[axis]
        if not ax.title.text:
            ax.title.text = ctx.t(key)
    translate_figure(fig, ctx.lang)
    fig.update_layout(title={"text": caption, "x": 0.0, "xanchor": "left"},
                      template="plotly_white", margin={"b": 125})
    if not source:
        engine = type(result).__module__.rsplit(".", 1)[0]
        label = ctx.source_label()
        source = (ctx.t("report.source_engine", engine=engine) if label is None
                  else ctx.t("report.source_engine_on", engine=engine, source=label))
    fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, yshift=-100,
                       showarrow=False, font={"size": 10, "color": "#666"},
                       xanchor="left", yanchor="top")
    out.charts.append(Chart(caption, fig, source, ident=ident))
