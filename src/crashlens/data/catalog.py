"""Catalog of logical series: the names users think in, mapped to raw files and their loaders.

A :class:`SeriesSpec` names one logical series (``SPX``, ``UST10Y``, ``COT_ES`` ...) with its
kind (which fixes the columns, see :mod:`crashlens.data.schema`), unit, frequency and the
ordered list of raw sources that build it. When several files hold the same series they are
spliced: the first source has priority on the dates it covers, later ones only add dates the
earlier ones lack, and every overlap is checked for consistency (see
:func:`crashlens.data.splice.splice`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crashlens.data.schema import Frequency, Kind
from crashlens.errors import UnknownSeriesError

#: Licence notes, by the raw file's origin (see shared/data/raw/SOURCES.md).
PDDL = "ODC-PDDL-1.0 (open data)"
NO_LICENCE = "no licence stated; vendor data cached in a public repo - do not redistribute"
FRED_PUBLIC = "US-government series via FRED (public domain)"
GPL_REPO = "from a GPL-3.0 repo; underlying data from Kaggle/Bitstamp"


@dataclass(frozen=True)
class SourceSpec:
    """One raw file contributing to a series.

    Attributes
    ----------
    file : str
        File name inside ``CRASHLENS_DATA``.
    loader : str
        Name of the loader function in :mod:`crashlens.data.loaders` (one per raw format).
    options : mapping
        Keyword arguments for the loader (column to read, quirks to handle).
    provenance : str
        Where the file came from (repository, vendor).
    licence : str
        Licence note.
    """

    file: str
    loader: str
    options: Mapping[str, Any] = field(default_factory=dict)
    provenance: str = ""
    licence: str = NO_LICENCE


#: Default plausible range per unit (see ``SeriesSpec.plausible``). Why each bound: prices are
#: positive and below 1e6-1e7 (SPX closed at 4.40 in 1932, BTC traded at $4 in 2012); yields
#: and spreads in percent stay within -10..50 (fed funds peaked at 22 % in 1981; HY OAS near 20
#: in 2008); volatility indices within 1..500 (VVIX peaked near 210); funding per 8 h is capped
#: by exchanges well below 10 %.
PLAUSIBLE_BY_UNIT: dict[str, tuple[float, float]] = {
    "index points": (0.1, 1e6),
    "USD": (0.001, 1e7),
    "vol points": (1.0, 500.0),
    "bp (normalised vol)": (1.0, 1000.0),
    "USD/oz": (0.1, 1e5),
    "USD/lb": (0.01, 1e3),
    "USD/bbl": (0.01, 1e4),
    "JPY per USD": (1.0, 1e3),
    "USD per EUR": (0.1, 10.0),
    "USD per GBP": (0.1, 10.0),
    "percent": (-10.0, 50.0),
    "percent of par": (1.0, 1e3),
    "index": (1.0, 1e4),
    "index (0 = average)": (-10.0, 20.0),
    "thousands of persons": (1e3, 1e6),
    "persons": (1e3, 1e8),
    "USD millions": (1e3, 1e8),
    "contracts": (0.0, 1e9),
    "fraction per 8h": (-0.1, 0.1),
}

#: Range of a unit missing from :data:`PLAUSIBLE_BY_UNIT`: still finite, still refuses 1e300.
PLAUSIBLE_FALLBACK = (-1e12, 1e13)
#: Range of a traded volume column (shares, contracts or coins per day).
VOLUME_RANGE = (0.0, 1e15)


@dataclass(frozen=True)
class SeriesSpec:
    """A logical series of the catalog.

    Attributes
    ----------
    name : str
        Catalog name, upper case (``SPX``).
    kind : Kind
        Fixes the columns (price, value, oi, funding, cot).
    unit : str
        Unit of the values (``index points``, ``USD``, ``percent`` ...).
    frequency : Frequency
        Observation frequency.
    description : str
        One-line description.
    sources : tuple of SourceSpec
        Raw sources in priority order.
    splice_tolerance : float
        Largest accepted median relative difference of closes on overlapping dates.
    plausible : tuple of float, optional
        Closed range ``(low, high)``, in ``unit``, that every value of the series must lie in
        (open/high/low/close, value, open interest or positions); a value outside it is a
        data error, never stored. None takes the default for the unit
        (:data:`PLAUSIBLE_BY_UNIT`). The ranges are wide on purpose: they catch garbage (a
        1e300 price, a 410 % yield), not extreme markets.
    """

    name: str
    kind: Kind
    unit: str
    frequency: Frequency
    description: str
    sources: tuple[SourceSpec, ...]
    splice_tolerance: float = 0.005
    plausible: tuple[float, float] | None = None

    @property
    def plausible_range(self) -> tuple[float, float]:
        """The range every value must lie in: ``plausible``, else the unit's default."""
        if self.plausible is not None:
            return self.plausible
        return PLAUSIBLE_BY_UNIT.get(self.unit, PLAUSIBLE_FALLBACK)

    @property
    def licence(self) -> str:
        """Licence notes of all sources, deduplicated."""
        return "; ".join(dict.fromkeys(s.licence for s in self.sources))

    @property
    def provenance(self) -> str:
        """Provenance of all sources."""
        return "; ".join(f"{s.file} ({s.provenance})" for s in self.sources)


