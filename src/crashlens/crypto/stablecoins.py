"""Stablecoin supply (USDT, USDC): level and change as of a date.

Sources (SOURCES.md, 2026-12-01): CoinGlass daily market caps of USDT and USDC to 2025-11-13
(``stablecoin_mcap_daily_2015_2025.csv``); USDT continues to 2025-12-06 from DeFiLlama
(``usdt_circulating_daily_2025q4.csv``), appended after the CoinGlass end. The two USDT
sources are compared on their overlap (median relative difference, reported in
``assumptions``; 0.3 % on the 2024-12 .. 2025-11 overlap). A change over ``d`` days compares
the last value with the last value at or before ``d`` calendar days earlier.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crashlens._dates import to_timestamp_or_none
from crashlens._result import Result, json_safe
from crashlens.crypto.market import raw_path
from crashlens.data.loaders.crypto_market import read_daily_columns
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.notes import Note

COINGLASS_FILE = "stablecoin_mcap_daily_2015_2025.csv"
DEFILLAMA_USDT_FILE = "usdt_circulating_daily_2025q4.csv"
STABLECOINS: tuple[str, ...] = ("USDT", "USDC")


def supply_history(coin: str) -> tuple[pd.Series, dict[str, Any]]:
    """Daily supply (USD) of ``coin`` and how it was built (sources, overlap check)."""
    coin = coin.upper()
    if coin not in STABLECOINS:
        raise ParameterError(f"stablecoin must be one of {', '.join(STABLECOINS)}, got {coin}")
    cg = read_daily_columns(raw_path(COINGLASS_FILE), [coin])[coin].dropna()
    info: dict[str, Any] = {"sources": [f"{COINGLASS_FILE} (CoinGlass)"]}
    if coin == "USDT":
        try:
            dl = read_daily_columns(raw_path(DEFILLAMA_USDT_FILE),
                                    ["stablecoin_mcap_usd"])["stablecoin_mcap_usd"].dropna()
        except InsufficientDataError:
            dl = pd.Series(dtype=float)
        common = cg.index.intersection(dl.index)
        if len(common):
            rel = (dl[common] / cg[common] - 1.0).abs()
            info["overlap_median_rel_diff"] = float(rel.median())
            info["overlap_days"] = len(common)
        tail = dl[dl.index > cg.index[-1]]
        if len(tail):
            cg = pd.concat([cg, tail])
            info["sources"].append(f"{DEFILLAMA_USDT_FILE} (DeFiLlama) after "
                                   f"{common.max().date() if len(common) else 'none'}")
    return cg.rename(coin), info


@dataclasses.dataclass(frozen=True)
class StablecoinResult(Result):
    """Stablecoin supply on an as-of date.

    Attributes
    ----------
    asof : Timestamp
    supply : mapping
        Per coin: ``usd`` (market cap), ``date`` (of the value), ``change_usd`` and
        ``change_pct`` by window (``{"7d": ..., "30d": ..., "90d": ...}``; pct as a
        fraction), ``is_current``, ``status``.
    total : mapping
        Sum over the coins of ``usd`` and ``change_usd`` (only windows every coin has).
    history : DataFrame
        Daily supply per coin up to ``asof``.
    """

    asof: pd.Timestamp
    supply: Mapping[str, Any]
    total: Mapping[str, Any]
    history: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """Daily supply per coin (USD)."""
        return self.history.copy()

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict (without the history)."""
        return {"asof": json_safe(self.asof), "supply": json_safe(self.supply),
                "total": json_safe(self.total), "assumptions": json_safe(self.assumptions),
                "warnings": list(self.warnings)}

    def summary(self) -> str:
        """Level and changes per coin."""
        lines = [f"Stablecoin supply as of {self.asof.date()}"]
        for c, v in self.supply.items():
            ch = ", ".join(f"{k} {v['change_usd'][k] / 1e9:+,.2f} bn ({v['change_pct'][k]:+.1%})"
                           for k in v["change_usd"] if v["change_usd"][k] is not None)
            cur = "" if v["is_current"] else " (NOT CURRENT)"
            lines.append(f"  {c}: ${v['usd'] / 1e9:,.2f} bn on {v['date'].date()}{cur}; {ch}")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot_supply(self) -> go.Figure:
        """Supply per coin over time (USD)."""
        fig = go.Figure([go.Scatter(x=self.history.index, y=self.history[c], name=c)
                         for c in self.history.columns])
        fig.update_layout(title="Stablecoin supply (market cap, USD)", yaxis_title="USD")
        return fig


