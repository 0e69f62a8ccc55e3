"""Crypto leverage on an as-of date: drawdown, realised vol, funding, open interest, liquidations.

Crypto trades every calendar day: drawdowns, realised volatility (annualised with
``days_per_year=365``) and OI changes (7 / 30 calendar days) are computed on the crypto
calendar. Funding and open interest come from the raw perp files (Binance coin-margined
perpetuals via Coinalyze), which end in late October 2025: when the as-of date is past a
series' end, the last value is reported with its date, ``coverage_end`` and ``stale_days``,
and a warning says so - never silently as if current.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crashlens import data
from crashlens._dates import to_timestamp_or_none
from crashlens.crypto import liquidation as liq
from crashlens.crypto import market as mk
from crashlens.crypto.model import LiquidationModel, simulate
from crashlens.crypto.replay import build_path
from crashlens.crypto.result import CryptoHistory, CryptoResult
from crashlens.data.source import SourceLike, is_store, reads_source
from crashlens.errors import InsufficientDataError, ParameterError, UnknownSeriesError
from crashlens.notes import Note, reason, wrap

FUNDING_INTERVAL_H = 8.0
FUNDING_COINS: tuple[str, ...] = ("BTC", "ETH", "SOL", "XRP", "BNB", "DOGE")


def drawdown(close: pd.Series) -> pd.DataFrame:
    """Running all-time high (closing basis), its date, and ``DD_t = P_t / max_{s<=t} P_s - 1``.

    Parameters
    ----------
    close : Series
        Prices indexed by date (NaN rows are dropped).

    Returns
    -------
    DataFrame
        Columns ``close``, ``ath``, ``ath_date``, ``drawdown`` (fraction <= 0).
    """
    c = close.dropna()
    if c.empty:
        raise InsufficientDataError(Note("crypto.drawdown_empty"))
    if (c <= 0).any():
        raise InsufficientDataError(Note("crypto.drawdown_nonpositive",
                                         date=str(c[c <= 0].index[0])))
    ath = c.cummax()
    is_new = c >= ath
    ath_date = pd.Series(c.index.where(is_new), index=c.index).ffill()
    return pd.DataFrame({"close": c, "ath": ath, "ath_date": ath_date, "drawdown": c / ath - 1})


def realised_vol(close: pd.Series, window: int = 30, days_per_year: float = 365.0) -> pd.Series:
    """Annualised rolling standard deviation of daily log returns (ddof=1)."""
    if window < 2:
        raise ParameterError(f"vol window must be >= 2, got {window}")
    r = np.log(close.dropna()).diff()
    return (r.rolling(window, min_periods=window).std() * np.sqrt(days_per_year)).rename("vol")


def annualise_funding(rate: float | pd.Series, interval_h: float = FUNDING_INTERVAL_H
                      ) -> Any:
    """Annualise a per-interval funding rate: ``F * (24 / interval_h) * 365``."""
    return rate * (24.0 / interval_h) * 365.0


def oi_weighted_funding(funding: pd.DataFrame, oi: pd.DataFrame) -> pd.Series:
    """OI-weighted funding ``sum_v F_v OI_v / sum_v OI_v`` per date across venues (or coins).

    Columns of ``funding`` and ``oi`` name the venues; only dates and venues where both are
    present contribute.
    """
    cols = [c for c in funding.columns if c in oi.columns]
    if not cols:
        raise InsufficientDataError("no venue has both funding and open interest")
    f = funding[cols]
    o = oi[cols].reindex(f.index)
    w = o.where(f.notna() & o.notna())
    num = (f * w).sum(axis=1, min_count=1)
    den = w.sum(axis=1, min_count=1)
    return (num / den.where(den > 0)).rename("oi_weighted_funding")


def _stale(asof: pd.Timestamp, last: pd.Timestamp, name: str, warns: list[str],
           max_stale_days: int) -> int:
    gap = int((asof - last).days)
    if gap > max_stale_days:
        warns.append(Note("data.stale_series", series=name, end=last, days=gap, asof=asof))
    return gap


def _absent(name: str) -> Note:
    """The note for a series the active source does not hold (store or another source)."""
    if is_store():
        return Note("crypto.not_in_store", series=name)
    return Note("crypto.not_in_source", series=name, source=data.active().label)


def _price_block(name: str, asof: pd.Timestamp, vol_window: int, days_per_year: float,
                 warns: list[str], max_stale_days: int) -> tuple[dict[str, Any], pd.DataFrame]:
    px = data.get(name, None, asof)
    if px["close"].dropna().empty:
        raise InsufficientDataError(Note("crypto.no_prices_upto", series=name, asof=asof))
    dd = drawdown(px["close"])
    vol = realised_vol(px["close"], vol_window, days_per_year)
    last = dd.index[-1]
    _stale(asof, last, name, warns, max_stale_days)
    hi = px["high"].dropna()
    out: dict[str, Any] = {
        "price": float(dd["close"].iloc[-1]), "price_date": last,
        "ath": float(dd["ath"].iloc[-1]), "ath_date": dd["ath_date"].iloc[-1],
        "drawdown": float(dd["drawdown"].iloc[-1]),
        "realised_vol": float(vol.iloc[-1]) if len(vol) else float("nan"),
        "history_start": dd.index[0],
        "ath_intraday": float(hi.max()) if len(hi) else None,
        "ath_intraday_date": hi.idxmax() if len(hi) else None,
    }
    frame = dd.join(vol.rename("realised_vol"))
    return out, frame


def _recent(name: str, asof: pd.Timestamp, warns: list[str]) -> pd.Series | None:
    """``name`` up to ``asof`` without NaN; ``None`` (and a warning) when absent or empty."""
    try:
        s = data.close(name, None, asof).dropna()
    except UnknownSeriesError:
        warns.append(_absent(name))
        return None
    if s.empty:
        warns.append(Note("crypto.no_data_upto", series=name, asof=asof))
        return None
    return s


def _funding_block(asof: pd.Timestamp, coins: Sequence[str], warns: list[str],
                   max_stale_days: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fund, ois = {}, {}
    for c in coins:
        f = _recent(f"FUNDING_{c}", asof, warns)
        if f is None:
            continue
        fund[c] = f
        try:
            ois[c] = data.close(f"OI_{c}", None, asof).dropna()
        except UnknownSeriesError:
            ois[c] = pd.Series(dtype=float)
        last = f.index[-1]
        out[c] = {"rate_8h": float(f.iloc[-1]), "annualised": float(annualise_funding(
            f.iloc[-1])), "mean_7d": float(f.loc[last - pd.Timedelta(days=6):].mean()),
            "mean_30d": float(f.loc[last - pd.Timedelta(days=29):].mean()), "date": last,
            # point in time: the last date known at `asof`, not the file's end
            "coverage_end": last,
            "stale_days": _stale(asof, last, f"FUNDING_{c}", warns, max_stale_days),
            "interval_hours": FUNDING_INTERVAL_H}
    if fund:
        ow = oi_weighted_funding(pd.DataFrame(fund), pd.DataFrame(ois)).dropna()
        if len(ow):
            out["oi_weighted"] = {"rate_8h": float(ow.iloc[-1]),
                                  "annualised": float(annualise_funding(ow.iloc[-1])),
                                  "date": ow.index[-1], "coins": list(fund),
                                  "note": "one venue per coin (Binance coin-margined perps); "
                                          "weighted across coins by open interest"}
    return out


def _oi_block(asof: pd.Timestamp, coins: Sequence[str], warns: list[str],
              max_stale_days: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in coins:
        o = _recent(f"OI_{c}", asof, warns)
        if o is None:
            continue
        last = o.index[-1]

        def chg(days: int, o: pd.Series = o, last: pd.Timestamp = last) -> float | None:
            past = o.loc[: last - pd.Timedelta(days=days)]
            return float(o.iloc[-1] / past.iloc[-1] - 1) if len(past) else None

        out[c] = {"usd": float(o.iloc[-1]), "date": last, "change_7d": chg(7),
                  "change_30d": chg(30),
                  "coverage_end": last,  # point in time (as for funding)
                  "stale_days": _stale(asof, last, f"OI_{c}", warns, max_stale_days),
                  "venue": "Binance coin-margined perpetual (Coinalyze)"}
    return out


def _market_map(end: pd.Timestamp, price: float, snap: Mapping[str, Any],
                model: LiquidationModel, shock: float, bin_pct: float, range_pct: float
                ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Liquidation map and cascades of BTC on market OI (the model's surviving book)."""
    t1 = end + pd.Timedelta(days=1)
    path = build_path("BTC", t1 - pd.Timedelta(days=model.lookback_days), t1, model).frame
    f = path.loc[:t1]
    _, _, book = simulate(f["oi_liquidatable_usd"].to_numpy(), f["p_start"].to_numpy(),
                          f["price"].to_numpy(), f["low"].to_numpy(), f["high"].to_numpy(),
                          model)
    lv, nt, is_long = book["level"], book["notional"], book["is_long"]
    lmap = liq.bin_cohorts(lv, nt, is_long, price, bin_pct, range_pct)
    ref = float(f["oi_liquidatable_usd"].iloc[-1])
    down = liq.cascade(price, -abs(shock), lv[is_long], nt[is_long], ref, impact=model.impact)
    up = liq.cascade(price, abs(shock), lv[~is_long], nt[~is_long], ref, impact=model.impact)
    casc = {**down, "up": up, "reference_oi_usd": ref, "reference_oi_date": f.index[-1],
            "market_oi_usd": float(snap["market_usd"]),
            "modelled_notional_usd": float(nt[is_long].sum()), "oi_source": "market",
            "is_current": bool(snap["is_current"]), "oi_status": snap["status"]}
    return lmap, casc


