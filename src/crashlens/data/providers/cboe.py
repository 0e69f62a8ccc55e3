"""CBOE delayed option quotes (``/api/global/delayed_quotes/options/{symbol}.json``) → chain.

Response shape (abridged)::

    {"timestamp": "2025-09-26 01:05:00", "symbol": "SPY",
     "data": {"symbol": "SPY", "current_price": 658.05, ...,
              "options": [{"option": "SPY251001C00650000", "bid": 9.1, "ask": 9.2,
                           "iv": 0.1532, "open_interest": 1234.0, "volume": 56.0,
                           "last_trade_price": 9.15, "delta": ..., "gamma": ..., ...}]}}

Index options live under an underscore (``_SPX.json``, ``_VIX.json``). Each option symbol is
OCC style: root, ``YYMMDD`` expiry, ``C``/``P``, strike × 1000 on 8 digits
(``SPY250926C00650000`` = SPY 2025-09-26 call 650).

Assumptions (named parameters, reported in the result):

- ``timestamp_tz`` — the time zone of the feed's top-level ``timestamp`` (default ``UTC``);
  it is converted to US/Eastern wall time for ``quote_time``.
- settlement time — 09:30 ET for the AM-settled roots in :data:`AM_SETTLED_ROOTS` (standard
  SPX, NDX, RUT monthlies, VIX), else 16:00 ET.
- ``iv`` — CBOE's implied vol as a fraction. Values that are placeholders, not vols, become NaN:
  0 or below ("not solvable"), exactly ``iv_placeholder`` (0.02: CBOE's fill when no vol was
  solved; all 1409 such SPY contracts of 2022-04-01, of 9798, are in-the-money calls) and above
  ``iv_max`` (5 = 500 %: the 14.001 ... 26.001 vols of contracts expiring on the quote day).
- multiplier 100 for every contract.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pydantic

from crashlens.data.providers._base import CHAIN, Provider, QueryParams, Transformed
from crashlens.data.providers._http import HttpResponse
from crashlens.notes import Note

#: Symbols whose chain file carries an underscore prefix (cash-settled indices).
INDEX_SYMBOLS: frozenset[str] = frozenset(
    {"SPX", "NDX", "RUT", "VIX", "XSP", "OEX", "XEO", "DJX", "MRUT", "NANOS"}
)
#: Option roots settled at the open (09:30 ET) instead of the close (same set as
#: :data:`crashlens.options.chains.AM_SETTLED_ROOTS`; a test checks the two agree).
AM_SETTLED_ROOTS: frozenset[str] = frozenset({"SPX", "NDX", "RUT", "VIX", "DJX", "MXEA", "MXEF"})
#: OCC option symbol: root, YYMMDD, C/P, strike x 1000 on 8 digits.
OPTION_SYMBOL = re.compile(r"^(?P<root>[A-Z]{1,6})(?P<ymd>\d{6})(?P<cp>[CP])(?P<strike>\d{8})$")
EASTERN = "America/New_York"


def parse_option_symbol(symbol: str) -> tuple[str, pd.Timestamp, str, float]:
    """Split an OCC option symbol into root, expiry date, type and strike.

    Parameters
    ----------
    symbol : str
        E.g. ``SPY250926C00650000`` or ``SPXW251017P05800000``.

    Returns
    -------
    tuple
        ``(root, expiry_date, option_type, strike)``: root like ``SPXW``, the expiry as a
        midnight Timestamp, ``"C"`` or ``"P"``, the strike in underlying price units.

    Raises
    ------
    ValueError
        If the symbol does not follow the OCC layout or the date is impossible.
    """
    m = OPTION_SYMBOL.match(symbol.strip().upper())
    if m is None:
        raise ValueError(f"'{symbol}' is not an OCC option symbol (ROOT YYMMDD C|P STRIKE*1000)")
    expiry = pd.to_datetime(m["ymd"], format="%y%m%d", errors="coerce")
    if pd.isna(expiry):
        raise ValueError(f"'{symbol}': '{m['ymd']}' is not a valid YYMMDD date")
    return m["root"], pd.Timestamp(expiry), m["cp"], int(m["strike"]) / 1000.0


class CboeChainQuery(QueryParams):
    """Query of a CBOE delayed-quote chain.

    Attributes
    ----------
    symbol : str
        Underlying (``SPY``, ``SPX``, ``QQQ``); index symbols get the ``_`` prefix.
    timestamp_tz : str
        Time zone of the feed's ``timestamp`` field. Default ``UTC``.
    iv_placeholder : float
        An ``iv`` exactly equal to this is CBOE's placeholder, read as missing (fraction).
        Default 0.02.
    iv_max : float
        An ``iv`` above this is a placeholder, read as missing (fraction; 5 = 500 %).
        Default 5.
    """

    symbol: str
    timestamp_tz: str = "UTC"
    iv_placeholder: float = 0.02
    iv_max: float = pydantic.Field(5.0, gt=0)

    @pydantic.field_validator("timestamp_tz")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value


class CboeOptionsProvider(Provider[CboeChainQuery]):
    """Option-chain snapshots from CBOE's delayed-quote CDN (~15 min delayed, no key)."""

    name = "cboe"
    env_var = "CRASHLENS_CBOE_URL"
    default_base_url = "https://cdn.cboe.com"
    query_model = CboeChainQuery
    default_rate = 1.0
    default_ttl_s = 15 * 60.0
    licence = "CBOE delayed data: CBOE website terms of use (personal use, no redistribution)"
    headers: ClassVar[Mapping[str, str]] = {"Accept": "application/json"}

    def extract(self, query: CboeChainQuery) -> list[HttpResponse]:
        """One GET of the chain file."""
        sym = query.symbol.upper().lstrip("^_")
        path = f"_{sym}" if sym in INDEX_SYMBOLS else sym
        return [self.get(f"{self.base_url}/api/global/delayed_quotes/options/{path}.json")]

    def transform(self, query: CboeChainQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """Parse the chain JSON into one row per contract (:data:`CHAIN_COLUMNS`)."""
        (resp,) = responses
        doc = self.parse_json(resp)
        data = doc.get("data") if isinstance(doc, dict) else None
        if not isinstance(data, dict):
            raise self.error(resp, "unexpected JSON: no 'data' object")
        options = data.get("options")
        if not isinstance(options, list):
            raise self.error(resp, "unexpected JSON: no 'data.options' list")
        if not options:
            raise self.error(resp, f"no option contracts for {query.symbol}")
        stamp = doc.get("timestamp")
        try:
            quote_time = (
                pd.Timestamp(stamp)
                .tz_localize(query.timestamp_tz)
                .tz_convert(EASTERN)
                .tz_localize(None)
            )
        except (TypeError, ValueError) as exc:
            raise self.error(resp, f"bad or missing 'timestamp' {stamp!r}") from exc
        if pd.isna(quote_time):
            raise self.error(resp, f"bad or missing 'timestamp' {stamp!r}")
        underlying = str(data.get("symbol") or doc.get("symbol") or query.symbol).lstrip("_^")
        warnings: list[str] = []
        for i, opt in enumerate(options):
            if not isinstance(opt, dict):
                raise self.error(resp, f"data.options[{i}] is not an object")
        raw = pd.DataFrame.from_records(options)
        if "option" not in raw.columns:
            raise self.error(resp, "no contract has an 'option' symbol field (garbage response)")
        symbols = raw["option"].astype(str).str.strip().str.upper()
        parts = symbols.str.extract(OPTION_SYMBOL)
        expiry_day = pd.to_datetime(parts["ymd"], format="%y%m%d", errors="coerce")
        bad = parts["root"].isna().to_numpy() | expiry_day.isna().to_numpy()
        if bad.any():
            shown = ", ".join(raw["option"][bad].astype(str).head(3))
            warnings.append(Note("data.chain_bad_symbols", n=int(bad.sum()), symbols=shown))
        if bad.all():
            raise self.error(resp, "no contract symbol could be parsed (garbage response)")
        keep = ~bad
        raw, parts, expiry_day = raw[keep], parts[keep], expiry_day[keep]
        am = parts["root"].isin(AM_SETTLED_ROOTS).to_numpy()
        settle = np.where(am, np.timedelta64(570, "m"), np.timedelta64(960, "m"))
        n = len(raw)
        frame = pd.DataFrame(
            {
                "underlying": [underlying] * n,
                "quote_time": [quote_time] * n,
                "expiry": expiry_day.to_numpy() + settle,
                "strike": parts["strike"].astype(np.int64).to_numpy() / 1000.0,
                "option_type": parts["cp"].to_numpy(),
            }
        )
        for col, field in _NUMERIC_FIELDS.items():
            frame[col] = self._numeric(resp, raw, field)
        frame["multiplier"] = 100.0
        frame["quote_time"] = pd.to_datetime(frame["quote_time"]).astype("datetime64[ns]")
        frame["expiry"] = frame["expiry"].astype("datetime64[ns]")
        iv = frame["iv"]
        for mask, code in (
            (iv <= 0, "data.chain_iv_nonpositive"),
            (iv == query.iv_placeholder, "data.chain_iv_placeholder"),
            (iv > query.iv_max, "data.chain_iv_too_high"),
        ):
            if mask.any():
                warnings.append(Note(code, n=int(mask.sum()), iv=query.iv_placeholder,
                                     iv_max=query.iv_max))
        placeholder = (iv <= 0) | (iv == query.iv_placeholder) | (iv > query.iv_max)
        frame.loc[placeholder, "iv"] = np.nan
        frame = frame.sort_values(["expiry", "strike", "option_type"], kind="stable")
        frame = frame.reset_index(drop=True)
        return Transformed(
            frame=frame,
            kind=CHAIN,
            symbol=underlying,
            warnings=warnings,
            assumptions={
                "timestamp_tz": query.timestamp_tz,
                "am_settled_roots": sorted(AM_SETTLED_ROOTS),
                "multiplier": 100.0,
                "iv_zero_is_missing": True,
                "iv_placeholder": query.iv_placeholder,
                "iv_max": query.iv_max,
            },
            meta={
                "underlying_price": _num(data.get("current_price")),
                "quote_time": quote_time,
                "expiries": sorted(frame["expiry"].dt.strftime("%Y-%m-%d").unique().tolist()),
            },
        )

    def _numeric(self, resp: HttpResponse, raw: pd.DataFrame, field: str) -> np.ndarray:
        """A numeric field as float64; null or absent is NaN, anything else non-numeric fails."""
        if field not in raw.columns:
            return np.full(len(raw), np.nan)
        values = raw[field]
        out = pd.to_numeric(values, errors="coerce").astype(np.float64)
        if int(out.isna().sum()) == int(values.isna().sum()):
            return out.to_numpy()  # fast path: only nulls became NaN
        blank = values.isna() | values.map(lambda v: isinstance(v, str) and not v.strip())
        wrong = out.isna() & ~blank
        if wrong.any():
            at = int(np.argmax(wrong.to_numpy()))
            raise self.error(
                resp, f"contract {raw['option'].iloc[at]}: field '{field}' is "
                f"{values.iloc[at]!r}, not a number (non-numeric field)"
            )
        return out.to_numpy()


_NUMERIC_FIELDS = {
    "open_interest": "open_interest",
    "volume": "volume",
    "iv": "iv",
    "bid": "bid",
    "ask": "ask",
    "last": "last_trade_price",
}


def _num(value: Any) -> float:
    if value is None or value == "":
        return float("nan")
    if isinstance(value, bool):
        raise TypeError(f"boolean {value!r}")
    return float(value)
