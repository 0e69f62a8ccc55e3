"""Loaders for the market-wide crypto files (SOURCES.md, section of 2026-12-01).

=========================================  =====================================================
function                                   file(s)
=========================================  =====================================================
:func:`read_bars_4h`                       ``crypto_oi_all_exchanges_4h_<COIN>_2025.csv``
                                           (all-exchange OI, USD, OHLC per 4-h bar) and
                                           ``crypto_funding_oi_weighted_4h_<COIN>_2025.csv``
                                           (OI-weighted funding, **percent per 8 h**)
:func:`read_liquidations_4h`               ``crypto_liquidations_binance_4h_<COIN>_2025.csv``
:func:`read_oi_by_exchange`                ``crypto_oi_by_exchange_4h_<COIN>_2025.csv``
:func:`read_binance_usdtm_oi`              ``crypto_binance_usdtm_oi_daily_2025q4.csv``
:func:`read_daily_columns`                 ``btc_funding_daily_2019_2026.csv``,
                                           ``stablecoin_mcap_daily_2015_2025.csv``,
                                           ``usdt_circulating_daily_2025q4.csv``
:func:`load_market_daily`                  catalog loader (daily rows for the store)
=========================================  =====================================================

Times are tz-naive UTC. A 4-h bar is labelled by its **start** (``time_utc``); its close is
known at start + 4 h, which is the time the crypto engine stamps on it. Every bad cell is a
:class:`~crashlens.errors.DataError` naming the file, line and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.data.loaders._csv import find_column, read_csv, to_float
from crashlens.data.loaders.ohlc import Loaded, finish
from crashlens.data.schema import Kind
from crashlens.errors import DataError

#: Length of one bar of the 4-hourly files.
BAR = pd.Timedelta(hours=4)


def _times(raw: pd.DataFrame, column: str, path: Path) -> pd.DatetimeIndex:
    """Parse ISO times (``2025-05-18T20:00:00Z``) to tz-naive UTC, naming a bad row."""
    values = pd.to_datetime(raw[column], errors="coerce", utc=True, format="mixed")
    bad = values.isna().to_numpy()
    if bad.any():
        i = int(bad.nonzero()[0][0])
        cell = raw[column].iloc[i]
        what = "empty time cell" if pd.isna(cell) else f"'{cell}' is not a time"
        raise DataError(what, path=str(path), column=column, row=int(raw["_line"].iloc[i]))
    return pd.DatetimeIndex(values.dt.tz_convert(None).to_numpy()).as_unit("ns")


def _increasing(index: pd.DatetimeIndex, raw: pd.DataFrame, path: Path, column: str) -> None:
    d = np.diff(index.asi8)
    if (d <= 0).any():
        i = int((d <= 0).nonzero()[0][0]) + 1
        what = "duplicated" if d[i - 1] == 0 else "out-of-order"
        raise DataError(f"{what} time {index[i]}", path=str(path), column=column,
                        row=int(raw["_line"].iloc[i]))


def _non_negative(frame: pd.DataFrame, lines: np.ndarray, path: Path, what: str) -> None:
    neg = (frame < 0).to_numpy()
    if neg.any():
        r, c = (int(x[0]) for x in np.nonzero(neg))
        raise DataError(f"negative {what}", path=str(path), column=str(frame.columns[c]),
                        row=int(lines[r]))


def read_bars_4h(path: Path, *, unit_scale: float = 1.0, non_negative: bool = True
                 ) -> pd.DataFrame:
    """Read a CoinGlass 4-h OHLC file (``time_utc, time, open, high, low, close``).

    Parameters
    ----------
    path : Path
        The file.
    unit_scale : float
        Multiplier applied to the values (``0.01`` turns the funding file's percent per 8 h
        into a fraction per 8 h).
    non_negative : bool
        Reject negative values (open interest); funding may be negative.

    Returns
    -------
    DataFrame
        Index ``time`` (bar start, tz-naive UTC); float columns ``open, high, low, close``.
    """
    raw = read_csv(path)
    tcol = find_column(raw, ["time_utc"], path)
    assert tcol is not None
    index = _times(raw, tcol, path)
    _increasing(index, raw, path, tcol)
    cols = {k: find_column(raw, [k], path) for k in ("open", "high", "low", "close")}
    frame = pd.DataFrame({k: to_float(raw, str(c), path) * unit_scale for k, c in cols.items()},
                         index=index)
    frame.index.name = "time"
    lines = raw["_line"].to_numpy()
    empty = frame["close"].isna().to_numpy()
    if empty.any():
        raise DataError("empty close", path=str(path), column=str(cols["close"]),
                        row=int(lines[empty.nonzero()[0][0]]))
    if non_negative:
        _non_negative(frame, lines, path, "value")
    return frame


def read_liquidations_4h(path: Path) -> pd.DataFrame:
    """Read a 4-h liquidation file: columns ``long_usd, short_usd`` indexed by bar start."""
    raw = read_csv(path)
    tcol = find_column(raw, ["time_utc"], path)
    assert tcol is not None
    index = _times(raw, tcol, path)
    _increasing(index, raw, path, tcol)
    lc = find_column(raw, ["aggregated_long_liquidation_usd", "long_liquidation_usd"], path)
    sc = find_column(raw, ["aggregated_short_liquidation_usd", "short_liquidation_usd"], path)
    frame = pd.DataFrame({"long_usd": to_float(raw, str(lc), path),
                          "short_usd": to_float(raw, str(sc), path)}, index=index).fillna(0.0)
    frame.index.name = "time"
    _non_negative(frame, raw["_line"].to_numpy(), path, "liquidations")
    return frame


def read_oi_by_exchange(path: Path) -> pd.DataFrame:
    """Read the OI-by-exchange snapshots, keeping the rows on the 4-h grid.

    The file merges daily snapshots: a few rows are stamped off the grid (``19:59:28``, the
    moment a snapshot was taken) beside the grid row of the same bar, so only rows whose time
    is a multiple of 4 h are kept. ``GATE`` and ``GATE.IO`` are one venue under two names
    (never both filled on a row): they are summed into ``GATE``.

    Returns
    -------
    DataFrame
        Index ``time`` (tz-naive UTC); ``price`` (USD) and one column per venue (OI, USD).
    """
    raw = read_csv(path)
    tcol = find_column(raw, ["time_utc"], path)
    assert tcol is not None
    index = _times(raw, tcol, path)
    on_grid = (index.asi8 % BAR.value) == 0
    raw, index = raw[on_grid], index[on_grid]
    _increasing(index, raw, path, tcol)
    skip = {tcol.lower(), "timestamp", "snapshot_folder", "_line"}
    cols = [c for c in raw.columns if str(c).lower() not in skip]
    frame = pd.DataFrame({str(c).upper(): to_float(raw, str(c), path) for c in cols},
                         index=index)
    if "GATE.IO" in frame:
        frame["GATE"] = frame.get("GATE", pd.Series(np.nan, index=index)).fillna(0.0) + \
            frame.pop("GATE.IO").fillna(0.0)
        frame["GATE"] = frame["GATE"].where(frame["GATE"] > 0)
    frame.index.name = "time"
    _non_negative(frame, raw["_line"].to_numpy(), path, "open interest")
    return frame


def read_binance_usdtm_oi(path: Path, coin: str) -> pd.Series:
    """Binance USDⓈ-M perpetual OI (USD) of one coin from the daily 2025-Q4 file.

    The file is a merge of three downloads: ``btc_oi_value_usd``, ``btcusdt_oi_value_usd_x``,
    ``..._y`` and ``btcusdt_oi_value_usd`` hold the same quantity (BTCUSDT
    ``sumOpenInterestValue``) over different spans. They are coalesced; where two are filled
    on the same day they must agree within 0.1 %, otherwise the row is an error.

    Returns
    -------
    Series
        Indexed by day (the 00:00-UTC snapshot), USD.
    """
    raw = read_csv(path)
    dcol = find_column(raw, ["date"], path)
    assert dcol is not None
    c = coin.lower()
    names = [f"{c}_oi_value_usd", f"{c}usdt_oi_value_usd", f"{c}usdt_oi_value_usd_x",
             f"{c}usdt_oi_value_usd_y"]
    found = [find_column(raw, [n], path, required=False) for n in names]
    cols = [f for f in found if f is not None]
    if not cols:
        raise DataError(f"no column for {coin.upper()} (expected one of {', '.join(names)})",
                        path=str(path), column=names[1])
    index = _times(raw, dcol, path)
    _increasing(index, raw, path, dcol)
    vals = np.column_stack([to_float(raw, col, path) for col in cols])
    lines = raw["_line"].to_numpy()
    lo, hi = np.nanmin(vals, axis=1, initial=np.inf), np.nanmax(vals, axis=1, initial=-np.inf)
    both = np.isfinite(lo) & (hi > lo * 1.001)
    if both.any():
        i = int(both.nonzero()[0][0])
        raise DataError(f"the merged columns disagree ({lo[i]:,.0f} vs {hi[i]:,.0f})",
                        path=str(path), column=cols[0], row=int(lines[i]))
    out = pd.Series(np.where(np.isfinite(hi), hi, np.nan), index=index, name=f"{coin}USDT")
    _non_negative(out.to_frame(), lines, path, "open interest")
    out.index.name = "time"
    return out.dropna()


def read_daily_columns(path: Path, columns: Sequence[str], *, date: Sequence[str] = ("date",
                       "date_utc")) -> pd.DataFrame:
    """Named numeric columns of a daily file, indexed by day (empty cells stay NaN)."""
    raw = read_csv(path)
    dcol = find_column(raw, list(date), path)
    assert dcol is not None
    index = _times(raw, dcol, path).normalize()
    _increasing(index, raw, path, dcol)
    out = pd.DataFrame({c: to_float(raw, str(find_column(raw, [c], path)), path)
                        for c in columns}, index=index)
    out.index.name = "date"
    return out


def daily_from_bars(bars: pd.DataFrame) -> pd.DataFrame:
    """Daily OHLC of 4-h bars on UTC days: first open, max high, min low, last close.

    A day's close is the close of its 20:00 bar (known at the next 00:00 UTC, the crypto daily
    close); a day without its 20:00 bar has no close (it would be an intraday value).
    """
    day = pd.DatetimeIndex(bars.index).normalize()
    g = bars.groupby(day)
    out = pd.DataFrame({"open": g["open"].first(), "high": g["high"].max(),
                        "low": g["low"].min(), "close": g["close"].last()})
    last_start = pd.Series(bars.index, index=bars.index).groupby(day).last()
    complete = (last_start - last_start.index) == pd.Timedelta(hours=20)
    out = out[complete.to_numpy()]
    out.index.name = "date"
    return out


def load_market_daily(path: Path, *, kind: Kind, field: str, column: str | None = None,
                      coin: str | None = None) -> Loaded:
    """Catalog loader: a daily series from one of the market-wide crypto files.

    ``field``: ``"oi_4h"`` (all-exchange OI, daily OHLC of the 4-h bars), ``"usdtm"``
    (Binance USDⓈ-M daily OI of ``coin``, as an OI frame with open = high = low = close),
    ``"column"`` (one numeric column of a daily file as ``value``; empty cells dropped).
    """
    if field == "oi_4h":
        return Loaded(finish(daily_from_bars(read_bars_4h(path)), kind),
                      ["daily OHLC of 4-h bars; close = 20:00 bar close (00:00 UTC)"])
    if field == "usdtm":
        s = read_binance_usdtm_oi(path, str(coin))
        s.index = pd.DatetimeIndex(s.index).normalize()
        frame = pd.DataFrame({k: s.to_numpy() for k in ("open", "high", "low", "close")},
                             index=s.index)
        frame.index.name = "date"
        return Loaded(finish(frame, kind), ["00:00-UTC snapshot; merged columns coalesced"])
    if field == "column" and column:
        vals = read_daily_columns(path, [column])[column].dropna()
        return Loaded(finish(vals.to_frame("value"), kind), [])
    raise DataError(f"unknown market-crypto field '{field}'", path=str(path))
