"""Result objects of the scenario engine: :class:`ScenarioResult` and :class:`ScorecardResult`."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from crashlens._result import Result, json_safe


def _fmt(x: Any, unit: str) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "n/a"
    return f"{x:+.1f}{unit}" if unit in ("%", "bp") else f"{x:+,.2f}{unit}"


#: Chart panels: one per unit family, so a VIX move in % does not dwarf price moves and bp are
#: never drawn on a % axis.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("prices", "prices, % move"),
    ("vol", "volatility indices, % move"),
    ("bp", "yields and spreads, bp"),
    ("other", "other levels, points"),
)


def unit_family(asset: str, unit: str) -> str:
    """Chart family of an asset: ``prices``, ``vol`` (volatility indices), ``bp`` or ``other``."""
    from crashlens.episodes._common import VOL_INDICES

    if asset in VOL_INDICES:
        return "vol"
    if unit == "%":
        return "prices"
    return "bp" if unit == "bp" else "other"


def _family_figure(frame: pd.DataFrame, traces: list[tuple[str, str, Any]],
                   title: str) -> go.Figure:
    """Grouped bars in one panel per unit family present in ``frame`` (index = asset).

    ``traces`` lists (name, column, error columns or None) drawn in every panel.
    """
    from plotly.subplots import make_subplots

    fam = pd.Series([unit_family(str(a), str(u)) for a, u in frame["unit"].items()],
                    index=frame.index)
    present = [(k, label) for k, label in FAMILIES if (fam == k).any()]
    fig = make_subplots(rows=max(len(present), 1), cols=1, vertical_spacing=0.12,
                        subplot_titles=[label for _, label in present])
    palette = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
    for row, (k, label) in enumerate(present, start=1):
        sub = frame[fam == k]
        for j, (name, col, err) in enumerate(traces):
            bar: dict[str, Any] = {"name": name, "x": list(sub.index),
                                   "y": sub[col].tolist(), "legendgroup": name,
                                   "showlegend": row == 1,
                                   "marker": {"color": palette[j % len(palette)]}}
            if err is not None:
                lo, hi = err
                bar["error_y"] = {"type": "data", "symmetric": False,
                                  "array": (sub[hi] - sub[col]).tolist(),
                                  "arrayminus": (sub[col] - sub[lo]).tolist()}
            fig.add_bar(row=row, col=1, **bar)
        fig.update_yaxes(title_text=label.split(", ")[-1], row=row, col=1)
    fig.update_layout(barmode="group", title=title, height=130 * max(len(present), 1) + 130)
    return fig


@dataclasses.dataclass(frozen=True)
class ScenarioResult(Result):
    """Scenarios propagated to every asset, with flows, portfolio P&L and expectations.

    Attributes
    ----------
    name, source : str
        Spec name and source note.
    asof : Timestamp
        Date the moves start from (levels are the last closes on or before it).
    horizon_end : Timestamp or None
        End of the horizon (None when only ``horizon_days`` was given).
    horizon_days : int
        Trading days in the horizon (scales the conditional spread, not the mean).
    window : dict
        Covariance window: label, start, end, n_obs (complete days of changes), assets.
    probabilities : dict
        Stated probabilities by scenario id (normalised to sum 1).
    posterior : dict or None
        Entropy-pooling posterior probabilities when the spec has views.
    scenarios : list of dict
        Per scenario: id, name, probability, narrative, conditions (words), shocks (as given),
        and ``name_zh`` / ``narrative_zh`` (empty unless the spec gives them).
    moves : DataFrame
        Long table, one row per (scenario, asset): ``coord`` (log / diff), ``shocked``,
        ``move`` (simple % for prices, bp for percent series, points otherwise), ``unit``,
        ``low`` / ``high`` (mean -/+ one conditional standard deviation over the horizon),
        ``level_asof``, ``level_implied``.
    expected : DataFrame
        Per asset: probability-weighted ``expected`` move and the mixture's ``tail_low`` /
        ``tail_high`` quantiles (levels ``1 - tail_level`` and ``tail_level``), same units.
    portfolio : DataFrame or None
        Per scenario: ``probability``, ``pnl`` (USD), ``pnl_std`` (USD, linearised
        conditional spread), ``pnl_low``/``pnl_high``.
    portfolio_summary : dict or None
        ``expected_pnl``, ``var`` and ``es`` at ``tail_level`` of the Gaussian mixture (losses
        as negative P&L), ``worst_scenario``, ``worst_pnl``, and the positions' notes.
    flows : dict
        ``cta``, ``dealer`` (hedge flows) and ``crypto`` (BTC liquidations): per scenario in
        USD, or ``available: False`` with a note.
    synthetic : bool
        True when the data is the synthetic market.
    source_zh : str
        The spec's Chinese source line when it gives one (else empty).
    """

    name: str
    source: str
    asof: pd.Timestamp
    horizon_end: pd.Timestamp | None
    horizon_days: int
    window: dict[str, Any]
    probabilities: dict[str, float]
    posterior: dict[str, float] | None
    scenarios: list[dict[str, Any]]
    moves: pd.DataFrame = dataclasses.field(repr=False)
    expected: pd.DataFrame = dataclasses.field(repr=False)
    portfolio: pd.DataFrame | None = dataclasses.field(default=None, repr=False)
    portfolio_summary: dict[str, Any] | None = None
    flows: dict[str, Any] = dataclasses.field(default_factory=dict)
    synthetic: bool = False
    source_zh: str = ""

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict: every field, tables as lists of records."""
        out = super().to_dict()
        out["moves"] = json_safe(self.moves)
        out["expected"] = json_safe(self.expected)
        out["portfolio"] = json_safe(self.portfolio) if self.portfolio is not None else None
        return out

    def to_frame(self) -> pd.DataFrame:
        """Wide move table: one row per asset, one column per scenario, plus ``expected``."""
        wide = self.moves.pivot(index="asset", columns="scenario", values="move")
        wide = wide[[s["id"] for s in self.scenarios]]
        units = self.moves.drop_duplicates("asset").set_index("asset")["unit"]
        wide.insert(0, "unit", units.reindex(wide.index))
        wide["expected"] = self.expected.set_index("asset")["expected"].reindex(wide.index)
        order = self.moves.drop_duplicates("asset")["asset"]
        return wide.reindex(order)

    def summary(self) -> str:
        """Text summary: probabilities, the move table, portfolio P&L, flows."""
        lines = [f"Scenarios '{self.name}' as of {self.asof.date()}, horizon "
                 f"{self.horizon_days} trading day{'' if self.horizon_days == 1 else 's'}"
                 + (f" (to {self.horizon_end.date()})" if self.horizon_end is not None else "")
                 + ("  [SYNTHETIC DATA]" if self.synthetic else "")]
        w = self.window
        lines.append(f"  covariance window {w['label']} ({w['start']}..{w['end']}, "
                     f"{w['n_obs']} days, {len(w['assets'])} assets)")
        for s in self.scenarios:
            post = f" -> {self.posterior[s['id']]:.1%} (views)" if self.posterior else ""
            lines.append(f"  {s['id']} {s['name']}: p={s['probability']:.1%}{post}; shocks "
                         + ", ".join(f"{k} {v}" for k, v in s["shocks"].items()))
            r = s.get("reach") or {}
            if r.get("dof"):
                lines.append(f"      shocks' joint distance {r['mahalanobis']:.1f} "
                             f"(chi-square tail {100 * r['p_value']:.1f} %): "
                             + ("reachable" if r["reachable"] else "OUT OF REACH"))
        frame = self.to_frame()
        ids = [s["id"] for s in self.scenarios]
        level = self.assumptions.get("tail_level", 0.95)
        tails = self.expected.set_index("asset")
        lines.append("  " + f"{'asset':<10}" + "".join(f"{i:>11}" for i in ids)
                     + f"{'expected':>11}" + f"{f'{100 * level:.0f}% tail':>22}")
        for asset, row in frame.iterrows():
            u = row["unit"]
            cells = "".join(f"{_fmt(row[i], u):>11}" for i in [*ids, "expected"])
            key = str(asset)
            lo, hi = (tails.loc[key, "tail_low"], tails.loc[key, "tail_high"]) \
                if key in tails.index else (None, None)
            band = f"{_fmt(lo, u)}..{_fmt(hi, u)}"
            lines.append(f"  {asset:<10}{cells}{band:>22}")
        if self.portfolio is not None and self.portfolio_summary is not None:
            ps = self.portfolio_summary
            lines.append("  portfolio P&L (USD): " + ", ".join(
                f"{r.scenario} {r.pnl:+,.0f}" for r in self.portfolio.itertuples()))
            lines.append(f"  expected {ps['expected_pnl']:+,.0f}; VaR{ps['tail_level']:.0%} "
                         f"{ps['var']:+,.0f}; ES {ps['es']:+,.0f}; worst {ps['worst_scenario']} "
                         f"{ps['worst_pnl']:+,.0f}")
        for kind in ("cta", "dealer", "crypto"):
            f = self.flows.get(kind, {})
            label = "BTC liquidations" if kind == "crypto" else f"{kind} flows"
            if f.get("available"):
                lines.append(f"  {label} (USD): " + ", ".join(
                    f"{k} {v['total_usd'] / 1e9:+.1f}bn" for k, v in f["scenarios"].items()))
            elif f:
                lines.append(f"  {label}: not available ({f.get('note', '')})")
        for wmsg in self.warnings:
            lines.append(f"  warning: {wmsg}")
        return "\n".join(lines)

    def plot_moves(self, assets: list[str] | None = None) -> go.Figure:
        """Grouped bars of each scenario's move, one panel per unit family.

        Prices (%), volatility indices (%) and yields / spreads (bp) get their own panel and
        axis, so no unit shares an axis with another and VIX does not flatten the rest.
        """
        frame = self.to_frame()
        if assets is not None:
            frame = frame.loc[[a.upper() for a in assets]]
        traces = [(f"{s['id']} ({s['probability']:.0%})", s["id"], None)
                  for s in self.scenarios]
        return _family_figure(frame, traces, f"Scenario moves — {self.name} as of "
                              f"{self.asof.date()}")

    def plot_expected(self) -> go.Figure:
        """Probability-weighted expected move with its tail quantiles, per unit family."""
        e = self.expected.set_index("asset")
        level = self.assumptions.get("tail_level", 0.95)
        return _family_figure(
            e, [(f"expected (bars: {1 - level:.0%} .. {level:.0%} tail)", "expected",
                 ("tail_low", "tail_high"))],
            f"Expected moves — {self.name} as of {self.asof.date()}")

    def plot_pnl(self) -> go.Figure:
        """Portfolio P&L per scenario with its one-sigma band (needs a portfolio)."""
        fig = go.Figure()
        if self.portfolio is not None:
            p = self.portfolio
            fig.add_bar(x=p["scenario"].tolist(), y=p["pnl"].tolist(),
                        error_y={"type": "data", "array": p["pnl_std"].tolist()})
        fig.update_layout(title="Portfolio P&L per scenario (USD)")
        return fig


