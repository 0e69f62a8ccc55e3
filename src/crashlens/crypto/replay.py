"""Replay of a real period: walk the realised OI and price path and estimate liquidations.

Steps are the times of the market OI series (:mod:`crashlens.crypto.market`): 4-hourly where
the all-exchange aggregate exists, daily (00:00-UTC snapshots of the extended venue series)
after it. Prices at each step time are the 4-h snapshots of the per-exchange file, else the
daily close (00:00 UTC), else a time interpolation (counted in the warnings). A step's range
is ``[min, max]`` of its end prices, widened to the UTC day's low / high (where the daily
file has them, BTC) on the step of that day whose own range is lowest / highest: 4-h
snapshots miss intraday wicks (BTC traded ~104.6k on 10-Oct-2025, the 4-h snapshots stay
above 112k).

The model (:mod:`crashlens.crypto.model`) is run from ``lookback_days`` before ``start``;
only liquidations of steps ending in ``(start 00:00, end + 1 day 00:00]`` UTC are counted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crashlens import data
from crashlens._dates import to_timestamp
from crashlens._plots import stamp_synthetic
from crashlens._result import Result, json_safe
from crashlens.crypto import market as mk
from crashlens.crypto.model import LiquidationModel, simulate
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import InsufficientDataError, ParameterError, UnknownSeriesError
from crashlens.notes import Note, wrap

DAY = pd.Timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class ReplayPath:
    """Steps of one coin (index: step end ``time``, UTC).

    Columns ``oi_market_usd``, ``oi_liquidatable_usd``, ``coverage``, ``p_start``, ``price``
    (end), ``low``, ``high`` (USD), ``price_source``.
    """

    frame: pd.DataFrame
    warnings: tuple[str, ...]


def _daily_prices(coin: str, end: pd.Timestamp) -> pd.DataFrame:
    try:
        px = data.get(coin, None, end)
    except UnknownSeriesError:
        return pd.DataFrame(columns=["close", "high", "low"])
    return px[["close", "high", "low"]]


def build_path(coin: str, first: pd.Timestamp, last: pd.Timestamp,
               model: LiquidationModel) -> ReplayPath:
    """Market OI and prices of ``coin`` at the step times in ``[first, last]`` (UTC)."""
    warns: list[str] = []
    oi, _, w = mk.market_oi(coin, last)
    warns += w
    oi = oi.loc[first:]
    if len(oi) < 2:
        raise InsufficientDataError(Note("crypto.market_oi_few", coin=coin, first=str(first),
                                         last=str(last)))
    times = pd.DatetimeIndex(oi.index)
    daily = _daily_prices(coin, (last - DAY).normalize())
    price = pd.Series(np.nan, index=times)
    src = pd.Series("interpolated", index=times)
    try:
        snap = mk.by_exchange(coin)["PRICE"].dropna()
        hit = snap.reindex(times)
        price[hit.notna()] = hit[hit.notna()]
        src[hit.notna()] = "4h snapshot"
    except InsufficientDataError as exc:
        warns.append(wrap("crypto.no_4h_prices", exc, coin=coin))
    # a daily close (UTC day D) is the price at D + 1 day 00:00
    dclose = daily["close"].dropna()
    dclose.index = dclose.index + DAY
    fill = price.isna() & times.isin(dclose.index)
    price[fill] = dclose.reindex(times[fill]).to_numpy()
    src[fill] = "daily close"
    gaps = price.index[price.isna()]
    if len(gaps):
        price = price.interpolate(method="time", limit_area="inside")
        if price.isna().any():
            raise InsufficientDataError(Note("crypto.no_price_at", coin=coin,
                                             time=str(price.index[price.isna()][0])))
        warns.append(Note("crypto.prices_interpolated", coin=coin, n=len(gaps),
                          first=str(gaps[0]), last=str(gaps[-1])))
    p0 = price.shift(1)
    lo = np.fmin(p0, price)
    hi = np.fmax(p0, price)
    day = (times - pd.Timedelta(1, "ns")).normalize()
    dl = daily["low"].reindex(day).to_numpy()
    dh = daily["high"].reindex(day).to_numpy()
    frame = pd.DataFrame({"p_start": p0, "price": price, "low": lo, "high": hi,
                          "day": day, "dlow": dl, "dhigh": dh}, index=times)
    frame = frame.iloc[1:]
    if frame["dlow"].isna().all():
        warns.append(Note("crypto.no_daily_range", coin=coin))
    # widen the step of each day with the lowest low (highest high) to the day's extreme
    for col, dcol, pick in (("low", "dlow", "idxmin"), ("high", "dhigh", "idxmax")):
        g = frame.groupby("day")[col]
        at = getattr(g, pick)()
        ext = frame.groupby("day")[dcol].first()
        ok = ext.notna()
        idx, vals = at[ok].to_numpy(), ext[ok].to_numpy()
        cur = frame.loc[idx, col].to_numpy()
        better = vals < cur if col == "low" else vals > cur
        frame.loc[idx[better], col] = vals[better]
    share = pd.Series(1.0, index=frame.index)
    if model.exclude_venues:
        try:
            ex = mk.by_exchange(coin)
            venues = [c for c in ex.columns if c != "PRICE"]
            tot = ex[venues].sum(axis=1, min_count=1)
            excl = ex[[v for v in model.exclude_venues if v in ex]].sum(axis=1)
            sh = (1.0 - excl / tot).dropna()
            share = sh.reindex(frame.index, method="ffill").fillna(sh.iloc[0])
            if frame.index[-1] - sh.index[-1] > DAY:
                warns.append(Note("crypto.share_carried", coin=coin,
                                  venues=", ".join(model.exclude_venues),
                                  time=str(sh.index[-1])))
        except InsufficientDataError as exc:
            warns.append(wrap("crypto.no_per_exchange", exc, coin=coin))
    out = pd.DataFrame({"oi_market_usd": oi["market_usd"].reindex(frame.index),
                        "oi_liquidatable_usd": oi["market_usd"].reindex(frame.index) * share,
                        "coverage": oi["coverage"].reindex(frame.index),
                        "p_start": frame["p_start"], "price": frame["price"],
                        "low": frame["low"], "high": frame["high"],
                        "price_source": src.reindex(frame.index)})
    out.index.name = "time"
    return ReplayPath(out, tuple(warns))


@dataclasses.dataclass(frozen=True)
class ReplayResult(Result):
    """Liquidations estimated over a realised period.

    Attributes
    ----------
    start, end : Timestamp
        First and last UTC day counted.
    liquidations_usd : mapping
        ``total``, ``long``, ``short`` (USD notional) and ``by_coin`` ({coin: {``total``,
        ``long``, ``short``}}).
    oi_usd_before : mapping
        Market OI (USD) per coin at ``start`` 00:00 UTC (the last value at or before it).
    observed : mapping
        What the data show over the same steps, per coin: ``oi_change_usd`` (market OI end -
        before) and ``binance_liquidations_usd`` (the Binance-only file: ``long``, ``short``;
        None outside its coverage).
    path : DataFrame
        One row per (coin, step): ``time`` (step end, UTC), ``coin``, ``price``, ``low``,
        ``high``, ``oi_market_usd``, ``oi_liquidatable_usd``, ``long_liq_usd``,
        ``short_liq_usd``.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    liquidations_usd: Mapping[str, Any]
    oi_usd_before: Mapping[str, float]
    observed: Mapping[str, Any]
    path: pd.DataFrame
    synthetic: bool = False

    def to_frame(self) -> pd.DataFrame:
        """The path."""
        return self.path.copy()

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict of the documented shape.

        Keys ``liquidations_usd``, ``oi_usd_before``, ``observed``, ``path`` (records),
        ``start``, ``end``, ``synthetic``, ``assumptions``, ``warnings``.
        """
        return {"start": json_safe(self.start), "end": json_safe(self.end),
                "liquidations_usd": json_safe(self.liquidations_usd),
                "oi_usd_before": json_safe(self.oi_usd_before),
                "observed": json_safe(self.observed), "path": json_safe(self.path),
                "synthetic": self.synthetic, "assumptions": json_safe(self.assumptions),
                "warnings": list(self.warnings)}

    def summary(self) -> str:
        """Totals per coin beside what the data show."""
        liq = self.liquidations_usd
        lines = [f"Liquidation replay {self.start.date()} .. {self.end.date()} (modelled on "
                 "market OI, USD notional)",
                 f"  total ${liq['total'] / 1e9:,.2f} bn: long ${liq['long'] / 1e9:,.2f} bn, "
                 f"short ${liq['short'] / 1e9:,.2f} bn"]
        for coin, v in liq["by_coin"].items():
            obs = self.observed.get(coin, {})
            b = obs.get("binance_liquidations_usd")
            btxt = (f"; Binance-only file ${(b['long'] + b['short']) / 1e9:,.2f} bn"
                    if b else "")
            lines.append(f"  {coin}: ${v['total'] / 1e9:,.2f} bn (long ${v['long'] / 1e9:,.2f}"
                         f" bn, short ${v['short'] / 1e9:,.2f} bn); market OI before "
                         f"${self.oi_usd_before[coin] / 1e9:,.1f} bn, change "
                         f"${obs.get('oi_change_usd', float('nan')) / 1e9:+,.1f} bn{btxt}")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot_liquidations(self) -> go.Figure:
        """Modelled liquidations per step (bars) by coin and side."""
        p = self.path
        fig = go.Figure()
        for coin in p["coin"].unique():
            q = p[p["coin"] == coin]
            fig.add_trace(go.Bar(x=q["time"], y=q["long_liq_usd"], name=f"{coin} longs"))
            fig.add_trace(go.Bar(x=q["time"], y=-q["short_liq_usd"], name=f"{coin} shorts"))
        fig.update_layout(barmode="relative", title="Modelled liquidations (USD notional; "
                          "shorts below zero)", yaxis_title="USD", xaxis_title="UTC")
        return stamp_synthetic(fig, self.synthetic)


@reads_source
def replay(start: Any, end: Any = None, *, coins: Sequence[str] = ("BTC", "ETH"),
           model: LiquidationModel | None = None, source: SourceLike = None) -> ReplayResult:
    """Estimate liquidations over the UTC days ``start .. end`` on the realised path.

    Parameters
    ----------
    start, end : date
        First and last day counted (``end`` defaults to ``start``).
    coins : sequence of str
        Coins with a market OI series (BTC, ETH).
    model : LiquidationModel, optional
        Every model parameter (default :class:`LiquidationModel()`: one set for every day).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.
        The market-wide OI files are read from its folder of files
        (:func:`crashlens.data.files_dir`).

    Returns
    -------
    ReplayResult
    """
    model = model or LiquidationModel()
    d1 = to_timestamp(start, "start")
    d2 = d1 if end is None else to_timestamp(end, "end")
    if d2 < d1:
        raise ParameterError(f"start {d1.date()} is after end {d2.date()}")
    coins = [c.upper() for c in coins]
    bad = [c for c in coins if c not in mk.MARKET_COINS]
    if bad or not coins:
        raise ParameterError(f"coins: no market OI for {', '.join(bad) or 'none given'}; "
                             f"available {', '.join(mk.MARKET_COINS)}")
    t0, t1 = d1, d2 + DAY
    first = t0 - pd.Timedelta(days=model.lookback_days)
    warns: list[str] = []
    by_coin: dict[str, dict[str, float]] = {}
    before: dict[str, float] = {}
    observed: dict[str, Any] = {}
    rows = []
    for coin in coins:
        p = build_path(coin, first, t1, model)
        warns += list(p.warnings)
        f = p.frame
        if f.index[0] > first + DAY:
            warns.append(Note("crypto.oi_starts_late", coin=coin, start=str(f.index[0]),
                              days=model.lookback_days, first=str(first)))
        if f.index[-1] < t1:
            warns.append(Note("crypto.oi_ends_early", coin=coin, end=str(f.index[-1]), day=d2))
        if not (f.index > t0).any():
            raise InsufficientDataError(Note("crypto.no_step_after", coin=coin, start=str(t0),
                                             end=str(f.index[-1])))
        ll, sl, _ = simulate(f["oi_liquidatable_usd"].to_numpy(), f["p_start"].to_numpy(),
                             f["price"].to_numpy(), f["low"].to_numpy(), f["high"].to_numpy(),
                             model)
        f = f.assign(long_liq_usd=ll, short_liq_usd=sl)
        win = f[(f.index > t0) & (f.index <= t1)]
        pre = f[f.index <= t0]
        lv, sv = float(win["long_liq_usd"].sum()), float(win["short_liq_usd"].sum())
        by_coin[coin] = {"total": lv + sv, "long": lv, "short": sv}
        before[coin] = float(pre["oi_market_usd"].iloc[-1]) if len(pre) else float(
            f["oi_market_usd"].iloc[0])
        obs: dict[str, Any] = {"oi_change_usd": float(win["oi_market_usd"].iloc[-1])
                               - before[coin] if len(win) else None,
                               "binance_liquidations_usd": None}
        try:
            bl = mk.binance_liquidations(coin)
            bl.index = bl.index + pd.Timedelta(hours=4)  # stamped at bar close, like the steps
            if bl.index[0] <= t0 + pd.Timedelta(hours=4) and bl.index[-1] >= t1:
                bw = bl[(bl.index > t0) & (bl.index <= t1)]
                obs["binance_liquidations_usd"] = {"long": float(bw["long_usd"].sum()),
                                                   "short": float(bw["short_usd"].sum())}
        except InsufficientDataError:
            pass
        observed[coin] = obs
        rows.append(win.drop(columns=["p_start"]).assign(coin=coin).reset_index())
    path = pd.concat(rows, ignore_index=True)[
        ["time", "coin", "price", "low", "high", "price_source", "oi_market_usd",
         "oi_liquidatable_usd", "coverage", "long_liq_usd", "short_liq_usd"]]
    tl = sum(v["long"] for v in by_coin.values())
    ts = sum(v["short"] for v in by_coin.values())
    liqs = {"total": tl + ts, "long": tl, "short": ts, "by_coin": by_coin}
    assumptions = {**model.to_dict(), "coins": coins,
                   "steps": "market OI times: 4-hourly (aggregate) or daily (extension)",
                   "window": "steps ending in (start 00:00, end + 1 day 00:00] UTC",
                   "step_range": "min/max of step-end prices, widened to the UTC day's "
                                 "low/high on that day's extreme step",
                   "liquidated_amount": "notional (USD), as venues report liquidations",
                   "calibration": "none: parameters fixed a priori (METHODOLOGY / model "
                                  "docstring); 2025-10-10 is a validation day, not a fit"}
    return ReplayResult(start=d1, end=d2, liquidations_usd=liqs, oi_usd_before=before,
                        observed=observed, path=path, synthetic=data.is_synthetic(),
                        assumptions=assumptions, warnings=tuple(dict.fromkeys(warns)))
