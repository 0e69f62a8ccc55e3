"""The synthetic SPX option chain on one day (columns: ``crashlens.data.schema.CHAIN_COLUMNS``)."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
from scipy.special import ndtr

from crashlens.data.schema import CHAIN_COLUMNS
from crashlens.data.synthetic._params import ChainParams
from crashlens.data.synthetic._paths import stream
from crashlens.data.synthetic._truth import ChainTruth
from crashlens.errors import ParameterError

MINUTES_PER_YEAR = 365.0 * 24.0 * 60.0
_TICK = 0.05


def _third_friday(year: int, month: int) -> pd.Timestamp:
    first = pd.Timestamp(year=year, month=month, day=1)
    offset = (4 - first.weekday()) % 7
    return first + pd.Timedelta(days=offset + 14)


def expiries(asof: pd.Timestamp, cp: ChainParams) -> list[pd.Timestamp]:
    """Expiry timestamps: same-day 0DTE, further dailies, weeklies (16:00) and monthlies (09:30)."""
    if cp.daily_expiries < 1:
        raise ParameterError("parameter 'chain.daily_expiries': need at least the 0DTE expiry")
    days = [asof + pd.offsets.BDay(k) if k else asof for k in range(cp.daily_expiries)]
    out = [d + pd.Timedelta(hours=16) for d in days]
    last = days[-1]
    fri = last + pd.Timedelta(days=(4 - last.weekday()) % 7 or 7)
    for _ in range(cp.weekly_expiries):
        out.append(fri + pd.Timedelta(hours=16))
        last = fri
        fri = fri + pd.Timedelta(days=7)
    y, mth = last.year, last.month
    found = 0
    while found < cp.monthly_expiries:
        tf = _third_friday(y, mth)
        if tf > last:
            out.append(tf + pd.Timedelta(hours=9, minutes=30))
            found += 1
        y, mth = (y + 1, 1) if mth == 12 else (y, mth + 1)
    return out


def bs_gamma(spot: np.ndarray | float, strike: np.ndarray, t: np.ndarray, iv: np.ndarray,
             r: float = 0.0, q: float = 0.0) -> np.ndarray:
    """Black-Scholes gamma per unit of underlying (broadcasts)."""
    s = np.asarray(spot, dtype=float)
    sq = iv * np.sqrt(t)
    d1 = (np.log(s / strike) + (r - q + 0.5 * iv * iv) * t) / sq
    return np.exp(-q * t) * np.exp(-0.5 * d1 * d1) / np.sqrt(2.0 * np.pi) / (s * sq)


def bs_price(spot: float, strike: np.ndarray, t: np.ndarray, iv: np.ndarray, r: float, q: float,
             is_call: np.ndarray) -> np.ndarray:
    """Black-Scholes price of calls (``is_call``) and puts."""
    sq = iv * np.sqrt(t)
    d1 = (np.log(spot / strike) + (r - q + 0.5 * iv * iv) * t) / sq
    d2 = d1 - sq
    df_q, df_r = np.exp(-q * t), np.exp(-r * t)
    call = spot * df_q * ndtr(d1) - strike * df_r * ndtr(d2)
    put = strike * df_r * ndtr(-d2) - spot * df_q * ndtr(-d1)
    return np.where(is_call, call, put)


def gex_profile(grid: np.ndarray, strike: np.ndarray, t: np.ndarray, iv: np.ndarray,
                oi: np.ndarray, sign: np.ndarray, multiplier: float) -> np.ndarray:
    """Dealer gamma exposure (USD per 1 % move) at each hypothetical spot of ``grid``."""
    g = bs_gamma(grid[:, None], strike[None, :], t[None, :], iv[None, :])
    return np.asarray((g * (sign * oi)[None, :]).sum(axis=1) * multiplier * grid**2 * 0.01)


def zero_crossing(grid: np.ndarray, gex: np.ndarray, spot: float) -> float:
    """Linear-interpolated sign change of ``gex`` nearest ``spot`` (NaN when none)."""
    sgn = np.sign(gex)
    idx = np.flatnonzero(sgn[:-1] * sgn[1:] < 0)
    if len(idx) == 0:
        return float("nan")
    lo, hi = grid[idx], grid[idx + 1]
    z = hi - (hi - lo) * gex[idx + 1] / (gex[idx + 1] - gex[idx])
    return float(z[np.argmin(np.abs(z - spot))])


def build_chain(asof: pd.Timestamp, spot: float, vix: float, vix9d: float, vix3m: float,
                skew: float, cp: ChainParams, seed: int) -> tuple[pd.DataFrame, ChainTruth]:
    """Build the chain frame and its truth for one day.

    Parameters
    ----------
    asof : pandas.Timestamp
        Trading day (normalised).
    spot : float
        SPX close of ``asof``.
    vix, vix9d, vix3m : float
        Vol-index closes (vol points): ATM IV at 30, 9 and 93 days; flat outside.
    skew : float
        CBOE SKEW close; the IV slope is ``skew_slope * (skew - 100) / 30``.
    cp : ChainParams
        Chain shape.
    seed : int
        Generator seed (the chain's noise also depends on ``asof``).
    """
    rng = stream(seed, f"chain:{asof:%Y%m%d}")
    hh, mm = (int(x) for x in cp.quote_time.split(":"))
    quote = asof + pd.Timedelta(hours=hh, minutes=mm)
    exps = expiries(asof, cp)
    lo_k = np.ceil(spot * (1.0 - cp.strike_range) / cp.strike_step) * cp.strike_step
    hi_k = np.floor(spot * (1.0 + cp.strike_range) / cp.strike_step) * cp.strike_step
    strikes = np.arange(lo_k, hi_k + 0.5 * cp.strike_step, cp.strike_step)
    ne, nk = len(exps), len(strikes)
    minutes = np.array([(e - quote).total_seconds() / 60.0 for e in exps])
    t_exp = np.maximum(minutes, 1.0) / MINUTES_PER_YEAR
    days = t_exp * 365.0
    atm = np.interp(days, [9.0, 30.0, 93.0], [vix9d, vix, vix3m]) / 100.0
    slope = cp.skew_slope * (skew - 100.0) / 30.0

    # Grid: expiry-major, then strike, then C/P.
    e_i = np.repeat(np.arange(ne), nk * 2)
    k = np.tile(np.repeat(strikes, 2), ne)
    is_call = np.tile(np.array([True, False]), ne * nk)
    t = t_exp[e_i]
    a = atm[e_i]
    x = np.clip(np.log(k / spot) / (a * np.sqrt(t)), -4.0, 4.0)
    iv = np.maximum(a * (1.0 + slope * x + cp.smile_curv * x * x), cp.iv_floor)

    mny = k / spot - 1.0
    call_wall = float(np.round(spot * (1.0 + cp.call_center) / cp.wall_round) * cp.wall_round)
    put_wall = float(np.round(spot * (1.0 + cp.put_center) / cp.wall_round) * cp.wall_round)
    hump_c = cp.call_oi * np.exp(-0.5 * ((mny - cp.call_center) / cp.oi_width) ** 2)
    hump_p = cp.put_oi * np.exp(-0.5 * ((mny - cp.put_center) / cp.oi_width) ** 2)
    hump_c = np.where(k == call_wall, hump_c * cp.wall_boost, hump_c)
    hump_p = np.where(k == put_wall, hump_p * cp.wall_boost, hump_p)
    monthly = np.array([e.hour == 9 for e in exps])
    weight = np.where(monthly, 3.0, 1.0)
    weight[0] = 0.5  # the 0DTE expiry: previous settlement's open interest
    noise = np.exp(0.15 * rng.standard_normal(len(k)))
    oi = np.round((np.where(is_call, hump_c, hump_p) * weight[e_i] + 20.0) * noise)

    # Volume: ATM-centred per expiry, 0DTE share as configured.
    share = np.where(np.arange(ne) == 0, cp.zero_dte_volume_share, 0.0)
    rest = 1.0 / np.sqrt(np.arange(1, ne))
    share[1:] = (1.0 - cp.zero_dte_volume_share) * rest / rest.sum()
    width = np.maximum(a * np.sqrt(np.maximum(t, 1.0 / 365.0)), 0.005)
    w = np.exp(-0.5 * (np.log(k / spot) / width) ** 2) + 1e-3
    wsum = np.bincount(e_i, weights=w, minlength=ne)
    vol = np.round(cp.total_volume * share[e_i] * w / wsum[e_i]
                   * np.exp(0.2 * rng.standard_normal(len(k))))

    mid = bs_price(spot, k, t, iv, cp.rate, cp.dividend_yield, is_call)
    half = np.maximum(0.5 * _TICK, 0.015 * mid)
    bid = np.maximum(np.floor((mid - half) / _TICK) * _TICK, 0.0)
    ask = np.maximum(np.ceil((mid + half) / _TICK) * _TICK, _TICK)
    last = np.clip(np.round(mid / _TICK) * _TICK, bid, ask)

    frame = pd.DataFrame({
        "underlying": "SPX",
        "quote_time": quote,
        "expiry": np.array(exps, dtype="datetime64[ns]")[e_i],
        "strike": k,
        "option_type": np.where(is_call, "C", "P"),
        "open_interest": oi,
        "volume": vol,
        "iv": iv,
        "bid": bid,
        "ask": ask,
        "last": last,
        "multiplier": cp.multiplier,
    }, columns=list(CHAIN_COLUMNS))

    sign = np.where(is_call, 1.0, -1.0)
    grid = np.linspace(0.8 * spot, 1.2 * spot, 801)
    gex = gex_profile(grid, k, t, iv, oi, sign, cp.multiplier)
    at_spot = gex_profile(np.array([spot]), k, t, iv, oi, sign, cp.multiplier)[0]
    strikes_c, inv_c = np.unique(k[is_call], return_inverse=True)
    oi_c = np.bincount(inv_c, weights=oi[is_call])
    strikes_p, inv_p = np.unique(k[~is_call], return_inverse=True)
    oi_p = np.bincount(inv_p, weights=oi[~is_call])
    truth = ChainTruth(
        asof=asof,
        quote_time=quote,
        spot=float(spot),
        call_wall=float(strikes_c[np.argmax(oi_c)]),
        put_wall=float(strikes_p[np.argmax(oi_p)]),
        call_center=float(spot * (1.0 + cp.call_center)),
        put_center=float(spot * (1.0 + cp.put_center)),
        zero_gamma=zero_crossing(grid, gex, spot),
        gex_at_spot=float(at_spot),
        expiries=tuple(exps),
        zero_dte_volume_share=float(vol[e_i == 0].sum() / vol.sum()),
        atm_iv_30d=float(vix / 100.0),
        params=asdict(cp),
    )
    return frame, truth
