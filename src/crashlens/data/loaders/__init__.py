"""Raw-file loaders, one per raw format.

Each normalises to the schemas of :mod:`crashlens.data.schema` and validates as it goes.

======================  ====================================================================
loader                  formats
======================  ====================================================================
``ohlc``                Date/Open/High/Low/Close[/Volume] CSVs in any column order or case
                        (Yahoo caches, IBKR bars with wap/count, open/close/volume files)
``wide``                one column of a wide date-indexed table (FRED, CBOE indices, panels)
``bitstamp``            the newest-first Bitstamp 00:00-UTC BTC print file
``cot``                 the wide CFTC COT table (TFF and disaggregated reports)
``coinalyze``           the stacked long Coinalyze perp OI / funding files
``crypto_market``       the market-wide crypto files (4-h all-exchange OI, Binance USDT-M
                        daily OI, stablecoin supply, daily BTC funding)
``jgb``                 the Ministry of Finance JGB yield file (Shift-JIS, era dates)
======================  ====================================================================

Common rules: blank rows (holiday placeholders, dates with no value for the chosen column) are
dropped; duplicated or out-of-order dates, non-numeric cells, non-positive prices, empty and
truncated files are errors naming the file, line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from crashlens.data.loaders.bitstamp import load_bitstamp
from crashlens.data.loaders.coinalyze import load_coinalyze
from crashlens.data.loaders.cot import load_cot
from crashlens.data.loaders.crypto_market import load_market_daily
from crashlens.data.loaders.global_markets import load_jgb
from crashlens.data.loaders.ohlc import Loaded, load_ohlc
from crashlens.data.loaders.wide import load_wide
from crashlens.data.schema import Kind
from crashlens.errors import CrashlensError

LOADERS: dict[str, Callable[..., Loaded]] = {
    "ohlc": load_ohlc,
    "wide": load_wide,
    "bitstamp": load_bitstamp,
    "cot": load_cot,
    "coinalyze": load_coinalyze,
    "crypto_market": load_market_daily,
    "jgb": load_jgb,
}


def load(loader: str, path: Path, kind: Kind, options: dict[str, Any]) -> Loaded:
    """Run the named loader on a file."""
    if loader not in LOADERS:
        raise CrashlensError(f"no loader named '{loader}'")
    return LOADERS[loader](path, kind=kind, **options)


__all__ = ["LOADERS", "Loaded", "load"]
