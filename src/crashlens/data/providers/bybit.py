"""Bybit v5 public market API → funding and oi kinds.

- ``/v5/market/open-interest?category=linear&symbol=BTCUSDT&intervalTime=1d&startTime=..&
  endTime=..&limit=200[&cursor=..]`` returns ``{"retCode": 0, "retMsg": "OK", "result":
  {"symbol": "BTCUSDT", "category": "linear", "list": [{"openInterest": "52371.93",
  "timestamp": "1763596800000"}], "nextPageCursor": "..."}}``, newest first. For linear
  (USDT) contracts ``openInterest`` is in coins: it is converted to USD with the open of the
  day's daily kline (the price at the 00:00-UTC snapshot); for inverse contracts it is already
  USD (1 USD per contract).
- ``/v5/market/kline?category=linear&symbol=BTCUSDT&interval=D&start=..&end=..&limit=1000``
  returns ``{"retCode": 0, "result": {"list": [["1763596800000", "91500", "92000", "90000",
  "91000", "123.4", "11290000"]]}}`` (start, open, high, low, close, volume, turnover).
- ``/v5/market/funding/history?category=linear&symbol=BTCUSDT&startTime=..&endTime=..&
  limit=200`` returns ``{"retCode": 0, "result": {"list": [{"symbol": "BTCUSDT",
  "fundingRate": "0.0001", "fundingRateTimestamp": "1763596800000"}]}}``, newest first,
  paged backwards with ``endTime``.

A non-zero ``retCode`` is an error naming it and ``retMsg``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

import numpy as np
import pydantic

from crashlens.data.providers._base import (
    Provider,
    QueryParams,
    Transformed,
    epoch_ms_window,
    today_utc,
)
from crashlens.data.providers._http import HttpResponse
from crashlens.data.providers.binance import (
    FUNDING_EPOCH,
    daily_funding,
    oi_daily_transformed,
)
from crashlens.notes import Note

_MS_PER_DAY = 86_400_000
_MIN_MS, _MAX_MS = 1_262_304_000_000, 4_102_444_800_000


class BybitQuery(QueryParams):
    """Query of a Bybit perpetual.

    Attributes
    ----------
    symbol : str
        Contract (``BTCUSDT`` linear, ``BTCUSD`` inverse).
    category : {"linear", "inverse"}
    """

    symbol: str
    category: Literal["linear", "inverse"] = "linear"

    @pydantic.field_validator("symbol")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class _BybitBase(Provider[Any]):
    env_var = "CRASHLENS_BYBIT_URL"
    default_base_url = "https://api.bybit.com"
    default_rate = 5.0
    default_ttl_s = 3600.0
    licence = "Bybit public market data: Bybit terms of service"
    headers: ClassVar[Mapping[str, str]] = {"Accept": "application/json"}
    max_pages: ClassVar[int] = 100

    def _result(self, resp: HttpResponse) -> dict[str, Any]:
        doc = self.parse_json(resp)
        if not isinstance(doc, dict):
            raise self.error(resp, "unexpected JSON: expected an object with 'retCode'")
        if doc.get("retCode") != 0:
            raise self.error(resp, f"Bybit error {doc.get('retCode')}: {doc.get('retMsg')}")
        result = doc.get("result")
        if not isinstance(result, dict) or not isinstance(result.get("list"), list):
            raise self.error(resp, "unexpected JSON: no 'result.list'")
        return result

    def _num(self, resp: HttpResponse, i: int, row: Mapping[str, Any] | Sequence[Any],
             key: str | int) -> float:
        try:
            raw = row[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            raise self.error(resp, f"row {i}: field '{key}' missing") from None
        try:
            return float(raw)
        except (TypeError, ValueError):
            raise self.error(resp, f"row {i}, field '{key}': {raw!r} is not a number") from None

    def _time(self, resp: HttpResponse, i: int, row: Any, key: str | int) -> int:
        t = self._num(resp, i, row, key)
        if not _MIN_MS <= t <= _MAX_MS:
            raise self.error(resp, f"row {i}: '{key}' {t:.0f} is not a time between 2010 and "
                                   "2100 in milliseconds")
        return int(t)


class BybitOpenInterestProvider(_BybitBase):
    """Daily open interest (00:00-UTC snapshot) → oi kind in USD."""

    name = "bybit"
    query_model = BybitQuery

    def _window(self, query: BybitQuery) -> tuple[int, int]:
        end = query.end or today_utc()
        start = query.start or end - dt.timedelta(days=199)
        return epoch_ms_window(start, end)

    def extract(self, query: BybitQuery) -> list[HttpResponse]:
        """Open-interest pages (cursor), then one kline page for linear contracts."""
        s, e = self._window(query)
        base = {"category": query.category, "symbol": query.symbol}
        out: list[HttpResponse] = []
        cursor = ""
        for _ in range(self.max_pages):
            params = {**base, "intervalTime": "1d", "startTime": s, "endTime": e, "limit": 200}
            if cursor:
                params["cursor"] = cursor
            resp = self.get(f"{self.base_url}/v5/market/open-interest", params)
            out.append(resp)
            cursor = str(self._result(resp).get("nextPageCursor") or "")
            if not cursor:
                break
        if query.category == "linear":
            out.append(self.get(f"{self.base_url}/v5/market/kline",
                                {**base, "interval": "D", "start": s, "end": e, "limit": 1000}))
        return out

    def transform(self, query: BybitQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """USD open interest per UTC day (one snapshot a day: open = high = low = close)."""
        oi_resps = responses[:-1] if query.category == "linear" else responses
        snaps: dict[int, float] = {}
        for resp in oi_resps:
            for i, row in enumerate(self._result(resp)["list"]):
                snaps[self._time(resp, i, row, "timestamp")] = self._num(resp, i, row,
                                                                         "openInterest")
        warnings: list[str] = []
        t = np.array(sorted(snaps), dtype=np.int64)
        oi = np.array([snaps[k] for k in t], dtype=float)
        unit = "USD (inverse: 1 USD per contract)"
        if query.category == "linear":
            kresp = responses[-1]
            opens: dict[int, float] = {}
            for i, row in enumerate(self._result(kresp)["list"]):
                day = self._time(kresp, i, row, 0) // _MS_PER_DAY
                opens[day] = self._num(kresp, i, row, 1)
            px = np.array([opens.get(int(k) // _MS_PER_DAY, np.nan) for k in t])
            miss = ~np.isfinite(px)
            if miss.any():
                warnings.append(Note("data.oi_no_price", n=int(miss.sum())))
            t, oi = t[~miss], oi[~miss] * px[~miss]
            unit = "USD: openInterest (coins) x the open of the day's daily kline"
        return oi_daily_transformed(query, t, oi, symbol=query.symbol, warnings=warnings,
                                    assumptions={"interval": "1d", "unit": unit})


class BybitFundingProvider(_BybitBase):
    """Funding history (``/v5/market/funding/history``) → funding kind, fraction per 8 h."""

    name = "bybit"
    query_model = BybitQuery

    def extract(self, query: BybitQuery) -> list[HttpResponse]:
        """Pages backwards from the window's end (``endTime`` = oldest print - 1)."""
        s, e = epoch_ms_window(query.start or FUNDING_EPOCH, query.end or today_utc())
        out: list[HttpResponse] = []
        end = e
        for _ in range(self.max_pages):
            resp = self.get(f"{self.base_url}/v5/market/funding/history",
                            {"category": query.category, "symbol": query.symbol,
                             "startTime": s, "endTime": end, "limit": 200})
            out.append(resp)
            rows = self._result(resp)["list"]
            if len(rows) < 200:
                break
            oldest = min(self._time(resp, i, r, "fundingRateTimestamp")
                         for i, r in enumerate(rows))
            if oldest - 1 < s:
                break
            end = oldest - 1
        return out

    def transform(self, query: BybitQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """Daily mean of the prints, fraction per 8 h."""
        prints: dict[int, float] = {}
        for resp in responses:
            for i, row in enumerate(self._result(resp)["list"]):
                prints[self._time(resp, i, row, "fundingRateTimestamp")] = self._num(
                    resp, i, row, "fundingRate")
        t = np.array(sorted(prints), dtype=np.int64)
        return daily_funding(query, t, np.array([prints[k] for k in t], dtype=float),
                             symbol=query.symbol)
