"""Assembly of the synthetic market: :func:`generate` and :class:`SyntheticMarket`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from crashlens.data.schema import Kind
from crashlens.data.synthetic._chain import build_chain
from crashlens.data.synthetic._crossasset import macro_assets, rates, vol_indices
from crashlens.data.synthetic._equity import (
    CryptoPath,
    EpisodePos,
    SpxPath,
    build_crypto,
    build_loaded,
    build_spx,
)
from crashlens.data.synthetic._macro import (
    COT_MARKETS,
    cot_frame,
    crypto_derivs,
    effr_monthly,
    monthly_macro,
    weekly_macro,
)
from crashlens.data.synthetic._params import (
    DEFAULT_END,
    DEFAULT_SEED,
    DEFAULT_START,
    ChainParams,
    SyntheticParams,
)
from crashlens.data.synthetic._paths import (
    date_index,
    ohlc,
    price_frame,
    snap,
    stream,
    to_day,
    value_frame,
    volume,
)
from crashlens.data.synthetic._truth import ChainTruth, EpisodeTruth, SyntheticTruth
from crashlens.errors import ParameterError, UnknownSeriesError

#: Label stamped on everything derived from the synthetic market.
SYNTHETIC_LABEL = "SYNTHETIC DATA"

_PRICE = (
    "SPX", "NDX", "IXIC", "RUT", "SPY", "QQQ", "VIX", "VIX9D", "VIX1D", "VIX3M", "VIX6M", "VVIX",
    "SKEW", "VXN", "GVZ", "MOVE", "BTC", "ETH", "GOLD", "SILVER", "COPPER", "WTI", "DXY",
    "USDJPY", "EURUSD", "TLT", "HYG", "LQD", "SMH", "NVDA", "GOOG", "MSFT", "AMZN", "META",
    "TSLA", "COIN", "PLTR", "MSTR",
)
_VALUE = (
    "UST1M", "UST3M", "UST2Y", "UST5Y", "UST10Y", "UST30Y", "EFFR", "FED_TARGET_UPPER",
    "FED_TARGET_LOWER", "SOFR", "IORB", "HY_OAS", "IG_OAS", "T10YIE", "T5YIE", "FEDFUNDS",
    "UNRATE", "PAYEMS", "CPI", "CORE_CPI", "PCE", "CORE_PCE", "CPI_NSA", "ICSA", "NFCI", "WALCL",
)

#: Kind of every series the generator produces (names are catalog names).
SERIES_KINDS: Mapping[str, Kind] = MappingProxyType({
    **{n: Kind.PRICE for n in _PRICE},
    **{n: Kind.VALUE for n in _VALUE},
    **{f"COT_{c}": Kind.COT for c in COT_MARKETS},
    "OI_BTC": Kind.OI, "OI_ETH": Kind.OI,
    "FUNDING_BTC": Kind.FUNDING, "FUNDING_ETH": Kind.FUNDING,
})

#: Assets whose pairwise return correlations jump inside the correlation spike.
CORR_SPIKE_ASSETS: tuple[str, ...] = (
    "SPX", "NDX", "RUT", "SMH", "NVDA", "GOOG", "MSFT", "AMZN", "META", "TSLA", "COIN", "MSTR",
    "BTC", "COPPER", "WTI", "HYG",
)

# Typical daily volumes (shares / contracts) of price series that have one.
_VOLUME = {
    "SPX": 3.0e9, "NDX": 8.0e8, "IXIC": 5.0e9, "RUT": 1.0e9, "SPY": 7.0e7, "QQQ": 4.5e7,
    "BTC": 3.0e10, "ETH": 1.5e10, "GOLD": 2.0e5, "SILVER": 7.0e4, "COPPER": 8.0e4,
    "WTI": 3.5e5, "TLT": 3.0e7, "HYG": 3.5e7, "LQD": 2.5e7, "SMH": 7.0e6, "NVDA": 2.0e8,
    "GOOG": 2.5e7, "MSFT": 2.2e7, "AMZN": 4.5e7, "META": 1.5e7, "TSLA": 1.0e8, "COIN": 1.0e7,
    "PLTR": 6.0e7, "MSTR": 1.5e7,
}


@dataclass(frozen=True)
class SyntheticMarket:
    """A generated market: series, ground truth and option chains.

    Attributes
    ----------
    series : dict of str to pandas.DataFrame
        Every series by catalog name, shaped per :mod:`crashlens.data.schema`: a
        ``DatetimeIndex`` named ``date`` (tz-naive, strictly increasing) and float64 columns
        (price: open, high, low, close, volume; value/funding: value; oi: open, high, low,
        close; cot: open_interest and ``<category>_long/_short``). Treat as read-only: the
        default market is cached and shared.
    truth : SyntheticTruth
        The scripted facts (see :class:`SyntheticTruth`).
    seed : int
        Seed used.
    params : SyntheticParams
        Parameters used.
    label : str
        ``"SYNTHETIC DATA"``.
    """

    series: dict[str, pd.DataFrame]
    truth: SyntheticTruth
    seed: int
    params: SyntheticParams
    label: str = SYNTHETIC_LABEL
    _chains: dict[pd.Timestamp, tuple[pd.DataFrame, ChainTruth]] = field(
        default_factory=dict, repr=False, compare=False)

    def names(self) -> list[str]:
        """Sorted names of the generated series."""
        return sorted(self.series)

    def get(self, name: str) -> pd.DataFrame:
        """Return one series by catalog name (case-insensitive).

        Raises
        ------
        crashlens.errors.UnknownSeriesError
            If the market has no such series (the message suggests the nearest names).
        """
        key = name.upper()
        if key not in self.series:
            raise UnknownSeriesError(name, self.series)
        return self.series[key]

    def _chain(self, asof: str | pd.Timestamp) -> tuple[pd.DataFrame, ChainTruth]:
        spx = self.series["SPX"]
        day = to_day(asof, "asof")
        if day < spx.index[0] or day > spx.index[-1]:
            raise ParameterError(
                f"parameter 'asof': {day.date()} is outside the synthetic market "
                f"{spx.index[0].date()}..{spx.index[-1].date()}"
            )
        day = spx.index[snap(spx.index, day, "asof")]
        if day not in self._chains:

            def close(name: str, fallback: str) -> float:
                s = self.series[name]["close"]
                return float(s.loc[day]) if day in s.index else float(
                    self.series[fallback]["close"].loc[day])

            self._chains[day] = build_chain(
                day, float(spx["close"].loc[day]), close("VIX", "VIX"), close("VIX9D", "VIX"),
                close("VIX3M", "VIX"), close("SKEW", "SKEW"), self.params.chain, self.seed)
        return self._chains[day]

    def chain(self, asof: str | pd.Timestamp) -> pd.DataFrame:
        """Synthetic SPX option chain on ``asof`` (the last trading day on or before it).

        One row per contract with the columns of :data:`crashlens.data.schema.CHAIN_COLUMNS`.
        Spot is the SPX close of that day, the quote time ``ChainParams.quote_time``; expiries
        include the same-day (0DTE) expiry. Call open interest is concentrated above spot and
        put open interest below (so dealer gamma, calls +1 / puts -1, has a zero crossing), IV
        is ATM at the VIX term structure with a put skew scaled by SKEW.

        Raises
        ------
        crashlens.errors.ParameterError
            If ``asof`` is not a date or lies outside the generated calendar.
        """
        return self._chain(asof)[0].copy()

    def chain_truth(self, asof: str | pd.Timestamp) -> ChainTruth:
        """Ground truth of :meth:`chain` on ``asof`` (walls, zero gamma, 0DTE share, ...)."""
        return self._chain(asof)[1]


def _listing(p: SyntheticParams, name: str) -> pd.Timestamp | None:
    for n, d in p.listings:
        if n == name:
            return pd.Timestamp(d)
    for st in p.stocks:
        if st.name == name and st.listing is not None:
            return pd.Timestamp(st.listing)
    return None


def _price_series(rng: np.random.Generator, days: pd.DatetimeIndex, log_close: np.ndarray,
                  sig: np.ndarray, vol_base: float | None) -> pd.DataFrame:
    close = np.exp(log_close)
    op, hi, lo = ohlc(rng, close, sig)
    ret = np.diff(log_close, prepend=log_close[0])
    vol = None if vol_base is None else volume(rng, vol_base, ret, sig)
    return price_frame(days, op, hi, lo, close, vol)


def _level_series(rng: np.random.Generator, days: pd.DatetimeIndex, close: np.ndarray,
                  daily_rel_sd: float) -> pd.DataFrame:
    """Price-kind frame for an index quoted as a level (vol indices, MOVE): no volume."""
    sig = np.full(len(close), daily_rel_sd)
    op, hi, lo = ohlc(rng, close, sig, gap=0.5, spread=0.5)
    return price_frame(days, op, hi, lo, close, None)


def _episode_truth(name: str, series: str, days: pd.DatetimeIndex, close: np.ndarray,
                   pos: EpisodePos, vix: pd.Series | None) -> EpisodeTruth:
    pk, tr = pos.peak, pos.trough
    vmax, vdate = float("nan"), None
    if vix is not None:
        window = vix.loc[days[pk]: days[tr]]
        if len(window):
            vmax = float(window.max())
            vdate = window.index[int(np.argmax(window.to_numpy()))]
    return EpisodeTruth(
        name=name, series=series,
        runup_start=None if pos.runup_start is None else days[pos.runup_start],
        peak=days[pk], trough=days[tr], peak_level=float(close[pk]),
        trough_level=float(close[tr]), depth=float(close[tr] / close[pk] - 1.0),
        recovery_end=None if pos.recovery_end is None else days[pos.recovery_end],
        vix_max=vmax, vix_max_date=vdate,
    )


def _truncate(frame: pd.DataFrame, first: pd.Timestamp | None) -> pd.DataFrame:
    if first is not None:
        frame = frame.loc[frame.index >= first]
    return frame


def _build(seed: int, start: pd.Timestamp, end: pd.Timestamp,
           p: SyntheticParams) -> SyntheticMarket:
    days = pd.bdate_range(start, end)
    cal = pd.date_range(days[0], end)
    if len(days) < 300:
        raise ParameterError("parameters 'start'/'end': need at least 300 business days")
    spx: SpxPath = build_spx(days, p, seed)
    crypto: CryptoPath = build_crypto(cal, days, spx, p, seed)
    loaded = build_loaded(days, spx, crypto, p, seed)
    vols = vol_indices(days, spx, p, seed)
    rt = rates(days, spx, vols["VIX"], p, seed)
    assets = macro_assets(days, spx, rt, p, seed)
    rng = stream(seed, "ohlc")
    out: dict[str, pd.DataFrame] = {}

    spx_frame = _price_series(rng, days, spx.log_level, spx.sig, _VOLUME["SPX"])
    out["SPX"] = spx_frame
    track = np.exp(np.cumsum(rng.normal(0.0, 2e-4, len(days))) * 0.05)
    spy = [spx_frame[c].to_numpy() / 10.0 * track for c in ("open", "high", "low", "close")]
    out["SPY"] = price_frame(days, spy[0], spy[1], spy[2], spy[3],
                             volume(rng, _VOLUME["SPY"], spx.ret, spx.sig))
    for name, (lp, sig) in {**loaded, **assets}.items():
        out[name] = _price_series(rng, days, lp, sig, _VOLUME.get(name))
    ndx = out["NDX"]
    qqq = [ndx[c].to_numpy() / 41.0 for c in ("open", "high", "low", "close")]
    out["QQQ"] = price_frame(days, qqq[0], qqq[1], qqq[2], qqq[3],
                             volume(rng, _VOLUME["QQQ"], np.diff(loaded["NDX"][0], prepend=0.0),
                                    loaded["NDX"][1]))
    for name, level in vols.items():
        out[name] = _level_series(rng, days, level, 0.04 if name != "SKEW" else 0.015)
    out["MOVE"] = _level_series(rng, days, rt["MOVE"], 0.03)
    for name, val in rt.items():
        if name != "MOVE":
            out[name] = value_frame(days, np.round(val, 4)).dropna()
    for name, lp, sig in (("BTC", crypto.btc_log, crypto.btc_sig),
                          ("ETH", crypto.eth_log, crypto.eth_sig)):
        out[name] = _price_series(rng, cal, lp, sig, _VOLUME[name])
    for name, (arr, sig) in crypto_derivs(cal, crypto, p, seed).items():
        if name.startswith("OI_"):
            close = np.exp(arr)
            op, hi, lo = ohlc(rng, close, sig, gap=0.0, spread=0.5)
            out[name] = pd.DataFrame({"open": op, "high": hi, "low": lo, "close": close},
                                     index=date_index(cal))
        else:
            out[name] = value_frame(cal, arr)
    monthly = monthly_macro(days[0], end, seed)
    missing = pd.Timestamp(p.missing_release)
    missing_releases: dict[str, tuple[pd.Timestamp, ...]] = {}
    for name, s in monthly.items():
        if name in p.missing_series and missing in s.index:
            s = s.drop(missing)
            missing_releases[name] = (missing,)
        out[name] = value_frame(s.index, s.to_numpy())
    ff = effr_monthly(days, rt["EFFR"], days[0], end)
    out["FEDFUNDS"] = value_frame(ff.index, ff.to_numpy())
    for name, s in weekly_macro(days, vols["VIX"], rt["HY_OAS"], p, seed).items():
        out[name] = value_frame(s.index, s.to_numpy())
    closes = {n: f["close"].to_numpy() for n, f in out.items() if "close" in f}
    closes["EFFR"] = rt["EFFR"]
    btc_bd = np.exp(crypto.btc_log[cal.get_indexer(days)])
    for code, (_, _, under) in COT_MARKETS.items():
        inverse = under.startswith("-")
        key = under.lstrip("-")
        px = btc_bd if key == "BTC" else closes[key]
        px = 100.0 - px if key == "EFFR" else (1.0 / px if inverse else px)
        out[f"COT_{code}"] = cot_frame(code, days, px, p, seed)

    for name in list(out):
        out[name] = _truncate(out[name], _listing(p, name))
    out = {k: out[k] for k in sorted(out)}

    # --- truth ------------------------------------------------------------------------------
    vix = out["VIX"]["close"]
    spx_close = np.exp(spx.log_level)
    eps = {pos.spec_name: pos for pos in spx.episodes}
    main = _episode_truth(p.main_episode, "SPX", days, spx_close, spx.main, vix)
    history = tuple(_episode_truth(n, "SPX", days, spx_close, q, vix)
                    for n, q in eps.items() if n != p.main_episode)
    btc_close = np.exp(crypto.btc_log)
    crypto_truth = _episode_truth("crypto_2025", "BTC", cal, btc_close, crypto.episode, None)
    lq = crypto.liquidation
    oi_btc = out["OI_BTC"]["close"]
    liq_day = cal[lq]
    inv = (out["VIX"]["close"] > out["VIX3M"]["close"]).loc[main.peak: main.trough]
    spike_days = days[spx.spike]
    chain_frame, chain_truth = build_chain(
        main.trough, float(spx_close[spx.main.trough]), float(vix.loc[main.trough]),
        float(out["VIX9D"]["close"].loc[main.trough]),
        float(out["VIX3M"]["close"].loc[main.trough]),
        float(out["SKEW"]["close"].loc[main.trough]), p.chain, seed)
    events = tuple((n, days[snap(days, d, "events")], float(x)) for n, d, x in p.events
                   if days[0] <= pd.Timestamp(d) <= days[-1])
    truth = SyntheticTruth(
        label=SYNTHETIC_LABEL, seed=seed, start=days[0], end=days[-1],
        selloff=main, history=history, crypto=crypto_truth,
        trend_start=main.runup_start if main.runup_start is not None else main.peak,
        reversal=main.peak,
        beta_spx=MappingProxyType({s.name: s.beta_spx for s in p.stocks}),
        beta_btc=MappingProxyType({s.name: s.beta_btc for s in p.stocks}),
        idio_vol=MappingProxyType({s.name: s.idio_vol for s in p.stocks}),
        corr_spike_start=spike_days[0], corr_spike_end=spike_days[-1],
        corr_spike_assets=CORR_SPIKE_ASSETS,
        liquidation_day=liq_day,
        liquidation_return=float(crypto.btc_log[lq] - crypto.btc_log[lq - 1]),
        oi_drop=float(oi_btc.loc[liq_day] / oi_btc.loc[liq_day - pd.Timedelta(days=1)] - 1.0),
        events=events,
        missing_releases=MappingProxyType(missing_releases),
        vix_inverted=tuple(pd.Timestamp(d) for d in inv.index[inv.to_numpy()]),
        chain=chain_truth,
    )
    market = SyntheticMarket(series=out, truth=truth, seed=seed, params=p)
    market._chains[main.trough] = (chain_frame, chain_truth)
    return market


_DEFAULT_PARAMS = SyntheticParams()


@functools.lru_cache(maxsize=4)
def _cached(seed: int, start: pd.Timestamp, end: pd.Timestamp,
            params: SyntheticParams) -> SyntheticMarket:
    return _build(seed, start, end, params)


def generate(seed: int = DEFAULT_SEED, start: str | pd.Timestamp = DEFAULT_START,
             end: str | pd.Timestamp = DEFAULT_END,
             params: SyntheticParams | None = _DEFAULT_PARAMS) -> SyntheticMarket:
    """Generate the deterministic synthetic market.

    Parameters
    ----------
    seed : int, default 20251121
        Seed of every random stream (numpy ``Generator``); the same seed, dates and
        parameters always give identical frames.
    start, end : str or pandas.Timestamp, default 2005-01-03 and 2026-08-21
        First and last business day (crypto series run on every calendar day in between).
        The reference sell-off and the crypto episode must lie inside.
    params : SyntheticParams, default SyntheticParams()
        Every scripted fact and model constant (None also means the defaults).

    Returns
    -------
    SyntheticMarket
        ``.series`` (dict of frames by catalog name), ``.truth``, ``.chain(asof)``. Results are
        cached (``functools.lru_cache``, 4 entries) and shared: do not mutate the frames.

    Raises
    ------
    crashlens.errors.ParameterError
        For a bad date, ``start`` after ``end``, a too short calendar, or scripted episodes
        outside the calendar or overlapping.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError(f"parameter 'seed': need a non-negative integer, got {seed!r}")
    s, e = to_day(start, "start"), to_day(end, "end")
    if s >= e:
        raise ParameterError(f"parameters 'start'/'end': start {s.date()} is not before end "
                             f"{e.date()}")
    if params is None:
        params = SyntheticParams()
    elif not isinstance(params, SyntheticParams):
        raise ParameterError("parameter 'params': need a SyntheticParams instance")
    _check_chain(params.chain)
    return _cached(int(seed), s, e, params)


