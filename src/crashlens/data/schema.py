"""Vendor-neutral frame schemas shared by loaders, providers, the synthetic market and the store.

Every daily series is a ``pandas.DataFrame`` indexed by a tz-naive, normalised, strictly
increasing ``DatetimeIndex`` named ``date``, with float64 columns:

========  ==========================================  ==========================================
kind      columns                                     meaning
========  ==========================================  ==========================================
price     open, high, low, close, volume              prices in the series' unit; volume in units
                                                      traded (NaN where the source has none)
value     value                                       a level: yield (%), spread (%), index ...
oi        open, high, low, close                      open interest, USD notional
funding   value                                       perp funding rate, fraction per 8 h
cot       open_interest and <category>_long/_short    contracts, weekly (report "as of" Tuesday)
========  ==========================================  ==========================================

Option chains (kind ``chain``) are one row per contract with the columns in :data:`CHAIN_COLUMNS`.
"""

from __future__ import annotations

import enum


class Kind(enum.StrEnum):
    """Kind of a catalog series, which fixes its columns."""

    PRICE = "price"
    VALUE = "value"
    OI = "oi"
    FUNDING = "funding"
    COT = "cot"


class Frequency(enum.StrEnum):
    """Observation frequency."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


PRICE_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close", "volume")
VALUE_COLUMNS: tuple[str, ...] = ("value",)
OI_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close")
FUNDING_COLUMNS: tuple[str, ...] = ("value",)

#: COT trader categories: Traders in Financial Futures (TFF) and Disaggregated reports.
COT_TFF_CATEGORIES: tuple[str, ...] = ("dealer", "asset_mgr", "lev_funds")
COT_DISAGG_CATEGORIES: tuple[str, ...] = ("producer", "swap", "managed_money")

#: Columns of an option chain (one row per contract).
#: ``expiry`` is a tz-naive timestamp in US/Eastern wall time at which the option settles
#: (16:00 for PM-settled, 09:30 for AM-settled); ``quote_time`` likewise.
CHAIN_COLUMNS: tuple[str, ...] = (
    "underlying",     # str, e.g. "SPY"
    "quote_time",     # Timestamp, snapshot time (US/Eastern, tz-naive)
    "expiry",         # Timestamp, settlement time (US/Eastern, tz-naive)
    "strike",         # float, in underlying price units
    "option_type",    # "C" or "P"
    "open_interest",  # float, contracts (previous settlement)
    "volume",         # float, contracts traded in the session (NaN if unknown)
    "iv",             # float, implied vol as a fraction (0.20 = 20 %); NaN if unknown
    "bid",            # float, option price
    "ask",            # float
    "last",           # float
    "multiplier",     # float, shares per contract (100)
)

VALUE_KINDS: frozenset[Kind] = frozenset({Kind.VALUE, Kind.FUNDING})


def columns_for(kind: Kind) -> tuple[str, ...]:
    """Return the fixed columns of a kind (COT columns vary by report type)."""
    return {
        Kind.PRICE: PRICE_COLUMNS,
        Kind.VALUE: VALUE_COLUMNS,
        Kind.OI: OI_COLUMNS,
        Kind.FUNDING: FUNDING_COLUMNS,
    }.get(kind, ())
