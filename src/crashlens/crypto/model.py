"""Liquidation model on market open interest: one parameter set for every day.

Positions (METHODOLOGY §4; a reconstruction, exchanges do not publish positions):

* **Both sides hold the whole OI.** Every contract has a long and a short holder, so the long
  book and the short book each carry the liquidatable market OI (market OI less the venues
  without a liquidation engine, CME by default, whose share is read from the per-exchange
  snapshot at or before each time).
* **Leverage distribution** (:data:`DEFAULT_LEVERAGE`, notional weights, the same for longs
  and shorts): 2x 35 %, 5x 20 %, 10x 20 %, 20x 13 %, 50x 8 %, 100x 4 %. The tiers are the
  ones CoinGlass's and Hyblock's public liquidation maps use (10/25/50/100x) plus low tiers
  for hedged and basis books. The weights are an assumption, not a measurement: no venue
  publishes positions by leverage. They were fixed before any replay, so that the
  notional-weighted margin ratio ``sum w / L`` (0.24) has the order of CryptoQuant's public
  "estimated leverage ratio" for Binance BTC in 2025 (open interest / exchange reserve,
  about 0.2 - 0.3).
* **Margin type**: a share ``cross_share`` (default 0.5) of each tier is in cross margin,
  backed by ``cross_collateral_multiple`` (default 2) times its initial margin, so it
  behaves like isolated margin at ``L / 2``. Binance's UI defaults to cross margin; the split
  is an assumption.
* **Maintenance tiers** (:data:`DEFAULT_MAINTENANCE`, Binance USDⓈ-M BTCUSDT leverage and
  margin brackets as published in 2025: max leverage -> maintenance margin rate): a
  position at leverage L sits in the largest bracket that allows L, up to the 70 - 100 m USD
  bracket (20x, 2.5 %): larger single positions are rare, so they are not modelled.
  Liquidation price (isolated, one-way, cum = 0): long ``EP (1 - 1/L) / (1 - mmr)``, short
  ``EP (1 + 1/L) / (1 + mmr)`` (:func:`crashlens.crypto.liquidation.liquidation_price`).
* **Entry prices**: the model walks the OI path; when a side's surviving notional is below
  the OI, the difference opens at the step's mid price ``(P_start + P_end) / 2``; when above,
  survivors are closed pro rata (voluntary closing). The book is seeded at the first step
  of a ``lookback_days`` window with all OI at that step's price.
* **Liquidation**: a cohort is liquidated when a step's low (longs) or high (shorts) reaches
  its liquidation price; its notional is counted as liquidated (notional, as CoinGlass
  reports liquidations).

The cascade (scenarios of the snapshot) uses these cohorts with the linear impact of
:func:`crashlens.crypto.liquidation.cascade`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from crashlens.crypto import liquidation as liq
from crashlens.errors import ParameterError

#: Leverage tiers (x) and the share of each side's notional at each (sums to 1).
DEFAULT_LEVERAGE: tuple[tuple[float, float], ...] = (
    (2.0, 0.35), (5.0, 0.20), (10.0, 0.20), (20.0, 0.13), (50.0, 0.08), (100.0, 0.04))
#: Binance USDⓈ-M BTCUSDT brackets (2025): (max leverage, maintenance margin rate), the
#: brackets up to 100 m USD notional.
DEFAULT_MAINTENANCE: tuple[tuple[float, float], ...] = (
    (125.0, 0.004), (100.0, 0.005), (75.0, 0.0065), (50.0, 0.01), (25.0, 0.02), (20.0, 0.025))


@dataclasses.dataclass(frozen=True)
class LiquidationModel:
    """Every parameter of the liquidation model (see the module docstring for sources).

    Attributes
    ----------
    leverage : sequence of (float, float)
        (leverage x, notional weight); weights are normalised.
    cross_share : float
        Share of each tier's notional in cross margin (0..1).
    cross_collateral_multiple : float
        Collateral of a cross position as a multiple of its initial margin (>= 1).
    maintenance : sequence of (float, float)
        (max leverage, maintenance margin rate) brackets.
    lookback_days : int
        Days of OI history the book is built on before the first step counted.
    exclude_venues : tuple of str
        Venues without a liquidation engine, left out of the liquidatable OI.
    impact : float
        Linear price impact of the cascade (fraction of price per unit share of OI).
    """

    leverage: tuple[tuple[float, float], ...] = DEFAULT_LEVERAGE
    cross_share: float = 0.5
    cross_collateral_multiple: float = 2.0
    maintenance: tuple[tuple[float, float], ...] = DEFAULT_MAINTENANCE
    lookback_days: int = 90
    exclude_venues: tuple[str, ...] = ("CME",)
    impact: float = 0.3

    def __post_init__(self) -> None:
        lev = np.asarray([x for x, _ in self.leverage], dtype=float)
        w = np.asarray([y for _, y in self.leverage], dtype=float)
        if lev.size == 0 or (lev < 1).any() or (w < 0).any() or w.sum() <= 0:
            raise ParameterError("leverage: need (leverage >= 1, weight >= 0) pairs with a "
                                 f"positive total weight, got {self.leverage}")
        if not 0 <= self.cross_share <= 1:
            raise ParameterError(f"cross_share must be in [0, 1], got {self.cross_share}")
        if self.cross_collateral_multiple < 1:
            raise ParameterError("cross_collateral_multiple must be >= 1, got "
                                 f"{self.cross_collateral_multiple}")
        if not self.maintenance or any(not 0 <= m < 1 or x < 1 for x, m in self.maintenance):
            raise ParameterError(f"maintenance: need (max leverage >= 1, 0 <= mmr < 1) "
                                 f"brackets, got {self.maintenance}")
        if lev.max() > max(x for x, _ in self.maintenance):
            raise ParameterError(f"leverage {lev.max():g}x exceeds every maintenance bracket")
        if self.lookback_days < 1:
            raise ParameterError(f"lookback_days must be >= 1, got {self.lookback_days}")
        if self.impact < 0:
            raise ParameterError(f"impact must be >= 0, got {self.impact}")

    def mmr(self, leverage: float) -> float:
        """Maintenance rate of the largest modelled bracket that allows ``leverage``."""
        allowed = [m for x, m in self.maintenance if x >= leverage]
        return max(allowed)

    def cohorts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per cohort: effective leverage, mmr and weight (one side; weights sum to 1)."""
        lev, mmr, wt = [], [], []
        total = sum(w for _, w in self.leverage)
        for x, w in self.leverage:
            m = self.mmr(x)
            for eff, share in ((x, 1.0 - self.cross_share),
                               (max(x / self.cross_collateral_multiple, 1.0), self.cross_share)):
                if share > 0 and w > 0:
                    lev.append(eff)
                    mmr.append(m)
                    wt.append(w / total * share)
        return np.asarray(lev), np.asarray(mmr), np.asarray(wt)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """The parameters, for ``assumptions``."""
        out = dataclasses.asdict(self)
        out["margin_ratio_sum_w_over_l"] = float(sum(
            w / x for x, w in self.leverage) / sum(w for _, w in self.leverage))
        out["entry_price"] = "mid of the step in which OI rose"
        out["seed"] = "all OI at the first step's price, lookback_days before the replay"
        out["liquidation_formula"] = "Binance USDT-M isolated one-way, cum = 0"
        return out


