"""The result object of :func:`crashlens.options.gex` (serialisation, summary, flows, plots)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from crashlens._result import Result, json_safe
from crashlens.errors import ParameterError
from crashlens.options.greeks import bsm_greeks
from crashlens.options.zero_dte import ZeroDteResult

__all__ = ["GexResult"]


@dataclasses.dataclass(frozen=True)
class GexResult(Result):
    """Dealer gamma exposure of one chain snapshot (all money in USD, per 1 % move).

    Attributes
    ----------
    underlying, spot, asof
        Underlying symbol, spot used, valuation time (US/Eastern).
    total_gex_usd_per_1pct : float
        Net dealer GEX at spot.
    zero_gamma : float or None
        Profile sign change nearest spot (None: no change on the grid).
    zero_gamma_crossings : tuple of float
        All sign changes on the grid.
    call_wall, put_wall, abs_gamma_strike : float or None
        Levels (see :mod:`crashlens.options.levels`).
    by_expiry : pandas.DataFrame
        ``expiry`` (date), ``settlement`` (timestamp), ``gex_usd_per_1pct``, ``call_gex``,
        ``put_gex``, ``open_interest``.
    by_strike : pandas.DataFrame
        ``strike``, ``call_gex``, ``put_gex``, ``net_gex`` (USD per 1 %), ``call_oi``, ``put_oi``.
    profile : pandas.DataFrame
        ``spot`` grid and ``gex_usd_per_1pct`` plus ``calls``, ``puts``, ``ex_next_expiry`` and
        ``ex_next_monthly`` profiles (NaN column when there is no such expiry).
    hedge_flow_usd_per_1pct : float
        Dealer hedge flow for a 1 % decline, linear (``= -GEX * (-1)``); + = dealers buy.
    zero_dte_share : float or None
        0DTE share of contract volume (None: no same-day expiry or no volume).
    zero_dte : ZeroDteResult
        Volume and premium shares, gamma by expiry bucket.
    dex_usd, vanna_usd_per_vol_pt, charm_usd_per_day : float
        Dealer delta exposure (USD of underlying), its change per +1 vol point, and per
        calendar day passing.
    zero_gamma_ex_next_expiry, zero_gamma_ex_next_monthly : float or None
        Zero gamma of the companion profiles.
    next_expiry, next_monthly_expiry : pandas.Timestamp or None
        The expiries removed in the companion profiles.
    sensitivity : pandas.DataFrame
        Levels under every :class:`SignConvention` (one row each).
    contracts : pandas.DataFrame
        Contracts used, with ``t_years``, ``iv_used``, greeks and ``gex``.
    """

    underlying: str
    spot: float
    asof: pd.Timestamp
    total_gex_usd_per_1pct: float
    zero_gamma: float | None
    zero_gamma_crossings: tuple[float, ...]
    call_wall: float | None
    put_wall: float | None
    abs_gamma_strike: float | None
    by_expiry: pd.DataFrame = dataclasses.field(repr=False)
    by_strike: pd.DataFrame = dataclasses.field(repr=False)
    profile: pd.DataFrame = dataclasses.field(repr=False)
    hedge_flow_usd_per_1pct: float
    zero_dte_share: float | None
    zero_dte: ZeroDteResult = dataclasses.field(repr=False)
    dex_usd: float
    vanna_usd_per_vol_pt: float
    charm_usd_per_day: float
    zero_gamma_ex_next_expiry: float | None
    zero_gamma_ex_next_monthly: float | None
    next_expiry: pd.Timestamp | None
    next_monthly_expiry: pd.Timestamp | None
    sensitivity: pd.DataFrame = dataclasses.field(repr=False)
    contracts: pd.DataFrame = dataclasses.field(repr=False)

    # ------------------------------------------------------------------ serialisation
    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """The documented JSON shape (``crashlens gex --json``); ``detail=True`` adds details.

        Keys: underlying, spot, asof, total_gex_usd_per_1pct, zero_gamma,
        zero_gamma_crossings, call_wall, put_wall, abs_gamma_strike, by_expiry (list of
        {expiry, gex_usd_per_1pct}), profile ({spot, gex_usd_per_1pct}),
        hedge_flow_usd_per_1pct, zero_dte_share, assumptions, warnings.
        """
        out: dict[str, Any] = {
            "underlying": self.underlying,
            "spot": json_safe(self.spot),
            "asof": self.asof.isoformat(),
            "total_gex_usd_per_1pct": json_safe(self.total_gex_usd_per_1pct),
            "zero_gamma": json_safe(self.zero_gamma),
            "zero_gamma_crossings": [float(x) for x in self.zero_gamma_crossings],
            "call_wall": json_safe(self.call_wall),
            "put_wall": json_safe(self.put_wall),
            "abs_gamma_strike": json_safe(self.abs_gamma_strike),
            "by_expiry": [
                {"expiry": pd.Timestamp(e).date().isoformat(), "gex_usd_per_1pct": float(g)}
                for e, g in zip(self.by_expiry["expiry"], self.by_expiry["gex_usd_per_1pct"],
                                strict=True)
            ],
            "profile": {
                "spot": [float(x) for x in self.profile["spot"]],
                "gex_usd_per_1pct": [float(x) for x in self.profile["gex_usd_per_1pct"]],
            },
            "hedge_flow_usd_per_1pct": json_safe(self.hedge_flow_usd_per_1pct),
            "zero_dte_share": json_safe(self.zero_dte_share),
            "assumptions": json_safe(self.assumptions),
            "warnings": list(self.warnings),
        }
        if detail:
            out.update({
                "dex_usd": json_safe(self.dex_usd),
                "vanna_usd_per_vol_pt": json_safe(self.vanna_usd_per_vol_pt),
                "charm_usd_per_day": json_safe(self.charm_usd_per_day),
                "zero_gamma_ex_next_expiry": json_safe(self.zero_gamma_ex_next_expiry),
                "zero_gamma_ex_next_monthly": json_safe(self.zero_gamma_ex_next_monthly),
                "next_expiry": json_safe(self.next_expiry),
                "next_monthly_expiry": json_safe(self.next_monthly_expiry),
                "by_strike": json_safe(self.by_strike),
                "by_expiry_detail": json_safe(self.by_expiry),
                "profile_detail": {c: json_safe(self.profile[c].to_numpy())
                                   for c in self.profile.columns},
                "sign_convention_sensitivity": json_safe(self.sensitivity),
                "zero_dte": self.zero_dte.to_dict(),
            })
        return out

    def to_frame(self) -> pd.DataFrame:
        """GEX by strike (USD per 1 % move)."""
        return self.by_strike.copy()

    def summary(self) -> str:
        """Text summary: headline levels, exposures and the sign-convention sensitivity."""

        def fmt(x: float | None, money: bool = False) -> str:
            if x is None or not np.isfinite(x):
                return "n/a"
            return f"{x / 1e9:+.2f} bn USD" if money else f"{x:,.2f}"

        a = self.assumptions
        lines = [
            f"Dealer gamma - {self.underlying} @ {self.spot:,.2f}, as of {self.asof}",
            f"  sign convention: {a.get('sign_convention_label')}",
            f"  total GEX: {fmt(self.total_gex_usd_per_1pct, True)} per 1 %",
            f"  zero gamma: {fmt(self.zero_gamma)}  (all crossings: "
            f"{', '.join(f'{c:,.2f}' for c in self.zero_gamma_crossings) or 'none'})",
            f"  call wall: {fmt(self.call_wall)}   put wall: {fmt(self.put_wall)}   "
            f"abs gamma strike: {fmt(self.abs_gamma_strike)}",
            f"  hedge flow for a 1 % drop: {fmt(self.hedge_flow_usd_per_1pct, True)}",
            f"  DEX: {fmt(self.dex_usd, True)}",
            f"  vanna: {fmt(self.vanna_usd_per_vol_pt, True)} per vol point   "
            f"charm: {fmt(self.charm_usd_per_day, True)} per day",
            f"  zero gamma ex next expiry: {fmt(self.zero_gamma_ex_next_expiry)}  "
            f"ex next monthly: {fmt(self.zero_gamma_ex_next_monthly)}",
            f"  0DTE volume share: "
            f"{'n/a' if self.zero_dte_share is None else f'{self.zero_dte_share:.1%}'}",
            "  sensitivity to the dealer sign convention:",
        ]
        for _, r in self.sensitivity.iterrows():
            tot = fmt(r["total_gex_usd_per_1pct"], True)
            lines.append(f"    {r['sign_convention']:<24} total {tot}"
                         f"  zero gamma {fmt(r['zero_gamma'])}")
        lines.append("  assumptions:")
        lines.extend(f"    {k}: {v}" for k, v in a.items() if k != "sign_convention_label")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    # ------------------------------------------------------------------ flows
    def hedge_flow(self, move_pct: float, method: str = "linear") -> float:
        """Dealer hedge flow (USD; + = dealers buy) for a move of ``move_pct`` percent.

        Parameters
        ----------
        move_pct : float
            Underlying move in percent (``-2.0`` = a 2 % drop).
        method : {"linear", "revalue"}, default "linear"
            ``linear``: ``-GEX * move_pct``. ``revalue``: reprice every contract's delta at the
            moved spot (sticky strike, same time) and trade the change at the new price.

        Returns
        -------
        float
        """
        if not np.isfinite(move_pct) or move_pct <= -100:
            raise ParameterError(f"move_pct must be a finite percentage > -100, got {move_pct}")
        if method == "linear":
            return float(-self.total_gex_usd_per_1pct * move_pct)
        if method != "revalue":
            raise ParameterError(f"method: '{method}' is not one of linear, revalue")
        c = self.contracts
        r = float(self.assumptions["rate"])
        q = float(self.assumptions["dividend_yield"])
        new_spot = self.spot * (1.0 + move_pct / 100.0)
        is_call = (c["option_type"] == "C").to_numpy()
        args = (c["strike"].to_numpy(), c["t_years"].to_numpy(), c["iv_used"].to_numpy(), r, q,
                is_call)
        d_new = bsm_greeks(new_spot, *args).delta
        shares = c["sign"].to_numpy() * c["open_interest"].to_numpy() * c["multiplier"].to_numpy()
        return float(-np.sum(shares * (d_new - c["delta"].to_numpy())) * new_spot)

    # ------------------------------------------------------------------ plots
    def plot_by_strike(self, window_pct: float = 15.0) -> Any:
        """Bar chart of call/put/net GEX by strike with spot, walls and zero gamma marked."""
        from crashlens.options._plots import plot_by_strike

        return plot_by_strike(self, window_pct)

    def plot_profile(self) -> Any:
        """GEX profile over hypothetical spots with the zero line and zero-gamma level."""
        from crashlens.options._plots import plot_profile

        return plot_profile(self)

    def plot_by_expiry(self) -> Any:
        """Bars of net GEX by expiry."""
        from crashlens.options._plots import plot_by_expiry

        return plot_by_expiry(self)