# ---------------------------------------------------------------------------------------------
# Source builders: one per raw file family, so each file's quirks are written down once.

_YF_SLOW = "yfinance cache in YoussefKh200/Slow-Turtle-Research"
_YF_TZJ = "yfinance cache in tzjtan/historical-stock-data"
_MB = "heliar-k/market-base (IBKR/FRED/CBOE/yfinance/CFTC)"
_YF_STELL = "Yahoo cache in Stell0/financealerts"
_COINALYZE = "Coinalyze API via smoothbrainquant/trading-for-new-dads"
_YF_ALITALBI = "yfinance cache in alitalbi/storage_data_fy"


def _ohlc(file: str, prov: str, lic: str = NO_LICENCE, **opts: Any) -> SourceSpec:
    return SourceSpec(file, "ohlc", opts, prov, lic)


def _ibkr(file: str) -> SourceSpec:
    # IBKR bars: volume 0.0 means "not reported" for indices before 2025.
    return SourceSpec(file, "ohlc", {"zero_volume_is_missing": True}, _MB)


def _wide(
    file: str, column: str, prov: str = _MB, lic: str = NO_LICENCE, **opts: Any
) -> SourceSpec:
    return SourceSpec(file, "wide", {"column": column, **opts}, prov, lic)


def _cross(column: str) -> SourceSpec:
    return _wide("cross_asset_daily_2024plus.csv", column, "Yahoo closes via heliar-k/market-base")


def _price(name: str, unit: str, desc: str, *sources: SourceSpec, tol: float = 0.005) -> SeriesSpec:
    return SeriesSpec(name, Kind.PRICE, unit, Frequency.DAILY, desc, sources, tol)


def _value(name: str, unit: str, freq: Frequency, desc: str, *sources: SourceSpec) -> SeriesSpec:
    return SeriesSpec(name, Kind.VALUE, unit, freq, desc, sources)


_D, _W, _M = Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY
_CBOE = "cboe_volatility_indices_daily.csv"
_RATES = "us_rates_daily.csv"

