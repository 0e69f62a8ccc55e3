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

from crashlens.cta._kernels import ewmac_scalar
from crashlens.cta.params import SignalFamily
from crashlens.cta.signals import AssetModel, Component

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


class Tomorrow:
    """Closed-form component signals for tomorrow's close ``P`` with vol held at day ``t``.

    Equivalent to ``extend(model, t, P[:, None], hold_vol=True)`` (tested) but without
    re-running the recursions: every component is an explicit function of ``P``.

    Parameters
    ----------
    model : AssetModel
    t : int
        Index of today's close.
    """

    def __init__(self, model: AssetModel, t: int) -> None:
        self.model, self.t = model, t
        p = model.prices
        self.sig = float(model.sig[t])
        self.cap = model.params.norm_mom_cap
        self.ewmac_cap = model.params.ewmac_cap
        self.consts: list[tuple[float, ...]] = []
        for part in model.parts:
            h = part.horizon
            if part.family in (SignalFamily.TSMOM, SignalFamily.NORM_MOM):
                self.consts.append((math.log(p[t + 1 - h]),))
            elif part.family is SignalFamily.MA_CROSS:
                nf = int(part.fast)
                a_f = float(p[t + 2 - nf:t + 1].sum()) if nf > 1 else 0.0
                self.consts.append((nf, a_f, h, float(p[t + 2 - h:t + 1].sum())))
            else:
                af, a_s = 2.0 / (part.fast + 1.0), 2.0 / (h + 1.0)
                scal = ewmac_scalar(af, a_s, model.params.ewmac_target_abs)
                self.consts.append((af, a_s, model.emas[float(part.fast)][t],
                                    model.emas[float(h)][t], scal))

    def comps(self, prices: np.ndarray) -> np.ndarray:
        """Component signals, shape (C, G), for candidate closes ``prices`` (G,)."""
        x = np.asarray(prices, dtype=np.float64)
        out = np.empty((len(self.consts), x.size))
        logx = np.log(x)
        for c, (part, k) in enumerate(zip(self.model.parts, self.consts, strict=True)):
            if part.family is SignalFamily.TSMOM:
                out[c] = np.sign(logx - k[0])
            elif part.family is SignalFamily.NORM_MOM:
                z = (logx - k[0]) / (self.sig * math.sqrt(part.horizon))
                out[c] = np.clip(z, -self.cap, self.cap) / self.cap
            elif part.family is SignalFamily.MA_CROSS:
                nf, a_f, ns, a_s = k
                out[c] = np.sign((x + a_f) / nf - (x + a_s) / ns)
            else:
                af, a_s, e_f, e_s, scal = k
                diff = (af * x + (1 - af) * e_f) - (a_s * x + (1 - a_s) * e_s)
                f = scal * diff / (x * self.sig)
                out[c] = np.clip(f, -self.ewmac_cap, self.ewmac_cap) / self.ewmac_cap
        return out

    def scalar(self, price: float, group: str) -> float:
        """Blended signal of a group at one candidate close (plain floats, for root finding)."""
        lx = math.log(price)
        num = den = 0.0
        for part, k in zip(self.model.parts, self.consts, strict=True):
            if group not in ("all", part.group):
                continue
            if part.family is SignalFamily.TSMOM:
                d = lx - k[0]
                v = 1.0 if d > 0 else (-1.0 if d < 0 else 0.0)
            elif part.family is SignalFamily.NORM_MOM:
                z = (lx - k[0]) / (self.sig * math.sqrt(part.horizon))
                v = min(max(z, -self.cap), self.cap) / self.cap
            elif part.family is SignalFamily.MA_CROSS:
                nf, a_f, ns, a_s = k
                d = (price + a_f) / nf - (price + a_s) / ns
                v = 1.0 if d > 0 else (-1.0 if d < 0 else 0.0)
            else:
                af, a_s, e_f, e_s, scal = k
                f = scal * ((af * price + (1 - af) * e_f) - (a_s * price + (1 - a_s) * e_s)) \
                    / (price * self.sig)
                v = min(max(f, -self.ewmac_cap), self.ewmac_cap) / self.ewmac_cap
            num += part.weight * v
            den += part.weight
        return num / den if den > 0 else math.nan

    def group(self, prices: np.ndarray, group: str) -> np.ndarray:
        """Blended signal of a group (``short``/``medium``/``long``/``all``), shape (G,)."""
        weights = np.array([c.weight if group in ("all", c.group) else 0.0
                            for c in self.model.parts])
        total = weights.sum()
        if total <= 0:
            return np.full(np.size(prices), np.nan)
        return (weights / total) @ self.comps(prices)


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
    return Tomorrow(model, t).group(np.asarray(prices, dtype=np.float64), group)


