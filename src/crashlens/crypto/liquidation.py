"""Liquidation prices, a reconstructed liquidation map and a liquidation-cascade simulation.

Liquidation price (Binance USDⓈ-M, one-way mode, isolated margin; METHODOLOGY §4.1)::

    LP = (WB + cum - side * Q * EP) / (Q * MMR - side * Q)

with wallet balance ``WB = Q * EP / L``, maintenance amount ``cum`` (0 in the first bracket),
``side = +1`` long, ``-1`` short. With ``cum = 0``: long ``LP = EP (1 - 1/L) / (1 - MMR)``,
short ``LP = EP (1 + 1/L) / (1 + MMR)``.

Liquidation map (a reconstruction; Coinglass models are proprietary): each day with rising
open interest adds the new notional at that day's close, split long / short by
``long_share`` and over leverage tiers by ``tier_weights``; each cohort sits at its
liquidation price. A cohort is removed ("consumed") when a later day's low (longs) or high
(shorts) trades through it; when open interest falls, surviving cohorts are scaled down in
proportion (positions closed voluntarily); an optional half-life decays old cohorts. The
result is relative intensity by price bin: where liquidations would start, not totals.

Cascade: a price shock liquidates the longs (down) or shorts (up) between the old and new
price; their forced market orders move the price further by a **linear impact**: liquidating a
share ``x`` of the reference open interest moves the price by ``impact * x`` of the pre-shock
price (``impact`` default 0.3: liquidating 10 % of open interest moves price 3 %; loosely
calibrated on 10-Oct-2025, when BTC perp OI fell ~30 % and the daily close fell ~7-8 %). Rounds
repeat until a round liquidates less than ``tol`` of open interest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crashlens.errors import InsufficientDataError, ParameterError

#: Default leverage tiers and the share of new notional opened at each.
DEFAULT_TIERS: tuple[float, ...] = (5.0, 10.0, 25.0, 50.0, 100.0)
DEFAULT_TIER_WEIGHTS: tuple[float, ...] = (0.30, 0.30, 0.20, 0.12, 0.08)
#: Binance first-bracket maintenance margin rate for BTCUSDT perpetuals.
DEFAULT_MMR = 0.004


def liquidation_price(entry: float | np.ndarray, leverage: float | np.ndarray,
                      side: str = "long", mmr: float = DEFAULT_MMR, cum: float = 0.0,
                      quantity: float = 1.0) -> np.ndarray:
    """Binance USDⓈ-M liquidation price of an isolated one-way position.

    Parameters
    ----------
    entry : float or ndarray
        Entry price EP (USD).
    leverage : float or ndarray
        Initial leverage L (> 0); the wallet balance is ``Q * EP / L``.
    side : {"long", "short"}
        Position side.
    mmr : float
        Maintenance margin rate of the position's bracket (default 0.004).
    cum : float
        Maintenance amount of the bracket (USD, default 0).
    quantity : float
        Position size Q in coins (only matters when ``cum != 0``).

    Returns
    -------
    ndarray
        Liquidation price (USD), broadcast over ``entry`` and ``leverage``; 0 where a long
        can never be liquidated (``L <= 1`` with ``cum = 0``).
    """
    if side not in {"long", "short"}:
        raise ParameterError(f"side must be 'long' or 'short', got {side!r}")
    if not 0 <= mmr < 1:
        raise ParameterError(f"mmr must be in [0, 1), got {mmr}")
    ep = np.asarray(entry, dtype=float)
    lev = np.asarray(leverage, dtype=float)
    if (ep <= 0).any() or (lev <= 0).any() or quantity <= 0:
        raise ParameterError("entry, leverage and quantity must be > 0")
    s = 1.0 if side == "long" else -1.0
    wb = quantity * ep / lev
    lp = (wb + cum - s * quantity * ep) / (quantity * mmr - s * quantity)
    return np.asarray(np.maximum(lp, 0.0))


def _validate_tiers(tiers: Sequence[float], weights: Sequence[float]) -> tuple[np.ndarray,
                                                                              np.ndarray]:
    t = np.asarray(tiers, dtype=float)
    w = np.asarray(weights, dtype=float)
    if t.shape != w.shape or t.ndim != 1 or t.size == 0:
        raise ParameterError(f"tiers {tuple(tiers)} and tier_weights {tuple(weights)} must be "
                             "non-empty and of equal length")
    if (t <= 0).any() or (w < 0).any() or w.sum() <= 0:
        raise ParameterError("tiers must be > 0 and tier_weights >= 0 with a positive sum")
    return t, w / w.sum()


def build_cohorts(oi: np.ndarray, close: np.ndarray, low: np.ndarray, high: np.ndarray,
                  *, tiers: Sequence[float] = DEFAULT_TIERS,
                  tier_weights: Sequence[float] = DEFAULT_TIER_WEIGHTS,
                  long_share: float = 0.5, mmr: float = DEFAULT_MMR,
                  decay_halflife: float | None = None, n_oi: int | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Surviving position cohorts at the last row (the map before binning).

    Parameters
    ----------
    oi : ndarray, shape (T,)
        Open interest, USD notional; rows after ``n_oi`` are ignored (coverage end).
    close, low, high : ndarray, shape (T,)
        Prices of the same days (low/high NaN: the close is used).
    tiers, tier_weights, long_share, mmr, decay_halflife
        See the module docstring.
    n_oi : int, optional
        Rows with open interest (default all); later rows only consume cohorts.

    Returns
    -------
    lp : ndarray, shape (M,)
        Liquidation price of each cohort.
    notional : ndarray, shape (M,)
        Surviving USD notional (0 when consumed).
    is_long : ndarray of bool, shape (M,)
    """
    t_arr, w_arr = _validate_tiers(tiers, tier_weights)
    if not 0 <= mmr < 1:
        raise ParameterError(f"mmr must be in [0, 1), got {mmr}")
    if (1.0 / t_arr <= mmr).any():
        raise ParameterError(f"leverage tier {t_arr[1.0 / t_arr <= mmr][0]:g} is at or above "
                             f"1 / mmr = {1 / mmr:g}: such a position is liquidated at entry")
    if not 0 <= long_share <= 1:
        raise ParameterError(f"long_share must be in [0, 1], got {long_share}")
    n = len(close)
    n_oi = n if n_oi is None else n_oi
    lo = np.where(np.isnan(low), close, low)
    hi = np.where(np.isnan(high), close, high)
    k = t_arr.size
    lp_l = (1.0 - 1.0 / t_arr) / (1.0 - mmr)
    lp_s = (1.0 + 1.0 / t_arr) / (1.0 + mmr)
    m = 2 * k * n
    lp = np.zeros(m)
    notional = np.zeros(m)
    is_long = np.tile(np.r_[np.ones(k, bool), np.zeros(k, bool)], n)
    alive = np.zeros(m, dtype=bool)
    decay = 1.0 if decay_halflife is None else 0.5 ** (1.0 / decay_halflife)
    for d in range(1, n):
        sl = slice(2 * k * d, 2 * k * (d + 1))
        # 1. today's range consumes living cohorts opened earlier
        hit = alive & np.where(is_long, lo[d] <= lp, hi[d] >= lp)
        notional[hit] = 0.0
        alive &= ~hit
        notional[alive] *= decay
        if d >= n_oi:
            continue
        doi = oi[d] - oi[d - 1]
        if doi < 0 and oi[d - 1] > 0:
            # 2. falling OI: positions closed in proportion
            notional[alive] *= oi[d] / oi[d - 1]
        elif doi > 0 and np.isfinite(close[d]):
            # 3. new positions at today's close
            lp[sl] = close[d] * np.r_[lp_l, lp_s]
            notional[sl] = doi * np.r_[long_share * w_arr, (1 - long_share) * w_arr]
            alive[sl] = notional[sl] > 0
    keep = notional > 0
    return lp[keep], notional[keep], is_long[keep]


