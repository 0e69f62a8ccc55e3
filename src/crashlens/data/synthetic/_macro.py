"""Monthly and weekly macro series, CFTC COT positions, crypto perp open interest and funding."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crashlens.data.schema import COT_DISAGG_CATEGORIES, COT_TFF_CATEGORIES
from crashlens.data.synthetic._equity import CryptoPath
from crashlens.data.synthetic._params import SyntheticParams
from crashlens.data.synthetic._paths import (
    ar1,
    date_index,
    interp_anchors,
    sample_last,
    stream,
)

_UNRATE = (
    ("2005-01-01", 5.3), ("2007-05-01", 4.4), ("2008-06-01", 5.6), ("2009-10-01", 10.0),
    ("2012-01-01", 8.3), ("2015-01-01", 5.7), ("2019-09-01", 3.5), ("2020-02-01", 3.5),
    ("2020-04-01", 14.8), ("2020-12-01", 6.7), ("2022-01-01", 4.0), ("2023-04-01", 3.4),
    ("2024-07-01", 4.2), ("2025-08-01", 4.3), ("2025-11-01", 4.5), ("2026-08-01", 4.5),
)
_PAYEMS = (
    ("2005-01-01", 132_500.0), ("2008-01-01", 138_400.0), ("2010-02-01", 129_700.0),
    ("2020-02-01", 152_500.0), ("2020-04-01", 130_400.0), ("2022-08-01", 153_000.0),
    ("2025-08-01", 159_500.0), ("2026-08-01", 159_800.0),
)
_CPI_YOY = (
    ("2005-01-01", 3.0), ("2008-07-01", 5.5), ("2009-07-01", -2.0), ("2011-09-01", 3.8),
    ("2015-04-01", -0.1), ("2018-07-01", 2.9), ("2020-05-01", 0.2), ("2022-06-01", 9.0),
    ("2023-06-01", 3.0), ("2024-09-01", 2.4), ("2025-09-01", 3.0), ("2026-08-01", 2.8),
)
_CORE_YOY = (
    ("2005-01-01", 2.2), ("2008-07-01", 2.5), ("2010-10-01", 0.6), ("2016-01-01", 2.2),
    ("2020-06-01", 1.2), ("2022-09-01", 6.6), ("2024-06-01", 3.3), ("2025-09-01", 3.0),
    ("2026-08-01", 2.8),
)
_ICSA = (
    ("2005-01-01", 330e3), ("2006-06-01", 310e3), ("2009-03-28", 660e3), ("2012-01-01", 370e3),
    ("2019-12-28", 215e3), ("2020-03-14", 250e3), ("2020-03-21", 3_300e3),
    ("2020-03-28", 6_100e3), ("2020-04-04", 6_100e3), ("2020-05-02", 3_400e3),
    ("2020-07-04", 1_400e3), ("2020-10-03", 800e3), ("2021-06-05", 400e3),
    ("2021-12-04", 200e3), ("2025-06-07", 245e3), ("2026-08-15", 225e3),
)
_WALCL = (
    ("2005-01-01", 850e3), ("2008-09-10", 905e3), ("2008-12-17", 2_250e3),
    ("2014-10-29", 4_450e3), ("2019-08-28", 3_760e3), ("2020-06-10", 7_100e3),
    ("2022-04-13", 8_960e3), ("2025-08-27", 6_600e3), ("2026-08-19", 6_550e3),
)

#: Open interest (contracts) and trend-following underlying of each synthetic COT market.
COT_MARKETS: dict[str, tuple[str, float, str]] = {
    # code: (report, open interest, underlying series; "-" prefix = price moves inversely)
    "ES": ("tff", 2_200_000.0, "SPX"), "NQ": ("tff", 260_000.0, "NDX"),
    "RTY": ("tff", 450_000.0, "RUT"), "ZQ": ("tff", 2_000_000.0, "-EFFR"),
    "VX": ("tff", 400_000.0, "VIX"), "ZF": ("tff", 5_000_000.0, "TLT"),
    "ZN": ("tff", 4_500_000.0, "TLT"), "ZB": ("tff", 1_800_000.0, "TLT"),
    "EUR": ("tff", 700_000.0, "EURUSD"), "JPY": ("tff", 200_000.0, "-USDJPY"),
    "BTC": ("tff", 25_000.0, "BTC"),
    "GC": ("disaggregated", 500_000.0, "GOLD"), "SI": ("disaggregated", 150_000.0, "SILVER"),
    "HG": ("disaggregated", 200_000.0, "COPPER"), "CL": ("disaggregated", 1_700_000.0, "WTI"),
    "NG": ("disaggregated", 1_400_000.0, "WTI"),
}
# (base gross share of OI per side, structural net share of OI); the trend category adds
# cot_trend_amp * tanh(trend z-score) to its net.
_TFF_SHAPE = {"dealer": (0.20, None), "asset_mgr": (0.30, 0.25), "lev_funds": (0.18, -0.05)}
_DISAGG_SHAPE = {"producer": (0.22, -0.25), "swap": (0.16, -0.10), "managed_money": (0.18, 0.05)}
TREND_CATEGORY = {"tff": "lev_funds", "disaggregated": "managed_money"}


def month_starts(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """First-of-month observation dates of months that ended before the month of ``end``."""
    first = (start - pd.offsets.MonthBegin(1)) if start.day != 1 else start
    last = end.to_period("M").to_timestamp() - pd.offsets.MonthBegin(1)
    return pd.date_range(first, last, freq="MS")


def weekly(start: pd.Timestamp, end: pd.Timestamp, weekday: str) -> pd.DatetimeIndex:
    """Weekly dates on ``weekday`` (``"TUE"``, ``"FRI"``, ...) within ``[start, end]``."""
    target = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN").index(weekday)
    first = start.normalize() + pd.Timedelta(days=(target - start.weekday()) % 7)
    n = (end.normalize() - first).days // 7 + 1
    return date_index(first.to_datetime64() + np.arange(max(n, 0)) * np.timedelta64(7, "D"))


def monthly_macro(start: pd.Timestamp, end: pd.Timestamp, seed: int) -> dict[str, pd.Series]:
    """Monthly series (first-of-month dates): labour market and price indices."""
    idx = month_starts(start, end)
    n = len(idx)
    rng = stream(seed, "monthly")
    unrate = np.round(np.maximum(interp_anchors(idx, _UNRATE) + ar1(rng, n, 0.6, 0.08), 2.5), 1)
    payems = np.round(interp_anchors(idx, _PAYEMS) + ar1(rng, n, 0.8, 80.0))
    cpi_yoy = interp_anchors(idx, _CPI_YOY) + ar1(rng, n, 0.7, 0.25)
    core_yoy = interp_anchors(idx, _CORE_YOY) + ar1(rng, n, 0.7, 0.08)

    def index_from(yoy: np.ndarray, level0: float) -> np.ndarray:
        growth = np.log1p(yoy / 100.0) / 12.0
        growth[0] = 0.0
        return np.round(level0 * np.exp(np.cumsum(growth)), 3)

    cpi = index_from(cpi_yoy, 190.7)
    core = index_from(core_yoy, 200.4)
    pce = index_from(0.85 * cpi_yoy, 81.5)
    core_pce = index_from(0.9 * core_yoy, 83.0)
    season = 1.0 + 0.003 * np.sin(2.0 * np.pi * (idx.month.to_numpy() - 3) / 12.0)
    out = {
        "UNRATE": unrate, "PAYEMS": payems, "CPI": cpi, "CORE_CPI": core, "PCE": pce,
        "CORE_PCE": core_pce, "CPI_NSA": np.round(cpi * season, 3),
    }
    return {k: pd.Series(v, index=date_index(idx)) for k, v in out.items()}


def effr_monthly(days: pd.DatetimeIndex, effr: np.ndarray, start: pd.Timestamp,
                 end: pd.Timestamp) -> pd.Series:
    """FEDFUNDS: the monthly average of the daily EFFR (first-of-month dates)."""
    s = pd.Series(effr, index=days).resample("MS").mean()
    idx = month_starts(start, end)
    return pd.Series(np.round(s.reindex(idx).ffill().bfill().to_numpy(), 2), index=date_index(idx))


def weekly_macro(days: pd.DatetimeIndex, vix: np.ndarray, hy: np.ndarray,
                 p: SyntheticParams, seed: int) -> dict[str, pd.Series]:
    """Weekly series: ICSA (Saturdays), NFCI (Fridays), WALCL (Wednesdays)."""
    rng = stream(seed, "weekly")
    start, end = days[0], days[-1]
    sat = weekly(start, end, "SAT")
    icsa = np.round(interp_anchors(sat, _ICSA) * np.exp(ar1(rng, len(sat), 0.5, 0.04)), -2)
    fri = weekly(start, end, "FRI")
    v = sample_last(days, pd.Series(vix).rolling(5, min_periods=1).mean().to_numpy(), fri)
    h = sample_last(days, hy, fri)
    nfci = np.round(-0.55 + 0.035 * (v - 16.0) + 0.08 * (h - 4.0)
                    + ar1(rng, len(fri), 0.9, 0.04), 3)
    wed = weekly(start, end, "WED")
    walcl = np.round(interp_anchors(wed, _WALCL) * np.exp(ar1(rng, len(wed), 0.9, 0.01)))
    return {
        "ICSA": pd.Series(icsa, index=date_index(sat)),
        "NFCI": pd.Series(nfci, index=date_index(fri)),
        "WALCL": pd.Series(walcl, index=date_index(wed)),
    }


def cot_frame(code: str, days: pd.DatetimeIndex, underlying: np.ndarray, p: SyntheticParams,
              seed: int) -> pd.DataFrame:
    """Weekly COT positions (Tuesdays) of one market, contracts.

    The trend category's net position is
    ``OI * (base_net + cot_trend_amp * tanh(z))`` with ``z`` the ``cot_trend_lookback``-day log
    return of the underlying divided by its volatility over that horizon; the other categories
    are structural with noise, dealers taking the other side in the TFF report.
    """
    report, oi0, _ = COT_MARKETS[code]
    rng = stream(seed, f"cot:{code}")
    tue = weekly(days[0], days[-1], "TUE")
    k = len(tue)
    lb = p.cot_trend_lookback
    logp = np.log(np.maximum(underlying, 1e-12))
    ret = pd.Series(np.diff(logp, prepend=logp[0]))
    mom = logp - np.concatenate([np.full(lb, logp[0]), logp[:-lb]])
    vol = ret.rolling(lb, min_periods=5).std().bfill().to_numpy() * np.sqrt(lb)
    z = sample_last(days, mom / np.maximum(vol, 1e-9), tue)
    oi = np.round(oi0 * np.exp(ar1(rng, k, 0.95, 0.08)))
    shape = _TFF_SHAPE if report == "tff" else _DISAGG_SHAPE
    cats = COT_TFF_CATEGORIES if report == "tff" else COT_DISAGG_CATEGORIES
    trend = TREND_CATEGORY[report]
    nets: dict[str, np.ndarray] = {}
    for cat in cats:
        gross, base = shape[cat]
        if base is None:
            continue
        net = base + ar1(rng, k, 0.9, 0.015)
        if cat == trend:
            net = net + p.cot_trend_amp * np.tanh(z)
        nets[cat] = net
    if report == "tff":
        nets["dealer"] = -0.9 * (nets["asset_mgr"] + nets["lev_funds"]) + ar1(rng, k, 0.9, 0.01)
    cols: dict[str, np.ndarray] = {"open_interest": oi}
    for cat in cats:
        gross = shape[cat][0]
        net = np.clip(nets[cat], -2.0 * gross + 0.01, 2.0 * gross - 0.01)
        cols[f"{cat}_long"] = np.round(oi * (gross + net / 2.0))
        cols[f"{cat}_short"] = np.round(oi * (gross - net / 2.0))
    return pd.DataFrame({c: np.asarray(v, dtype=float) for c, v in cols.items()},
                        index=date_index(tue))


def crypto_derivs(cal: pd.DatetimeIndex, crypto: CryptoPath, p: SyntheticParams,
                  seed: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Perp open interest (USD closes, with daily vol) and funding (fraction per 8 h).

    Contracts outstanding build up with 60-day momentum, fall by ``crypto.oi_drop`` on the
    liquidation day (decaying back over ~90 days); funding is ``1e-4 + 0.002 * r_14d`` plus a
    linear build-up of ``crypto.funding_buildup`` over ``crypto.buildup_days`` into the peak and
    ``crypto.funding_bust`` from the liquidation day to the trough, so it rises before the
    crash and turns negative in the drawdown.
    """
    m = len(cal)
    c = p.crypto
    rng = stream(seed, "crypto_derivs")
    pk, lq = crypto.episode.peak, crypto.liquidation
    t = np.arange(m)
    drop = np.where(t >= lq, -np.log1p(-c.oi_drop) * np.exp(-(t - lq) / 90.0), 0.0)
    ramp = np.clip((t - (pk - c.buildup_days)) / c.buildup_days, 0.0, 1.0) * (t <= pk)
    tr = crypto.episode.trough
    bust = np.where((t >= lq) & (t <= tr), 1.0, np.exp(-np.maximum(t - tr, 0) / 14.0) * (t > tr))
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for coin, logp, oi_peak in (("BTC", crypto.btc_log, 8.0e9), ("ETH", crypto.eth_log, 3.0e9)):
        mom60 = logp - np.concatenate([np.full(60, logp[0]), logp[:-60]])
        mom14 = logp - np.concatenate([np.full(14, logp[0]), logp[:-14]])
        contracts = (0.4 * np.tanh(mom60 / 0.3) + 0.25 * ramp - drop
                     + ar1(rng, m, 0.97, 0.05))
        log_oi = logp + contracts
        log_oi = log_oi - log_oi[pk] + np.log(oi_peak)
        doi = np.abs(np.diff(log_oi, prepend=log_oi[0]))
        out[f"OI_{coin}"] = (log_oi, np.maximum(doi, 0.01))
        funding = (1.0e-4 + 0.002 * np.tanh(mom14 / 0.2) * 0.2 + c.funding_buildup * ramp
                   + c.funding_bust * bust
                   + ar1(rng, m, 0.8, 3.0e-5))
        out[f"FUNDING_{coin}"] = (np.clip(funding, -3.0e-3, 3.0e-3), np.zeros(m))
    return out
