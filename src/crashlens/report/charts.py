"""Plotly helpers: one house style, source lines under charts, offline HTML embedding."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

PALETTE = ("#1f3b73", "#c0392b", "#e67e22", "#27ae60", "#8e44ad", "#7f8c8d", "#16a085",
           "#d35400")
#: Width of a chart in the PDF, CSS pixels (an A4 page less its margins).
PRINT_WIDTH = 700
FONT = ("Inter, 'Helvetica Neue', Arial, 'Noto Sans CJK SC', 'Noto Sans SC', "
        "'Microsoft YaHei', sans-serif")


def style(fig: go.Figure, *, title: str, yaxis: str, source: str = "",
          xaxis: str = "", height: int = 380) -> go.Figure:
    """Apply the house style: title, axis titles with units, source line, compact margins."""
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 125 if source else 40},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0,
                "xanchor": "right"},
        hovermode="x unified",
    )
    fig.update_yaxes(title_text=yaxis)
    if xaxis:
        fig.update_xaxes(title_text=xaxis)
    if source:
        # pixels below the plot area, under rotated tick labels whatever the chart height
        fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, yshift=-100,
                           showarrow=False, font={"size": 10, "color": "#666"},
                           xanchor="left", yanchor="top")
    return fig


def shade_window(fig: go.Figure, start: pd.Timestamp, end: pd.Timestamp) -> go.Figure:
    """Shade the event window on a time axis."""
    fig.add_vrect(x0=start - pd.Timedelta(hours=12), x1=end + pd.Timedelta(hours=12),
                  fillcolor="#c0392b", opacity=0.08, line_width=0)
    return fig


def to_div(fig: Any, div_id: str, *, static_height: int | None = None) -> Markup:
    """Render a figure as an HTML ``<div>`` (plotly.js is included once by the page).

    ``static_height`` (CSS pixels) renders it for print: a static plot of that height, no
    toolbar, the legend under the plot so it never covers the data.
    """
    if static_height is None:
        config = {"displaylogo": False, "responsive": True}
    else:
        fig = go.Figure(fig)
        # a fixed A4-wide plot; the legend above the plot area (it cannot cover the data or
        # the axis titles) and room under it for rotated ticks and the source line
        fig.update_layout(height=static_height, width=PRINT_WIDTH, autosize=False,
                          legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0,
                                  "xanchor": "left", "font": {"size": 10}},
                          margin={"t": 75, "b": 125, "l": 60, "r": 20})
        config = {"staticPlot": True, "displayModeBar": False}
    html = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=config)
    return Markup(html)


def to_json(fig: Any) -> str:
    """Figure as plotly JSON (for the dashboard, which draws it with Plotly.newPlot)."""
    return str(fig.to_json())


@functools.lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package (no network needed)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


__all__ = ["PALETTE", "plotly_js", "shade_window", "style", "to_div", "to_json"]
