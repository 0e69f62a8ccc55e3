"""Market-wide open interest per coin: the all-exchange aggregate, extended by venue series.

The ``market`` OI of a coin at time t is

* the CoinGlass all-exchange aggregate (4-hourly, 2025-05-18 .. 2025-11-14) where it exists
  (``coverage = 1``, ``source = "aggregate"``);
* after the aggregate ends, a venue series scaled by a **coverage ratio**
  ``k = market / venue`` estimated on the overlap of the two series (Binance USDⓈ-M BTCUSDT /
  ETHUSDT daily OI, 2025-11-08 .. 2025-12-17): ``market_t = k * venue_t`` with
  ``coverage = venue / market = 1 / k`` and its relative error. The ratio uses only overlap
  points at or before t (point in time) and the last ``window_days`` of them.

The error of ``k`` is reported two ways: the relative standard deviation of the daily ratios
on the overlap, and the leave-one-out relative error of predicting each overlap day from the
others (``loo_rel_error``), which is what an extended value is expected to miss by.

Before the aggregate starts there is no market series: the ratio could only be estimated on
later data (look-ahead), so none is made. Every value carries its as-of time (a 4-h bar's
close is stamped bar start + 4 h; a daily 00:00-UTC snapshot its own time).

Staleness: a value older than ``max_age_days`` at the as-of time is reported with its date
and ``is_current = False``; callers must not show it as current.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crashlens import data
from crashlens.data.loaders import crypto_market as cm
from crashlens.data.source import SourceLike, is_store, reads_source
from crashlens.errors import DataError, InsufficientDataError, ParameterError
from crashlens.notes import Note, reason, wrap

#: Coins with an all-exchange aggregate file.
MARKET_COINS: tuple[str, ...] = ("BTC", "ETH")
#: Raw files (inside ``CRASHLENS_DATA``).
AGGREGATE_FILE = "crypto_oi_all_exchanges_4h_{coin}_2025.csv"
BY_EXCHANGE_FILE = "crypto_oi_by_exchange_4h_{coin}_2025.csv"
USDTM_FILE = "crypto_binance_usdtm_oi_daily_2025q4.csv"
LIQ_FILE = "crypto_liquidations_binance_4h_{coin}_2025.csv"
FUNDING_FILE = "crypto_funding_oi_weighted_4h_{coin}_2025.csv"
#: Default largest age (days) at which an open-interest value still counts as current.
DEFAULT_OI_MAX_AGE_DAYS = 2.0
#: Default number of overlap days the coverage ratio is estimated on (the most recent ones).
DEFAULT_COVERAGE_WINDOW_DAYS = 30


def raw_path(template: str, coin: str = "") -> Path:
    """Path of a market-crypto raw file in the active source's folder of files.

    The folder is :func:`crashlens.data.files_dir` (``CRASHLENS_DATA`` for the store, the
    ``files=`` of a :class:`~crashlens.data.FramesSource` ...).

    Raises
    ------
    InsufficientDataError
        The source has no folder of files, or the file is not in it.
    """
    root = data.files_dir()
    if root is None:
        src = data.active()
        if is_store(src):
            raise InsufficientDataError(Note("crypto.no_files_dir"))
        raise InsufficientDataError(Note("crypto.no_files_in_source", source=src.label))
    path = Path(root) / template.format(coin=coin.upper())
    if not path.exists():
        raise InsufficientDataError(Note("crypto.file_missing", file=path.name,
                                         folder=str(root)))
    return path


def _cached(reader: Any) -> Any:
    """Memoise a reader on (path, mtime, size): each file is read once per process.

    The key is the file's resolved absolute path with its modification time and size, so two
    sources whose folders differ never share a read, and a file rewritten in place is read
    again.
    """
    @functools.lru_cache(maxsize=32)
    def inner(path: str, mtime_ns: int, size: int, *args: Any) -> Any:
        return reader(Path(path), *args)

    def call(path: Path, *args: Any) -> Any:
        path = Path(path).resolve()
        st = path.stat()
        return inner(str(path), st.st_mtime_ns, st.st_size, *args).copy()
    return call


_bars = _cached(cm.read_bars_4h)
_by_exchange = _cached(cm.read_oi_by_exchange)
_usdtm = _cached(cm.read_binance_usdtm_oi)
_liq = _cached(cm.read_liquidations_4h)


def aggregate_oi(coin: str) -> pd.Series:
    """All-exchange OI (USD) of ``coin`` stamped at each 4-h bar's close time (start + 4 h)."""
    bars = _bars(raw_path(AGGREGATE_FILE, coin))
    s = pd.Series(bars["close"].to_numpy(), index=bars.index + cm.BAR, name="market_usd")
    s.index.name = "time"
    return s


