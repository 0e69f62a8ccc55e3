"""Plot helpers shared by the result objects (plotly figures; never shown here)."""

from __future__ import annotations

import plotly.graph_objects as go

#: Watermark of every figure computed on the synthetic market.
SYNTHETIC_WATERMARK = "SYNTHETIC DATA"


def stamp_synthetic(fig: go.Figure, synthetic: bool) -> go.Figure:
    """Watermark ``fig`` with "SYNTHETIC DATA" when ``synthetic`` (in place; returned)."""
    if synthetic:
        fig.add_annotation(text=SYNTHETIC_WATERMARK, xref="paper", yref="paper", x=0.5, y=0.5,
                           showarrow=False, font={"size": 40, "color": "rgba(200,0,0,0.25)"})
    return fig
