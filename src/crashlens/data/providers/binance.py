"""Binance USDⓈ-M futures public API → funding and oi kinds.

- ``/fapi/v1/fundingRate?symbol=BTCUSDT&startTime=..&endTime=..&limit=1000`` returns
  ``[{"symbol": "BTCUSDT", "fundingTime": 1763596800000, "fundingRate": "0.00004872",
  "markPrice": "91623.1"}]``: one print per funding interval (8 h for BTCUSDT). The daily
  value (UTC day) is the mean of the day's prints, each scaled to a per-8 h rate
  (``rate × 8 / interval_hours``, the interval being that print's own spacing to the previous
  print, see :func:`print_intervals_h`), as a fraction (0.0001 = 0.01 % per 8 h).
- ``/futures/data/openInterestHist?symbol=BTCUSDT&period=4h&limit=500&startTime=..`` returns
  ``[{"symbol": "BTCUSDT", "sumOpenInterest": "95312.1", "sumOpenInterestValue":
  "8731234567.1", "timestamp": 1763596800000}]``: snapshots of open interest in coins and in
  USD. The daily oi bar (UTC day) is open = first, high = max, low = min, close = last of the
  day's USD snapshots. Binance serves only the latest ~30 days of this history.

Both endpoints are paged forward by ``startTime`` until a short page. The COIN-M (inverse)
perpetuals are served by ``dapi.binance.com`` with the same bodies
(:class:`BinanceCoinMFundingProvider`, :class:`BinanceCoinMOpenInterestProvider`; base URL
override ``CRASHLENS_BINANCE_COINM_URL``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pydantic

from crashlens.data.providers._base import (
    Provider,
    QueryParams,
    Transformed,
    daily_transformed,
    epoch_ms_window,
    today_utc,
)
from crashlens.data.providers._http import HttpResponse
from crashlens.data.schema import Kind
from crashlens.notes import Note

_MS_PER_DAY = 86_400_000
_MIN_MS = 1_262_304_000_000  # 2010-01-01
_MAX_MS = 4_102_444_800_000  # 2100-01-01
#: Funding interval assumed when a print's own is unknown (first print, gaps), hours.
DEFAULT_FUNDING_INTERVAL_H = 8.0
#: Longest funding interval of the venues (Binance, Bybit, OKX), hours: a longer spacing between
#: two prints means missing prints, not a longer interval.
MAX_FUNDING_INTERVAL_H = 8.0
#: First day of USDⓈ-M perpetual history (BTCUSDT listed 2019-09-08).
FUNDING_EPOCH = dt.date(2019, 9, 1)


class BinanceQuery(QueryParams):
    """Query of a Binance USDⓈ-M futures endpoint.

    Attributes
    ----------
    symbol : str
        Contract (``BTCUSDT``).
    """

    symbol: str

    @pydantic.field_validator("symbol")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class BinanceOIQuery(BinanceQuery):
    """Query of the open-interest history.

    Attributes
    ----------
    period : str
        Snapshot spacing: ``5m``, ``15m``, ``30m``, ``1h``, ``2h``, ``4h``, ``6h``, ``12h``,
        ``1d``. Default ``4h`` (six snapshots per day for the daily OHLC).
    history_days : int
        Depth Binance serves; earlier starts are clamped to it (with a warning). Default 30.
    """

    period: str = "4h"
    history_days: int = pydantic.Field(default=30, ge=1)

    @pydantic.field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        allowed = ("5m", "15m", "30m", "1h", "2h", "4h", "6h", "12h", "1d")
        if value not in allowed:
            raise ValueError(f"period must be one of {', '.join(allowed)}")
        return value


class _BinanceBase(Provider[Any]):
    env_var = "CRASHLENS_BINANCE_URL"
    default_base_url = "https://fapi.binance.com"
    default_rate = 5.0
    default_ttl_s = 3600.0
    licence = "Binance public market data: Binance terms of use"
    headers: ClassVar[Mapping[str, str]] = {"Accept": "application/json"}
    path: ClassVar[str]
    time_field: ClassVar[str]
    page_limit: ClassVar[int]
    max_pages: ClassVar[int] = 200

    def _page(self, resp: HttpResponse) -> list[dict[str, Any]]:
        doc = self.parse_json(resp)
        if isinstance(doc, dict) and "code" in doc:
            raise self.error(resp, f"Binance error {doc.get('code')}: {doc.get('msg')}")
        if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
            raise self.error(resp, "unexpected JSON: expected a list of objects")
        return doc

    def _paged(
        self, params: dict[str, Any], start_ms: int, end_ms: int
    ) -> list[HttpResponse]:
        url = f"{self.base_url}{self.path}"
        out: list[HttpResponse] = []
        cursor = start_ms
        for _ in range(self.max_pages):
            resp = self.get(
                url, {**params, "startTime": cursor, "endTime": end_ms, "limit": self.page_limit}
            )
            out.append(resp)
            rows = self._page(resp)
            if len(rows) < self.page_limit:
                break
            try:
                last = max(int(r[self.time_field]) for r in rows)
            except (KeyError, TypeError, ValueError) as exc:
                raise self.error(resp, f"bad '{self.time_field}' in page: {exc}") from exc
            if last + 1 > end_ms:
                break
            cursor = last + 1
        return out

    def _records(
        self, responses: Sequence[HttpResponse], fields: Sequence[str]
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        times: list[int] = []
        cols: dict[str, list[float]] = {f: [] for f in fields}
        for resp in responses:
            for i, row in enumerate(self._page(resp)):
                try:
                    stamp = int(row[self.time_field])
                except (KeyError, TypeError, ValueError):
                    raise self.error(
                        resp, f"row {i}: bad or missing '{self.time_field}'"
                    ) from None
                if not _MIN_MS <= stamp <= _MAX_MS:
                    raise self.error(
                        resp, f"row {i}: '{self.time_field}' {stamp} is not a time between "
                        "2010 and 2100 in milliseconds"
                    )
                times.append(stamp)
                for f in fields:
                    try:
                        cols[f].append(float(row[f]))
                    except KeyError:
                        raise self.error(resp, f"row {i}: field '{f}' missing") from None
                    except (TypeError, ValueError):
                        raise self.error(
                            resp, f"row {i}, field '{f}': {row[f]!r} is not a number"
                        ) from None
        t = np.asarray(times, dtype=np.int64)
        order = np.argsort(t, kind="stable")
        t = t[order]
        keep = np.ones(len(t), dtype=bool)
        keep[1:] = t[1:] != t[:-1]  # pages may overlap by one row
        return t[keep], {f: np.asarray(v, dtype=np.float64)[order][keep] for f, v in cols.items()}


class BinanceFundingProvider(_BinanceBase):
    """Perpetual funding rates (``/fapi/v1/fundingRate``) → funding kind, fraction per 8 h."""

    name = "binance"
    query_model = BinanceQuery
    path = "/fapi/v1/fundingRate"
    time_field = "fundingTime"
    page_limit = 1000

    def extract(self, query: BinanceQuery) -> list[HttpResponse]:
        """Page through the funding prints of the window (default: from 2019-09-01)."""
        start = query.start or FUNDING_EPOCH
        end = query.end or today_utc()
        return self._paged({"symbol": query.symbol}, *epoch_ms_window(start, end))

    def transform(self, query: BinanceQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """Average each UTC day's prints, normalised to a per-8 h fraction."""
        t, cols = self._records(responses, ["fundingRate"])
        return daily_funding(query, t, cols["fundingRate"], symbol=query.symbol)


