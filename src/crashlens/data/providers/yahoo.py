"""Yahoo Finance chart API (``/v8/finance/chart/{symbol}``) → price kind.

Response shape (abridged)::

    {"chart": {"result": [{"meta": {"symbol": "^GSPC", "exchangeTimezoneName":
      "America/New_York", "gmtoffset": -18000, ...},
      "timestamp": [1763649000, ...],
      "indicators": {"quote": [{"open": [...], "high": [...], "low": [...],
                                "close": [...], "volume": [...]}],
                     "adjclose": [{"adjclose": [...]}]}}],
      "error": null}}

Timestamps are the session start in UTC seconds; each is converted to the exchange's time
zone (``meta.exchangeTimezoneName``, else ``meta.gmtoffset``) and its calendar date is the bar's
date. Prices are raw (not dividend-adjusted), like the raw files. Bars whose close is null
(a session without a print) are dropped with a warning; so are bars with a non-positive close.

Rules learnt from recorded live answers (``shared/fixtures/providers``, see docs/providers.md):

- ``period1``/``period2`` are always sent. ``range=max`` makes Yahoo answer with coarser bars
  (``meta.dataGranularity`` ``3mo`` for VFINX) that would be stored as daily; a response whose
  ``dataGranularity`` is not ``1d`` is rejected.
- While the session is open, the last bar is the day so far (its timestamp is
  ``meta.regularMarketTime``, inside ``meta.currentTradingPeriod.regular``): it is dropped with
  a warning, since its close is not the day's close.
- Currency pairs (``instrumentType`` ``CURRENCY``) report volume 0: there is no volume, so it
  becomes NaN.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from crashlens.data.providers._base import (
    Provider,
    QueryParams,
    Transformed,
    daily_transformed,
    epoch_s,
    today_utc,
)
from crashlens.data.providers._http import HttpResponse
from crashlens.data.schema import PRICE_COLUMNS, Kind
from crashlens.notes import Note


class YahooChartQuery(QueryParams):
    """Query of the Yahoo chart API.

    Attributes
    ----------
    symbol : str
        Yahoo symbol (``^GSPC``, ``BTC-USD``, ``GC=F``, ``NVDA``).
    start, end : date, optional
        Inclusive window. Without ``start`` the history from :data:`EARLIEST` is asked for
        (as ``period1``; never ``range=max``, which answers with quarterly bars).
    """

    symbol: str


#: ``period1`` sent without a start date: 1900-01-01 00:00 UTC (before any Yahoo series; the
#: S&P 500 starts in 1927). A date, not ``range=max``, keeps the bars daily; yfinance does the
#: same when no start is given (its ``_UNIX_TIMESTAMP_1900``).
EARLIEST = dt.date(1900, 1, 1)
#: Bar size asked for and the only ``meta.dataGranularity`` accepted.
GRANULARITY = "1d"
#: Yahoo ``instrumentType`` values without a traded volume (volume 0 is sent): volume → NaN.
NO_VOLUME_TYPES: frozenset[str] = frozenset({"CURRENCY"})


class YahooChartProvider(Provider[YahooChartQuery]):
    """Daily OHLCV bars from Yahoo's chart API (no key)."""

    name = "yahoo"
    env_var = "CRASHLENS_YAHOO_URL"
    default_base_url = "https://query1.finance.yahoo.com"
    query_model = YahooChartQuery
    default_rate = 2.0
    default_ttl_s = 6 * 3600.0
    licence = "Yahoo Finance terms of use: personal, non-commercial use; do not redistribute"
    headers: ClassVar[Mapping[str, str]] = {"Accept": "application/json"}

    def extract(self, query: YahooChartQuery) -> list[HttpResponse]:
        """One GET of the chart endpoint for the window."""
        url = f"{self.base_url}/v8/finance/chart/{urllib.parse.quote(query.symbol, safe='')}"
        # period2 is the next UTC midnight after `end` (or today): stable within a day, so the
        # URL (and the cache key) does not change at every call.
        last = query.end or today_utc()
        params: dict[str, Any] = {
            "interval": GRANULARITY,
            "includePrePost": "false",
            "events": "div,split",
            "period1": epoch_s(query.start or EARLIEST),
            "period2": epoch_s(last + dt.timedelta(days=1)),
        }
        return [self.get(url, params)]

    def transform(self, query: YahooChartQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """Parse the chart JSON into a price frame."""
        (resp,) = responses
        doc = self.parse_json(resp)
        chart = doc.get("chart") if isinstance(doc, dict) else None
        if not isinstance(chart, dict):
            raise self.error(resp, "unexpected JSON: no 'chart' object")
        err = chart.get("error")
        if err:
            desc = err.get("description") if isinstance(err, dict) else err
            raise self.error(resp, f"Yahoo error for {query.symbol}: {desc}")
        results = chart.get("result")
        if not isinstance(results, list) or not results or not isinstance(results[0], dict):
            raise self.error(resp, f"no chart result for {query.symbol}")
        res = results[0]
        meta = res.get("meta") or {}
        granularity = meta.get("dataGranularity")
        if granularity is not None and granularity != GRANULARITY:
            raise self.error(
                resp, f"{query.symbol}: dataGranularity is '{granularity}', not "
                f"'{GRANULARITY}' (bars are not daily; refusing to store them as daily)"
            )
        warnings: list[str] = []
        stamps = res.get("timestamp") or []
        try:
            quote = res["indicators"]["quote"][0]
        except (KeyError, IndexError, TypeError):
            if not stamps:
                quote = {}
            else:
                raise self.error(resp, "unexpected JSON: no indicators.quote") from None
        n = len(stamps)
        cols: dict[str, np.ndarray] = {}
        for col in PRICE_COLUMNS:
            values = quote.get(col)
            if values is None:
                values = [None] * n
            if not isinstance(values, list) or len(values) != n:
                raise self.error(
                    resp, f"field '{col}' has {len(values) if isinstance(values, list) else '?'}"
                    f" values for {n} timestamps (truncated or malformed body)"
                )
            try:
                cols[col] = np.array(values, dtype=np.float64)  # None -> NaN
            except (TypeError, ValueError) as exc:
                raise self.error(resp, f"non-numeric value in field '{col}': {exc}") from exc
        try:
            ts = pd.to_datetime(np.asarray(stamps, dtype=np.int64), unit="s", utc=True)
        except (TypeError, ValueError, OverflowError) as exc:
            raise self.error(resp, f"bad 'timestamp' values: {exc}") from exc
        tz = _zone(meta)
        local = ts.tz_convert(tz).tz_localize(None).normalize()
        instrument = meta.get("instrumentType")
        if instrument in NO_VOLUME_TYPES:
            # FX pairs have no volume; Yahoo's 0 would read as "nothing traded".
            cols["volume"] = np.full(n, np.nan)
        keep = ~np.isnan(cols["close"])
        unfinished = _unfinished_last_bar(meta, local[-1] if n else None, tz)
        if unfinished is not None:
            keep[-1] = False
            warnings.append(Note("data.yahoo_unfinished", day=local[-1].date().isoformat(),
                                 time=f"{unfinished.astimezone(tz):%Y-%m-%d %H:%M}",
                                 tz=str(tz)))
            unclosed = int(np.isnan(cols["close"][:-1]).sum())
        else:
            unclosed = int((~keep).sum())
        if unclosed:
            warnings.append(Note("data.yahoo_no_close", n=unclosed))
        bad = keep & (cols["close"] <= 0)
        if bad.any():
            days = ", ".join(d.date().isoformat() for d in local[bad][:5])
            warnings.append(Note("data.yahoo_nonpositive", n=int(bad.sum()), days=days))
            keep &= ~bad
        if (keep & (cols["high"] < cols["low"])).any():
            warnings.append(Note("data.yahoo_high_below_low"))
        return daily_transformed(
            query,
            local[keep],
            {c: v[keep] for c, v in cols.items()},
            kind=Kind.PRICE,
            symbol=str(meta.get("symbol") or query.symbol),
            warnings=warnings,
            what="chart bars",
            assumptions={
                "adjusted": False,
                "bar_date_timezone": str(tz),
                "granularity": GRANULARITY,
                "earliest_period1": EARLIEST.isoformat(),
                "unfinished_last_bar": "dropped",
                "no_volume_instrument_types": sorted(NO_VOLUME_TYPES),
            },
            meta={
                "currency": meta.get("currency"),
                "exchange_timezone": str(tz),
                "instrument_type": instrument,
                "unfinished_bar_dropped": unfinished is not None,
            },
        )


def _unfinished_last_bar(
    meta: dict[str, Any], last_day: pd.Timestamp | None, tz: dt.tzinfo
) -> dt.datetime | None:
    """``regularMarketTime`` (UTC) when the last bar is a session still open, else None.

    The last bar is unfinished when Yahoo answered during the regular session
    (``meta.regularMarketTime`` inside ``meta.currentTradingPeriod.regular``, ``[start, end)``
    in UTC seconds) and the bar is that session's day (same exchange-local date). Yahoo then
    stamps the bar with the time of the last trade instead of the session start. A window that
    ends before that day is never cut.
    """
    if last_day is None:
        return None
    market_time = meta.get("regularMarketTime")
    try:
        regular = meta["currentTradingPeriod"]["regular"]
        start, end = int(regular["start"]), int(regular["end"])
    except (KeyError, TypeError, ValueError):
        return None
    if isinstance(market_time, bool) or not isinstance(market_time, int | float):
        return None
    if not start <= market_time < end:
        return None
    at = dt.datetime.fromtimestamp(int(market_time), dt.UTC)
    if at.astimezone(tz).date() != last_day.date():
        return None
    return at


def _zone(meta: dict[str, Any]) -> dt.tzinfo:
    name = meta.get("exchangeTimezoneName")
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    offset = meta.get("gmtoffset")
    if isinstance(offset, int | float):
        return dt.timezone(dt.timedelta(seconds=int(offset)))
    return dt.UTC