@reads_source
def leverage(asof: str | pd.Timestamp | None = None, *, coins: Sequence[str] = ("BTC", "ETH"),
             vol_window: int = 30, days_per_year: float = 365.0,
             tiers: Sequence[float] = liq.DEFAULT_TIERS,
             tier_weights: Sequence[float] = liq.DEFAULT_TIER_WEIGHTS,
             mmr: float = liq.DEFAULT_MMR, long_share: float = 0.5,
             map_lookback_days: int = 180, decay_halflife: float | None = None,
             bin_pct: float = 0.01, range_pct: float = 0.4, cascade_shock: float = -0.10,
             impact: float = 0.3, max_stale_days: int = 2, oi_source: str = "market",
             model: LiquidationModel | None = None,
             oi_max_age_days: float = mk.DEFAULT_OI_MAX_AGE_DAYS,
             coverage_window_days: int = mk.DEFAULT_COVERAGE_WINDOW_DAYS,
             source: SourceLike = None) -> CryptoResult:
    """Crypto leverage snapshot on ``asof`` (nothing after it is read).

    Parameters
    ----------
    asof : date, optional
        Default: the last BTC date in the store.
    coins : sequence of str
        Coins for funding and open interest (BTC and ETH by default).
    vol_window, days_per_year : int, float
        Realised vol window (days) and annualisation (365: crypto trades daily).
    tiers, tier_weights, mmr, long_share, map_lookback_days, decay_halflife, bin_pct, range_pct
        Single-venue liquidation-map reconstruction (see :mod:`crashlens.crypto.liquidation`),
        used only when no market OI exists at ``asof`` (or ``oi_source="binance"``); the map
        is built from the last ``map_lookback_days`` days of Binance coin-margined BTC OI.
        ``mmr`` also sets the ``liquidation_prices`` table; ``bin_pct`` and ``range_pct`` bin
        both maps.
    cascade_shock, impact : float
        Initial shock of the cascade simulation (fraction; the opposite shock is run too) and
        its linear impact parameter.
    max_stale_days : int
        A series ending more than this many days before ``asof`` is flagged as stale.
    oi_source : {"market", "binance"}
        ``"market"`` (default): ``oi`` holds market-wide OI per coin
        (:mod:`crashlens.crypto.market`) and the liquidation map and cascade run on it with
        ``model``; the Binance coin-margined path is the fallback when no market OI exists
        (before 2025-05-18, synthetic market). ``"binance"``: the former single-venue path.
    model : LiquidationModel, optional
        Parameters of the market liquidation model (:mod:`crashlens.crypto.model`); its
        ``impact`` is replaced by ``impact``.
    oi_max_age_days : float
        Largest age (days) of an OI value that still counts as current (``oi[coin]
        ["is_current"]``, ``cascade["is_current"]``).
    coverage_window_days : int
        Overlap days the coverage ratio of a venue series is estimated on.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.
        The market-wide OI files are read from its folder of files
        (:func:`crashlens.data.files_dir`); without them the Binance coin-margined path is
        used, with a warning.

    Returns
    -------
    CryptoResult
    """
    warns: list[str] = []
    end = to_timestamp_or_none(asof, "asof")
    if end is None:
        end = data.close("BTC").index[-1]
    btc, btc_frame = _price_block("BTC", end, vol_window, days_per_year, warns, max_stale_days)
    eth = None
    try:
        eth, _ = _price_block("ETH", end, vol_window, days_per_year, warns, max_stale_days)
        if eth["history_start"] > pd.Timestamp("2021-01-01"):
            warns.append(Note("crypto.history_starts", series="ETH",
                              start=eth["history_start"]))
    except UnknownSeriesError:
        warns.append(_absent("ETH"))
    except InsufficientDataError as exc:
        warns.append(reason(exc))
    coins = [c.upper() for c in coins]
    fwarns: list[str] = []
    funding = _funding_block(end, list(dict.fromkeys([*coins, *FUNDING_COINS])), fwarns,
                             max_stale_days)
    funding = {k: v for k, v in funding.items() if k in coins or k == "oi_weighted"}
    warns += [w for w in fwarns if any(w.startswith(f"FUNDING_{c}:") or
                                       w.startswith(f"FUNDING_{c} ") for c in coins)]
    oi = _oi_block(end, coins, warns, max_stale_days)

    price = btc["price"]
    lp = pd.DataFrame({"leverage": list(tiers),
                       "long": liq.liquidation_price(price, np.asarray(tiers), "long", mmr),
                       "short": liq.liquidation_price(price, np.asarray(tiers), "short", mmr)})
    lmap = pd.DataFrame(columns=["price_low", "price_high", "long_usd", "short_usd",
                                 "intensity"])
    casc: dict[str, Any] = {}
    if oi_source not in ("market", "binance"):
        raise ParameterError(f"oi_source must be 'market' or 'binance', got {oi_source!r}")
    model = dataclasses.replace(model or LiquidationModel(), impact=impact)
    market: dict[str, Any] = {}
    if oi_source == "market":
        market, mw = mk.snapshots(coins, end, max_age_days=oi_max_age_days,
                                  window_days=coverage_window_days)
        warns += mw
        for coin in coins:
            if coin in mk.MARKET_COINS:
                try:
                    fs = mk.funding_snapshot(coin, end, max_age_days=oi_max_age_days)
                except InsufficientDataError as exc:
                    warns.append(reason(exc))
                    continue
                funding[f"market_{coin}"] = fs
                if not fs["is_current"]:
                    warns.append(Note("crypto.market_funding_stale", coin=coin,
                                      time=str(fs["asof"]), age=fs["age_days"],
                                      max_age=fs["max_age_days"]))
        if "BTC" in market:
            try:
                lmap, casc = _market_map(end, price, market["BTC"], model, cascade_shock,
                                         bin_pct, range_pct)
            except InsufficientDataError as exc:
                warns.append(wrap("crypto.market_map_fallback", exc))
    oi_btc = pd.Series(dtype=float)
    if not casc:
        try:
            oi_btc = data.close("OI_BTC", None, end).dropna()
        except UnknownSeriesError:
            warns.append(_absent("OI_BTC"))
    if casc:
        pass
    elif len(oi_btc) >= 2:
        arrays = liq.map_inputs(oi_btc, data.get("BTC", None, end), end, map_lookback_days)
        o, c, lo, hi, n_oi = arrays
        lv, nt, is_long = liq.build_cohorts(o, c, lo, hi, tiers=tiers,
                                            tier_weights=tier_weights, long_share=long_share,
                                            mmr=mmr, decay_halflife=decay_halflife, n_oi=n_oi)
        lmap = liq.bin_cohorts(lv, nt, is_long, price, bin_pct, range_pct)
        ref = float(oi_btc.iloc[-1])
        down = liq.cascade(price, -abs(cascade_shock), lv[is_long], nt[is_long], ref,
                           impact=impact)
        up = liq.cascade(price, abs(cascade_shock), lv[~is_long], nt[~is_long], ref,
                         impact=impact)
        casc = {**down, "up": up, "reference_oi_usd": ref, "reference_oi_date": oi_btc.index[-1],
                "modelled_notional_usd": float(nt.sum())}
        casc["oi_source"] = "Binance coin-margined (single venue)"
        casc["is_current"] = bool((end - oi_btc.index[-1]).days <= max_stale_days)
        if oi_source == "market":
            warns.append(Note("crypto.binance_only_map"))
    else:
        warns.append(Note("crypto.oi_btc_short"))
    assumptions = {
        "ath_basis": "closing high", "vol_window": vol_window, "days_per_year": days_per_year,
        "funding_interval_hours": FUNDING_INTERVAL_H,
        "funding_annualisation": "F * (24 / interval_h) * 365",
        "liquidation_formula": "Binance USDT-M isolated one-way, cum = 0",
        "tiers": list(tiers), "tier_weights": list(tier_weights), "mmr": mmr,
        "long_share": long_share, "map_lookback_days": map_lookback_days,
        "decay_halflife": decay_halflife, "bin_pct": bin_pct, "range_pct": range_pct,
        "entry_price": "daily close of the day OI rose",
        "cascade_shock": cascade_shock, "impact": impact,
        "impact_model": "linear: liquidating x of OI moves price impact * x of pre-shock price",
        "calendar": "crypto calendar days (7 per week)", "max_stale_days": max_stale_days,
        "oi_source": ("market-wide (all-exchange aggregate, extended by venue series)"
                      if casc.get("oi_source") == "market" else
                      "Binance coin-margined perps only (not market-wide OI)"),
        "oi_max_age_days": oi_max_age_days, "coverage_window_days": coverage_window_days,
    }
    if casc.get("oi_source") == "market":
        assumptions.update({f"model_{k}": v for k, v in model.to_dict().items()})
        assumptions["long_share"] = "not used: both sides hold the whole market OI"
    return CryptoResult(asof=end, btc=btc, eth=eth, funding=funding, open_interest=oi, oi=market,
                        liquidation_prices=lp, liquidation_map=lmap, cascade=casc,
                        synthetic=data.is_synthetic(), price_history=btc_frame,
                        assumptions=assumptions, warnings=tuple(dict.fromkeys(warns)))