def _check_chain(cp: ChainParams) -> None:
    """Validate the chain parameters (ParameterError naming the field)."""
    if not isinstance(cp, ChainParams):
        raise ParameterError("parameter 'params.chain': need a ChainParams instance")
    positive = ("strike_step", "oi_width", "call_oi", "put_oi", "wall_boost", "wall_round",
                "iv_floor", "total_volume", "multiplier")
    for name in positive:
        if not getattr(cp, name) > 0:
            raise ParameterError(f"parameter 'chain.{name}': must be positive")
    if not 0.0 < cp.strike_range < 1.0:
        raise ParameterError("parameter 'chain.strike_range': must be in (0, 1)")
    if not 0.0 <= cp.zero_dte_volume_share < 1.0:
        raise ParameterError("parameter 'chain.zero_dte_volume_share': must be in [0, 1)")
    if cp.daily_expiries < 1 or cp.weekly_expiries < 0 or cp.monthly_expiries < 0:
        raise ParameterError("parameter 'chain.*_expiries': need >= 1 daily (the 0DTE) and "
                             ">= 0 weekly / monthly expiries")
    if cp.daily_expiries + cp.weekly_expiries + cp.monthly_expiries < 2:
        raise ParameterError("parameter 'chain.*_expiries': need at least two expiries")
    try:
        hh, mm = (int(x) for x in cp.quote_time.split(":"))
    except ValueError as exc:
        raise ParameterError(
            f"parameter 'chain.quote_time': need HH:MM, got {cp.quote_time!r}") from exc
    if not (0 <= hh < 16 and 0 <= mm < 60):
        raise ParameterError("parameter 'chain.quote_time': must be before the 16:00 close")