def bin_cohorts(lp: np.ndarray, notional: np.ndarray, is_long: np.ndarray, price: float,
                bin_pct: float = 0.01, range_pct: float = 0.5) -> pd.DataFrame:
    """Bin cohorts by liquidation price around ``price``.

    Returns
    -------
    DataFrame
        One row per bin: ``price_low``, ``price_high``, ``long_usd``, ``short_usd``,
        ``intensity`` (total / max total, 0..1). Bins of width ``bin_pct * price`` cover
        ``price * (1 +- range_pct)``.
    """
    if not 0 < bin_pct < range_pct <= 1:
        raise ParameterError(f"need 0 < bin_pct < range_pct <= 1, got {bin_pct}, {range_pct}")
    nb = round(2 * range_pct / bin_pct)
    edges = price * (1.0 - range_pct) + np.arange(nb + 1) * bin_pct * price
    lng, _ = np.histogram(lp[is_long], edges, weights=notional[is_long])
    sht, _ = np.histogram(lp[~is_long], edges, weights=notional[~is_long])
    tot = lng + sht
    mx = tot.max()
    return pd.DataFrame({"price_low": edges[:-1], "price_high": edges[1:], "long_usd": lng,
                         "short_usd": sht,
                         "intensity": tot / mx if mx > 0 else np.zeros_like(tot)})


