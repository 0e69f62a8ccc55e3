"""Ground truth of the synthetic market: the scripted facts an engine should recover.

Every number here is *realised*: measured on the generated series after construction (e.g. the
drawdown is the actual close-to-close fall from the peak to the trough), so engines can compare
their estimates to it directly. Structural parameters (betas, chain shape) are the values the
generator used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from crashlens._result import json_safe


@dataclass(frozen=True)
class EpisodeTruth:
    """A scripted sell-off as realised in the generated closes.

    Attributes
    ----------
    name : str
        Episode label.
    series : str
        The series it is scripted on (``"SPX"`` or ``"BTC"``).
    runup_start : pandas.Timestamp or None
        Start of the scripted rising leg into the peak (the trend start).
    peak, trough : pandas.Timestamp
        Dates of the closing high (an all-time high when a run-up is scripted) and closing low.
    peak_level, trough_level : float
        Closes on those dates.
    depth : float
        ``trough_level / peak_level - 1`` (negative fraction).
    recovery_end : pandas.Timestamp or None
        End of the scripted rebound leg.
    vix_max : float
        Highest VIX close between peak and trough (NaN for crypto episodes).
    vix_max_date : pandas.Timestamp or None
        Its date.
    """

    name: str
    series: str
    runup_start: pd.Timestamp | None
    peak: pd.Timestamp
    trough: pd.Timestamp
    peak_level: float
    trough_level: float
    depth: float
    recovery_end: pd.Timestamp | None
    vix_max: float
    vix_max_date: pd.Timestamp | None


@dataclass(frozen=True)
class ChainTruth:
    """Facts of the synthetic SPX option chain on one as-of day.

    Attributes
    ----------
    asof : pandas.Timestamp
        The day of the chain.
    quote_time : pandas.Timestamp
        Snapshot time (US/Eastern, tz-naive).
    spot : float
        SPX close of ``asof`` (the spot used to price the chain).
    call_wall, put_wall : float
        Strikes with the largest call / put open interest summed over expiries.
    call_center, put_center : float
        Centres of the call / put open-interest humps, index points.
    zero_gamma : float
        Spot level where dealer gamma exposure (calls +1, puts -1, sticky-strike IV, r = q = 0,
        T floored at 1 minute) changes sign nearest spot, on a 0.8-1.2 x spot grid.
    gex_at_spot : float
        Dealer gamma exposure at spot, USD per 1 % move (same conventions).
    expiries : tuple of pandas.Timestamp
        Expiries in the chain, the first one being the same-day (0DTE) expiry.
    zero_dte_volume_share : float
        Realised share of contract volume in the 0DTE expiry.
    atm_iv_30d : float
        ATM implied vol at 30 days (VIX / 100).
    params : Mapping
        The :class:`ChainParams` used, as a dict.
    """

    asof: pd.Timestamp
    quote_time: pd.Timestamp
    spot: float
    call_wall: float
    put_wall: float
    call_center: float
    put_center: float
    zero_gamma: float
    gex_at_spot: float
    expiries: tuple[pd.Timestamp, ...]
    zero_dte_volume_share: float
    atm_iv_30d: float
    params: Mapping[str, Any]


@dataclass(frozen=True)
class SyntheticTruth:
    """Everything scripted into a synthetic market.

    Attributes
    ----------
    label : str
        ``"SYNTHETIC DATA"``.
    seed : int
        Seed of the generator.
    start, end : pandas.Timestamp
        First and last business day generated.
    selloff : EpisodeTruth
        The reference equity sell-off (SPX), default peak 2025-10-29, trough 2025-11-20.
    history : tuple of EpisodeTruth
        The other scripted SPX sell-offs inside the calendar (2008, 2018, 2020, 2022, 2025-04).
    crypto : EpisodeTruth
        The scripted BTC peak and drawdown (calendar days).
    trend_start : pandas.Timestamp
        Start of the calm bull trend into the reference peak (CTA trend start).
    reversal : pandas.Timestamp
        The trend reversal day (the reference peak).
    beta_spx, beta_btc : Mapping[str, float]
        Structural loadings of each stock / index on SPX and BTC daily log returns: the
        coefficients of an OLS regression of its log returns on both (for the stocks with no
        BTC loading, also the plain beta to SPX).
    idio_vol : Mapping[str, float]
        Annualised idiosyncratic volatility of each of them.
    corr_spike_start, corr_spike_end : pandas.Timestamp
        First and last day of the injected correlation spike.
    corr_spike_assets : tuple of str
        The assets whose pairwise correlations jump inside the spike.
    liquidation_day : pandas.Timestamp
        Day of the scripted crypto long-liquidation cascade.
    liquidation_return : float
        Realised BTC log return on that day.
    oi_drop : float
        Realised fall of BTC perp open interest (USD, close to close) on that day.
    events : tuple of (str, pandas.Timestamp, float)
        Idiosyncratic jumps ``(series, date, abnormal log return)``.
    missing_releases : Mapping[str, tuple of pandas.Timestamp]
        Monthly observation dates deliberately left out of each series.
    vix_inverted : tuple of pandas.Timestamp
        Days between the reference peak and trough on which VIX closed above VIX3M.
    chain : ChainTruth
        The chain on the reference trough day.
    """

    label: str
    seed: int
    start: pd.Timestamp
    end: pd.Timestamp
    selloff: EpisodeTruth
    history: tuple[EpisodeTruth, ...]
    crypto: EpisodeTruth
    trend_start: pd.Timestamp
    reversal: pd.Timestamp
    beta_spx: Mapping[str, float]
    beta_btc: Mapping[str, float]
    idio_vol: Mapping[str, float]
    corr_spike_start: pd.Timestamp
    corr_spike_end: pd.Timestamp
    corr_spike_assets: tuple[str, ...]
    liquidation_day: pd.Timestamp
    liquidation_return: float
    oi_drop: float
    events: tuple[tuple[str, pd.Timestamp, float], ...]
    missing_releases: Mapping[str, tuple[pd.Timestamp, ...]]
    vix_inverted: tuple[pd.Timestamp, ...]
    chain: ChainTruth

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict of the truth (dates as ISO strings)."""
        from dataclasses import fields

        return {f.name: json_safe(getattr(self, f.name)) for f in fields(self)}