def venue_oi(coin: str) -> pd.Series:
    """Binance USDⓈ-M perpetual OI (USD) of ``coin`` at its 00:00-UTC snapshot times."""
    return pd.Series(_usdtm(raw_path(USDTM_FILE), coin.upper()))


def binance_liquidations(coin: str) -> pd.DataFrame:
    """Binance-only liquidations (USD, ``long_usd`` / ``short_usd``) per 4-h bar start."""
    return pd.DataFrame(_liq(raw_path(LIQ_FILE, coin)))


def by_exchange(coin: str) -> pd.DataFrame:
    """Per-venue OI (USD) and ``PRICE`` (USD) on the 4-h grid, stamped at the snapshot time."""
    return pd.DataFrame(_by_exchange(raw_path(BY_EXCHANGE_FILE, coin)))


@dataclasses.dataclass(frozen=True)
class CoverageFit:
    """Coverage ratio ``k = market / venue`` estimated on the overlap of two OI series.

    Attributes
    ----------
    venue : str
        The venue series' name.
    ratio : float
        Mean of the ratios on the overlap (market USD per venue USD).
    coverage : float
        ``1 / ratio``: the venue's share of market OI.
    rel_std : float
        Relative standard deviation (ddof=1) of the ratios (NaN with one overlap point).
    loo_rel_error : float
        Root-mean-square relative error of predicting each overlap point's market OI from
        the ratio of the other points (NaN with fewer than 3 points).
    n_overlap : int
        Number of overlap points used.
    start, end : Timestamp
        First and last overlap time used.
    """

    venue: str
    ratio: float
    coverage: float
    rel_std: float
    loo_rel_error: float
    n_overlap: int
    start: pd.Timestamp
    end: pd.Timestamp

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """Plain dict."""
        return dataclasses.asdict(self)


def coverage_fit(market: pd.Series, venue: pd.Series, *, upto: pd.Timestamp | None = None,
                 window_days: int = DEFAULT_COVERAGE_WINDOW_DAYS, venue_name: str = "venue"
                 ) -> CoverageFit:
    """Estimate ``k = market / venue`` on the points both series have at the same time.

    Parameters
    ----------
    market, venue : Series
        OI in USD, indexed by time.
    upto : Timestamp, optional
        Only points at or before this time are used (point in time).
    window_days : int
        Only the last ``window_days`` days of the overlap are used.
    venue_name : str
        Name given to the venue in the fit and in errors.

    Raises
    ------
    InsufficientDataError
        The series have no common time (up to ``upto``): the ratio cannot be estimated.
    """
    if window_days < 1:
        raise ParameterError(f"window_days must be >= 1, got {window_days}")
    both = pd.concat([market.rename("m"), venue.rename("v")], axis=1, join="inner").dropna()
    both = both[both["v"] > 0]
    if upto is not None:
        both = both.loc[:upto]
    if both.empty:
        span_m = f"{market.index.min()} .. {market.index.max()}" if len(market) else "empty"
        span_v = f"{venue.index.min()} .. {venue.index.max()}" if len(venue) else "empty"
        if upto is None:
            raise InsufficientDataError(Note("crypto.no_overlap", venue=venue_name,
                                             span_market=span_m, span_venue=span_v))
        raise InsufficientDataError(Note("crypto.no_overlap_upto", venue=venue_name,
                                         span_market=span_m, span_venue=span_v,
                                         upto=str(upto)))
    both = both.loc[both.index[-1] - pd.Timedelta(days=window_days):]
    r = (both["m"] / both["v"]).to_numpy()
    n = r.size
    k = float(r.mean())
    rel_std = float(r.std(ddof=1) / k) if n > 1 else float("nan")
    if n > 2:
        loo = (r.sum() - r) / (n - 1)  # ratio without point i
        loo_err = float(np.sqrt(np.mean((loo / r - 1.0) ** 2)))
    else:
        loo_err = float("nan")
    return CoverageFit(venue_name, k, 1.0 / k, rel_std, loo_err, n, both.index[0],
                       both.index[-1])


