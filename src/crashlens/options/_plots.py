"""Plotly figures of a :class:`~crashlens.options.gex.GexResult` (returned, never shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

if TYPE_CHECKING:
    from crashlens.options.gex import GexResult

BN = 1e9


#: Label position per marked level, so nearby levels do not print over each other.
_POSITION = {"spot": "top", "call wall": "top right", "put wall": "top left",
             "zero gamma": "bottom right"}


def _vline(fig: go.Figure, x: float | None, label: str, color: str, dash: str = "dash") -> None:
    if x is None or not np.isfinite(x):
        return
    fig.add_vline(x=x, line_dash=dash, line_color=color, annotation_text=f"{label} {x:,.2f}",
                  annotation_position=_POSITION.get(label, "top"),
                  annotation_font_color=color)


def _title(res: GexResult, what: str) -> str:
    return (f"{res.underlying} {what} - spot {res.spot:,.2f}, as of {res.asof:%Y-%m-%d %H:%M} ET"
            f"<br><sup>{res.assumptions.get('sign_convention_label', '')}; "
            "USD per 1 % move</sup>")


def plot_by_strike(res: GexResult, window_pct: float = 15.0) -> go.Figure:
    """Call, put and net GEX by strike (bn USD per 1 %) within +-window_pct of spot."""
    bs = res.by_strike
    lo, hi = res.spot * (1 - window_pct / 100), res.spot * (1 + window_pct / 100)
    bs = bs[(bs["strike"] >= lo) & (bs["strike"] <= hi)]
    fig = go.Figure()
    fig.add_bar(x=bs["strike"], y=bs["call_gex"] / BN, name="calls", marker_color="#2a9d8f")
    fig.add_bar(x=bs["strike"], y=bs["put_gex"] / BN, name="puts", marker_color="#e76f51")
    fig.add_scatter(x=bs["strike"], y=bs["net_gex"] / BN, name="net", mode="lines",
                    line_color="#264653")
    _vline(fig, res.spot, "spot", "black", "solid")
    _vline(fig, res.call_wall, "call wall", "#2a9d8f")
    _vline(fig, res.put_wall, "put wall", "#e76f51")
    _vline(fig, res.zero_gamma, "zero gamma", "#6d597a", "dot")
    fig.update_layout(barmode="relative", title=_title(res, "dealer GEX by strike"),
                      xaxis_title="strike", yaxis_title="GEX, bn USD per 1 %")
    return fig


def plot_profile(res: GexResult) -> go.Figure:
    """GEX profile over hypothetical spots with the zero line, spot and zero gamma."""
    p = res.profile
    fig = go.Figure()
    fig.add_scatter(x=p["spot"], y=p["gex_usd_per_1pct"] / BN, name="all expiries",
                    mode="lines", line_color="#264653")
    fig.add_scatter(x=p["spot"], y=p["ex_next_expiry"] / BN, name="ex next expiry",
                    mode="lines", line_dash="dash", line_color="#8ab17d")
    if np.isfinite(p["ex_next_monthly"]).any():
        fig.add_scatter(x=p["spot"], y=p["ex_next_monthly"] / BN, name="ex next monthly",
                        mode="lines", line_dash="dot", line_color="#e9c46a")
    fig.add_hline(y=0.0, line_color="grey")
    _vline(fig, res.spot, "spot", "black", "solid")
    _vline(fig, res.zero_gamma, "zero gamma", "#6d597a")
    fig.update_layout(title=_title(res, "dealer gamma profile"), xaxis_title="underlying price",
                      yaxis_title="GEX, bn USD per 1 %")
    return fig


def plot_by_expiry(res: GexResult) -> go.Figure:
    """Net GEX by expiry (bn USD per 1 %)."""
    e = res.by_expiry
    colors = np.where(e["gex_usd_per_1pct"] >= 0, "#2a9d8f", "#e76f51")
    fig = go.Figure(go.Bar(x=[d.strftime("%Y-%m-%d") for d in e["expiry"]],
                           y=e["gex_usd_per_1pct"] / BN, marker_color=list(colors), name="net"))
    fig.update_layout(title=_title(res, "dealer GEX by expiry"), xaxis_title="expiry",
                      yaxis_title="GEX, bn USD per 1 %", xaxis_type="category")
    return fig
