"""Result objects of the systemic and contagion engines (JSON via ``to_dict``, plotly plots)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crashlens._plots import stamp_synthetic
from crashlens._result import FrameResult, Result, frame_summary

#: Past sell-offs shaded on history charts: (label, SPX peak, SPX trough). Approximate public
#: dates; the episodes library is the reference for their anatomy. Not derived from
#: :data:`crashlens.episodes.library.NAMED_EPISODES`: those are wider *search windows* whose
#: peak and trough the library measures from data; a test keeps each window here inside one.
SELLOFFS: tuple[tuple[str, str, str], ...] = (
    ("GFC", "2007-10-09", "2009-03-09"),
    ("2011 downgrade", "2011-04-29", "2011-10-03"),
    ("2015 deval", "2015-07-20", "2015-08-25"),
    ("Volmageddon", "2018-01-26", "2018-02-08"),
    ("Q4 2018", "2018-09-20", "2018-12-24"),
    ("Covid", "2020-02-19", "2020-03-23"),
    ("2022 bear", "2022-01-03", "2022-10-12"),
    ("Aug 2024 carry", "2024-07-16", "2024-08-05"),
    ("Apr 2025 tariffs", "2025-02-19", "2025-04-08"),
    ("Nov 2025", "2025-10-29", "2025-11-20"),
)


def shade_selloffs(fig: go.Figure, index: pd.DatetimeIndex,
                   selloffs: Sequence[tuple[str, str, str]] = SELLOFFS) -> go.Figure:
    """Shade the sell-off windows that overlap ``index`` on a figure (in place, returned)."""
    if len(index) == 0:
        return fig
    lo, hi = index[0], index[-1]
    for label, a, b in selloffs:
        ta, tb = pd.Timestamp(a), pd.Timestamp(b)
        if tb < lo or ta > hi:
            continue
        fig.add_vrect(x0=max(ta, lo), x1=min(tb, hi), fillcolor="grey", opacity=0.15,
                      line_width=0, annotation_text=label, annotation_position="top left")
    return fig


@dataclasses.dataclass(frozen=True)
class FragilityResult(Result):
    """Systemic fragility on one day.

    Attributes
    ----------
    asof : Timestamp
        Last complete day of indicators (<= the requested as-of).
    absorption_ratio : float
        Share of variance explained by the top ``round(N/5)`` eigenvectors, 0..1.
    absorption_shift : float
        Standardised shift of the AR (> +1 fragile, < -1 calm).
    turbulence : float
        Mahalanobis distance of today's returns / N.
    turbulence_percentile : float
        Rank of today's turbulence among all past days, 0..100.
    correlation_surprise : float
        Turbulence over its uncorrelated part (> 1: unusual co-movement).
    avg_correlation : float
        Mean pairwise correlation of the trailing turbulence window.
    vol_regime : mapping
        ``vix``, ``vix3m``, ``vix_percentile``, ``term_ratio``, ``regime``.
    crowding : mapping
        Per COT market: ``report_released``, ``net_share_of_oi``, ``percentile``; ``score``.
    composite : float
        Weighted mean of the component scores, 0..100.
    components : mapping
        Per component: ``score`` (0..100 or None) and ``weight``.
    synthetic : bool
        True when computed on the synthetic market.
    """

    asof: pd.Timestamp
    absorption_ratio: float
    absorption_shift: float
    turbulence: float
    turbulence_percentile: float
    correlation_surprise: float
    avg_correlation: float
    vol_regime: Mapping[str, Any]
    crowding: Mapping[str, Any]
    composite: float
    components: Mapping[str, Any]
    synthetic: bool = False
    history: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """Components as a table: score, weight, weighted contribution."""
        rows = []
        for name, c in self.components.items():
            s = c["score"]
            rows.append({"component": name, "score": np.nan if s is None else s,
                         "weight": c["weight"]})
        df = pd.DataFrame(rows).set_index("component")
        avail = df["score"].notna()
        w = df["weight"].where(avail, 0.0)
        df["contribution"] = df["score"].fillna(0.0) * w / w.sum()
        return df

    def summary(self) -> str:
        """Headline numbers and the component table."""
        lines = [f"Systemic fragility as of {self.asof.date()}"
                 + (" [SYNTHETIC DATA]" if self.synthetic else ""),
                 f"  composite          {self.composite:6.1f} / 100",
                 f"  absorption ratio   {self.absorption_ratio:6.3f}  shift "
                 f"{self.absorption_shift:+.2f}",
                 f"  turbulence         {self.turbulence:6.2f}  percentile "
                 f"{self.turbulence_percentile:5.1f}",
                 f"  corr. surprise     {self.correlation_surprise:6.2f}",
                 f"  avg correlation    {self.avg_correlation:6.2f}",
                 f"  VIX {self.vol_regime['vix']:.2f} (pct {self.vol_regime['vix_percentile']:.0f})"
                 f" VIX/VIX3M {self.vol_regime['term_ratio']:.3f} regime "
                 f"{self.vol_regime['regime']}",
                 "  components (score x weight):"]
        for name, r in self.to_frame().iterrows():
            sc = "  n/a" if pd.isna(r["score"]) else f"{r['score']:5.1f}"
            lines.append(f"    {name:22s} {sc}  w={r['weight']:.2f}  "
                         f"-> {r['contribution']:5.1f}")
        markets = [(k, v) for k, v in self.crowding.items() if isinstance(v, Mapping)]
        if markets:
            lines.append("  COT crowding (net share of OI, percentile): " + ", ".join(
                f"{k} {v['net_share_of_oi']:+.1%} p{v['percentile']:.0f}" for k, v in markets))
        if self.assumptions:
            lines.append("  assumptions: " + ", ".join(
                f"{k}={v}" for k, v in self.assumptions.items() if k != "weights"))
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot_components(self) -> go.Figure:
        """Bar chart of component scores with their weights."""
        df = self.to_frame()
        fig = go.Figure(go.Bar(x=df.index, y=df["score"],
                               text=[f"w={w:.2f}" for w in df["weight"]]))
        fig.update_layout(title=f"Fragility components, {self.asof.date()} "
                                f"(composite {self.composite:.0f})",
                          yaxis_title="score (0..100)", yaxis_range=[0, 100])
        return stamp_synthetic(fig, self.synthetic)

    def plot_history(self, years: float = 10.0) -> go.Figure:
        """Composite and component scores over the last ``years``, past sell-offs shaded."""
        h = self.history
        if not h.empty:
            h = h.loc[self.asof - pd.Timedelta(days=round(365.25 * years)):]
        return FragilityHistory(frame=h, synthetic=self.synthetic).plot_components()


@dataclasses.dataclass(frozen=True)
class FragilityHistory(FrameResult):
    """Daily fragility indicators and component scores over a date range.

    Attributes
    ----------
    frame : DataFrame
        Index = dates; indicator columns, ``<component>_score`` columns and ``composite``.
    synthetic : bool
        True when computed on the synthetic market.
    """

    def plot_components(self, selloffs: Sequence[tuple[str, str, str]] = SELLOFFS
                        ) -> go.Figure:
        """Component scores and the composite over time, past sell-offs shaded."""
        fig = go.Figure()
        for col in [c for c in self.frame.columns if c.endswith("_score")]:
            fig.add_trace(go.Scatter(x=self.frame.index, y=self.frame[col], name=col[:-6],
                                     line={"width": 1}, opacity=0.6))
        if "composite" in self.frame.columns:
            fig.add_trace(go.Scatter(x=self.frame.index, y=self.frame["composite"],
                                     name="composite", line={"width": 3, "color": "black"}))
        fig.update_layout(title="Systemic fragility components", yaxis_title="0..100",
                          yaxis_range=[0, 100])
        if not self.frame.empty:
            shade_selloffs(fig, pd.DatetimeIndex(self.frame.index), selloffs)
        return stamp_synthetic(fig, self.synthetic)


@dataclasses.dataclass(frozen=True)
class ContagionResult(Result):
    """Cross-asset contagion on one day.

    Attributes
    ----------
    asof : Timestamp
        Last aligned day (<= the requested as-of).
    betas : mapping
        Per asset: rolling ``beta`` and ``correlation`` to the source (BTC), window end date.
    spillover : mapping
        ``total`` (TSI, %), ``to``, ``from``, ``net`` per asset (%), ``pairwise`` net matrix
        (row transmits to column, %), ``table`` (the row-normalised GFEVD, %), ``window``.
    transmitters, receivers : list of str
        Assets with positive / negative net spillover, strongest first.
    covar : mapping
        ΔCoVaR of the equity basket conditional on source stress (see
        :func:`crashlens.systemic.covar.delta_covar`).
    synthetic : bool
        True when computed on the synthetic market.
    """

    asof: pd.Timestamp
    source: str
    betas: Mapping[str, Any]
    spillover: Mapping[str, Any]
    transmitters: list[str]
    receivers: list[str]
    covar: Mapping[str, Any]
    synthetic: bool = False
    beta_history: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """Per asset: beta and correlation to the source, spillover to / from / net."""
        sp = self.spillover
        names = list(sp.get("net", {}).keys() | self.betas.keys())
        rows = []
        for n in names:
            b = self.betas.get(n, {})
            rows.append({"asset": n, "beta": b.get("beta"), "correlation": b.get("correlation"),
                         "to": sp.get("to", {}).get(n), "from": sp.get("from", {}).get(n),
                         "net": sp.get("net", {}).get(n)})
        return pd.DataFrame(rows).set_index("asset").sort_index()

    def summary(self) -> str:
        """Betas, spillover ranking, ΔCoVaR."""
        lines = [f"Contagion as of {self.asof.date()} (source {self.source})"
                 + (" [SYNTHETIC DATA]" if self.synthetic else "")]
        for n, b in self.betas.items():
            lines.append(f"  {n:6s} beta {b['beta']:+.2f}  corr {b['correlation']:+.2f}")
        if self.spillover:
            lines.append(f"  total spillover index {self.spillover['total']:.1f} %")
            for n, v in sorted(self.spillover["net"].items(), key=lambda kv: -kv[1]):
                lines.append(f"    net {n:7s} {v:+6.1f}")
            lines.append(f"  transmitters: {', '.join(self.transmitters)}")
            lines.append(f"  receivers:    {', '.join(self.receivers)}")
        if self.covar:
            lines.append(f"  dCoVaR({self.covar['quantile']:.0%}) of {self.covar['basket']} | "
                         f"{self.source} stress: {self.covar['delta_covar']:+.4f} "
                         f"(beta {self.covar['beta']:+.2f})")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot_betas(self, years: float = 2.0) -> go.Figure:
        """Rolling betas to the source over the last ``years``."""
        b = self.beta_history
        if not b.empty:
            b = b.loc[self.asof - pd.Timedelta(days=round(365.25 * years)):]
        return ContagionHistory(source=self.source, betas=b, correlations=b.iloc[:0],
                                spillover=pd.DataFrame(), synthetic=self.synthetic
                                ).plot_betas()

    def plot_network(self) -> go.Figure:
        """Spillover network: nodes on a circle, arrows for positive pairwise net spillover."""
        pw = self.spillover.get("pairwise", {})
        names = list(pw.keys())
        n = len(names)
        ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
        xy = {nm: (float(np.cos(a)), float(np.sin(a))) for nm, a in zip(names, ang, strict=True)}
        fig = go.Figure()
        vals = [v for r in pw.values() for v in r.values() if v is not None and v > 0]
        vmax = max(vals) if vals else 1.0
        for src, row in pw.items():
            for dst, v in row.items():
                if v is None or v <= 0 or src == dst:
                    continue
                (x0, y0), (x1, y1) = xy[src], xy[dst]
                fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x",
                                   ayref="y", showarrow=True, arrowhead=2,
                                   arrowwidth=1 + 5 * v / vmax, opacity=0.6)
        net = self.spillover.get("net", {})
        fig.add_trace(go.Scatter(
            x=[xy[m][0] for m in names], y=[xy[m][1] for m in names], mode="markers+text",
            text=[f"{m} ({net.get(m, 0):+.1f})" for m in names], textposition="top center",
            marker={"size": 30, "color": [net.get(m, 0) for m in names],
                    "colorscale": "RdBu_r", "cmid": 0, "showscale": True}))
        fig.update_layout(title=f"Net pairwise spillovers, {self.asof.date()} "
                                f"(TSI {self.spillover.get('total', float('nan')):.1f} %)",
                          xaxis={"visible": False}, yaxis={"visible": False}, showlegend=False)
        return stamp_synthetic(fig, self.synthetic)


@dataclasses.dataclass(frozen=True)
class ContagionHistory(Result):
    """Rolling betas / correlations to the source and the rolling spillover index.

    Attributes
    ----------
    betas : DataFrame
        Index = dates; columns ``<asset>`` rolling betas to the source.
    correlations : DataFrame
        Same shape, rolling correlations.
    spillover : DataFrame
        Index = window end dates; ``total`` and ``net_<asset>`` columns (%).
    synthetic : bool
        True when computed on the synthetic market.
    """

    source: str
    betas: pd.DataFrame
    correlations: pd.DataFrame
    spillover: pd.DataFrame
    synthetic: bool = False

    def to_frame(self) -> pd.DataFrame:
        """Betas, correlations and spillover side by side (prefixed columns)."""
        return pd.concat([self.betas.add_prefix("beta_"),
                          self.correlations.add_prefix("corr_"),
                          self.spillover.add_prefix("spill_")], axis=1)

    def summary(self) -> str:
        """Spans of the rolling betas and of the spillover index, with their last values."""
        flag = " [SYNTHETIC DATA]" if self.synthetic else ""
        lines = frame_summary(f"Rolling betas to {self.source}{flag}", self.betas)
        lines += frame_summary("Rolling spillover index (%)", self.spillover)
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot_betas(self, selloffs: Sequence[tuple[str, str, str]] = SELLOFFS) -> go.Figure:
        """Rolling betas to the source over time."""
        fig = go.Figure()
        for col in self.betas.columns:
            fig.add_trace(go.Scatter(x=self.betas.index, y=self.betas[col], name=col))
        fig.update_layout(title=f"Rolling beta to {self.source}", yaxis_title="beta")
        shade_selloffs(fig, pd.DatetimeIndex(self.betas.index), selloffs)
        return stamp_synthetic(fig, self.synthetic)

    def plot_spillover(self, selloffs: Sequence[tuple[str, str, str]] = SELLOFFS) -> go.Figure:
        """Total spillover index over time."""
        fig = go.Figure(go.Scatter(x=self.spillover.index, y=self.spillover.get("total"),
                                   name="TSI"))
        fig.update_layout(title="Diebold-Yilmaz total spillover index", yaxis_title="%")
        shade_selloffs(fig, pd.DatetimeIndex(self.spillover.index), selloffs)
        return stamp_synthetic(fig, self.synthetic)