@reads_source
def market_oi(coin: str, upto: pd.Timestamp | None = None, *,
              window_days: int = DEFAULT_COVERAGE_WINDOW_DAYS,
              source: SourceLike = None) -> tuple[pd.DataFrame, CoverageFit | None, list[str]]:
    """The market OI series of ``coin`` up to ``upto`` (a time; default everything).

    The files are read from the source's folder of files (:func:`crashlens.data.files_dir`).

    Parameters
    ----------
    coin : str
        ``BTC`` or ``ETH``.
    upto : Timestamp, optional
        Last time (UTC, tz-naive) of a value used; default everything.
    window_days : int
        Overlap days the coverage ratio is estimated on.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    frame : DataFrame
        Index ``time`` (the as-of time of each value, UTC); columns ``market_usd``,
        ``coverage`` (share of market OI observed directly, 1 for the aggregate),
        ``rel_error`` (expected relative error, 0 for the aggregate), ``source``.
    fit : CoverageFit or None
        The ratio used for the extension (None when no extension was needed or possible).
    warnings : list of str
    """
    coin = coin.upper()
    if coin not in MARKET_COINS:
        raise ParameterError(f"no market-wide OI for {coin}; available: "
                             f"{', '.join(MARKET_COINS)}")
    warns: list[str] = []
    agg = aggregate_oi(coin)
    if upto is not None:
        agg = agg.loc[:upto]
    frame = pd.DataFrame({"market_usd": agg, "coverage": 1.0, "rel_error": 0.0,
                          "source": "aggregate (all exchanges, CoinGlass)"})
    fit: CoverageFit | None = None
    try:
        ven = venue_oi(coin)
    except (InsufficientDataError, DataError) as exc:
        warns.append(wrap("crypto.no_venue_series", exc, coin=coin))
        return frame, None, warns
    if upto is not None:
        ven = ven.loc[:upto]
    after = ven[ven.index > (agg.index[-1] if len(agg) else pd.Timestamp.min)]
    if len(after):
        try:
            fit = coverage_fit(agg, ven, upto=upto, window_days=window_days,
                               venue_name=f"Binance USDT-M {coin}USDT")
        except InsufficientDataError as exc:
            warns.append(wrap("crypto.not_extended", exc, coin=coin))
            return frame, None, warns
        err = fit.loo_rel_error if np.isfinite(fit.loo_rel_error) else fit.rel_std
        if not np.isfinite(err):
            warns.append(Note("crypto.ratio_one_point", coin=coin, n=fit.n_overlap))
        elif fit.n_overlap < 5:
            warns.append(Note("crypto.ratio_few_points", coin=coin, n=fit.n_overlap))
        ext = pd.DataFrame({"market_usd": after * fit.ratio, "coverage": fit.coverage,
                            "rel_error": err,
                            "source": f"Binance USDT-M {coin}USDT x coverage ratio "
                                      f"{fit.ratio:.2f}"})
        frame = pd.concat([frame, ext])
    frame.index.name = "time"
    return frame, fit, warns


@reads_source
def oi_snapshot(coin: str, asof: pd.Timestamp, *, max_age_days: float = DEFAULT_OI_MAX_AGE_DAYS,
                window_days: int = DEFAULT_COVERAGE_WINDOW_DAYS,
                source: SourceLike = None) -> dict[str, Any]:
    """Market OI of ``coin`` as of the end of day ``asof`` (00:00 UTC the next day).

    Parameters
    ----------
    coin : str
        ``BTC`` or ``ETH``.
    asof : Timestamp
        The day; the value is the last one known at its end.
    max_age_days : float
        Largest age (days) of a value that still counts as current.
    window_days : int
        Overlap days the coverage ratio is estimated on.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    dict
        ``market_usd``, ``change_7d`` / ``change_30d`` (fractions, against the last value at
        or before 7 / 30 days earlier; None without one), ``coverage``, ``rel_error``,
        ``asof`` (time of the value, tz-naive
        UTC), ``asof_utc`` (the same as ISO text with its time),
        ``source``, ``age_days``, ``max_age_days``, ``is_current``, ``status``
        (``"current"`` or ``"stale: ..."`` with the reason), ``coverage_fit`` (or None),
        ``warnings``.
    """
    if max_age_days <= 0:
        raise ParameterError(f"max_age_days must be > 0, got {max_age_days}")
    end = pd.Timestamp(asof).normalize() + pd.Timedelta(days=1)
    frame, fit, warns = market_oi(coin, end, window_days=window_days)
    if frame.empty:
        raise InsufficientDataError(Note("crypto.market_oi_none", coin=coin, end=str(end)))
    t = frame.index[-1]
    row = frame.iloc[-1]
    age = (end - t) / pd.Timedelta(days=1)
    current = bool(age <= max_age_days)
    day = (end - pd.Timedelta(days=1)).date()
    stale = {"time": str(t), "age": float(age), "day": day, "max_age": max_age_days}
    status: str = "current" if current else Note("crypto.oi_status_stale", **stale)
    if not current:
        warns.append(Note("crypto.market_oi_stale", coin=coin, **stale))
    changes = {}
    for days in (7, 30):
        past = frame["market_usd"].loc[: t - pd.Timedelta(days=days)]
        changes[f"change_{days}d"] = (float(row["market_usd"]) / float(past.iloc[-1]) - 1.0
                                      if len(past) else None)
    return {"market_usd": float(row["market_usd"]), "coverage": float(row["coverage"]),
            **changes,
            "rel_error": float(row["rel_error"]), "asof": t,
            "asof_utc": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "source": str(row["source"]),
            "age_days": float(age), "max_age_days": max_age_days, "is_current": current,
            "status": status, "coverage_fit": fit.to_dict() if fit else None,
            "warnings": warns}


