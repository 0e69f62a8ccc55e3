"""Catalog names → provider and symbol, and :func:`pull`, which fetches a list of them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from crashlens.data.providers._base import CHAIN, Provider, ProviderResult
from crashlens.data.providers.binance import (
    BinanceCoinMFundingProvider,
    BinanceCoinMOpenInterestProvider,
    BinanceFundingProvider,
    BinanceOpenInterestProvider,
)
from crashlens.data.providers.bybit import BybitFundingProvider, BybitOpenInterestProvider
from crashlens.data.providers.cboe import CboeOptionsProvider
from crashlens.data.providers.cftc import MARKETS as COT_MARKETS
from crashlens.data.providers.cftc import CftcCotProvider
from crashlens.data.providers.fred import FredProvider
from crashlens.data.providers.okx import OkxFundingProvider, OkxOpenInterestProvider
from crashlens.data.providers.venues import VenueSumOIProvider
from crashlens.data.providers.yahoo import YahooChartProvider
from crashlens.data.schema import Kind
from crashlens.errors import CrashlensError, ParameterError, UnknownSeriesError
from crashlens.notes import Note

#: Provider registry: key → class. ``pull`` builds one instance per key it needs.
PROVIDERS: dict[str, type[Provider[Any]]] = {
    "yahoo": YahooChartProvider,
    "fred": FredProvider,
    "cboe": CboeOptionsProvider,
    "cftc": CftcCotProvider,
    "binance_funding": BinanceFundingProvider,
    "binance_oi": BinanceOpenInterestProvider,
    "binance_coinm_funding": BinanceCoinMFundingProvider,
    "binance_coinm_oi": BinanceCoinMOpenInterestProvider,
    "bybit_funding": BybitFundingProvider,
    "bybit_oi": BybitOpenInterestProvider,
    "okx_funding": OkxFundingProvider,
    "okx_oi": OkxOpenInterestProvider,
    "venues_oi": VenueSumOIProvider,
}

#: ``<OI|FUNDING>_<COIN>_<VENUE>``: one venue's series, or the venue sum (``OI_<COIN>_MARKET``);
#: ``OI:<COIN>_<VENUE>`` is the same (the form ``crashlens data pull`` passes to providers).
_VENUE = re.compile(r"^(?P<k>OI|FUNDING)[_:](?P<c>[A-Z0-9]{2,12})_(?P<v>MARKET|BINANCE_USDTM|"
                    r"BINANCE_COINM|BYBIT|OKX|DAILY)$")


def _venue_route(key: str, kind: str, coin: str, venue: str) -> Route | None:
    oi = kind == "OI"
    k = Kind.OI.value if oi else Kind.FUNDING.value
    table: dict[str, tuple[str, dict[str, Any]]] = {
        "MARKET": ("venues_oi", {"coin": coin}),
        "BINANCE_USDTM": ("binance_oi" if oi else "binance_funding",
                          {"symbol": f"{coin}USDT", **({"period": "1d"} if oi else {})}),
        "BINANCE_COINM": ("binance_coinm_oi" if oi else "binance_coinm_funding",
                          {"coin": coin}),
        "BYBIT": ("bybit_oi" if oi else "bybit_funding", {"symbol": f"{coin}USDT"}),
        "OKX": ("okx_oi" if oi else "okx_funding", {"inst_id": f"{coin}-USDT-SWAP"}),
        "DAILY": ("binance_funding", {"symbol": f"{coin}USDT"}),
    }
    if (venue == "MARKET" and not oi) or (venue == "DAILY" and oi):
        return None
    provider, params = table[venue]
    return Route(key, provider, params, k)

#: Catalog name → Yahoo symbol (price kind).
YAHOO_SYMBOLS: dict[str, str] = {
    "SPX": "^GSPC", "NDX": "^NDX", "IXIC": "^IXIC", "RUT": "^RUT", "SPY": "SPY", "QQQ": "QQQ",
    "VIX": "^VIX", "VIX1D": "^VIX1D", "VIX9D": "^VIX9D", "VIX3M": "^VIX3M", "VIX6M": "^VIX6M",
    "VVIX": "^VVIX", "SKEW": "^SKEW", "VXN": "^VXN", "GVZ": "^GVZ", "MOVE": "^MOVE",
    "BTC": "BTC-USD", "ETH": "ETH-USD", "GOLD": "GC=F", "SILVER": "SI=F", "COPPER": "HG=F",
    "WTI": "CL=F", "DXY": "DX-Y.NYB", "USDJPY": "JPY=X", "EURUSD": "EURUSD=X",
    "TLT": "TLT", "HYG": "HYG", "LQD": "LQD", "SMH": "SMH",
    "NVDA": "NVDA", "GOOG": "GOOG", "MSFT": "MSFT", "AMZN": "AMZN", "META": "META",
    "TSLA": "TSLA", "COIN": "COIN", "PLTR": "PLTR", "MSTR": "MSTR",
    "ESTX50": "^STOXX50E", "DAX": "^GDAXI", "FTSE": "^FTSE", "CAC": "^FCHI",
    "NIKKEI": "^N225", "HSI": "^HSI", "ZN": "ZN=F", "GBPUSD": "GBPUSD=X",
}

#: Catalog series with no online provider (their raw file is the only source): name → why.
FILE_ONLY: dict[str, str] = {
    "BUND10Y": "no free daily Bund yield API (the file is an Investing.com export)",
    "JGB10Y": "the Ministry of Finance publishes a CSV file, not an API",
}

#: Catalog name → FRED series id (value kind).
FRED_SERIES: dict[str, str] = {
    "UST1M": "DGS1MO", "UST3M": "DGS3MO", "UST2Y": "DGS2", "UST5Y": "DGS5",
    "UST10Y": "DGS10", "UST30Y": "DGS30", "EFFR": "DFF", "FEDFUNDS": "FEDFUNDS",
    "FED_TARGET_UPPER": "DFEDTARU", "FED_TARGET_LOWER": "DFEDTARL", "SOFR": "SOFR",
    "IORB": "IORB", "HY_OAS": "BAMLH0A0HYM2", "IG_OAS": "BAMLC0A0CM",
    "UNRATE": "UNRATE", "PAYEMS": "PAYEMS", "ICSA": "ICSA",
    "CPI": "CPIAUCSL", "CORE_CPI": "CPILFESL", "CPI_NSA": "CPIAUCNS",
    "PCE": "PCEPI", "CORE_PCE": "PCEPILFE", "T5YIE": "T5YIE", "T10YIE": "T10YIE",
    "NFCI": "NFCI", "WALCL": "WALCL",
}

_PREFIXED = re.compile(r"^(?P<p>YAHOO|FRED|CHAIN|COT|FUNDING|OI)[:_](?P<s>.+)$")

ProgressCallback = Callable[[str, int, int, "BaseException | None"], None]


@dataclasses.dataclass(frozen=True)
class Route:
    """Where a name is fetched from.

    Attributes
    ----------
    name : str
        The requested name, upper case.
    provider : str
        Key in :data:`PROVIDERS`.
    params : mapping
        Query parameters for that provider (symbol, series id, market ...).
    kind : str
        Kind of the result (``price``, ``value``, ``cot``, ``funding``, ``oi``, ``chain``).
    """

    name: str
    provider: str
    params: Mapping[str, Any]
    kind: str

    @property
    def symbol(self) -> str:
        """The provider-side identifier."""
        return str(next(iter(self.params.values())))


def route(name: str) -> Route:
    """Return the provider route of a catalog name.

    Besides catalog names (``SPX``, ``UST10Y``, ``COT_ES``, ``FUNDING_BTC``, ``OI_ETH``),
    explicit forms reach any symbol: ``YAHOO:AAPL``, ``FRED:DGS7``, ``CHAIN:SPY`` (or
    ``CHAIN_SPY``), ``FUNDING_<COIN>`` / ``OI_<COIN>`` (Binance ``<COIN>USDT``).

    Raises
    ------
    UnknownSeriesError
        If no provider serves the name (the message suggests the nearest names).
    ParameterError
        For a catalog series of :data:`FILE_ONLY` (no online source).
    """
    key = name.strip().upper()
    if key in YAHOO_SYMBOLS:
        return Route(key, "yahoo", {"symbol": YAHOO_SYMBOLS[key]}, Kind.PRICE.value)
    if key in FRED_SERIES:
        return Route(key, "fred", {"series_id": FRED_SERIES[key]}, Kind.VALUE.value)
    v = _VENUE.match(key)
    if v is not None:
        r = _venue_route(key, v["k"], v["c"], v["v"])
        if r is not None:
            return r
    m = _PREFIXED.match(key)
    if m is not None:
        prefix, sym = m["p"], m["s"].strip()
        raw = name.strip()[len(prefix) + 1:].strip()  # keep the user's case for symbols
        if prefix == "YAHOO" and sym:
            return Route(key, "yahoo", {"symbol": raw}, Kind.PRICE.value)
        if prefix == "FRED" and sym:
            return Route(key, "fred", {"series_id": sym}, Kind.VALUE.value)
        if prefix == "CHAIN" and sym:
            return Route(key, "cboe", {"symbol": sym}, CHAIN)
        if prefix == "COT" and sym in COT_MARKETS:
            return Route(key, "cftc", {"market": sym}, Kind.COT.value)
        if prefix == "FUNDING" and re.fullmatch(r"[A-Z0-9]{2,12}", sym):
            return Route(key, "binance_funding", {"symbol": f"{sym}USDT"}, Kind.FUNDING.value)
        if prefix == "OI" and re.fullmatch(r"[A-Z0-9]{2,12}", sym):
            return Route(key, "binance_oi", {"symbol": f"{sym}USDT"}, Kind.OI.value)
    if key in FILE_ONLY:
        raise ParameterError(f"{key}: no online provider ({FILE_ONLY[key]}); it comes from its "
                             "raw file only")
    raise UnknownSeriesError(name, available())


def available() -> list[str]:
    """Every catalog-style name with a fixed route (explicit prefixed forms not listed)."""
    names = [*YAHOO_SYMBOLS, *FRED_SERIES, *(f"COT_{m}" for m in COT_MARKETS)]
    names += [f"{p}_{c}" for p in ("FUNDING", "OI") for c in ("BTC", "ETH", "SOL", "XRP", "BNB",
                                                               "DOGE", "ADA", "TRX")]
    names += [f"OI_{c}_{v}" for c in ("BTC", "ETH") for v in
              ("MARKET", "BINANCE_USDTM", "BINANCE_COINM", "BYBIT", "OKX")]
    names += [f"FUNDING_{c}_{v}" for c in ("BTC", "ETH") for v in
              ("BINANCE_USDTM", "BINANCE_COINM", "BYBIT", "OKX")] + ["FUNDING_BTC_DAILY"]
    return sorted(names)


def pull(
    names: Iterable[str],
    since: dt.date | None = None,
    *,
    until: dt.date | None = None,
    on_progress: ProgressCallback | None = None,
    providers: Mapping[str, Provider[Any]] | None = None,
    strict: bool = True,
) -> dict[str, ProviderResult]:
    """Fetch catalog series from the online providers.

    Parameters
    ----------
    names : iterable of str
        Catalog names (``SPX``, ``UST10Y``, ``COT_ES``, ``FUNDING_BTC`` ...) or explicit
        forms (see :func:`route`). Every name is resolved before any request is made.
    since : date, optional
        First date wanted (inclusive); default the provider's full history. Ignored for
        option chains (a snapshot).
    until : date, optional
        Last date wanted (inclusive); default today.
    on_progress : callable, optional
        Called after each name as ``on_progress(name, done, total, error)``; ``error`` is
        None on success (the hook for a CLI progress bar).
    providers : mapping, optional
        Provider instances by key of :data:`PROVIDERS`, to override base URLs, timeouts,
        rate limits or cache settings; missing keys get a default instance.
    strict : bool
        True (default): the first provider failure raises. False: failures are reported
        through ``on_progress`` and the name is left out of the result.

    Returns
    -------
    dict of str to ProviderResult
        By upper-case name, in request order. Frames follow :mod:`crashlens.data.schema`.

    Raises
    ------
    UnknownSeriesError
        A name no provider serves (raised before any network access).
    ProviderError
        With ``strict=True``, the first failed fetch (names provider and URL).
    """
    if isinstance(since, dt.datetime):
        since = since.date()
    if isinstance(until, dt.datetime):
        until = until.date()
    if since is not None and until is not None and since > until:
        raise ParameterError(f"since {since} is after until {until}")
    routes = [route(n) for n in names]
    routes = list({r.name: r for r in routes}.values())  # drop repeats, keep order
    given = dict(providers or {})
    unknown = sorted(set(given) - set(PROVIDERS))
    if unknown:
        raise ParameterError(f"unknown provider key(s) {unknown}; known: {sorted(PROVIDERS)}")
    owned: dict[str, Provider[Any]] = {}
    results: dict[str, ProviderResult] = {}
    total = len(routes)
    try:
        for done, r in enumerate(routes, start=1):
            prov = given.get(r.provider) or owned.get(r.provider)
            if prov is None:
                prov = owned[r.provider] = PROVIDERS[r.provider]()
            window = {} if r.kind == CHAIN else {"start": since, "end": until}
            try:
                res = prov.fetch(label=r.name, **r.params, **window)
                results[r.name] = _conform(res, r)
            except CrashlensError as exc:
                if on_progress is not None:
                    on_progress(r.name, done, total, exc)
                if strict:
                    raise
                continue
            if on_progress is not None:
                on_progress(r.name, done, total, None)
    finally:
        for p in owned.values():
            p.close()
    return results


def _conform(res: ProviderResult, r: Route) -> ProviderResult:
    """Align a result's kind with the catalog's (a price series the catalog keeps as value)."""
    try:
        from crashlens.data.catalog import CATALOG
    except ImportError:  # pragma: no cover - the catalog ships with the package
        return res
    spec = CATALOG.get(r.name)
    if spec is None or spec.kind.value == res.kind:
        return res
    if spec.kind is Kind.VALUE and res.kind == Kind.PRICE.value:
        frame = res.frame[["close"]].rename(columns={"close": "value"})
        return dataclasses.replace(
            res, frame=frame, kind=Kind.VALUE.value,
            warnings=(*res.warnings, Note("data.close_as_value")),
        )
    raise ParameterError(
        f"{r.name}: provider returns kind '{res.kind}' but the catalog expects "
        f"'{spec.kind.value}'"
    )