_SPECS: list[SeriesSpec] = [
    # --- equity indices -------------------------------------------------------------------------
    _price(
        "SPX", "index points", "S&P 500 index (^GSPC); close-only before 1962",
        _ohlc("sp500_daily_ohlc.csv", _YF_SLOW),
        _ibkr("sp500_daily_ohlcv_2016plus.csv"),
        # Cross-checks on the overlap; they add dates only where the two above have none.
        _ohlc("sp500_daily_open_close_volume.csv", _YF_TZJ, daily_from="1970-01-02"),
        _wide("sp500_fred_close.csv", "SP500", "FRED SP500 via datasets/s-and-p-500", PDDL,
              as_price=True),
    ),
    _price(
        "NDX", "index points", "Nasdaq-100 index (^NDX)",
        _ohlc("nasdaq100_daily_ohlc.csv", _YF_SLOW),
        _ohlc("nasdaq100_daily_open_close_volume.csv", _YF_TZJ),
    ),
    _price("IXIC", "index points", "Nasdaq Composite",
           _ibkr("nasdaq_composite_ohlcv_2016plus.csv")),
    _price("RUT", "index points", "Russell 2000 (close only)", _cross("RUT")),
    _price("SPY", "USD", "SPDR S&P 500 ETF, raw (not dividend-adjusted)",
           _ibkr("spy_daily_ohlcv.csv")),
    _price("QQQ", "USD", "Invesco QQQ ETF, raw", _ibkr("qqq_daily_ohlcv.csv")),
    # --- volatility ------------------------------------------------------------------------------
    _price(
        "VIX", "vol points", "CBOE VIX",
        _ohlc("vix_daily.csv", "datasets/finance-vix (CBOE)", PDDL),
        _wide(_CBOE, "VIX", as_price=True),
    ),
    *(
        _price(n, "vol points" if n != "SKEW" else "index points", d,
               _wide(_CBOE, n, as_price=True))
        for n, d in [
            ("VIX1D", "CBOE 1-day VIX"), ("VIX9D", "CBOE 9-day VIX"), ("VIX3M", "CBOE 3-month VIX"),
            ("VIX6M", "CBOE 6-month VIX"), ("VVIX", "CBOE VIX of VIX"), ("SKEW", "CBOE SKEW index"),
            ("VXN", "CBOE Nasdaq-100 volatility"), ("GVZ", "CBOE gold ETF volatility"),
        ]
    ),
    _price("MOVE", "bp (normalised vol)", "ICE BofA MOVE index", _cross("MOVE")),
    # --- crypto ----------------------------------------------------------------------------------
    _price(
        "BTC", "USD", "Bitcoin in USD (UTC days; before 2024-12-06 a 00:00-UTC Bitstamp print, "
        "shifted to the previous day's close)",
        _ohlc("btc_usd_ohlcv_daily_2024plus.csv", _YF_STELL),
        SourceSpec(
            "btc_usd_daily_2012plus.csv", "bitstamp", {"column": "BTC_USD"},
            "typedcypher/historical-bitcoin-prices (Bitstamp 1-min bars)", GPL_REPO,
        ),
        tol=0.02,
    ),
    _price("ETH", "USD", "Ether in USD (Yahoo, from 2024-08)", _cross("ETH")),
    # --- commodities, FX, ETFs -------------------------------------------------------------------
    _price(
        "GOLD", "USD/oz", "COMEX gold front-month continuous future (GC=F); roll gaps",
        _ohlc("gold_futures_daily_ohlc.csv", _YF_SLOW), _cross("Gold"), tol=0.01,
    ),
    _price(
        "SILVER", "USD/oz", "COMEX silver front-month continuous future (SI=F); roll gaps",
        _ohlc("silver_futures_daily_ohlc.csv", _YF_SLOW), _cross("Silver"), tol=0.01,
    ),
    _price("COPPER", "USD/lb", "COMEX copper front-month future (HG=F), not roll-adjusted",
           _ohlc("futures_copper_daily.csv", _YF_ALITALBI), _cross("Copper"), tol=0.02),
    # futures_crude_wti_daily.csv is not a source: its -37.63 close of 2020-04-20 (and
    # -14 open) is not a positive price, which the ohlc loader rightly refuses.
    _price("WTI", "USD/bbl", "WTI crude future (CL=F)", _cross("WTI")),
    _price(
        "DXY", "index points", "ICE US Dollar Index (DX-Y.NYB)",
        _ohlc("dxy_daily.csv", _YF_TZJ, zero_volume_is_missing=True), _cross("DXY"),
    ),
    _price("USDJPY", "JPY per USD", "Dollar-yen",
           _wide("fx_usdjpy_daily.csv", "Close", _YF_SLOW, as_price=True), _cross("USDJPY"),
           tol=0.01),
    _price("EURUSD", "USD per EUR", "Euro-dollar",
           _wide("fx_eurusd_daily.csv", "Close", _YF_SLOW, as_price=True), _cross("EURUSD"),
           tol=0.01),
    *(
        _price(t, "USD", d, _cross(t))
        for t, d in [
            ("TLT", "iShares 20+ Year Treasury ETF"), ("HYG", "iShares High Yield Corporate ETF"),
            ("LQD", "iShares Investment Grade Corporate ETF"), ("SMH", "VanEck Semiconductor ETF"),
        ]
    ),
    # --- single stocks ---------------------------------------------------------------------------
    *(
        _price(t, "USD", f"{t} common stock, split-adjusted, not dividend-adjusted",
               _ibkr(f"stock_{t}_daily.csv"))
        for t in ("NVDA", "GOOG", "MSFT", "AMZN", "META", "TSLA", "COIN")
    ),
    *(
        _price(t, "USD", f"{t} common stock (Yahoo, from 2024-12-06)",
               _ohlc(f"stock_{t}_daily_2024plus.csv", _YF_STELL))
        for t in ("PLTR", "MSTR")
    ),
    # --- rates and credit ------------------------------------------------------------------------
    *(
        _value(n, "percent", _D, d, _wide(_RATES, c, lic=FRED_PUBLIC))
        for n, c, d in [
            ("UST1M", "DGS1MO", "1-month Treasury constant-maturity yield"),
            ("UST3M", "DGS3MO", "3-month Treasury constant-maturity yield"),
            ("UST2Y", "DGS2", "2-year Treasury constant-maturity yield"),
            ("UST5Y", "DGS5", "5-year Treasury constant-maturity yield"),
            ("UST10Y", "DGS10", "10-year Treasury constant-maturity yield"),
            ("UST30Y", "DGS30", "30-year Treasury constant-maturity yield"),
            ("EFFR", "DFF", "Effective federal funds rate (daily)"),
            ("FED_TARGET_UPPER", "DFEDTARU", "Fed funds target range, upper bound"),
            ("FED_TARGET_LOWER", "DFEDTARL", "Fed funds target range, lower bound"),
            ("SOFR", "SOFR", "Secured overnight financing rate"),
            ("IORB", "IORB", "Interest on reserve balances"),
        ]
    ),
    _value("FEDFUNDS", "percent", _M, "Effective federal funds rate, monthly average",
           _wide(_RATES, "FEDFUNDS", lic=FRED_PUBLIC)),
    *(
        _value(n, "percent", _D, d, _wide("fred_vix_hy_ig_oas_daily.csv", n,
               lic="ICE BofA data via FRED (ICE copyright)"))
        for n, d in [("HY_OAS", "ICE BofA US High Yield OAS (from 2023-07-31)"),
                     ("IG_OAS", "ICE BofA US Corporate (IG) OAS (from 2023-07-31)")]
    ),
    # --- macro -----------------------------------------------------------------------------------
    _value("UNRATE", "percent", _M, "Unemployment rate (BLS, SA)",
           _wide("us_labor.csv", "UNRATE", lic=FRED_PUBLIC)),
    _value("PAYEMS", "thousands of persons", _M, "Total nonfarm payrolls (BLS, SA)",
           _wide("us_labor.csv", "PAYEMS", lic=FRED_PUBLIC)),
    _value("ICSA", "persons", _W, "Initial jobless claims (weekly, SA)",
           _wide("us_labor.csv", "ICSA", lic=FRED_PUBLIC)),
    *(
        _value(n, "index" if "IE" not in n else "percent", _M if "IE" not in n else _D, d,
               _wide("us_inflation.csv", n, lic=FRED_PUBLIC))
        for n, d in [
            ("CPI", "CPI-U all items, SA (index 1982-84=100)"),
            ("CORE_CPI", "CPI-U less food and energy, SA"),
            ("PCE", "PCE price index"), ("CORE_PCE", "Core PCE price index"),
            ("T5YIE", "5-year breakeven inflation"), ("T10YIE", "10-year breakeven inflation"),
        ]
    ),
    _value("CPI_NSA", "index", _M, "CPI-U all items, not seasonally adjusted (BLS)",
           _wide("cpi_us_monthly.csv", "Index", "datasets/cpi-us (BLS)", PDDL)),
    _value("NFCI", "index (0 = average)", _W, "Chicago Fed National Financial Conditions Index",
           _wide("fred_liquidity.csv", "NFCI", lic=FRED_PUBLIC)),
    _value("WALCL", "USD millions", _W, "Fed total assets",
           _wide("fred_liquidity.csv", "WALCL", lic=FRED_PUBLIC)),
]