def liquidatable_share(coin: str, upto: pd.Timestamp, exclude: tuple[str, ...]
                       ) -> tuple[float, pd.Timestamp | None]:
    """Share of market OI on venues with a liquidation engine (all but ``exclude``, e.g. CME).

    Taken from the last per-exchange snapshot at or before ``upto`` (point in time).
    Returns ``(share, time)``; ``(1.0, None)`` when nothing is excluded or no snapshot exists.
    """
    if not exclude:
        return 1.0, None
    try:
        ex = by_exchange(coin).loc[:upto]
    except InsufficientDataError:
        return 1.0, None
    venues = [c for c in ex.columns if c != "PRICE"]
    ex = ex.dropna(subset=venues, how="all")
    if ex.empty:
        return 1.0, None
    last = ex.iloc[-1][venues].fillna(0.0)
    total = float(last.sum())
    out = float(sum(last.get(v, 0.0) for v in exclude))
    return (1.0 - out / total if total > 0 else 1.0), ex.index[-1]


def snapshots(coins: tuple[str, ...] | list[str], asof: pd.Timestamp, **kw: Any
              ) -> tuple[dict[str, Mapping[str, Any]], list[str]]:
    """:func:`oi_snapshot` for several coins; coins without market data give a warning."""
    out: dict[str, Mapping[str, Any]] = {}
    warns: list[str] = []
    for c in coins:
        if c.upper() not in MARKET_COINS:
            continue
        try:
            snap = oi_snapshot(c, asof, **kw)
        except InsufficientDataError as exc:
            warns.append(reason(exc))
            continue
        warns += snap.pop("warnings")
        out[c.upper()] = snap
    return out, warns


#: Daily BTC funding file (mean of the 8-h prints, Binance per its source; to 2026-02-12).
BTC_FUNDING_DAILY_FILE = "btc_funding_daily_2019_2026.csv"
_funding_bars = _cached(lambda p: cm.read_bars_4h(p, unit_scale=0.01, non_negative=False))
_daily_cols = _cached(cm.read_daily_columns)


def funding_snapshot(coin: str, asof: pd.Timestamp, *,
                     max_age_days: float = DEFAULT_OI_MAX_AGE_DAYS) -> dict[str, Any]:
    """Market funding of ``coin`` as of the end of day ``asof`` (fraction per 8 h).

    The CoinGlass OI-weighted funding across exchanges (4-hourly, to 2025-11-14; the file is
    in percent per 8 h) where it exists; for BTC after it, the daily mean of the 8-h prints of
    ``btc_funding_daily_2019_2026.csv`` (one venue). Returns ``rate_8h``, ``annualised``
    (``x 3 x 365``), ``mean_7d`` / ``mean_30d`` (of the same source), ``asof`` and ``date``
    (time of the value), ``source``,
    ``age_days``, ``is_current``, ``status``.
    """
    end = pd.Timestamp(asof).normalize() + pd.Timedelta(days=1)
    candidates: list[tuple[pd.Series, str]] = []
    try:
        bars = _funding_bars(raw_path(FUNDING_FILE, coin))
        s = pd.Series(bars["close"].to_numpy(), index=bars.index + cm.BAR)
        candidates.append((s.loc[:end], "OI-weighted across exchanges (CoinGlass, 4-h)"))
    except InsufficientDataError:
        pass
    if coin.upper() == "BTC":
        try:
            d = _daily_cols(raw_path(BTC_FUNDING_DAILY_FILE), ("funding_mean",))
            s = d["funding_mean"].dropna()
            s.index = s.index + pd.Timedelta(days=1)  # a day's mean is known at its end
            candidates.append((s.loc[:end], "daily mean of the 8-h prints (one venue)"))
        except InsufficientDataError:
            pass
    candidates = [(s, src) for s, src in candidates if len(s)]
    if not candidates:
        raise InsufficientDataError(Note("crypto.market_funding_none", coin=coin,
                                         end=str(end)))
    s, src = max(candidates, key=lambda c: c[0].index[-1])  # the most recent source
    t = s.index[-1]
    age = (end - t) / pd.Timedelta(days=1)
    current = bool(age <= max_age_days)
    status: str = "current" if current else Note(
        "crypto.funding_status_stale", time=str(t), age=float(age), max_age=max_age_days)
    last = float(s.iloc[-1])
    return {"rate_8h": last, "annualised": last * 3 * 365,
            "mean_7d": float(s.loc[t - pd.Timedelta(days=7):].mean()),
            "mean_30d": float(s.loc[t - pd.Timedelta(days=30):].mean()), "asof": t, "date": t,
            "asof_utc": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "source": src,
            "age_days": float(age), "max_age_days": max_age_days, "is_current": current,
            "status": status}