def cascade(price: float, shock: float, levels: np.ndarray, notional: np.ndarray,
            reference_oi: float, *, impact: float = 0.3, tol: float = 1e-4,
            max_rounds: int = 100) -> dict[str, Any]:
    """Simulate a liquidation cascade after a price shock.

    Parameters
    ----------
    price : float
        Pre-shock price P0.
    shock : float
        Initial move as a fraction (``-0.05`` = -5 %); negative liquidates longs.
    levels : ndarray, shape (M,)
        Liquidation prices of the positions on the shocked side (longs for a fall).
    notional : ndarray, shape (M,)
        Their USD notional.
    reference_oi : float
        Open interest (USD) the impact is scaled by.
    impact : float
        Linear impact: liquidating a share ``x`` of ``reference_oi`` moves the price by
        ``impact * x * P0``.
    tol : float
        Stop when a round liquidates less than ``tol * reference_oi``.
    max_rounds : int
        Hard cap on rounds.

    Returns
    -------
    dict
        ``initial_price``, ``shock``, ``final_price``, ``total_move`` (fraction),
        ``liquidated_usd``, ``liquidated_share_of_oi``, ``rounds``, ``amplification``
        (total move / shock), ``path`` (price after each round), ``impact``.
    """
    if price <= 0 or reference_oi <= 0:
        raise ParameterError("price and reference_oi must be > 0")
    if impact < 0 or not -1 < shock < 10:
        raise ParameterError(f"impact must be >= 0 and shock in (-1, 10), got {impact}, {shock}")
    lv = np.asarray(levels, dtype=float)
    nt = np.asarray(notional, dtype=float).copy()
    down = shock < 0
    p_prev, p = price, price * (1.0 + shock)
    total = 0.0
    path = [p]
    rounds = 0
    while rounds < max_rounds:
        hit = (lv >= p) & (lv < p_prev) if down else (lv <= p) & (lv > p_prev)
        liq = float(nt[hit].sum())
        nt[hit] = 0.0
        rounds += 1
        total += liq
        if liq < tol * reference_oi:
            break
        step = impact * liq / reference_oi * price
        p_prev, p = p, max(p - step, 0.0) if down else p + step
        path.append(p)
    move = p / price - 1.0
    return {"initial_price": price, "shock": shock, "final_price": p, "total_move": move,
            "liquidated_usd": total, "liquidated_share_of_oi": total / reference_oi,
            "rounds": rounds, "amplification": move / shock if shock else float("nan"),
            "path": path, "impact": impact}


def map_inputs(oi: pd.Series, prices: pd.DataFrame, asof: pd.Timestamp,
               lookback_days: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Align OI (coverage may end before ``asof``) and prices on a daily calendar.

    Returns ``(oi, close, low, high, n_oi)`` for :func:`build_cohorts`, over the last
    ``lookback_days`` days of OI up to ``asof`` followed by the price days after the OI end.
    """
    oi = oi.dropna().loc[:asof]
    if len(oi) < 2:
        raise InsufficientDataError(f"open interest has fewer than 2 days up to {asof.date()}")
    start = oi.index[-1] - pd.Timedelta(days=lookback_days)
    days = pd.date_range(max(start, oi.index[0]), asof, freq="D")
    px = prices.loc[:asof].reindex(days)
    px["close"] = px["close"].ffill(limit=3)
    o = oi.reindex(days)
    n_oi = int(np.searchsorted(days, oi.index[-1], side="right"))
    o = o.iloc[:n_oi].ffill()
    ok = px["close"].notna().to_numpy()
    if not ok[:n_oi].any():
        raise InsufficientDataError("no prices over the open-interest window")
    return (np.r_[o.to_numpy(), np.full(len(days) - n_oi, np.nan)],
            px["close"].to_numpy(), px["low"].to_numpy(), px["high"].to_numpy(), n_oi)
