"""Online data providers: query → extract (HTTP) → transform onto the vendor-neutral schemas.

Providers
---------
``yahoo``
    Yahoo chart API, daily OHLCV (:class:`YahooChartProvider`).
``fred``
    FRED graph CSV, no key (:class:`FredProvider`).
``cboe``
    CBOE delayed option quotes, chain snapshots (:class:`CboeOptionsProvider`).
``cftc``
    CFTC Commitments of Traders, Socrata API (:class:`CftcCotProvider`).
``binance_funding`` / ``binance_oi``
    Binance USDⓈ-M futures funding and open interest (:class:`BinanceFundingProvider`,
    :class:`BinanceOpenInterestProvider`).
``binance_coinm_funding`` / ``binance_coinm_oi``
    Binance COIN-M perpetuals (:class:`BinanceCoinMFundingProvider`,
    :class:`BinanceCoinMOpenInterestProvider`).
``bybit_funding`` / ``bybit_oi``, ``okx_funding`` / ``okx_oi``
    Bybit v5 and OKX v5 perpetual funding and open interest.
``venues_oi``
    Open interest summed over those venues (``OI_<COIN>_MARKET``; :class:`VenueSumOIProvider`).

Each request goes through an on-disk cache (``home_dir()/cache/http``), a token-bucket rate
limiter and retries with exponential backoff; failures raise
:class:`~crashlens.errors.ProviderError` naming the provider and URL. Base URLs can be changed
per instance (``base_url=``) or by environment variable (``CRASHLENS_YAHOO_URL``,
``CRASHLENS_FRED_URL``, ``CRASHLENS_CBOE_URL``, ``CRASHLENS_CFTC_URL``,
``CRASHLENS_BINANCE_URL``, ``CRASHLENS_BINANCE_COINM_URL``, ``CRASHLENS_BYBIT_URL``,
``CRASHLENS_OKX_URL``).

:func:`pull` maps catalog names (``SPX``, ``UST10Y``, ``COT_ES``, ``FUNDING_BTC`` ...) to the
right provider. See ``docs/providers.md``.
"""

from crashlens.data.providers._base import (
    CHAIN,
    Provenance,
    Provider,
    ProviderResult,
    QueryParams,
    Transformed,
)
from crashlens.data.providers._http import (
    HttpClient,
    HttpResponse,
    ResponseCache,
    RetryPolicy,
    TokenBucket,
)
from crashlens.data.providers._routes import (
    FRED_SERIES,
    PROVIDERS,
    YAHOO_SYMBOLS,
    Route,
    available,
    pull,
    route,
)
from crashlens.data.providers.binance import (
    BinanceCoinMFundingProvider,
    BinanceCoinMOpenInterestProvider,
    BinanceFundingProvider,
    BinanceOpenInterestProvider,
)
from crashlens.data.providers.bybit import BybitFundingProvider, BybitOpenInterestProvider
from crashlens.data.providers.cboe import CboeOptionsProvider, parse_option_symbol
from crashlens.data.providers.cftc import CftcCotProvider
from crashlens.data.providers.fred import FredProvider
from crashlens.data.providers.okx import OkxFundingProvider, OkxOpenInterestProvider
from crashlens.data.providers.venues import VenueSumOIProvider
from crashlens.data.providers.yahoo import YahooChartProvider

__all__ = [
    "CHAIN",
    "FRED_SERIES",
    "PROVIDERS",
    "YAHOO_SYMBOLS",
    "BinanceCoinMFundingProvider",
    "BinanceCoinMOpenInterestProvider",
    "BinanceFundingProvider",
    "BinanceOpenInterestProvider",
    "BybitFundingProvider",
    "BybitOpenInterestProvider",
    "CboeOptionsProvider",
    "CftcCotProvider",
    "FredProvider",
    "HttpClient",
    "HttpResponse",
    "OkxFundingProvider",
    "OkxOpenInterestProvider",
    "Provenance",
    "Provider",
    "ProviderResult",
    "QueryParams",
    "ResponseCache",
    "RetryPolicy",
    "Route",
    "TokenBucket",
    "Transformed",
    "VenueSumOIProvider",
    "YahooChartProvider",
    "available",
    "parse_option_symbol",
    "pull",
    "route",
]