def print_intervals_h(t_ms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Funding interval of each print, hours, from its own spacing to the previous print.

    A print pays for the interval that ends at its time, so its interval is the spacing to the
    previous print, rounded to the hour (venues stamp prints a few ms late). A spacing outside
    1 .. :data:`MAX_FUNDING_INTERVAL_H` (the first print, or missing prints in between) is not an
    interval: such a print takes the median of its UTC day's known intervals, else
    :data:`DEFAULT_FUNDING_INTERVAL_H`.

    Parameters
    ----------
    t_ms : ndarray of int64, shape (N,)
        Print times, Unix milliseconds, sorted and unique.

    Returns
    -------
    intervals : ndarray of float, shape (N,)
        Interval of each print, hours.
    guessed : ndarray of bool, shape (N,)
        True where the default 8 h was assumed (no known interval that day).
    """
    n = len(t_ms)
    own = np.full(n, np.nan)
    if n >= 2:
        own[1:] = np.round(np.diff(t_ms) / 3_600_000.0)
    own[(own < 1) | (own > MAX_FUNDING_INTERVAL_H)] = np.nan
    day_median = (
        pd.Series(own).groupby(t_ms // _MS_PER_DAY).transform("median").to_numpy()
        if n else own
    )
    intervals = np.where(np.isnan(own), day_median, own)
    guessed = np.isnan(intervals)
    intervals[guessed] = DEFAULT_FUNDING_INTERVAL_H
    return intervals, guessed


def daily_funding(query: QueryParams, t_ms: np.ndarray, rates: np.ndarray, *, symbol: str
                  ) -> Transformed:
    """Daily funding (UTC days) from funding prints of any venue.

    Each print is scaled to a per-8 h rate (``rate x 8 / interval_hours``, the interval being
    the print's own spacing to the previous print, :func:`print_intervals_h`); the day's value
    is the mean of its prints, a fraction per 8 h. Days whose prints cover less than 24 h are
    kept and named in a warning.

    Parameters
    ----------
    query : QueryParams
        The query (its window cuts the frame).
    t_ms : ndarray of int64, shape (N,)
        Print times, Unix milliseconds, sorted and unique.
    rates : ndarray, shape (N,)
        Funding rate of each print, fraction per funding interval.
    symbol : str
        The venue's contract name.
    """
    warnings: list[str] = []
    interval_h, guessed = print_intervals_h(t_ms)
    per8 = rates * (8.0 / interval_h)
    days = t_ms // _MS_PER_DAY
    uniq, inverse, counts = np.unique(days, return_inverse=True, return_counts=True)
    sums = np.zeros(len(uniq))
    np.add.at(sums, inverse, per8)
    covered = np.zeros(len(uniq))
    np.add.at(covered, inverse, interval_h)
    for hours in sorted(set(interval_h[interval_h != 8.0].tolist())):
        on = uniq[np.unique(inverse[interval_h == hours])]
        warnings.append(Note("data.funding_interval", hours=hours, n=len(on),
                             first=_day(on[0]), last=_day(on[-1])))
    if guessed.any():
        at = uniq[np.unique(inverse[guessed])]
        warnings.append(Note("data.funding_interval_unknown", n=len(at),
                             hours=DEFAULT_FUNDING_INTERVAL_H,
                             days=", ".join(_day(d) for d in at[:5])
                             + (" ..." if len(at) > 5 else "")))
    short = uniq[covered < 24.0]
    if len(short):
        warnings.append(Note("data.funding_partial_days", n=len(short),
                             days=", ".join(_day(d) for d in short[:5])))
    values, freq = np.unique(interval_h, return_counts=True)
    return daily_transformed(
        query,
        [_day(d) for d in uniq],
        {"value": sums / np.maximum(counts, 1)},
        kind=Kind.FUNDING,
        symbol=symbol,
        warnings=warnings,
        what="funding prints",
        assumptions={
            "daily_aggregation": "mean of the UTC day's prints",
            # the most common interval of the window (each print uses its own)
            "funding_interval_h": float(values[np.argmax(freq)]) if len(values) else 8.0,
            "funding_interval_rule": "each print's spacing to the previous print, rounded to "
            "the hour; outside 1..max_funding_interval_h: the day's median, else the default",
            "max_funding_interval_h": MAX_FUNDING_INTERVAL_H,
            "default_funding_interval_h": DEFAULT_FUNDING_INTERVAL_H,
            "unit": "fraction per 8h",
        },
    )


class BinanceOpenInterestProvider(_BinanceBase):
    """Open-interest history (``/futures/data/openInterestHist``) → oi kind in USD."""

    name = "binance"
    query_model = BinanceOIQuery
    path = "/futures/data/openInterestHist"
    time_field = "timestamp"
    page_limit = 500

    def _window(self, query: BinanceOIQuery) -> tuple[dt.date, dt.date, str | None]:
        end = query.end or today_utc()
        earliest = today_utc() - dt.timedelta(days=query.history_days - 1)
        start = query.start or earliest
        note = None
        if start < earliest:
            note = Note("data.binance_oi_clamped", days=query.history_days, start=start,
                        earliest=earliest)
            start = earliest
        return start, max(start, end), note

    def extract(self, query: BinanceOIQuery) -> list[HttpResponse]:
        """Page through the snapshots of the (clamped) window."""
        start, end, _ = self._window(query)
        return self._paged({"symbol": query.symbol, "period": query.period},
                           *epoch_ms_window(start, end))

    def transform(self, query: BinanceOIQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """Daily OHLC of the USD open-interest snapshots."""
        t, cols = self._records(responses, ["sumOpenInterestValue"])
        _, _, note = self._window(query)
        return oi_daily_transformed(
            query, t, cols["sumOpenInterestValue"], symbol=query.symbol,
            warnings=[note] if note else [],
            assumptions={"period": query.period,
                         "unit": "USD notional (sumOpenInterestValue)"})


def _day(day_number: Any) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=int(day_number))).isoformat()


# --- COIN-M (inverse) perpetuals: dapi.binance.com --------------------------------------------

#: USD face value of one COIN-M contract: 100 USD for BTC, 10 USD for the other coins.
COINM_CONTRACT_USD: Mapping[str, float] = {"BTC": 100.0}
COINM_DEFAULT_CONTRACT_USD = 10.0


class CoinQuery(QueryParams):
    """Query of one coin by its ticker (``BTC``): 2-12 letters or digits, upper-cased."""

    coin: str

    @pydantic.field_validator("coin")
    @classmethod
    def _coin(cls, value: str) -> str:
        v = value.upper()
        if not v.isalnum() or not 2 <= len(v) <= 12:
            raise ValueError(f"coin must be 2-12 letters or digits, got {value!r}")
        return v


class BinanceCoinMQuery(CoinQuery):
    """Query of a Binance COIN-M perpetual (``BTCUSD_PERP``; the pair is ``BTCUSD``).

    Attributes
    ----------
    coin : str
        Base coin (``BTC``).
    period : str
        OI snapshot spacing (``1d`` default: one 00:00-UTC snapshot a day).
    history_days : int
        Depth Binance serves (30 days); earlier starts are clamped with a warning.
    """

    period: str = "1d"
    history_days: int = pydantic.Field(default=30, ge=1)


class _CoinMBase(_BinanceBase):
    env_var = "CRASHLENS_BINANCE_COINM_URL"
    default_base_url = "https://dapi.binance.com"


class BinanceCoinMFundingProvider(_CoinMBase):
    """COIN-M perpetual funding (``/dapi/v1/fundingRate?symbol=BTCUSD_PERP``) → funding kind.

    Same body as USDⓈ-M: ``[{"symbol": "BTCUSD_PERP", "fundingTime": ..., "fundingRate":
    "0.00010000"}]``; daily mean of the prints as a fraction per 8 h.
    """

    name = "binance_coinm"
    query_model = BinanceCoinMQuery
    path = "/dapi/v1/fundingRate"
    time_field = "fundingTime"
    page_limit = 1000

    def extract(self, query: BinanceCoinMQuery) -> list[HttpResponse]:
        """Page through the funding prints of the window."""
        start = query.start or FUNDING_EPOCH
        end = query.end or today_utc()
        return self._paged({"symbol": f"{query.coin}USD_PERP"}, *epoch_ms_window(start, end))

    def transform(self, query: BinanceCoinMQuery, responses: Sequence[HttpResponse]
                  ) -> Transformed:
        """Daily mean of the prints, fraction per 8 h."""
        t, cols = self._records(responses, ["fundingRate"])
        return daily_funding(query, t, cols["fundingRate"], symbol=f"{query.coin}USD_PERP")


class BinanceCoinMOpenInterestProvider(_CoinMBase):
    """COIN-M perpetual OI history → oi kind in USD.

    ``/futures/data/openInterestHist?pair=BTCUSD&contractType=PERPETUAL&period=1d``. Rows:
    ``{"pair": "BTCUSD", "contractType": "PERPETUAL", "sumOpenInterest": "20403.0"
    (contracts), "sumOpenInterestValue": "176.19" (coins), "timestamp": ...}``. USD notional =
    contracts x the contract's face value (:data:`COINM_CONTRACT_USD`), which is exact for
    inverse contracts (the coin value moves with the price, the face value does not).
    """

    name = "binance_coinm"
    query_model = BinanceCoinMQuery
    path = "/futures/data/openInterestHist"
    time_field = "timestamp"
    page_limit = 500

    def _window(self, query: BinanceCoinMQuery) -> tuple[dt.date, dt.date, str | None]:
        end = query.end or today_utc()
        earliest = today_utc() - dt.timedelta(days=query.history_days - 1)
        start = query.start or earliest
        note = None
        if start < earliest:
            note = Note("data.binance_oi_clamped", days=query.history_days, start=start,
                        earliest=earliest)
            start = earliest
        return start, max(start, end), note

    def extract(self, query: BinanceCoinMQuery) -> list[HttpResponse]:
        """Page through the snapshots of the (clamped) window."""
        start, end, _ = self._window(query)
        return self._paged({"pair": f"{query.coin}USD", "contractType": "PERPETUAL",
                            "period": query.period}, *epoch_ms_window(start, end))

    def transform(self, query: BinanceCoinMQuery, responses: Sequence[HttpResponse]
                  ) -> Transformed:
        """Daily OHLC of contracts x face value (USD)."""
        t, cols = self._records(responses, ["sumOpenInterest"])
        _, _, note = self._window(query)
        face = COINM_CONTRACT_USD.get(query.coin, COINM_DEFAULT_CONTRACT_USD)
        return oi_daily_transformed(query, t, cols["sumOpenInterest"] * face,
                                    symbol=f"{query.coin}USD_PERP",
                                    warnings=[note] if note else [],
                                    assumptions={"period": query.period,
                                                 "unit": f"USD notional (contracts x {face:g})"})


def oi_daily_transformed(query: QueryParams, t_ms: np.ndarray, usd: np.ndarray, *, symbol: str,
                         warnings: list[str], assumptions: Mapping[str, Any]) -> Transformed:
    """Daily OHLC (UTC days) of USD open-interest snapshots of any venue."""
    frame = pd.DataFrame({"v": usd, "day": t_ms // _MS_PER_DAY})
    ohlc = frame.groupby("day", sort=True)["v"].agg(["first", "max", "min", "last"])
    return daily_transformed(
        query, [_day(d) for d in ohlc.index],
        {"open": ohlc["first"].to_numpy(), "high": ohlc["max"].to_numpy(),
         "low": ohlc["min"].to_numpy(), "close": ohlc["last"].to_numpy()},
        kind=Kind.OI, symbol=symbol, warnings=warnings, what="snapshots",
        assumptions={"daily_aggregation": "OHLC of the UTC day's USD snapshots",
                     **assumptions})