def aggregate_triggers(model: AssetModel, t: int, bracket: float, grid_points: int = 121,
                       tomorrow: Tomorrow | None = None) -> dict[str, float]:
    """Tomorrow's price at which each group's blended signal crosses zero.

    The bracket ``[(1-b) P_t, (1+b) P_t]`` is scanned on a log grid to find the sign change
    nearest to ``P_t``; :func:`scipy.optimize.brentq` then solves inside that cell.

    Returns
    -------
    dict
        ``{"short": P*, "medium": P*, "long": P*}``; NaN when a group has no component or does
        not flip inside the bracket.
    """
    tomorrow = tomorrow or Tomorrow(model, t)
    spot = float(model.prices[t])
    grid = spot * np.exp(np.linspace(math.log(1 - bracket), math.log(1 + bracket), grid_points))
    comps = tomorrow.comps(grid)
    out = {}
    for group in GROUPS:
        w = np.array([c.weight if c.group == group else 0.0 for c in model.parts])
        if w.sum() <= 0:
            out[group] = math.nan
            continue
        vals = (w / w.sum()) @ comps
        sgn = np.sign(vals)
        cells = np.nonzero(sgn[:-1] != sgn[1:])[0]
        if cells.size == 0:
            out[group] = math.nan
            continue
        centre = 0.5 * (grid[cells] + grid[cells + 1])
        i = int(cells[np.argmin(np.abs(np.log(centre / spot)))])
        lo, hi = float(grid[i]), float(grid[i + 1])
        if vals[i] == 0.0:
            out[group] = lo
        elif vals[i + 1] == 0.0:
            out[group] = hi
        else:
            out[group] = float(brentq(tomorrow.scalar, lo, hi, args=(group,),
                                      xtol=1e-10 * spot, rtol=1e-12))
    return out


def aggregate_trigger(model: AssetModel, t: int, group: str, bracket: float,
                      grid_points: int = 121) -> float:
    """One group's trigger (see :func:`aggregate_triggers`); NaN when there is none."""
    return aggregate_triggers(model, t, bracket, grid_points).get(group, math.nan)


def trade_flow(model: AssetModel, t: int, prices: np.ndarray, weight_now: float,
               scale: float, budget: float, aum: float,
               tomorrow: Tomorrow | None = None) -> np.ndarray:
    """USD traded tomorrow if tomorrow's close is each of ``prices`` (vol and scalar held).

    ``w(P) = scale * S(P) * budget / sigma_ann``; trade = ``AUM (h(P) - w_t P / P_t)``
    (contracts bought times price: the notional change not explained by the price move),
    where the held weight ``h(P) = w_t + a (w(P) - w_t)`` moves ``a =
    CTAParams.position_step`` of the way to the target (``a = 1``: ``h = w(P)``).

    Returns
    -------
    ndarray, shape (G,)
    """
    prices = np.asarray(prices, dtype=np.float64)
    s = (tomorrow or Tomorrow(model, t)).group(prices, "all")
    sig_ann = float(model.sig[t]) * math.sqrt(model.ann)
    w = scale * s * budget / sig_ann
    cap = model.params.max_asset_leverage
    if cap is not None:
        w = np.clip(w, -cap, cap)
    held = weight_now + model.params.position_step * (w - weight_now)
    return aum * (held - weight_now * prices / float(model.prices[t]))
