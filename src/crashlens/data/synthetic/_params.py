"""Parameters of the synthetic market: every scripted fact is a named, documented default.

All parameter classes are frozen, hashable dataclasses (tuples, not lists or dicts) so that
:func:`crashlens.data.synthetic.generate` can be cached with :func:`functools.lru_cache`.
Dates are ISO strings (``"YYYY-MM-DD"``); a scripted date that falls on a weekend or outside the
generated calendar is snapped to the previous generated day.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Default first and last generated business day.
DEFAULT_START = "2005-01-03"
DEFAULT_END = "2026-08-21"
#: Default seed of :func:`crashlens.data.synthetic.generate` (the date of the reference sell-off).
DEFAULT_SEED = 20251121


@dataclass(frozen=True)
class EpisodeSpec:
    """A scripted equity (SPX) sell-off: run-up to an all-time high, decline, rebound.

    Parameters
    ----------
    name : str
        Label, e.g. ``"gfc"``.
    peak, trough : str
        ISO dates of the closing high and closing low. The peak is forced to be the all-time
        closing high of the generated history; the trough is the lowest close between the peak
        and the end of the rebound (for the main episode: to the end of the calendar, the path
        after the rebound being reflected above the trough).
    depth : float
        Close-to-close drawdown from peak to trough, a negative fraction (``-0.09`` = -9 %).
    runup_start : str or None
        Start of the rising leg into the peak, its lowest close (None: no scripted run-up, then
        the peak is not forced to be an all-time high).
    runup : float
        Minimum simple return of the run-up leg (raised if needed to make the peak a new high).
    recovery_end : str or None
        End of the scripted rebound leg after the trough (None: no rebound leg).
    recovery : float
        Simple return from the trough to ``recovery_end``.
    stress_vol : float
        Annualised SPX volatility at the height of the stress (a Gaussian bump in the
        volatility schedule centred on ``stress_center``).
    stress_center : str or None
        Date of maximum stress volatility (None: the trough).
    stress_width : float
        Width (standard deviation, business days) of the volatility bump.
    calm_runup : bool
        Whether the run-up is a calm trend (volatility scaled by
        ``SyntheticParams.calm_vol_scale``).
    """

    name: str
    peak: str
    trough: str
    depth: float
    runup_start: str | None = None
    runup: float = 0.10
    recovery_end: str | None = None
    recovery: float = 0.10
    stress_vol: float = 0.30
    stress_center: str | None = None
    stress_width: float = 10.0
    calm_runup: bool = False


@dataclass(frozen=True)
class CryptoSpec:
    """The scripted crypto peak and drawdown (calendar days, BTC; ETH follows with a beta).

    Parameters
    ----------
    runup_start, peak, trough : str
        ISO dates of the start of the rally, the closing high and the closing low.
    runup : float
        Minimum simple return of the rally (raised to make the peak an all-time high).
    depth : float
        Close-to-close drawdown from ``peak`` to ``trough`` (negative fraction).
    peak_level : float
        BTC close at the peak, USD.
    liquidation_day : str
        Day of the scripted long liquidation cascade (inside the decline).
    liquidation_return : float
        BTC log return on ``liquidation_day`` (exact; the rest of the decline is bridged).
    oi_drop : float
        Fractional fall of perp open interest (contracts) on ``liquidation_day``.
    funding_buildup : float
        Extra funding (fraction per 8 h) added linearly over ``buildup_days`` before the peak.
    funding_bust : float
        Funding added from ``liquidation_day`` to ``trough`` (negative: shorts pay), fading
        over two weeks afterwards.
    buildup_days : int
        Length of the leverage build-up before the peak, calendar days.
    """

    runup_start: str = "2025-06-22"
    peak: str = "2025-10-06"
    trough: str = "2025-11-21"
    runup: float = 0.18
    depth: float = -0.30
    peak_level: float = 124_800.0
    liquidation_day: str = "2025-10-10"
    liquidation_return: float = -0.075
    oi_drop: float = 0.30
    funding_buildup: float = 2.0e-4
    funding_bust: float = -1.5e-4
    buildup_days: int = 45


@dataclass(frozen=True)
class StockSpec:
    """A single stock or equity index driven by SPX (and BTC) returns.

    Its daily log return is ``beta_spx * r_SPX + beta_btc * r_BTC + idio``, where ``r_BTC`` is
    the BTC log return between the same two business-day closes and ``idio`` is Gaussian with
    annualised volatility ``idio_vol`` (scaled down inside the correlation spike).

    Parameters
    ----------
    name : str
        Catalog name.
    beta_spx, beta_btc : float
        Structural loadings (the coefficients of an OLS regression on both returns).
    idio_vol : float
        Annualised idiosyncratic volatility.
    level : float
        Close at the scripted equity peak (sets the price scale).
    listing : str or None
        First traded day (None: from the start of the calendar).
    """

    name: str
    beta_spx: float
    beta_btc: float = 0.0
    idio_vol: float = 0.25
    level: float = 100.0
    listing: str | None = None


@dataclass(frozen=True)
class ChainParams:
    """Shape of the synthetic SPX option chain returned by ``SyntheticMarket.chain``.

    Parameters
    ----------
    quote_time : str
        Snapshot time (US/Eastern wall time, ``HH:MM``) on the as-of day; spot is that day's close.
    daily_expiries : int
        Number of daily (PM-settled, 16:00) expiries starting with the same-day 0DTE expiry.
    weekly_expiries : int
        Number of further Friday expiries (PM-settled).
    monthly_expiries : int
        Number of third-Friday monthly expiries (AM-settled, 09:30) after the weeklies.
    strike_step : float
        Strike spacing, index points.
    strike_range : float
        Strikes span ``spot * (1 ± strike_range)``.
    call_center, put_center : float
        Moneyness ``K / S - 1`` where call and put open interest are concentrated.
    oi_width : float
        Width (standard deviation in moneyness) of each open-interest hump.
    call_oi, put_oi : float
        Peak open interest of the call / put hump per expiry, contracts (monthlies x3).
    wall_boost : float
        Multiplier of open interest at the call-wall and put-wall strikes (round strikes
        nearest the hump centres), which makes them the largest-OI strikes.
    wall_round : float
        Rounding of the wall strikes, index points.
    skew_slope : float
        IV slope per unit of standardised log-moneyness at SKEW = 130 (scaled by
        ``(SKEW - 100) / 30``); negative = put skew.
    smile_curv : float
        IV curvature per squared standardised log-moneyness.
    iv_floor : float
        Minimum IV (fraction).
    rate, dividend_yield : float
        Continuously compounded r and q used to price the options.
    zero_dte_volume_share : float
        Target share of the day's contract volume traded in the 0DTE expiry.
    total_volume : float
        Contracts traded across the chain on the day.
    multiplier : float
        Shares (index units) per contract.
    """

    quote_time: str = "15:00"
    daily_expiries: int = 3
    weekly_expiries: int = 2
    monthly_expiries: int = 3
    strike_step: float = 25.0
    strike_range: float = 0.15
    call_center: float = 0.03
    put_center: float = -0.05
    oi_width: float = 0.025
    call_oi: float = 8_000.0
    put_oi: float = 11_000.0
    wall_boost: float = 2.5
    wall_round: float = 100.0
    skew_slope: float = -0.12
    smile_curv: float = 0.015
    iv_floor: float = 0.05
    rate: float = 0.04
    dividend_yield: float = 0.013
    zero_dte_volume_share: float = 0.60
    total_volume: float = 3_000_000.0
    multiplier: float = 100.0


def _default_episodes() -> tuple[EpisodeSpec, ...]:
    return (
        EpisodeSpec("gfc", "2007-10-09", "2009-03-09", -0.568, runup_start="2006-07-18",
                    runup=0.15, recovery_end="2009-06-12", recovery=0.40, stress_vol=0.60,
                    stress_center="2008-10-24", stress_width=30.0),
        EpisodeSpec("q4_2018", "2018-09-20", "2018-12-24", -0.198, runup_start="2018-04-02",
                    runup=0.08, recovery_end="2019-04-30", recovery=0.25, stress_vol=0.32,
                    stress_center="2018-12-21", stress_width=12.0),
        EpisodeSpec("covid", "2020-02-19", "2020-03-23", -0.339, runup_start="2019-10-03",
                    runup=0.12, recovery_end="2020-06-08", recovery=0.40, stress_vol=0.75,
                    stress_center="2020-03-16", stress_width=8.0),
        EpisodeSpec("bear_2022", "2022-01-03", "2022-10-12", -0.254, runup_start="2021-03-04",
                    runup=0.25, recovery_end="2023-02-02", recovery=0.15, stress_vol=0.28,
                    stress_center="2022-06-16", stress_width=60.0),
        EpisodeSpec("tariff_2025", "2025-02-19", "2025-04-08", -0.189,
                    runup_start="2024-08-05", runup=0.14, recovery_end=None,
                    stress_vol=0.38, stress_center="2025-04-07", stress_width=6.0),
        EpisodeSpec("selloff_2025_11", "2025-10-29", "2025-11-20", -0.09,
                    runup_start="2025-04-08", runup=0.30, recovery_end="2025-12-31",
                    recovery=0.05, stress_vol=0.23, stress_center="2025-11-18",
                    stress_width=7.0, calm_runup=True),
    )


def _default_stocks() -> tuple[StockSpec, ...]:
    return (
        # Indices and ETFs driven by SPX.
        StockSpec("NDX", 1.20, 0.0, 0.07, 25_900.0),
        StockSpec("IXIC", 1.15, 0.0, 0.06, 23_950.0),
        StockSpec("RUT", 1.10, 0.0, 0.11, 2_480.0),
        StockSpec("SMH", 1.60, 0.0, 0.20, 350.0),
        # Single stocks.
        StockSpec("NVDA", 1.80, 0.0, 0.35, 207.0),
        StockSpec("GOOG", 1.10, 0.0, 0.22, 270.0),
        StockSpec("MSFT", 1.00, 0.0, 0.18, 541.0),
        StockSpec("AMZN", 1.25, 0.0, 0.25, 230.0),
        StockSpec("META", 1.35, 0.0, 0.30, 751.0),
        StockSpec("TSLA", 2.00, 0.0, 0.45, 461.0),
        StockSpec("COIN", 1.20, 0.80, 0.40, 340.0, listing="2021-04-14"),
        StockSpec("PLTR", 2.00, 0.0, 0.45, 190.0, listing="2020-09-30"),
        StockSpec("MSTR", 0.90, 1.30, 0.35, 290.0),
    )


def _default_events() -> tuple[tuple[str, str, float], ...]:
    # (series, date, abnormal log return): idiosyncratic catalysts (an event-study ground truth).
    return (
        ("NVDA", "2025-11-20", -0.045),
        ("GOOG", "2025-11-24", 0.05),
        ("META", "2025-10-30", -0.09),
    )


def _default_fed_path() -> tuple[tuple[str, float], ...]:
    # (effective date, upper bound of the target range, %): a stylised policy path.
    return (
        ("2004-12-14", 2.25), ("2005-02-02", 2.50), ("2005-03-22", 2.75), ("2005-05-03", 3.00),
        ("2005-06-30", 3.25), ("2005-08-09", 3.50), ("2005-09-20", 3.75), ("2005-11-01", 4.00),
        ("2005-12-13", 4.25), ("2006-01-31", 4.50), ("2006-03-28", 4.75), ("2006-05-10", 5.00),
        ("2006-06-29", 5.25), ("2007-09-18", 4.75), ("2007-10-31", 4.50), ("2007-12-11", 4.25),
        ("2008-01-22", 3.50), ("2008-01-30", 3.00), ("2008-03-18", 2.25), ("2008-04-30", 2.00),
        ("2008-10-08", 1.50), ("2008-10-29", 1.00), ("2008-12-16", 0.25), ("2015-12-17", 0.50),
        ("2016-12-15", 0.75), ("2017-03-16", 1.00), ("2017-06-15", 1.25), ("2017-12-14", 1.50),
        ("2018-03-22", 1.75), ("2018-06-14", 2.00), ("2018-09-27", 2.25), ("2018-12-20", 2.50),
        ("2019-08-01", 2.25), ("2019-09-19", 2.00), ("2019-10-31", 1.75), ("2020-03-04", 1.25),
        ("2020-03-16", 0.25), ("2022-03-17", 0.50), ("2022-05-05", 1.00), ("2022-06-16", 1.75),
        ("2022-07-28", 2.50), ("2022-09-22", 3.25), ("2022-11-03", 4.00), ("2022-12-15", 4.50),
        ("2023-02-02", 4.75), ("2023-03-23", 5.00), ("2023-05-04", 5.25), ("2023-07-27", 5.50),
        ("2024-09-19", 5.00), ("2024-11-08", 4.75), ("2024-12-19", 4.50), ("2025-09-18", 4.25),
        ("2025-10-30", 4.00), ("2025-12-11", 3.75),
    )


@dataclass(frozen=True)
class SyntheticParams:
    """All knobs of the synthetic market, with the defaults used by ``generate()``.

    Parameters
    ----------
    spx_peak_level : float
        SPX close at the main sell-off's peak (sets the index scale).
    spx_drift : float
        Annualised log drift of SPX outside scripted legs.
    spx_vol : float
        Baseline annualised SPX volatility outside stress.
    vol_of_vol : float
        Standard deviation of the stationary log-volatility AR(1) around ``spx_vol``.
    calm_vol_scale : float
        Volatility multiplier during a calm run-up (the bull trend into the main peak).
    episodes : tuple of EpisodeSpec
        Scripted equity sell-offs in date order; the one named ``main_episode`` is the
        reference sell-off.
    main_episode : str
        Name of the reference sell-off among ``episodes``.
    crypto : CryptoSpec
        The scripted crypto peak and drawdown.
    btc_beta_spx : float
        Loading of BTC daily log returns on SPX log returns (business days).
    btc_vol, btc_drift : float
        Annualised idiosyncratic volatility and log drift of BTC (calendar-day basis).
    eth_beta_btc, eth_vol : float
        ETH loading on BTC returns and its idiosyncratic annualised volatility.
    eth_peak_level : float
        ETH close at the crypto peak.
    stocks : tuple of StockSpec
        Equity indices, ETFs and single stocks driven by SPX (and BTC).
    events : tuple of (str, str, float)
        Idiosyncratic jumps ``(series, date, abnormal log return)``.
    corr_spike : tuple of (str, str)
        First and last day of the injected cross-asset correlation spike.
    corr_spike_idio_scale : float
        Multiplier of idiosyncratic volatility inside the spike (lower = more correlated).
    corr_spike_loading : float
        Extra loading of commodities, crypto and credit on SPX returns inside the spike.
    vix_premium : float
        Variance risk premium of the VIX over conditional SPX volatility, vol points.
    vix_stress_coef : float
        Extra VIX points per 1 % drawdown of SPX from its 63-day high.
    vix_longrun : float
        Long-run VIX level that VIX3M and VIX6M revert towards.
    fed_path : tuple of (str, float)
        Stylised Fed target-range upper bound, step changes ``(date, percent)``.
    missing_release : str
        Monthly release (first-of-month date) deliberately missing from ``missing_series``.
    missing_series : tuple of str
        Monthly series with the deliberately missing release.
    listings : tuple of (str, str)
        First day of series that start after the calendar start.
    cot_trend_amp : float
        Amplitude (fraction of open interest) of the trend-following net position of the
        leveraged-funds / managed-money category.
    cot_trend_lookback : int
        Lookback (business days) of the trend signal driving that position.
    chain : ChainParams
        Shape of the synthetic option chain.
    """

    spx_peak_level: float = 6_890.0
    spx_drift: float = 0.08
    spx_vol: float = 0.135
    vol_of_vol: float = 0.25
    calm_vol_scale: float = 0.65
    episodes: tuple[EpisodeSpec, ...] = field(default_factory=_default_episodes)
    main_episode: str = "selloff_2025_11"
    crypto: CryptoSpec = field(default_factory=CryptoSpec)
    btc_beta_spx: float = 0.5
    btc_vol: float = 0.60
    btc_drift: float = 0.55
    eth_beta_btc: float = 1.15
    eth_vol: float = 0.45
    eth_peak_level: float = 4_500.0
    stocks: tuple[StockSpec, ...] = field(default_factory=_default_stocks)
    events: tuple[tuple[str, str, float], ...] = field(default_factory=_default_events)
    corr_spike: tuple[str, str] = ("2025-11-03", "2025-11-21")
    corr_spike_idio_scale: float = 0.3
    corr_spike_loading: float = 0.8
    vix_premium: float = 3.0
    vix_stress_coef: float = 0.4
    vix_longrun: float = 19.5
    fed_path: tuple[tuple[str, float], ...] = field(default_factory=_default_fed_path)
    missing_release: str = "2025-10-01"
    missing_series: tuple[str, ...] = ("CPI", "UNRATE")
    listings: tuple[tuple[str, str], ...] = (
        ("BTC", "2012-01-01"), ("ETH", "2016-03-01"), ("OI_BTC", "2019-09-13"),
        ("OI_ETH", "2019-11-27"), ("FUNDING_BTC", "2019-09-13"), ("FUNDING_ETH", "2019-11-27"),
        ("VIX9D", "2011-01-03"), ("VIX1D", "2023-04-24"), ("VVIX", "2007-01-03"),
        ("SOFR", "2018-04-02"), ("COT_BTC", "2017-12-19"),
    )
    cot_trend_amp: float = 0.12
    cot_trend_lookback: int = 63
    chain: ChainParams = field(default_factory=ChainParams)

    def episode(self, name: str) -> EpisodeSpec:
        """Return the episode called ``name``.

        Raises
        ------
        crashlens.errors.UnknownSeriesError
            If no episode has that name.
        """
        from crashlens.errors import UnknownSeriesError

        for ep in self.episodes:
            if ep.name == name:
                return ep
        raise UnknownSeriesError(name, [e.name for e in self.episodes], kind="episode")