@reads_source
def leverage_history(start: str | pd.Timestamp | None = None,
                     end: str | pd.Timestamp | None = None, *, coin: str = "BTC",
                     vol_window: int = 30, days_per_year: float = 365.0,
                     source: SourceLike = None) -> CryptoHistory:
    """Daily drawdown, realised vol, funding and OI of one coin over ``start .. end``.

    The ATH is running over all history before ``start`` too (no look-ahead: each day's ATH
    uses prices up to that day). Funding and OI are NaN outside their coverage.
    ``oi_market_usd`` / ``oi_market_coverage``: market OI at the end of each day (00:00 UTC
    the next day; :mod:`crashlens.crypto.market`), BTC and ETH from 2025-05-18.

    Parameters
    ----------
    start, end : date, optional
        First and last day of the frame (default: all the coin's history).
    coin : str
        The coin (``BTC``, ``ETH`` ...).
    vol_window, days_per_year : int, float
        Realised vol window (days) and annualisation (365: crypto trades daily).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    CryptoHistory
    """
    coin = coin.upper()
    e, s = to_timestamp_or_none(end, "end"), to_timestamp_or_none(start, "start")
    if s is not None and e is not None and s > e:
        raise ParameterError(f"start {s.date()} is after end {e.date()}")
    px = data.close(coin, None, e)
    frame = drawdown(px).drop(columns="ath_date").join(
        realised_vol(px, vol_window, days_per_year).rename("realised_vol"))
    warns: list[str] = []
    try:
        f = data.close(f"FUNDING_{coin}", None, e)
        frame["funding_8h"] = f.reindex(frame.index)
        frame["funding_annualised"] = annualise_funding(frame["funding_8h"])
    except UnknownSeriesError:
        warns.append(_absent(f"FUNDING_{coin}"))
    try:
        o = data.close(f"OI_{coin}", None, e)
    except UnknownSeriesError:
        warns.append(_absent(f"OI_{coin}"))
        o = None
    if o is not None:
        frame["oi_usd"] = o.reindex(frame.index)
        for d in (7, 30):
            frame[f"oi_change_{d}d"] = frame["oi_usd"] / frame["oi_usd"].shift(
                d, freq="D").reindex(frame.index) - 1
        if len(o.dropna()) and e is not None and o.dropna().index[-1] < e:
            warns.append(Note("crypto.oi_ends_nan", series=f"OI_{coin}",
                              end=o.dropna().index[-1]))
    if coin in mk.MARKET_COINS:
        try:
            upto = None if e is None else e + pd.Timedelta(days=1)
            m, _, mw = mk.market_oi(coin, upto)
            # the value at 00:00 UTC of the next day is the one known at the end of each day
            t = pd.DatetimeIndex(m.index)
            midnight = m[t == t.normalize()]
            day = pd.DatetimeIndex(midnight.index) - pd.Timedelta(days=1)
            frame["oi_market_usd"] = midnight["market_usd"].set_axis(day).reindex(frame.index)
            frame["oi_market_coverage"] = midnight["coverage"].set_axis(day).reindex(frame.index)
            warns += mw
        except InsufficientDataError as exc:
            warns.append(reason(exc))
    return CryptoHistory(frame=frame.loc[s:], synthetic=data.is_synthetic(),
                         assumptions={"coin": coin, "vol_window": vol_window,
                                      "days_per_year": days_per_year,
                                      "ath_basis": "closing high"},
                         warnings=tuple(warns))
