"""Trigger (pivot) levels and the conditional-flow curve (METHODOLOGY §1.5).

All levels are for *tomorrow's* close ``P_{t+1}`` with the vol held at its day-``t`` value.

Closed forms per component (``A_n`` = sum of the last ``n - 1`` closes up to ``t``):

* TSMOM sign and normalised momentum: ``P* = P_{t+1-h}``; the capped signal saturates at
  ``P_{t+1-h} exp(+-c sigma sqrt(h))``;
* SMA crossover (``n_f < n_s``): ``P* = (n_f A_s - n_s A_f) / (n_s - n_f)`` (``n_f = 1``: price
  versus SMA, ``A_s / (n_s - 1)``);
* EMA crossover, ``alpha = 2/(span+1)``: ``P* = ((1-a_s) E_s - (1-a_f) E_f) / (a_f - a_s)``.

Aggregate short / medium / long triggers: the root of the group's blended signal
``S_g(P) = 0`` found with :func:`scipy.optimize.brentq` on ``[(1-b) P_t, (1+b) P_t]``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from crashlens.cta.params import SignalFamily
from crashlens.cta.signals import AssetModel, Component, extend

GROUPS: tuple[str, ...] = ("short", "medium", "long")


def component_trigger(model: AssetModel, t: int, part: Component) -> float:
    """Closed-form price of tomorrow's close at which one component changes sign.

    Parameters
    ----------
    model : AssetModel
    t : int
        Index of today's close.
    part : Component

    Returns
    -------
    float
        Price level; NaN when no positive price flips the component.
    """
    p = model.prices
    h = part.horizon
    if part.family in (SignalFamily.TSMOM, SignalFamily.NORM_MOM):
        return float(p[t + 1 - h])
    if part.family is SignalFamily.MA_CROSS:
        nf, ns = int(part.fast), h
        a_f = float(p[t + 2 - nf:t + 1].sum()) if nf > 1 else 0.0
        a_s = float(p[t + 2 - ns:t + 1].sum())
        level = (nf * a_s - ns * a_f) / (ns - nf)
    else:
        af, a_s = 2.0 / (part.fast + 1.0), 2.0 / (h + 1.0)
        e_f, e_s = model.emas[float(part.fast)][t], model.emas[float(h)][t]
        level = ((1 - a_s) * e_s - (1 - af) * e_f) / (af - a_s)
    return float(level) if level > 0 else math.nan


def saturation_levels(model: AssetModel, t: int, part: Component) -> tuple[float, float]:
    """Prices at which a capped normalised-momentum component reaches -1 and +1 tomorrow."""
    ref = float(model.prices[t + 1 - part.horizon])
    width = model.params.norm_mom_cap * float(model.sig[t]) * math.sqrt(part.horizon)
    return ref * math.exp(-width), ref * math.exp(width)


def group_signal(model: AssetModel, t: int, prices: np.ndarray, group: str) -> np.ndarray:
    """Blended signal of one horizon group for candidate closes tomorrow (vol held).

    Parameters
    ----------
    prices : ndarray, shape (G,)
        Candidate prices of tomorrow's close.
    group : {"short", "medium", "long", "all"}

    Returns
    -------
    ndarray, shape (G,)
        ``sum_{c in group} w_c s_c(P) / sum_{c in group} w_c``.
    """
    ext = extend(model, t, np.asarray(prices, dtype=np.float64)[:, None], hold_vol=True)
    weights = np.array([c.weight if group in ("all", c.group) else 0.0 for c in model.parts])
    total = weights.sum()
    if total <= 0:
        return np.full(len(prices), np.nan)
    return np.tensordot(weights / total, ext.comps[:, :, 0], axes=1)


def aggregate_trigger(model: AssetModel, t: int, group: str, bracket: float,
                      grid_points: int = 121) -> float:
    """Tomorrow's price at which a group's blended signal crosses zero.

    The bracket ``[(1-b) P_t, (1+b) P_t]`` is scanned on a log grid to find the sign change
    nearest to ``P_t``; :func:`scipy.optimize.brentq` then solves inside that cell.

    Returns
    -------
    float
        The trigger price; NaN when the group has no component or does not flip in the bracket.
    """
    if not any(c.group == group for c in model.parts):
        return math.nan
    spot = float(model.prices[t])
    grid = spot * np.exp(np.linspace(math.log(1 - bracket), math.log(1 + bracket), grid_points))
    vals = group_signal(model, t, grid, group)
    sgn = np.sign(vals)
    cells = np.nonzero(sgn[:-1] != sgn[1:])[0]
    if cells.size == 0:
        return math.nan
    centre = 0.5 * (grid[cells] + grid[cells + 1])
    i = int(cells[np.argmin(np.abs(np.log(centre / spot)))])

    def f(price: float) -> float:
        return float(group_signal(model, t, np.array([price]), group)[0])

    lo, hi = float(grid[i]), float(grid[i + 1])
    if vals[i] == 0.0:
        return lo
    if vals[i + 1] == 0.0:
        return hi
    return float(brentq(f, lo, hi, xtol=1e-10 * spot, rtol=1e-12))


def trade_flow(model: AssetModel, t: int, prices: np.ndarray, weight_now: float,
               scale: float, budget: float, aum: float) -> np.ndarray:
    """USD traded tomorrow if tomorrow's close is each of ``prices`` (vol and scalar held).

    ``w(P) = scale * S(P) * budget / sigma_ann``; trade = ``AUM (w(P) - w_t P / P_t)``
    (contracts bought times price: the notional change not explained by the price move).

    Returns
    -------
    ndarray, shape (G,)
    """
    prices = np.asarray(prices, dtype=np.float64)
    s = group_signal(model, t, prices, "all")
    sig_ann = float(model.sig[t]) * math.sqrt(model.ann)
    w = scale * s * budget / sig_ann
    return aum * (w - weight_now * prices / float(model.prices[t]))