# --- global trend-follower universe (CTA engine, issue 13; SOURCES.md 2026-12-01) ---------------
# European indices: Yahoo rows appended and never refreshed (an intraday capture can stay).
# Nikkei and Hang Seng: a long file to 2024-08 spliced with a recent one (time-zoned dates /
# a byte-order mark, handled by the ohlc loader), checked on the 2021-24 / 2013-24 overlaps.
# Bund and JGB are yields (the CTA engine trades them as bond-future proxies via duration).
# FX files are read for their closes only: some Yahoo FX highs/lows are garbage (EURUSD low
# 0.0729 on 2008-03-17).
_SPECS.extend([
    # closes only: some of its opens are 0 (row 4604)
    _price("ESTX50", "index points", "Euro Stoxx 50 (^STOXX50E), closes; misses some trading "
           "days", _wide("index_eurostoxx50_daily.csv", "Close", _YF_ALITALBI, as_price=True)),
    _price("DAX", "index points", "DAX 40 (^GDAXI)",
           _ohlc("index_dax_daily.csv", _YF_ALITALBI)),
    _price("FTSE", "index points", "FTSE 100 (^FTSE)",
           _ohlc("index_ftse100_daily.csv", _YF_ALITALBI)),
    _price("CAC", "index points", "CAC 40 (^FCHI)",
           _ohlc("index_cac40_daily.csv", _YF_ALITALBI)),
    _price("NIKKEI", "index points", "Nikkei 225 (^N225), 1965-2024 file spliced with 2021+",
           _ohlc("index_nikkei225_daily_1965_2024.csv", "yfinance cache in "
                 "hjyssg/tqqq_simulation"),
           _ohlc("index_nikkei225_daily_2021plus.csv", "libelolen57-dotcom/j-titan")),
    _price("HSI", "index points", "Hang Seng (^HSI), 1986-2024 file spliced with 2013+",
           _ohlc("index_hangseng_daily_1986_2024.csv", "yfinance cache in "
                 "hjyssg/tqqq_simulation"),
           _ohlc("index_hangseng_daily_2013plus.csv", "Dao1023/trade")),
    _price("ZN", "percent of par", "10-year T-note front-month future (ZN=F), not "
           "roll-adjusted", _ohlc("futures_ust10y_note_daily.csv", _YF_ALITALBI)),
    _price("GBPUSD", "USD per GBP", "Sterling-dollar",
           _wide("fx_gbpusd_daily.csv", "Close", _YF_SLOW, as_price=True)),
    _value("BUND10Y", "percent", _D, "German 10-year Bund yield (Investing.com export; ends "
           "2025-09-01)", _wide("bund10y_yield_daily_investing.csv", "Close",
                                "Investing.com export in alitalbi/storage_data_fy")),
    _value("JGB10Y", "percent", _D, "Japan 10-year JGB constant-maturity yield (Ministry of "
           "Finance; Shift-JIS, era dates)",
           SourceSpec("jgb_yields_mof_daily.csv", "jgb", {"tenor": "10Y"},
                      "Japan MoF jgbcm_all.csv via sho3690/matrix-quant-pages")),
])

