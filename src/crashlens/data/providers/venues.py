"""Open interest summed over the venues a user can pull: the ``OI_<COIN>_MARKET`` route.

:class:`VenueSumOIProvider` fetches the daily USD open interest of one coin from Binance
USDⓈ-M (``<COIN>USDT``, 1d snapshots), Binance COIN-M (``<COIN>USD_PERP``), Bybit linear
(``<COIN>USDT``) and OKX (``<COIN>-USDT-SWAP``) and sums them on the days every venue that
answered has. The sum is **not** all-exchange open interest: CME, Gate, Bitget, HTX,
Hyperliquid ... are missing (these four venues held about a third of BTC OI in 2025, see
docs/fragility.md). :func:`crashlens.crypto.market.coverage_fit` estimates the ratio to the
aggregate on an overlap. A venue that fails (HTTP 451 from a restricted region, 429 after the
retries, a malformed body) is left out with a warning naming it; if every venue fails the
fetch fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from crashlens.data.providers._base import Provider, QueryParams, Transformed, daily_frame
from crashlens.data.providers._http import HttpResponse
from crashlens.data.providers.binance import (
    BinanceCoinMOpenInterestProvider,
    BinanceOpenInterestProvider,
    CoinQuery,
)
from crashlens.data.providers.bybit import BybitOpenInterestProvider
from crashlens.data.providers.okx import OkxOpenInterestProvider
from crashlens.data.schema import Kind
from crashlens.errors import ProviderError
from crashlens.notes import Note


class VenueSumQuery(CoinQuery):
    """Query: ``coin`` (``BTC``)."""


def venue_queries(coin: str, start: Any, end: Any) -> list[tuple[str, type[Provider[Any]],
                                                                 dict[str, Any]]]:
    """(label, provider class, query parameters) of each venue for ``coin``."""
    w = {"start": start, "end": end}
    return [
        ("Binance USDT-M", BinanceOpenInterestProvider,
         {"symbol": f"{coin}USDT", "period": "1d", **w}),
        ("Binance COIN-M", BinanceCoinMOpenInterestProvider, {"coin": coin, **w}),
        ("Bybit", BybitOpenInterestProvider, {"symbol": f"{coin}USDT", **w}),
        ("OKX", OkxOpenInterestProvider, {"inst_id": f"{coin}-USDT-SWAP", **w}),
    ]


class VenueSumOIProvider(Provider[Any]):
    """Sum of the venues' daily USD open interest (oi kind)."""

    name = "venues"
    env_var = "CRASHLENS_VENUES_URL"  # only to satisfy the base; each venue has its own
    default_base_url = ""
    query_model = VenueSumQuery
    licence = "exchange public market data (Binance, Bybit, OKX terms)"

    def __init__(self, base_url: str | None = None, **kw: Any) -> None:
        super().__init__(base_url, **kw)
        self._kw = kw
        self._subs: dict[str, Provider[Any]] = {}
        self._slices: list[tuple[str, Provider[Any], QueryParams, int]] = []
        self._failed: list[str] = []

    def _sub(self, cls: type[Provider[Any]]) -> Provider[Any]:
        key = cls.__name__
        if key not in self._subs:
            self._subs[key] = cls(self._base_url, **self._kw)
        return self._subs[key]

    def extract(self, query: VenueSumQuery) -> list[HttpResponse]:
        """Each venue's requests, in turn; a failing venue is recorded and skipped."""
        out: list[HttpResponse] = []
        self._slices, self._failed = [], []
        for label, cls, params in venue_queries(query.coin, query.start, query.end):
            sub = self._sub(cls)
            q = sub.transform_query(params)
            sub._seen = []
            try:
                resps = sub.extract(q)
            except ProviderError as exc:
                self._failed.append(Note("data.venue_left_out", venue=label, error=str(exc)))
                continue
            self._slices.append((label, sub, q, len(resps)))
            out += resps
        if not self._slices:
            raise ProviderError(f"venues: every venue failed for {query.coin}: "
                                + "; ".join(self._failed))
        return out

    def transform(self, query: VenueSumQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """Sum the venues' daily OHLC on the days all answering venues have."""
        frames: dict[str, pd.DataFrame] = {}
        warnings = list(self._failed)
        pos = 0
        for label, sub, q, n in self._slices:
            part = sub.transform(q, responses[pos:pos + n])
            pos += n
            warnings += [Note("data.venue_warning", venue=label, warning=w)
                         for w in part.warnings]
            frames[label] = part.frame
        common = None
        for f in frames.values():
            common = f.index if common is None else common.intersection(f.index)
        assert common is not None
        dropped = sorted({d for f in frames.values() for d in f.index.difference(common)})
        if dropped:
            warnings.append(Note("data.venue_days_dropped", n=len(dropped),
                                 days=", ".join(str(d.date()) for d in dropped[:5])))
        total = sum(f.loc[common] for f in frames.values())
        assert isinstance(total, pd.DataFrame)
        warnings.append(Note("data.venue_sum", n=len(frames), venues=", ".join(frames)))
        frame = daily_frame(total.index, {c: total[c].to_numpy() for c in total.columns},
                            start=query.start, end=query.end)
        return Transformed(frame=frame, kind=Kind.OI.value, symbol=f"{query.coin} venue sum",
                           warnings=warnings,
                           assumptions={"venues": list(frames),
                                        "aggregation": "sum of each venue's daily open/high/"
                                                       "low/close (USD) on common days"})
