"""Result objects of the crypto-leverage engine."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crashlens._plots import stamp_synthetic
from crashlens._result import FrameResult, Result, json_safe


def _drawdown_figure(h: pd.DataFrame, title: str, synthetic: bool) -> go.Figure:
    """BTC close with its running all-time high (top) and the drawdown (bottom)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35])
    if not h.empty:
        fig.add_trace(go.Scatter(x=h.index, y=h["close"], name="BTC"), 1, 1)
        fig.add_trace(go.Scatter(x=h.index, y=h["ath"], name="ATH", line={"dash": "dot"}), 1, 1)
        fig.add_trace(go.Scatter(x=h.index, y=h["drawdown"], name="drawdown", fill="tozeroy"),
                      2, 1)
    fig.update_layout(title=title)
    fig.update_yaxes(tickformat=".0%", row=2, col=1)
    return stamp_synthetic(fig, synthetic)


@dataclasses.dataclass(frozen=True)
class CryptoResult(Result):
    """Crypto leverage on an as-of date.

    Attributes
    ----------
    asof : Timestamp
        Requested as-of date.
    btc : mapping
        ``price``, ``price_date``, ``ath``, ``ath_date`` (closing high), ``drawdown``
        (fraction, <= 0), ``ath_intraday`` / ``ath_intraday_date`` (highest high where
        highs exist), ``realised_vol`` (annualised, 365-day year), ``history_start``.
    eth : mapping or None
        Same for ETH (history only from 2024-08: ATH is the high since then).
    funding : mapping
        Per coin: ``rate_8h`` (fraction per 8 h), ``annualised``, ``mean_7d``, ``mean_30d``,
        ``date``, ``coverage_end``, ``stale_days``; ``oi_weighted`` across coins;
        ``market_<COIN>``: market funding (:func:`crashlens.crypto.market.funding_snapshot`)
        with ``asof``, ``source`` and ``is_current``.
    open_interest : mapping
        Per coin: ``usd``, ``date``, ``change_7d``, ``change_30d`` (fractions),
        ``coverage_end``, ``stale_days``, ``venue``.
    liquidation_prices : DataFrame
        Per leverage tier: ``leverage``, ``long``, ``short`` liquidation prices at the price.
    liquidation_map : DataFrame
        Price bins: ``price_low``, ``price_high``, ``long_usd``, ``short_usd``, ``intensity``.
    cascade : mapping
        The down-shock cascade (see :func:`crashlens.crypto.liquidation.cascade`), plus
        ``up`` for the up-shock.
    synthetic : bool
        True when computed on the synthetic market.
    oi : mapping
        Market-wide OI per coin (:func:`crashlens.crypto.market.oi_snapshot`):
        ``market_usd``, ``coverage`` (share observed directly; 1 = all-exchange aggregate),
        ``rel_error``, ``asof`` (time of the value, UTC), ``source``, ``age_days``,
        ``max_age_days``, ``is_current``, ``status``, ``coverage_fit``. Empty when no market
        OI exists at the date.
    """

    asof: pd.Timestamp
    btc: Mapping[str, Any]
    eth: Mapping[str, Any] | None
    funding: Mapping[str, Any]
    open_interest: Mapping[str, Any]
    liquidation_prices: pd.DataFrame
    liquidation_map: pd.DataFrame
    cascade: Mapping[str, Any]
    synthetic: bool = False
    price_history: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame, repr=False)
    oi: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def oi_status(self) -> dict[str, dict[str, Any]]:
        """Per coin: ``asof`` (time of its market OI), ``is_current`` and ``status`` (why not).

        A coin whose OI is not current must not be shown as current (headline, ranked forces);
        the ``cascade`` carries the same flag for the OI it ran on.
        """
        return {c: {"asof": v["asof"], "is_current": v["is_current"], "status": v["status"]}
                for c, v in self.oi.items()}

    @property
    def is_current(self) -> bool:
        """True when the cascade's open interest is current (False when there is none)."""
        return bool(self.cascade.get("is_current", False))

    def to_frame(self) -> pd.DataFrame:
        """The liquidation map."""
        return self.liquidation_map.copy()

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict (the price history used by the plot is left out)."""
        out = super().to_dict()
        out["liquidation_map"] = json_safe(self.liquidation_map)
        return out

    def summary(self) -> str:
        """Headline numbers."""
        b = self.btc

        def day(v: Any) -> str:
            return str(pd.Timestamp(v).date()) if v is not None else "n/a"

        lines = [f"Crypto leverage as of {self.asof.date()}"
                 + (" [SYNTHETIC DATA]" if self.synthetic else ""),
                 f"  BTC {b['price']:,.0f} ({day(b['price_date'])}), ATH {b['ath']:,.0f} on "
                 f"{day(b['ath_date'])}, drawdown {b['drawdown']:.1%}, realised vol "
                 f"{b['realised_vol']:.0%}"]
        if self.eth:
            e = self.eth
            lines.append(f"  ETH {e['price']:,.0f}, high {e['ath']:,.0f} on "
                         f"{day(e['ath_date'])}, drawdown {e['drawdown']:.1%}")
        for key, f in self.funding.items():
            if key.startswith("market_") and isinstance(f, Mapping):
                cur = "" if f["is_current"] else " NOT CURRENT"
                lines.append(f"  funding {key.removeprefix('market_')} market: "
                             f"{f['rate_8h'] * 100:.4f} %/8h ({f['annualised']:.1%} p.a.) as of "
                             f"{f['asof']} UTC{cur} ({f['source']})")
        for coin, f in self.funding.items():
            if coin == "oi_weighted" or coin.startswith("market_") or not isinstance(f, Mapping):
                continue
            lines.append(f"  funding {coin}: {f['rate_8h'] * 100:.4f} %/8h "
                         f"({f['annualised']:.1%} p.a.) on {day(f['date'])}")
        ow = self.funding.get("oi_weighted")
        if isinstance(ow, Mapping):
            lines.append(f"  funding OI-weighted over {', '.join(ow['coins'])}: "
                         f"{ow['annualised']:.1%} p.a.")
        def pct(v: Any) -> str:
            return "n/a" if v is None else f"{v:+.1%}"

        for coin, o in self.oi.items():
            cur = "current" if o["is_current"] else "NOT CURRENT"
            chg = "".join(f", {k[7:]} {o[k]:+.1%}" for k in ("change_7d", "change_30d")
                          if o.get(k) is not None)
            lines.append(f"  market OI {coin}: ${o['market_usd'] / 1e9:.1f} bn as of {o['asof']}"
                         f" UTC ({cur}; coverage {o['coverage']:.0%}, expected error "
                         f"{o['rel_error']:.1%}{chg})")
        for coin, o in self.open_interest.items():
            lines.append(f"  OI {coin}: ${o['usd'] / 1e9:.2f} bn on {day(o['date'])}, 7d "
                         f"{pct(o['change_7d'])}, 30d {pct(o['change_30d'])}")
        if not self.liquidation_prices.empty:
            tiers = ", ".join(f"{r.leverage:g}x long {r.long:,.0f} / short {r.short:,.0f}"
                              for r in self.liquidation_prices.itertuples())
            lines.append(f"  liquidation prices at the current price (Binance isolated): {tiers}")
        m = self.liquidation_map
        if not m.empty and (m["long_usd"].sum() + m["short_usd"].sum()) > 0:
            mid = (m["price_low"] + m["price_high"]) / 2
            for side, col in (("long", "long_usd"), ("short", "short_usd")):
                if m[col].max() > 0:
                    k = int(m[col].to_numpy().argmax())
                    lines.append(f"  largest {side} liquidation cluster near {mid.iloc[k]:,.0f} "
                                 f"(${m[col].iloc[k] / 1e6:,.0f} m modelled)")
        c = self.cascade
        if c:
            lines.append(f"  cascade OI: {c.get('oi_source', 'n/a')} "
                         f"${c['reference_oi_usd'] / 1e9:,.1f} bn liquidatable, as of "
                         f"{c['reference_oi_date']}"
                         + ("" if c.get("is_current") else " (NOT CURRENT)"))
            for lab, cc in (("down", c), ("up", c.get("up"))):
                if not cc:
                    continue
                lines.append(f"  cascade {lab}: shock {cc['shock']:+.1%} -> total "
                             f"{cc['total_move']:+.1%} ({cc['rounds']} "
                             f"round{'' if cc['rounds'] == 1 else 's'}, "
                             f"${cc['liquidated_usd'] / 1e6:,.0f} m liquidated, "
                             f"{cc['liquidated_share_of_oi']:.1%} of OI, impact {cc['impact']})")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot_drawdown(self) -> go.Figure:
        """BTC price with its running all-time high, and the drawdown below."""
        return _drawdown_figure(self.price_history,
                                f"BTC drawdown from its all-time high, {self.asof.date()}",
                                self.synthetic)

    def plot_liquidation_map(self) -> go.Figure:
        """Reconstructed liquidation levels by price bin (longs below, shorts above price)."""
        m = self.liquidation_map
        mid = (m["price_low"] + m["price_high"]) / 2
        fig = go.Figure([
            go.Bar(y=mid, x=m["long_usd"], orientation="h", name="longs"),
            go.Bar(y=mid, x=m["short_usd"], orientation="h", name="shorts"),
        ])
        fig.add_hline(y=self.btc["price"], line_dash="dash", annotation_text="price")
        src = "market OI" if self.cascade.get("oi_source") == "market" else "one venue"
        fig.update_layout(barmode="stack", title="Reconstructed BTC liquidation map "
                          f"({src})", xaxis_title="USD notional",
                          yaxis_title="liquidation price")
        return stamp_synthetic(fig, self.synthetic)


@dataclasses.dataclass(frozen=True)
class CryptoHistory(FrameResult):
    """Daily crypto-leverage indicators over a range.

    Attributes
    ----------
    frame : DataFrame
        Index = calendar days; ``close``, ``ath``, ``drawdown``, ``realised_vol``,
        ``funding_8h``, ``funding_annualised``, ``oi_usd``, ``oi_change_7d``,
        ``oi_change_30d``, ``oi_market_usd``, ``oi_market_coverage`` (market OI at the end of
        the day and the share observed directly).
    synthetic : bool
        True when computed on the synthetic market.
    """

    def plot_drawdown(self) -> go.Figure:
        """Price, ATH and drawdown over the range."""
        return _drawdown_figure(self.frame, "BTC drawdown", self.synthetic)
