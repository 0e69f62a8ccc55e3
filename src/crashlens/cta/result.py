"""Result objects of the CTA engine (frozen dataclasses on :class:`crashlens._result.Result`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crashlens._result import Result, json_safe
from crashlens.errors import ParameterError, UnknownSeriesError

#: Per-asset keys of the CLI / API JSON (issue 3); everything else is in ``detail``.
ASSET_KEYS: tuple[str, ...] = ("price", "position_pct", "notional_usd", "percentile",
                               "triggers", "usd_per_1pct", "flows_usd")


def _model_line(a: Mapping[str, Any]) -> str:
    """The sizing assumptions in one line (every one is in ``assumptions``)."""
    if a.get("blend"):
        kinds = {"ewmac": "price vs EMA", "ma_cross": "price vs SMA"}
        total = sum(c["weight"] for c in a["blend"])
        signals = ", ".join(
            f"{c['group']} "
            + (f"{kinds[c['family']]}({c['horizon']})" if c["fast"] == 1 and c["family"] in kinds
               else f"{c['family']} {c['horizon']}")
            + f" x {c['weight'] / total:.2f}" for c in a["blend"])
    else:
        signals = (f"{'/'.join(map(str, a.get('families', [])))} x horizons "
                   f"{'/'.join(map(str, a.get('horizons', [])))}")
    vol = (f"EWMA com {a.get('vol_com', 0):g}" if a.get("vol_estimator") == "ewma"
           else f"rolling {a.get('vol_window')} days")
    return (f"model {a.get('model')}: {signals}; position half-life "
            f"{a.get('position_halflife', 0):g} days; vol {vol}; tape vol "
            f"{a.get('scenario_vol')}")


@dataclasses.dataclass(frozen=True)
class CTAResult(Result):
    """Modelled CTA positioning, triggers and flows as of one date.

    Attributes
    ----------
    asof : Timestamp
        As-of date (positions after that day's close).
    assets : dict
        Per asset: ``price`` (yield in % for yield-quoted assets), ``position_pct`` (blended
        signal = fraction of max long/short, -1..1), ``notional_usd``, ``percentile``
        (``1y``/``3y``/``5y`` in 0..1), ``triggers`` (``short``/``medium``/``long`` prices of
        tomorrow's close flipping that group's signal; None when no flip within the bracket),
        ``usd_per_1pct`` (USD bought per +1 % move tomorrow, half the +1 %/-1 % difference),
        ``flows_usd`` (``1w``/``1m`` x ``flat``/``up``/``down``/``down_big``, USD, + = buy), plus
        detail (per-horizon triggers, components, Monte-Carlo quantiles, the flow curve).
    total : dict
        Book totals (net and gross notional, AUM band, percentile, $ per 1 %, flows).
    history : DataFrame
        Book history behind the percentiles: per date and asset the signal and notional.
    """

    asof: pd.Timestamp
    assets: dict[str, dict[str, Any]]
    total: dict[str, Any]
    history: pd.DataFrame = dataclasses.field(repr=False)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON of issue 3: ``{"asof", "assets": {NAME: {...}}, "total", "assumptions"}``.

        Parameters
        ----------
        detail : bool
            Add per-asset detail (per-horizon triggers, components, Monte-Carlo bands, curve).
        """
        assets = {}
        for name, block in self.assets.items():
            keys = block.keys() if detail else ASSET_KEYS
            assets[name] = json_safe({k: block[k] for k in keys if k in block})
        return {
            "asof": json_safe(self.asof),
            "assets": assets,
            "total": json_safe(self.total),
            "assumptions": json_safe(dict(self.assumptions)),
            "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per asset with the headline numbers (USD, prices, fractions)."""
        rows = []
        for name, b in self.assets.items():
            row = {"asset": name, "price": b["price"], "position_pct": b["position_pct"],
                   "notional_usd": b["notional_usd"], "usd_per_1pct": b["usd_per_1pct"]}
            row.update({f"pct_{k}": v for k, v in b["percentile"].items()})
            row.update({f"trigger_{k}": v for k, v in b["triggers"].items()})
            for h, d in b["flows_usd"].items():
                row.update({f"flow_{h}_{k}": v for k, v in d.items()})
            rows.append(row)
        return pd.DataFrame(rows).set_index("asset")

    def summary(self) -> str:
        """Text table of positioning, triggers and flows."""
        band = self.total["aum_band_usd"]
        lines = [f"CTA positioning as of {self.asof.date()} "
                 f"(AUM ${self.total['aum_usd'] / 1e9:,.0f}bn, "
                 f"band ${band['low'] / 1e9:,.0f}-{band['high'] / 1e9:,.0f}bn)",
                 _model_line(self.assumptions)]
        lines.append(f"{'asset':<7}{'price':>10}{'pos%':>6}{'$bn':>8}{'pct1y%':>7}"
                     f"{'short':>10}{'medium':>10}{'long':>10}")

        def _pct(x: Any) -> float | None:
            return None if x is None else 100.0 * x  # percent, like pos%

        def num(x: Any, fmt: str, width: int) -> str:
            ok = x is not None and np.isfinite(x)
            spec = f"+{width}{fmt[1:]}" if fmt.startswith("+") else f"{width}{fmt}"
            return format(x, spec) if ok else "-".rjust(width)

        for name, b in self.assets.items():
            tr = b["triggers"]
            lines.append(
                f"{name:<7}{num(b['price'], '.2f', 10)}{num(100 * b['position_pct'], '.0f', 6)}"
                f"{num(b['notional_usd'] / 1e9, '.1f', 8)}"
                f"{num(_pct(b['percentile'].get('1y')), '.0f', 7)}"
                f"{num(tr['short'], '.2f', 10)}{num(tr['medium'], '.2f', 10)}"
                f"{num(tr['long'], '.2f', 10)}"
            )
        tapes = [(h, k) for h, d in self.total["flows_usd"].items() for k in d]
        lines.append("flows $bn (+ = buy)")
        lines.append(f"{'asset':<7}{'$bn/1%':>7}" + "".join(
            f"{h + ' ' + k.replace('down_big', 'dnbg'):>8}" for h, k in tapes))
        for name, b in [*self.assets.items(), ("total", self.total)]:
            lines.append(f"{name:<7}{num(b['usd_per_1pct'] / 1e9, '.2f', 7)}" + "".join(
                num(b["flows_usd"][h][k] / 1e9, "+.1f", 8) for h, k in tapes))
        t = self.total
        lines.append(f"total: net ${t['notional_usd'] / 1e9:,.1f}bn, gross "
                     f"${t['gross_usd'] / 1e9:,.1f}bn ({t['gross_leverage']:.2f}x AUM)")
        view = t.get("desk_view", {})
        if any(k in view for k in ("equity_global", "equity_us", "spx")):
            years = view.get("percentile_years", {}).get("years", 1)
            names = {"equity_global": "global equity", "equity_us": "US equity",
                     "spx": "S&P 500"}
            shown = [(label, view[key]) for key, label in names.items() if key in view]
            # two blocks, so that each line fits 80 columns
            lines.append(f"as desks publish it ($bn, + = long / buy; {years}y percentile):")
            lines.append(f"{'':<14}{'length':>8}{'pct':>6}")
            lines.extend(f"{label:<14}{num(v['notional_usd'] / 1e9, '+.1f', 8)}"
                         f"{num(v['percentile'], '.2f', 6)}" for label, v in shown)
            lines.append(f"{'':<14}" + "".join(
                f"{h + ' ' + k.replace('down_big', 'dnbg'):>8}" for h, k in tapes))
            lines.extend(f"{label:<14}" + "".join(num(v["flows_usd"][h][k] / 1e9, "+.1f", 8)
                                                  for h, k in tapes) for label, v in shown)
        rates = [n for n in self.assets if n in self.assumptions.get("yield_proxies", {})]
        if rates:
            lines.append(f"note: {', '.join(rates)} are bond positions (price proxies via "
                         "duration; + = long bonds), prices and triggers shown as yields %")
        for w in self.warnings:
            lines.append(f"warning: {w}")
        return "\n".join(lines)

    def _asset(self, asset: str) -> dict[str, Any]:
        if asset not in self.assets:
            raise UnknownSeriesError(asset, list(self.assets), kind="asset")
        return self.assets[asset]

    def plot_positioning(self, asset: str | None = None) -> go.Figure:
        """Modelled notional history (USD bn) with trailing 1y percentile bands."""
        col = asset or "total"
        if asset is not None:
            self._asset(asset)
        s = self.history[f"notional_{col}"] / 1e9
        fig = go.Figure()
        roll = s.rolling(pd.Timedelta(days=365), min_periods=20)
        for q, dash in ((0.1, "dot"), (0.9, "dot"), (0.5, "dash")):
            fig.add_trace(go.Scatter(x=s.index, y=roll.quantile(q), name=f"1y q{int(q * 100)}",
                                     line={"dash": dash, "width": 1}))
        fig.add_trace(go.Scatter(x=s.index, y=s, name=f"{col} notional"))
        fig.update_layout(title=f"CTA replica: {col} notional (USD bn)", yaxis_title="USD bn")
        return fig

    def plot_flow_curve(self, asset: str) -> go.Figure:
        """Conditional-flow curve: USD traded vs tomorrow's close, triggers marked."""
        b = self._asset(asset)
        curve = b["curve"]
        fig = go.Figure(go.Scatter(x=curve["price"], y=np.asarray(curve["flow_usd"]) / 1e9,
                                   name="flow"))
        for g, level in b["triggers"].items():
            if level is not None and np.isfinite(level):
                fig.add_vline(x=level, line_dash="dash", annotation_text=f"{g} trigger")
        fig.add_vline(x=b["price"], annotation_text="spot")
        fig.update_layout(title=f"{asset}: CTA flow vs tomorrow's close",
                          xaxis_title="price", yaxis_title="USD bn traded")
        return fig

    def plot_flows(self, asset: str | None = None) -> go.Figure:
        """Scenario flows (bars, USD bn) for 1 week and 1 month."""
        flows = self.total["flows_usd"] if asset is None else self._asset(asset)["flows_usd"]
        fig = go.Figure()
        for h, d in flows.items():
            fig.add_trace(go.Bar(x=list(d), y=[v / 1e9 for v in d.values()], name=h))
        fig.update_layout(title=f"CTA scenario flows: {asset or 'total'} (USD bn)",
                          barmode="group", yaxis_title="USD bn")
        return fig


@dataclasses.dataclass(frozen=True)
class CTAHistory(Result):
    """Positioning (and optionally triggers and flows) for every day of a range.

    Attributes
    ----------
    frame : DataFrame
        Long format, one row per (date, asset) with ``price``, ``signal`` (position, fraction
        of max), ``notional_usd``, ``weight``, ``percentile`` (of the asset's notional over
        the trailing ``headline_percentile_years``) and, when computed,
        ``trigger_short/medium/long`` (the pivots for the next close) and
        ``flow_<h>_<tape>``.
    replica : DataFrame
        Per date: ``replica_return`` (sum of yesterday's weights times today's asset returns,
        a fraction of AUM) and per-asset returns.
    sectors : DataFrame
        Per date: ``equity_global_notional_usd``, ``equity_global_percentile``,
        ``equity_us_notional_usd``, ``equity_us_percentile`` (the whole book's equities).
    """

    frame: pd.DataFrame
    replica: pd.DataFrame
    sectors: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """Records of the long frame, flips, pivot crossings, equity totals, assumptions."""
        sectors = self.sectors.rename_axis("date").reset_index() if len(self.sectors) \
            else self.sectors
        return {
            "history": json_safe(self.frame),
            "flips": json_safe(self.flips()),
            "crossings": json_safe(self.crossings()),
            "sectors": json_safe(sectors),
            "assumptions": json_safe(dict(self.assumptions)),
            "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """The long per-(date, asset) frame."""
        return self.frame

    def summary(self) -> str:
        """Per asset: days, last position, flips; replica return / vol (annualised, 261 days)."""
        f = self.frame
        if f.empty:
            return "CTAHistory: no rows"
        lines = [f"CTA replica history {f['date'].min().date()} .. {f['date'].max().date()}"]
        flips = self.flips()
        for asset, g in f.groupby("asset", sort=False):
            fl = flips[flips["asset"] == asset]
            last = f"last flip {fl['date'].iloc[-1].date()}" if len(fl) else "no flip"
            lines.append(f"  {asset:<7} {len(g):>5} days, position now "
                         f"{100 * g['signal'].iloc[-1]:+.0f}% of max, {len(fl)} flips, {last}")
        crossings = self.crossings()
        for r in crossings.to_dict(orient="records"):
            lines.append(f"  {pd.Timestamp(r['date']).date()} {r['asset']}: closed "
                         f"{r['direction']} through the {r['group']} pivot {r['level']:,.2f} "
                         f"({r['prev_close']:,.2f} -> {r['close']:,.2f})")
        rep = self.replica["replica_return"]
        if len(rep) > 1:
            ann = 261.0
            lines.append(f"  replica: return {rep.mean() * ann:+.2%}/yr, vol "
                         f"{rep.std() * ann ** 0.5:.2%}/yr (fraction of AUM)")
        for w in self.warnings:
            lines.append(f"warning: {w}")
        return "\n".join(lines)

    def flips(self) -> pd.DataFrame:
        """Dates when an asset's blended signal changed sign (``from``, ``to``)."""
        rows = []
        for asset, g in self.frame.groupby("asset", sort=False):
            sgn = np.sign(g["signal"].to_numpy())
            ch = np.nonzero(sgn[1:] != sgn[:-1])[0] + 1
            for i in ch:
                rows.append({"date": g["date"].iloc[i], "asset": asset,
                             "from": float(sgn[i - 1]), "to": float(sgn[i])})
        return pd.DataFrame(rows, columns=["date", "asset", "from", "to"])

    def crossings(self) -> pd.DataFrame:
        """Days an asset's close crossed a pivot quoted the day before.

        The pivot of group ``g`` as of day ``t-1`` is the close of day ``t`` at which that
        group's signal flips; a crossing on ``t`` is ``P_{t-1}`` and ``P_t`` on opposite sides
        of it (``direction`` ``down`` = closed below a pivot it was above).

        Returns
        -------
        DataFrame
            ``date``, ``asset``, ``group``, ``level``, ``prev_close``, ``close``,
            ``direction``; empty when the history has no triggers.
        """
        cols = ["date", "asset", "group", "level", "prev_close", "close", "direction"]
        rows = []
        for asset, g in self.frame.groupby("asset", sort=False):
            price = g["price"].to_numpy(dtype=float)
            for group in ("short", "medium", "long"):
                col = f"trigger_{group}"
                if col not in g:
                    continue
                level = g[col].to_numpy(dtype=float)
                for i in range(1, len(g)):
                    lv, p0, p1 = level[i - 1], price[i - 1], price[i]
                    if not np.isfinite(lv) or (p0 - lv) * (p1 - lv) > 0 or p0 == p1:
                        continue
                    if p1 == lv:
                        continue  # touched, not crossed
                    rows.append({"date": g["date"].iloc[i], "asset": asset, "group": group,
                                 "level": float(lv), "prev_close": float(p0),
                                 "close": float(p1), "direction": "down" if p1 < p0 else "up"})
        out = pd.DataFrame(rows, columns=cols)
        return out.sort_values(["date", "asset"], kind="stable").reset_index(drop=True)

    def plot_levels(self, asset: str) -> go.Figure:
        """Price with the three pivots over time, crossings marked; position and percentile.

        Top panel: close and the short/medium/long pivots (as quoted the day before), a marker
        on each day the close crossed one. Bottom panel: position (% of max) and percentile.
        """
        from plotly.subplots import make_subplots

        g = self.frame[self.frame["asset"] == asset]
        if g.empty:
            raise UnknownSeriesError(asset, self.frame["asset"].unique(), kind="asset")
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35],
                            vertical_spacing=0.05)
        fig.add_trace(go.Scatter(x=g["date"], y=g["price"], name="close",
                                 line={"color": "black", "width": 1.5}), row=1, col=1)
        colours = {"short": "#1f77b4", "medium": "#ff7f0e", "long": "#2ca02c"}
        for group, colour in colours.items():
            col = f"trigger_{group}"
            if col in g:
                # the pivot quoted on day t-1 applies to the close of day t
                fig.add_trace(go.Scatter(x=g["date"], y=g[col].shift(1), name=f"{group} pivot",
                                         line={"color": colour, "dash": "dot", "width": 1.2}),
                              row=1, col=1)
        cr = self.crossings()
        cr = cr[cr["asset"] == asset]
        if len(cr):
            fig.add_trace(go.Scatter(
                x=cr["date"], y=cr["close"], mode="markers", name="pivot crossed",
                marker={"symbol": np.where(cr["direction"] == "down", "triangle-down",
                                           "triangle-up").tolist(), "size": 10,
                        "color": [colours[x] for x in cr["group"]]},
                text=[f"{r.group} {r.direction} through {r.level:,.2f}" for r in cr.itertuples()],
            ), row=1, col=1)
        fig.add_trace(go.Scatter(x=g["date"], y=100 * g["signal"], name="position % of max"),
                      row=2, col=1)
        if "percentile" in g:
            fig.add_trace(go.Scatter(x=g["date"], y=100 * g["percentile"],
                                     name="percentile (notional)", line={"dash": "dash"}),
                          row=2, col=1)
        fig.update_yaxes(title_text="price", row=1, col=1)
        fig.update_yaxes(title_text="%", range=[-105, 105], row=2, col=1)
        fig.update_layout(title=f"{asset}: CTA pivots, position and percentile")
        return fig

    def plot_positioning(self, asset: str) -> go.Figure:
        """Position (% of max) of one asset with its price on a second axis."""
        g = self.frame[self.frame["asset"] == asset]
        if g.empty:
            raise UnknownSeriesError(asset, self.frame["asset"].unique(), kind="asset")
        fig = go.Figure()
        fig.add_trace(go.Scatter(x=g["date"], y=100 * g["signal"], name="position % of max"))
        fig.add_trace(go.Scatter(x=g["date"], y=g["price"], name="price", yaxis="y2"))
        for col in ("trigger_short", "trigger_medium", "trigger_long"):
            if col in g:
                fig.add_trace(go.Scatter(x=g["date"], y=g[col], name=col, yaxis="y2",
                                         line={"dash": "dot", "width": 1}))
        fig.update_layout(title=f"{asset}: CTA replica position",
                          yaxis={"title": "% of max", "range": [-105, 105]},
                          yaxis2={"title": "price", "overlaying": "y", "side": "right"})
        return fig


@dataclasses.dataclass(frozen=True)
class CTASensitivity(Result):
    """Headline numbers under alternative horizon mixes, vol estimators and AUM.

    Attributes
    ----------
    frame : DataFrame
        One row per (variant, asset): ``position_pct``, ``notional_usd``, triggers, flows.
    """

    frame: pd.DataFrame

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """Rows as records."""
        return {"sensitivity": json_safe(self.frame), "assumptions": json_safe(
            dict(self.assumptions)), "warnings": list(self.warnings)}

    def to_frame(self) -> pd.DataFrame:
        """The variant table."""
        return self.frame

    def summary(self) -> str:
        """Text table: position in percent, money in $bn, the trigger as a level."""
        f = self.frame
        table = pd.DataFrame({
            "variant": f["variant"], "asset": f["asset"],
            "pos%": (100 * f["position_pct"]).map(lambda v: f"{v:,.0f}"),
            "$bn": (f["notional_usd"] / 1e9).map(lambda v: f"{v:,.1f}"),
            "short trigger": f["trigger_short"].map(lambda v: f"{v:,.2f}"),
            "1w down $bn": (f["flow_1w_down"] / 1e9).map(lambda v: f"{v:,.1f}"),
        })
        return table.to_string(index=False)

    def plot_sensitivity(self, column: str = "position_pct") -> go.Figure:
        """``column`` of every asset under each variant (grouped bars; default the position)."""
        if column not in self.frame.columns:
            raise ParameterError(f"column: '{column}' is not one of "
                                 f"{', '.join(map(str, self.frame.columns))}")
        fig = go.Figure()
        for variant, g in self.frame.groupby("variant", sort=False):
            fig.add_bar(x=g["asset"], y=g[column], name=str(variant))
        fig.update_layout(barmode="group", yaxis_title=column,
                          title=f"CTA {column} under alternative assumptions")
        if column == "position_pct":
            fig.update_yaxes(tickformat=".0%")
        return fig
