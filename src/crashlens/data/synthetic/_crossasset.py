"""Volatility indices, rates, credit, commodities and FX derived from the market factor."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crashlens.data.synthetic._equity import SpxPath
from crashlens.data.synthetic._params import SyntheticParams
from crashlens.data.synthetic._paths import (
    TRADING_DAYS,
    ar1,
    ar_filter,
    ewma,
    interp_anchors,
    rolling_max,
    step_anchors,
    stream,
)

# Stylised anchors (date, level) of slow-moving quantities; noise is added around them.
_UST10Y_ANCHORS = (
    ("2005-01-03", 4.2), ("2007-06-12", 5.2), ("2008-12-18", 2.1), ("2010-04-05", 4.0),
    ("2012-07-25", 1.4), ("2013-12-31", 3.0), ("2016-07-08", 1.4), ("2018-10-05", 3.2),
    ("2019-09-03", 1.5), ("2020-08-04", 0.55), ("2021-03-31", 1.7), ("2022-10-21", 4.2),
    ("2023-10-19", 5.0), ("2024-04-25", 4.7), ("2024-09-16", 3.6), ("2025-01-13", 4.8),
    ("2025-10-28", 4.0), ("2026-08-21", 4.2),
)
# Stylised long-run paths (date, level) that commodity and FX prices revert to.
_TARGETS: dict[str, tuple[tuple[str, float], ...]] = {
    "GOLD": (("2005-01-03", 430.0), ("2011-09-01", 1800.0), ("2015-12-01", 1060.0),
             ("2020-08-01", 2000.0), ("2022-10-01", 1650.0), ("2024-03-01", 2200.0),
             ("2025-10-20", 4100.0), ("2026-08-21", 4200.0)),
    "SILVER": (("2005-01-03", 6.8), ("2011-04-25", 45.0), ("2015-12-01", 14.0),
               ("2020-08-01", 27.0), ("2024-05-01", 30.0), ("2025-10-15", 50.0),
               ("2026-08-21", 50.0)),
    "COPPER": (("2005-01-03", 1.5), ("2006-05-01", 3.9), ("2008-12-01", 1.4),
               ("2011-02-01", 4.5), ("2016-01-01", 2.0), ("2021-05-01", 4.7),
               ("2025-07-01", 5.5), ("2026-08-21", 4.8)),
    "WTI": (("2005-01-03", 45.0), ("2008-07-01", 135.0), ("2008-12-15", 38.0),
            ("2011-04-01", 100.0), ("2014-06-01", 100.0), ("2016-02-01", 30.0),
            ("2018-10-01", 75.0), ("2020-04-20", 18.0), ("2022-06-01", 115.0),
            ("2025-10-20", 60.0), ("2026-08-21", 65.0)),
    "DXY": (("2005-01-03", 82.0), ("2008-03-15", 72.0), ("2015-03-15", 99.0),
            ("2022-09-27", 112.0), ("2025-01-13", 109.0), ("2025-10-01", 98.0),
            ("2026-08-21", 98.0)),
    "EURUSD": (("2005-01-03", 1.33), ("2008-04-22", 1.58), ("2015-03-15", 1.06),
               ("2018-02-01", 1.25), ("2022-09-27", 0.97), ("2025-10-01", 1.17),
               ("2026-08-21", 1.16)),
    "USDJPY": (("2005-01-03", 103.0), ("2007-06-22", 123.0), ("2011-10-31", 76.0),
               ("2015-06-05", 125.0), ("2020-12-31", 103.0), ("2024-07-03", 161.0),
               ("2025-10-01", 150.0), ("2026-08-21", 150.0)),
}
_REVERSION = 1.0 - 1.0 / 250.0  # daily AR coefficient of log deviations (~6-month half-life)

_T10YIE_ANCHORS = (
    ("2005-01-03", 2.5), ("2008-07-01", 2.6), ("2008-12-01", 0.2), ("2010-01-04", 2.2),
    ("2015-12-01", 1.5), ("2018-05-01", 2.2), ("2020-03-19", 0.6), ("2021-11-12", 2.7),
    ("2022-04-21", 3.0), ("2023-06-01", 2.2), ("2025-11-20", 2.3), ("2026-08-21", 2.3),
)


def vol_indices(idx: pd.DatetimeIndex, spx: SpxPath, p: SyntheticParams,
                seed: int) -> dict[str, np.ndarray]:
    """Closes of the CBOE-style volatility indices (vol points; SKEW in index points).

    ``VIX = 100 * sqrt(0.5 sigma_t^2 + 0.5 EWMA(r^2)) * sqrt(252) + premium + stress`` where the
    stress term adds ``vix_stress_coef`` points per 1 % drawdown from the 63-day high (capped at
    10 points). VIX3M and VIX6M revert towards ``vix_longrun`` so the term structure is in
    contango in calm markets and inverts when VIX rises above about 23.
    """
    n = len(idx)
    rng = stream(seed, "vol")
    r2 = spx.ret**2
    v0 = float(spx.sig[0] ** 2)
    slow = ewma(r2, 0.94, v0)
    fast = ewma(r2, 0.80, v0)
    cond = np.sqrt(0.5 * spx.sig**2 + 0.5 * slow) * np.sqrt(TRADING_DAYS) * 100.0
    cond_fast = np.sqrt(0.5 * spx.sig**2 + 0.5 * fast) * np.sqrt(TRADING_DAYS) * 100.0
    close = np.exp(spx.log_level)
    dd = 1.0 - close / rolling_max(close, 63)
    stress = np.minimum(p.vix_stress_coef * 100.0 * dd, 10.0)
    vix = np.maximum(cond + p.vix_premium + stress + ar1(rng, n, 0.9, 0.8), 9.0)
    vix9d = np.maximum(cond_fast + 0.6 * p.vix_premium + 1.3 * stress + ar1(rng, n, 0.8, 1.0),
                       7.5)
    vix1d = np.maximum(vix9d * np.exp(ar1(rng, n, 0.3, 0.12) - 0.05), 5.0)
    vix3m = np.maximum(0.5 * vix + 0.5 * p.vix_longrun + 1.8 + ar1(rng, n, 0.9, 0.4), 10.0)
    vix6m = np.maximum(0.35 * vix + 0.65 * p.vix_longrun + 2.4 + ar1(rng, n, 0.9, 0.3), 11.0)
    dvix = np.abs(np.diff(vix, prepend=vix[0]))
    vvix = np.clip(72.0 + 2.2 * (vix - 13.0) + 4.0 * dvix + ar1(rng, n, 0.9, 5.0), 60.0, 210.0)
    skew = np.clip(128.0 + 0.25 * (18.0 - vix) + ar1(rng, n, 0.95, 6.0), 110.0, 170.0)
    vxn = np.maximum(1.15 * vix + 1.5 + ar1(rng, n, 0.9, 0.8), 10.0)
    gvz = np.maximum(15.0 + 0.3 * (vix - 16.0) + ar1(rng, n, 0.97, 2.5), 8.0)
    return {"VIX": vix, "VIX9D": vix9d, "VIX1D": vix1d, "VIX3M": vix3m, "VIX6M": vix6m,
            "VVIX": vvix, "SKEW": skew, "VXN": vxn, "GVZ": gvz}


def rates(idx: pd.DatetimeIndex, spx: SpxPath, vix: np.ndarray, p: SyntheticParams,
          seed: int) -> dict[str, np.ndarray]:
    """Daily rates and credit spreads, in percent (MOVE in bp of normalised yield vol).

    Short rates follow the stylised Fed path (``fed_path``); the 3-month and 2-year yields
    anticipate it (they average the future target over 3 months / 2 years); the 10-year follows
    stylised anchors plus noise and a flight-to-quality link (-4 bp per -1 % SPX day, decaying);
    credit spreads are convex in a smoothed VIX.
    """
    n = len(idx)
    rng = stream(seed, "rates")
    upper = step_anchors(idx, p.fed_path)
    lower = np.maximum(upper - 0.25, 0.0)
    mid = upper - 0.125

    def forward_mean(x: np.ndarray, h: int) -> np.ndarray:
        c = np.concatenate([[0.0], np.cumsum(np.concatenate([x, np.full(h, x[-1])]))])
        return (c[h + 1: n + h + 1] - c[1: n + 1]) / h

    link = ewma(4.0 * spx.ret * 100.0, 0.995, 0.0) / (1.0 - 0.995)  # cumulative, decaying (bp)
    link = link / 100.0  # percent
    effr = np.clip(lower + 0.08 + ar1(rng, n, 0.7, 0.01), lower + 0.01, upper - 0.01)
    sofr = np.maximum(effr + 0.01 + ar1(rng, n, 0.5, 0.015), 0.01)
    ust1m = np.maximum(0.7 * mid + 0.3 * forward_mean(mid, 21) - 0.05 + ar1(rng, n, 0.9, 0.03),
                       0.0)
    ust3m = np.maximum(0.3 * mid + 0.7 * forward_mean(mid, 63) - 0.05 + ar1(rng, n, 0.95, 0.04),
                       0.0)
    ust2y = np.maximum(0.35 * mid + 0.65 * forward_mean(mid, 504) + 0.15
                       + ar1(rng, n, 0.995, 0.25) + 0.8 * link, 0.05)
    ust10y = np.maximum(interp_anchors(idx, _UST10Y_ANCHORS) + ar1(rng, n, 0.995, 0.2) + link,
                        0.3)
    ust5y = 0.5 * (ust2y + ust10y) - 0.05 + ar1(rng, n, 0.9, 0.03)
    ust30y = ust10y + 0.25 + 0.2 * (ust10y - ust2y) + ar1(rng, n, 0.95, 0.05)
    t10yie = np.maximum(interp_anchors(idx, _T10YIE_ANCHORS) + ar1(rng, n, 0.99, 0.1)
                        + 0.5 * link, 0.05)
    t5yie = np.maximum(t10yie - 0.1 + ar1(rng, n, 0.95, 0.08), 0.0)
    vs = ewma(vix, 0.95, float(vix[0]))
    excess = np.maximum(vs - 14.0, 0.0)
    hy = np.maximum(3.2 + 0.08 * (vs - 14.0) + 0.0025 * excess**2 + ar1(rng, n, 0.99, 0.25), 2.3)
    ig = np.maximum(0.9 + 0.025 * (vs - 14.0) + 0.0008 * excess**2 + ar1(rng, n, 0.99, 0.06),
                    0.5)
    dy = np.diff(ust10y, prepend=ust10y[0]) * 100.0
    move = np.sqrt(ewma(dy**2, 0.94, 36.0) * TRADING_DAYS) + 12.0 + ar1(rng, n, 0.9, 3.0)
    iorb = np.where(idx >= pd.Timestamp("2021-07-29"), upper - 0.10, np.nan)
    return {
        "FED_TARGET_UPPER": upper, "FED_TARGET_LOWER": lower, "EFFR": effr, "SOFR": sofr,
        "IORB": iorb, "UST1M": ust1m, "UST3M": ust3m, "UST2Y": ust2y, "UST5Y": ust5y,
        "UST10Y": ust10y, "UST30Y": ust30y, "T10YIE": t10yie, "T5YIE": t5yie, "HY_OAS": hy,
        "IG_OAS": ig, "MOVE": np.maximum(move, 40.0),
    }


def macro_assets(idx: pd.DatetimeIndex, spx: SpxPath, rt: dict[str, np.ndarray],
                 p: SyntheticParams, seed: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Log closes and daily vol of commodities, FX and bond/credit ETFs.

    Commodities and FX revert (AR(1) in log deviations, ~6-month half-life) to stylised
    long-run paths, with daily shocks loaded on SPX (and the dollar); bond ETFs are priced off
    the generated yields (TLT: duration 17 on the 10-year; LQD: duration 8 on 10-year + IG
    OAS; HYG: duration 4 on HY OAS plus an equity loading), price-only (distributions paid
    out). Commodities and HYG gain ``corr_spike_loading`` on SPX inside the correlation spike.
    """
    n = len(idx)
    rng = stream(seed, "macro_assets")
    m = spx.ret
    spike = spx.spike
    scale = np.where(spike, p.corr_spike_idio_scale, 1.0)
    extra = np.where(spike, p.corr_spike_loading, 0.0)
    main_peak = spx.main.peak
    spx_drift = p.spx_drift / TRADING_DAYS

    def series(r: np.ndarray, sig: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
        r = r.copy()
        r[0] = 0.0
        lp = np.cumsum(r)
        return lp - lp[main_peak] + np.log(level), sig

    def reverting(shock: np.ndarray, sig: np.ndarray,
                  name: str) -> tuple[np.ndarray, np.ndarray]:
        shock = shock.copy()
        shock[0] = 0.0
        return np.log(interp_anchors(idx, _TARGETS[name])) + ar_filter(shock, _REVERSION), sig

    def noise(vol: float, s: np.ndarray | float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        sd = vol / np.sqrt(TRADING_DAYS) * s * np.ones(n)
        return sd * rng.standard_normal(n) - 0.5 * sd**2, sd

    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    e_dxy, s_dxy = noise(0.07)
    dxy = -0.05 * m + e_dxy
    out["DXY"] = reverting(dxy, s_dxy, "DXY")
    e, s = noise(0.04)
    out["EURUSD"] = reverting(-0.9 * e_dxy + e, s, "EURUSD")
    e, s = noise(0.08)
    out["USDJPY"] = reverting(0.5 * e_dxy + 0.15 * m + e, s, "USDJPY")
    e, s = noise(0.15)
    gold = 0.3 * extra * m - 0.4 * dxy + e
    out["GOLD"] = reverting(gold, s, "GOLD")
    e, s = noise(0.20)
    out["SILVER"] = reverting(1.3 * gold + 0.2 * m + e, s, "SILVER")
    e, s = noise(0.20, scale)
    out["COPPER"] = reverting((0.4 + extra) * m + e, s, "COPPER")
    e, s = noise(0.32, scale)
    out["WTI"] = reverting((0.5 + extra) * m + e, s, "WTI")
    y10, ig, hy = rt["UST10Y"], rt["IG_OAS"], rt["HY_OAS"]
    dy10 = np.diff(y10, prepend=y10[0]) / 100.0
    e, s = noise(0.03)
    out["TLT"] = series(-17.0 * dy10 + e, s, 90.0)
    e, s = noise(0.02)
    dig = np.diff(ig, prepend=ig[0]) / 100.0
    out["LQD"] = series(-8.0 * (dy10 + dig) + e, s, 110.0)
    e, s = noise(0.03, scale)
    dhy = np.diff(hy, prepend=hy[0]) / 100.0
    out["HYG"] = series((0.15 + 0.2 * extra) * m - 0.15 * spx_drift - 4.0 * dhy + e, s, 80.0)
    return out