# --- CFTC Commitments of Traders: one series per market -----------------------------------------
_COT_TFF = {
    "ES": "E-mini S&P 500", "NQ": "E-mini Nasdaq-100", "RTY": "E-mini Russell 2000",
    "ZQ": "30-day fed funds", "VX": "VIX futures", "ZF": "5-year T-note", "ZN": "10-year T-note",
    "ZB": "T-bond", "EUR": "Euro FX", "JPY": "Japanese yen", "BTC": "CME Bitcoin",
}
_COT_DISAGG = {
    "GC": "Gold", "SI": "Silver", "HG": "Copper", "CL": "WTI crude oil", "NG": "Natural gas",
}
for _code, _desc in {**_COT_TFF, **_COT_DISAGG}.items():
    _report = "tff" if _code in _COT_TFF else "disaggregated"
    _SPECS.append(SeriesSpec(
        f"COT_{_code}", Kind.COT, "contracts", _W,
        f"CFTC COT ({'Traders in Financial Futures' if _report == 'tff' else 'Disaggregated'}): "
        f"{_desc}, report as-of Tuesday",
        (SourceSpec("cftc_cot_weekly_2024plus.csv", "cot", {"prefix": _code, "report": _report},
                    "CFTC via heliar-k/market-base", "CFTC (US government, public domain)"),),
    ))