def liquidation_levels(model: LiquidationModel, entry: float | np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Long and short liquidation prices per cohort (rows: entries, columns: cohorts)."""
    lev, mmr, wt = model.cohorts()
    ep = np.atleast_1d(np.asarray(entry, dtype=float))
    lp_long = np.column_stack([liq.liquidation_price(ep, x, "long", m) for x, m in zip(lev, mmr,
                                                                                      strict=True)])
    lp_short = np.column_stack([liq.liquidation_price(ep, x, "short", m)
                                for x, m in zip(lev, mmr, strict=True)])
    return lp_long, lp_short, wt


def simulate(oi: np.ndarray, p_start: np.ndarray, p_end: np.ndarray, low: np.ndarray,
             high: np.ndarray, model: LiquidationModel
             ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Walk an OI and price path and count liquidations per step (numpy kernel).

    Parameters
    ----------
    oi : ndarray, shape (T,)
        Liquidatable OI (USD) at the end of each step; step 0 seeds the book.
    p_start, p_end : ndarray, shape (T,)
        Price at the start and end of each step (USD).
    low, high : ndarray, shape (T,)
        Lowest and highest price within each step (USD).
    model : LiquidationModel

    Returns
    -------
    long_liq, short_liq : ndarray, shape (T,)
        Notional liquidated (USD) in each step (0 at step 0).
    book : dict
        Surviving cohorts after the last step: ``level`` (liquidation price), ``notional``
        (USD), ``is_long`` (bool).
    """
    arrays = [np.asarray(a, dtype=float) for a in (oi, p_start, p_end, low, high)]
    n = arrays[0].size
    if any(a.shape != (n,) for a in arrays) or n == 0:
        raise ParameterError("oi, p_start, p_end, low and high must be 1-d of equal length")
    oi, p0, p1, lo, hi = arrays
    if not np.isfinite(oi).all() or (oi < 0).any():
        raise ParameterError("open interest must be finite and >= 0 at every step")
    mid = 0.5 * (p0 + p1)
    if not (np.isfinite(mid).all() and (mid > 0).all()):
        raise ParameterError("prices must be finite and > 0 at every step")
    lp_l, lp_s, wt = liquidation_levels(model, mid)  # (T, K)
    k = wt.size
    not_l = np.zeros((n, k))
    not_s = np.zeros((n, k))
    not_l[0] = oi[0] * wt
    not_s[0] = oi[0] * wt
    long_liq = np.zeros(n)
    short_liq = np.zeros(n)
    for t in range(1, n):
        live_l, live_s = not_l[:t], not_s[:t]
        hit_l = lp_l[:t] >= lo[t]
        hit_s = lp_s[:t] <= hi[t]
        long_liq[t] = live_l[hit_l].sum()
        short_liq[t] = live_s[hit_s].sum()
        live_l[hit_l] = 0.0
        live_s[hit_s] = 0.0
        for book, new in ((live_l, not_l[t]), (live_s, not_s[t])):
            held = book.sum()
            if held > oi[t]:
                book *= oi[t] / held  # voluntary closing, pro rata
            else:
                new[:] = (oi[t] - held) * wt  # new positions at this step's mid price
    level = np.r_[lp_l.ravel(), lp_s.ravel()]
    notional = np.r_[not_l.ravel(), not_s.ravel()]
    is_long = np.r_[np.ones(n * k, bool), np.zeros(n * k, bool)]
    keep = notional > 0
    return long_liq, short_liq, {"level": level[keep], "notional": notional[keep],
                                 "is_long": is_long[keep]}


def tiers_table(model: LiquidationModel, price: float, sides: Sequence[str] = ("long", "short")
                ) -> list[dict[str, float]]:
    """Liquidation price at ``price`` per leverage tier (isolated), with its bracket's mmr."""
    out = []
    for x, w in model.leverage:
        m = model.mmr(x)
        row = {"leverage": x, "weight": w, "mmr": m}
        for s in sides:
            row[s] = float(liq.liquidation_price(price, x, s, m))
        out.append(row)
    return out