@dataclasses.dataclass(frozen=True)
class ScorecardResult(Result):
    """Ex-post grading of a scenario set.

    Attributes
    ----------
    name : str
        Spec name.
    asof, until : Timestamp
        The outlook's date and the evaluation date (end of horizon or of the data).
    conditions : DataFrame
        One row per (scenario, condition): ``status`` (true / false / pending /
        not_checkable), ``met_on``, ``measured``, ``detail``, ``condition_zh`` (the spec's
        optional Chinese wording, else empty).
    scenarios : DataFrame
        Per scenario: ``probability``, ``conditions_true``, ``conditions_checkable``,
        ``hit_rate``, ``distance`` (Mahalanobis distance of the realised moves from the
        scenario's propagated moves), ``outcome`` (1 for the scenario judged realised).
    realised : DataFrame
        Per compared asset: ``realised`` move and each scenario's move (display units).
    resembled : str or None
        Scenario nearest to the realised moves.
    realised_scenario : str or None
        Scenario judged to have happened (rule in ``assumptions['outcome_rule']``).
    brier : float or None
        Multi-category Brier score ``Σ_s (p_s − o_s)²`` (0 best, 2 worst).
    brier_uniform : float or None
        Brier score of equal probabilities, for reference.
    """

    name: str
    asof: pd.Timestamp
    until: pd.Timestamp
    conditions: pd.DataFrame = dataclasses.field(repr=False)
    scenarios: pd.DataFrame = dataclasses.field(repr=False)
    realised: pd.DataFrame = dataclasses.field(repr=False)
    resembled: str | None
    realised_scenario: str | None
    brier: float | None
    brier_uniform: float | None
    synthetic: bool = False

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict; tables as lists of records."""
        out = super().to_dict()
        for key in ("conditions", "scenarios", "realised"):
            out[key] = json_safe(getattr(self, key))
        return out

    def to_frame(self) -> pd.DataFrame:
        """The per-scenario table."""
        return self.scenarios.copy()

    def summary(self) -> str:
        """Text summary: conditions, resemblance, Brier score."""
        lines = [f"Scorecard '{self.name}': outlook of {self.asof.date()} graded on data to "
                 f"{self.until.date()}" + ("  [SYNTHETIC DATA]" if self.synthetic else "")]
        for sid in self.scenarios.index:
            row = self.scenarios.loc[sid].to_dict()
            grp = self.conditions[self.conditions["scenario"] == sid]
            lines.append(f"  {sid}: p={float(row['probability']):.0%}, conditions true "
                         f"{int(row['conditions_true'])}/{int(row['conditions_checkable'])}, "
                         f"distance {float(row['distance']):.2f}")
            for r in grp.itertuples():
                when = f" on {r.met_on.date()}" if isinstance(r.met_on, pd.Timestamp) else ""
                lines.append(f"    [{r.status}] {r.condition}{when} — {r.detail}")
        lines.append(f"  realised moves resembled: {self.resembled}; judged realised: "
                     f"{self.realised_scenario}")
        if self.brier is not None:
            lines.append(f"  Brier score {self.brier:.3f} (equal probabilities: "
                         f"{self.brier_uniform:.3f}; lower is better)")
        for w in self.warnings:
            lines.append(f"  warning: {w}")
        return "\n".join(lines)

    def plot_realised(self) -> go.Figure:
        """Realised moves beside each scenario's moves."""
        fig = go.Figure()
        r = self.realised
        for col in r.columns:
            if col == "unit":
                continue
            fig.add_bar(name=str(col), x=list(r.index), y=r[col].tolist())
        fig.update_layout(barmode="group", title=f"Realised vs scenario moves, "
                          f"{self.asof.date()} → {self.until.date()}")
        return fig