# --- crypto perpetuals (Binance coin-margined, via Coinalyze) ------------------------------------
for _coin in ("BTC", "ETH", "SOL", "XRP", "BNB", "DOGE", "ADA", "TRX"):
    _SPECS.append(SeriesSpec(
        f"OI_{_coin}", Kind.OI, "USD", _D,
        f"{_coin} perpetual open interest, USD notional (Binance coin-margined, to 2025-10-26)",
        (SourceSpec("crypto_perp_open_interest_daily_2020_2025.csv", "coinalyze",
                    {"coin": _coin, "field": "oi"}, _COINALYZE),),
        plausible=(0.0, 1e13),  # USD notional: billions, not the per-unit price range of USD
    ))
for _coin in ("BTC", "ETH", "SOL", "XRP", "BNB", "DOGE"):
    _SPECS.append(SeriesSpec(
        f"FUNDING_{_coin}", Kind.FUNDING, "fraction per 8h", _D,
        f"{_coin} perpetual funding rate, daily (Coinalyze, 2025-07-28..2025-10-25)",
        (SourceSpec("crypto_perp_funding_rates_daily_2025.csv", "coinalyze",
                    {"coin": _coin, "field": "funding"}, _COINALYZE),),
    ))

# --- market-wide crypto files (crashlens.crypto.market reads the 4-h files itself) -----------
for _coin in ("BTC", "ETH"):
    _SPECS.append(SeriesSpec(
        f"OI_{_coin}_BINANCE_USDTM", Kind.OI, "USD", _D,
        f"{_coin}USDT perpetual open interest on Binance USDT-M, USD (00:00-UTC snapshot, "
        "2025-11-08..2025-12-17)",
        (SourceSpec("crypto_binance_usdtm_oi_daily_2025q4.csv", "crypto_market",
                    {"field": "usdtm", "coin": _coin},
                    "Binance futures/data/openInterestHist via ccyun95/Cryptocurrency_Work"),),
        plausible=(0.0, 1e13),  # USD notional: billions, not the per-unit price range of USD
    ))
_SPECS.append(SeriesSpec(
    "FUNDING_BTC_DAILY", Kind.FUNDING, "fraction per 8h", _D,
    "BTC perpetual funding, daily mean of the 8-h rates (Binance per the source; 2019-09..2026-02)",
    (SourceSpec("btc_funding_daily_2019_2026.csv", "crypto_market",
                {"field": "column", "column": "funding_mean"},
                "lukmol/gamlss-btc-VaR (data/funding_rates.csv)", "MIT"),),
))

CATALOG: dict[str, SeriesSpec] = {s.name: s for s in _SPECS}


def catalog() -> dict[str, SeriesSpec]:
    """Return the catalog: every logical series by name."""
    return dict(CATALOG)


def spec(name: str) -> SeriesSpec:
    """Return the spec of a series, case-insensitively.

    Raises
    ------
    UnknownSeriesError
        If the name is not in the catalog (the message suggests the nearest names).
    """
    key = name.strip().upper()
    if key not in CATALOG:
        raise UnknownSeriesError(name, CATALOG)
    return CATALOG[key]


def raw_files() -> list[str]:
    """Every raw file the catalog reads, sorted."""
    return sorted({src.file for s in CATALOG.values() for src in s.sources})