@reads_source
def stablecoins(asof: Any = None, *, coins: Sequence[str] = STABLECOINS,
                windows: Sequence[int] = (7, 30, 90), max_age_days: int = 3,
                source: SourceLike = None) -> StablecoinResult:
    """Supply level and change of USDT / USDC as of ``asof`` (nothing after it is read).

    Parameters
    ----------
    asof : date, optional
        Default: the last date of the data.
    coins : sequence of str
        Subset of ``USDT``, ``USDC``.
    windows : sequence of int
        Change windows in calendar days.
    max_age_days : int
        A value older than this at ``asof`` is reported with ``is_current = False``.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.
        The supply files are read from its folder of files (:func:`crashlens.data.files_dir`).

    Returns
    -------
    StablecoinResult
    """
    if not coins:
        raise ParameterError("coins: give at least one of USDT, USDC")
    if any(int(w) < 1 for w in windows):
        raise ParameterError(f"windows must be >= 1 day, got {tuple(windows)}")
    end = to_timestamp_or_none(asof, "asof")
    warns: list[str] = []
    supply: dict[str, Any] = {}
    hist: dict[str, pd.Series] = {}
    built: dict[str, Any] = {}
    for coin in [c.upper() for c in coins]:
        s, info = supply_history(coin)
        built[coin] = info
        s = s.loc[:end] if end is not None else s
        if s.empty:
            warns.append(Note("crypto.supply_none_upto", coin=coin,
                              asof=end.date().isoformat() if end is not None else ""))
            continue
        hist[coin] = s
        last, day = float(s.iloc[-1]), s.index[-1]
        ref = end if end is not None else day
        age = int((ref - day).days)
        cur = age <= max_age_days
        stale = {"day": day, "age": age, "ref": ref, "max_age": max_age_days}
        status: str = "current" if cur else Note("crypto.supply_status_stale", **stale)
        if not cur:
            warns.append(Note("crypto.supply_stale", coin=coin, **stale))
        ch_usd: dict[str, float | None] = {}
        ch_pct: dict[str, float | None] = {}
        for w in windows:
            past = s.loc[: day - pd.Timedelta(days=int(w))]
            key = f"{int(w)}d"
            ch_usd[key] = last - float(past.iloc[-1]) if len(past) else None
            ch_pct[key] = last / float(past.iloc[-1]) - 1.0 if len(past) else None
        supply[coin] = {"usd": last, "date": day, "change_usd": ch_usd, "change_pct": ch_pct,
                        "is_current": cur, "status": status, "age_days": age}
    if not supply:
        raise InsufficientDataError(Note("crypto.no_supply"))
    keys = [k for k in next(iter(supply.values()))["change_usd"]
            if all(v["change_usd"][k] is not None for v in supply.values())]
    total = {"usd": float(np.sum([v["usd"] for v in supply.values()])),
             "change_usd": {k: float(sum(v["change_usd"][k] for v in supply.values()))
                            for k in keys}, "coins": list(supply),
             "dates": {c: v["date"] for c, v in supply.items()}}
    if len({v["date"] for v in supply.values()}) > 1:
        warns.append(Note("crypto.total_mixed_dates",
                          dates=", ".join(f"{c} {v['date'].date()}" for c, v in supply.items())))
    assumptions = {"windows_days": [int(w) for w in windows], "max_age_days": max_age_days,
                   "supply": "market cap in USD (1 token = 1 USD)", "built_from": built}
    return StablecoinResult(asof=end if end is not None else max(
        v["date"] for v in supply.values()), supply=supply, total=total,
        history=pd.DataFrame(hist), assumptions=assumptions, warnings=tuple(warns))
