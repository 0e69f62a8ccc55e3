"""OKX v5 public API → funding and oi kinds.

- ``/api/v5/rubik/stat/contracts/open-interest-history?instId=BTC-USDT-SWAP&period=1Dutc&
  begin=..&end=..&limit=100`` returns ``{"code": "0", "msg": "", "data": [["1763596800000",
  "2867012.3", "28670.1", "2611234567.8"]]}``: ``[ts, oi (contracts), oiCcy (coins), oiUsd]``,
  newest first, paged backwards with ``end`` (records earlier than it). ``1Dutc`` bars open
  at 00:00 UTC; ``oiUsd`` is used.
- ``/api/v5/public/funding-rate-history?instId=BTC-USDT-SWAP&after=..&limit=100`` returns
  ``{"code": "0", "data": [{"instId": "BTC-USDT-SWAP", "fundingRate": "0.0001",
  "realizedRate": "0.0001", "fundingTime": "1763596800000", ...}]}``, newest first, paged
  backwards with ``after`` (records earlier than it). ``fundingRate`` is used.

A ``code`` other than ``"0"`` is an error naming it and ``msg``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

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
from crashlens.data.providers.binance import FUNDING_EPOCH, daily_funding, oi_daily_transformed

_MIN_MS, _MAX_MS = 1_262_304_000_000, 4_102_444_800_000


class OkxQuery(QueryParams):
    """Query of an OKX perpetual swap.

    Attributes
    ----------
    inst_id : str
        Instrument (``BTC-USDT-SWAP``, ``BTC-USD-SWAP``).
    """

    inst_id: str

    @pydantic.field_validator("inst_id")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class _OkxBase(Provider[Any]):
    env_var = "CRASHLENS_OKX_URL"
    default_base_url = "https://www.okx.com"
    default_rate = 4.0
    default_ttl_s = 3600.0
    licence = "OKX public market data: OKX terms of service"
    headers: ClassVar[Mapping[str, str]] = {"Accept": "application/json"}
    max_pages: ClassVar[int] = 100
    path: ClassVar[str]
    cursor_param: ClassVar[str]

    def _data(self, resp: HttpResponse) -> list[Any]:
        doc = self.parse_json(resp)
        if not isinstance(doc, dict):
            raise self.error(resp, "unexpected JSON: expected an object with 'code'")
        if str(doc.get("code")) != "0":
            raise self.error(resp, f"OKX error {doc.get('code')}: {doc.get('msg')}")
        data = doc.get("data")
        if not isinstance(data, list):
            raise self.error(resp, "unexpected JSON: no 'data' list")
        return data

    def _num(self, resp: HttpResponse, i: int, row: Any, key: str | int) -> float:
        try:
            raw = row[key]
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

    def _pages(self, params: dict[str, Any], start_ms: int, end_ms: int, time_key: str | int
               ) -> list[HttpResponse]:
        """Page backwards: each request asks for records earlier than the oldest seen."""
        out: list[HttpResponse] = []
        cursor = end_ms + 1
        for _ in range(self.max_pages):
            resp = self.get(f"{self.base_url}{self.path}",
                            {**params, self.cursor_param: cursor, "limit": 100})
            out.append(resp)
            rows = self._data(resp)
            if len(rows) < 100:
                break
            oldest = min(self._time(resp, i, r, time_key) for i, r in enumerate(rows))
            if oldest <= start_ms:
                break
            cursor = oldest
        return out


class OkxOpenInterestProvider(_OkxBase):
    """Contract OI history, daily UTC bars (``period=1Dutc``) → oi kind in USD (``oiUsd``)."""

    name = "okx"
    query_model = OkxQuery
    path = "/api/v5/rubik/stat/contracts/open-interest-history"
    cursor_param = "end"

    def extract(self, query: OkxQuery) -> list[HttpResponse]:
        """Pages of daily bars back to the window start (default: 100 days)."""
        end = query.end or today_utc()
        s, e = epoch_ms_window(query.start or end - dt.timedelta(days=99), end)
        return self._pages({"instId": query.inst_id, "period": "1Dutc", "begin": s}, s, e, 0)

    def transform(self, query: OkxQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """One USD value per UTC day."""
        snaps: dict[int, float] = {}
        for resp in responses:
            for i, row in enumerate(self._data(resp)):
                snaps[self._time(resp, i, row, 0)] = self._num(resp, i, row, 3)
        t = np.array(sorted(snaps), dtype=np.int64)
        return oi_daily_transformed(query, t, np.array([snaps[k] for k in t], dtype=float),
                                    symbol=query.inst_id, warnings=[],
                                    assumptions={"period": "1Dutc", "unit": "USD (oiUsd)"})


class OkxFundingProvider(_OkxBase):
    """Funding-rate history → funding kind, fraction per 8 h (daily mean of the prints)."""

    name = "okx"
    query_model = OkxQuery
    path = "/api/v5/public/funding-rate-history"
    cursor_param = "after"

    def extract(self, query: OkxQuery) -> list[HttpResponse]:
        """Pages back to the window start (OKX keeps about three months of prints)."""
        s, e = epoch_ms_window(query.start or FUNDING_EPOCH, query.end or today_utc())
        return self._pages({"instId": query.inst_id}, s, e, "fundingTime")

    def transform(self, query: OkxQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """Daily mean of the prints."""
        prints: dict[int, float] = {}
        for resp in responses:
            for i, row in enumerate(self._data(resp)):
                prints[self._time(resp, i, row, "fundingTime")] = self._num(resp, i, row,
                                                                            "fundingRate")
        t = np.array(sorted(prints), dtype=np.int64)
        return daily_funding(query, t, np.array([prints[k] for k in t], dtype=float),
                             symbol=query.inst_id)
