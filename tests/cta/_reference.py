"""Slow, independent reference of the CTA replica for one asset (plain Python loops / pandas).

Written from METHODOLOGY §1 directly, sharing no code with ``crashlens.cta``: EWMA variance by
an explicit loop, EMAs by loops, SMAs by slicing, the EWMAC scalar by summing its series
numerically (the engine uses the closed form), triggers by bisection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

HORIZONS = (10, 21, 63, 126, 252)
COM = 60.0
ANN = 261.0
FLOOR = 0.005
TARGET = 0.10
CAP = 1.0


@cache
def ewmac_scalar_numeric(fast: float, slow: float, target_abs: float = 10.0) -> float:
    a, b = 1 - 2 / (slow + 1), 1 - 2 / (fast + 1)
    var = sum((a ** (k + 1) - b ** (k + 1)) ** 2 for k in range(20000))
    return target_abs / (math.sqrt(2 / math.pi) * math.sqrt(var))


@dataclass
class State:
    prices: list[float]
    var: float
    emas: dict[float, float]


def _sign(x: float) -> float:
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def fit_state(prices: list[float]) -> State:
    """Variance and EMAs after the last close (loops from the first close)."""
    alpha = 1 / (1 + COM)
    var = math.nan
    for i in range(1, len(prices)):
        r2 = math.log(prices[i] / prices[i - 1]) ** 2
        var = r2 if math.isnan(var) else alpha * r2 + (1 - alpha) * var
    emas = {}
    for h in HORIZONS:
        for span in (h / 4.0, float(h)):
            a = 2 / (span + 1)
            e = prices[0]
            for x in prices[1:]:
                e = a * x + (1 - a) * e
            emas[span] = e
    return State(list(prices), var, emas)


def step(state: State, price: float, hold_vol: bool = False) -> State:
    """Append one close (vol held or updated)."""
    alpha = 1 / (1 + COM)
    var = state.var
    if not hold_vol:
        var = alpha * math.log(price / state.prices[-1]) ** 2 + (1 - alpha) * var
    emas = {s: 2 / (s + 1) * price + (1 - 2 / (s + 1)) * e for s, e in state.emas.items()}
    return State([*state.prices, price], var, emas)


def components(state: State) -> dict[str, float]:
    p = state.prices
    t = len(p) - 1
    sig = max(math.sqrt(state.var), FLOOR / math.sqrt(ANN))
    out = {}
    for h in HORIZONS:
        out[f"tsmom_{h}"] = _sign(p[t] - p[t - h])
    for h in HORIZONS:
        z = math.log(p[t] / p[t - h]) / (sig * math.sqrt(h))
        out[f"norm_mom_{h}"] = max(-CAP, min(CAP, z)) / CAP
    for h in HORIZONS:
        k = ewmac_scalar_numeric(h / 4.0, h)
        f = k * (state.emas[h / 4.0] - state.emas[float(h)]) / (p[t] * sig)
        out[f"ewmac_{h}"] = max(-20.0, min(20.0, f)) / 20.0
    for h in HORIZONS:
        nf = max(1, round(h / 4))
        fast = sum(p[t - nf + 1:t + 1]) / nf
        slow = sum(p[t - h + 1:t + 1]) / h
        out[f"ma_cross_{h}"] = _sign(fast - slow)
    return out


def blended(state: State, group: str = "all") -> float:
    comps = components(state)
    keys = [k for k in comps
            if group == "all" or _group(int(k.rsplit("_", 1)[1])) == group]
    return sum(comps[k] for k in keys) / len(keys)


def _group(h: int) -> str:
    return "short" if h <= 21 else ("medium" if h <= 126 else "long")


def sig_ann(state: State) -> float:
    return max(math.sqrt(state.var), FLOOR / math.sqrt(ANN)) * math.sqrt(ANN)


def weight(state: State) -> float:
    """Single-asset book: w = target * S / sigma_ann, gross cap 4."""
    w = TARGET * blended(state) / sig_ann(state)
    return max(-4.0, min(4.0, w))


def trigger(state: State, group: str, bracket: float = 0.3) -> float:
    """Bisection on tomorrow's close for the group's blended signal (vol held)."""
    spot = state.prices[-1]

    def f(x: float) -> float:
        return blended(step(state, x, hold_vol=True), group)

    grid = list(np.exp(np.linspace(math.log(1 - bracket), math.log(1 + bracket), 121)) * spot)
    vals = [f(x) for x in grid]
    cells = [i for i in range(120) if _sign(vals[i]) != _sign(vals[i + 1])]
    if not cells:
        return math.nan
    i = min(cells, key=lambda c: abs(math.log(math.sqrt(grid[c] * grid[c + 1]) / spot)))
    lo, hi = grid[i], grid[i + 1]
    flo = vals[i]
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if _sign(fm) == _sign(flo) and fm != 0:
            lo, flo = mid, fm
        else:
            hi = mid
    return 0.5 * (lo + hi)


def path_flow(state: State, path: list[float], aum: float) -> float:
    """USD traded along a path: sum (c_k - c_{k-1}) P_k with c = aum w / P."""
    c_prev = aum * weight(state) / state.prices[-1]
    total = 0.0
    s = state
    for price in path:
        s = step(s, price)
        c = aum * weight(s) / price
        total += (c - c_prev) * price
        c_prev = c
    return total


def pandas_weights(close: pd.Series) -> pd.Series:
    """Whole-history single-asset weights with pandas (for percentiles)."""
    r2 = np.log(close).diff() ** 2
    var = r2.iloc[1:].ewm(alpha=1 / (1 + COM), adjust=False).mean().reindex(close.index)
    sig = np.maximum(np.sqrt(var), FLOOR / math.sqrt(ANN))
    parts = []
    for h in HORIZONS:
        parts.append(np.sign(close - close.shift(h)))
        z = np.log(close / close.shift(h)) / (sig * math.sqrt(h))
        parts.append(z.clip(-CAP, CAP) / CAP)
        k = ewmac_scalar_numeric(h / 4.0, h)
        ef = close.ewm(span=h / 4.0, adjust=False).mean()
        es = close.ewm(span=h, adjust=False).mean()
        parts.append((k * (ef - es) / (close * sig)).clip(-20, 20) / 20)
        nf = max(1, round(h / 4))
        parts.append(np.sign(close.rolling(nf).mean() - close.rolling(h).mean()))
    s = sum(parts) / len(parts)
    return (TARGET * s / (sig * math.sqrt(ANN))).clip(-4, 4)
