"""Anatomy of a sell-off window: what every asset did between two dates.

Conventions
-----------
* The window ``[start, end]`` is inclusive. Each asset is measured on its own calendar (crypto
  trades on weekends, futures on some US holidays).
* The **base** close is the asset's last close strictly before ``start``; the window return is
  ``close(last day in window) / base - 1``, so a one-day window gives that day's return.
* Max drawdown inside the window runs over ``[base] + window closes``.
* Realised vol: annualised sample std (ddof=1) of daily log returns inside the window versus the
  ``vol_lookback`` returns ending at the base close (``periods_per_year`` 252, 365 for crypto).
* σ-move (the ranking): ``log(end / base) / (σ_d sqrt(n))`` with ``σ_d`` the sample std of the
  ``sigma_lookback`` daily log returns ending at the base close and ``n`` the asset's returns in
  the window, so a 5 % fall of a stock with 3 % daily vol ranks below a 3 % fall of the index.
* Volatility indices (VIX, VXN, GVZ, MOVE ...) are not ranked with prices: their own table gives
  the change in points (and percent). Yields and spreads: change in basis points.
* Correlations use returns (yield *changes* for level series) sampled on the market calendar
  (S&P 500 trading days; other assets take their last close at most 4 days stale).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crashlens._result import Result
from crashlens.data.source import SourceLike, reads_source
from crashlens.episodes import _kernels as K
from crashlens.episodes._common import (
    CRYPTO,
    LEVEL_SERIES,
    SINGLE_STOCKS,
    VOL_INDICES,
    DateLike,
    check_window,
    finite_or_none,
    held_split,
    load_close,
    missing_note,
    optional_close,
    price_assets,
    sample_on,
    synthetic_warning,
    trading_days,
    validate_assets,
)
from crashlens.errors import ParameterError
from crashlens.notes import Note

#: S&P 500 divisor (USD of float-adjusted market cap per index point). S&P DJI factsheets put the
#: float-adjusted cap of the S&P 500 near USD 57 tn at an index level near 6,690 (2025-09-30),
#: i.e. about 8.5e9; 2020-2025 factsheets range 8.4e9..8.9e9 (buybacks and issuance move it).
SPX_DIVISOR = 8.6e9
SPX_DIVISOR_SOURCE = (
    "approximation: S&P DJI float-adjusted S&P 500 market cap / index level, 2020-2025 "
    "factsheets (8.4e9..8.9e9 USD per point); pass divisor= for a dated value"
)
#: Bitcoin supply used to turn a price move into market value (coins, late 2025).
BTC_SUPPLY = 19.9e6
DEFAULT_CORR_ASSETS: tuple[str, ...] = (
    "SPX", "NDX", "BTC", "GOLD", "SILVER", "DXY", "UST10Y", "WTI", "HYG",
)


@dataclasses.dataclass(frozen=True)
class AnatomyResult(Result):
    """Cross-asset anatomy of a window.

    Attributes
    ----------
    start, end : Timestamp
        The requested window (inclusive).
    market_days : int
        S&P 500 trading days inside the window.
    assets : DataFrame
        One row per priced asset (volatility indices excluded) with data in the window, ranked
        by ``sigma_move`` (largest fall first): ``asset, first_date, last_date, n_days,
        base_close, end_close, return, sigma_move, max_drawdown, dd_peak_date,
        dd_trough_date, worst_day_return, worst_day_date, vol_before, vol_window,
        vol_change`` (returns and vols as fractions, annualised vols; ``sigma_move`` in units
        of the daily σ scaled to the window).
    vol_indices : DataFrame
        Volatility indices: ``series, base, end, change_pt (points), change_pct (fraction),
        max, min`` (index points).
    levels : DataFrame
        Daily level series (yields, spreads): ``series, base, end, change_bp, max, min``.
    correlation : dict
        ``assets``, ``before`` and ``window`` correlation matrices (lists of lists),
        ``avg_pairwise_before``, ``avg_pairwise_window``, ``avg_pairwise_change``,
        ``corr_to_spx_before``/``_window`` and the number of returns in each.
    breadth : dict
        Over the catalog's single stocks: ``n``, ``n_down``, ``frac_down``,
        ``median_return``, ``n_below_50dma``, ``frac_below_50dma``, ``n_drawdown_10pct``.
    market_value : dict
        Market value lost (USD) from the S&P 500 divisor model and the Bitcoin supply model,
        with ``covers`` / ``does_not_cover`` statements.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    market_days: int
    assets: pd.DataFrame
    vol_indices: pd.DataFrame
    levels: pd.DataFrame
    correlation: Mapping[str, Any]
    breadth: Mapping[str, Any]
    market_value: Mapping[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """The per-asset table, indexed by asset."""
        return self.assets.set_index("asset")

    def summary(self) -> str:
        """Window, every priced asset ranked by σ-move, vol indices (pt), yields/spreads (bp)."""
        lines = [f"Anatomy {self.start.date()} .. {self.end.date()} "
                 f"({self.market_days} S&P 500 session{'' if self.market_days == 1 else 's'})",
                 f"  ranked by σ-move = log return / (σ of "
                 f"{self.assumptions.get('sigma_lookback')} daily returns before x sqrt(days))",
                 f"  {'asset':<8} {'return':>8} {'σ-move':>7} {'max DD':>8}   worst day"]
        a = self.assets.dropna(subset=["return"]) if not self.assets.empty else self.assets
        for _, r in a.iterrows():
            sig = f"{r['sigma_move']:+7.1f}" if np.isfinite(r["sigma_move"]) else f"{'n/a':>7}"
            lines.append(f"  {r['asset']:<8} {100 * r['return']:+7.2f}% {sig} "
                         f"{100 * r['max_drawdown']:+7.2f}%   "
                         f"{100 * r['worst_day_return']:+6.2f}% "
                         f"({pd.Timestamp(r['worst_day_date']).date()})")
        if not self.vol_indices.empty:
            lines.append("  volatility indices (points)")
            for _, r in self.vol_indices.iterrows():
                lines.append(f"  {r['series']:<8} {r['base']:7.2f} -> {r['end']:7.2f}   "
                             f"{r['change_pt']:+6.2f} pt ({100 * r['change_pct']:+.1f}%)   "
                             f"high {r['max']:.2f}")
        if not self.levels.empty:
            lines.append("  yields and spreads (percent; change in bp)")
            for _, r in self.levels.iterrows():
                lines.append(f"  {r['series']:<8} {r['base']:7.2f} -> {r['end']:7.2f}   "
                             f"{r['change_bp']:+6.0f} bp")
        mv = self.market_value
        if mv.get("spx_value_lost_usd") is not None:
            lines.append(f"  S&P 500 market value lost: {mv['spx_value_lost_usd'] / 1e12:.2f} tn "
                         f"USD (peak to trough inside: "
                         f"{mv['spx_value_lost_peak_to_trough_usd'] / 1e12:.2f} tn)")
        c = self.correlation
        if c.get("avg_pairwise_window") is not None and c.get("avg_pairwise_before") is not None:
            lines.append(f"  avg pairwise correlation {c['avg_pairwise_before']:.2f} -> "
                         f"{c['avg_pairwise_window']:.2f}")
        b = self.breadth
        if b.get("n"):
            lines.append(f"  breadth: {b['n_down']} of {b['n']} single stocks down")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def plot_returns(self) -> Any:
        """Bar chart of window returns and max drawdowns by asset (plotly Figure)."""
        import plotly.graph_objects as go

        a = self.assets.dropna(subset=["return"]).sort_values("return")
        fig = go.Figure()
        fig.add_bar(x=a["asset"], y=100 * a["return"], name="window return %")
        fig.add_bar(x=a["asset"], y=100 * a["max_drawdown"], name="max drawdown %")
        fig.update_layout(title=f"Anatomy {self.start.date()} .. {self.end.date()}",
                          barmode="group", yaxis_title="%")
        return fig


def _asset_row(name: str, s: pd.Series, lo: pd.Timestamp, hi: pd.Timestamp,
               vol_lookback: int, ppy: float, sigma_lookback: int) -> dict[str, Any] | None:
    win = s[(s.index >= lo) & (s.index <= hi)]
    if win.empty:
        return None
    before = s[s.index < lo]
    has_base = not before.empty
    path = np.concatenate([[before.iloc[-1]], win.to_numpy()]) if has_base else win.to_numpy()
    dates = ([before.index[-1]] if has_base else []) + list(win.index)
    if np.any(path <= 0):
        return None
    mdd, ip, it = K.max_drawdown(path)
    rets = path[1:] / path[:-1] - 1.0
    worst = int(np.argmin(rets)) if rets.size else -1
    logr_in = np.log(path[1:] / path[:-1])
    pre = before.to_numpy()[-(vol_lookback + 1):]
    vol_before = K.annualised_vol(np.log(pre[1:] / pre[:-1]), ppy) if pre.size > 2 else np.nan
    vol_win = K.annualised_vol(logr_in, ppy)
    hist = before.to_numpy()[-(sigma_lookback + 1):]
    sd = float(np.std(np.diff(np.log(hist)), ddof=1)) if hist.size > 10 else np.nan
    sigma_move = (float(np.log(path[-1] / path[0])) / (sd * np.sqrt(len(win)))
                  if has_base and sd > 0 else np.nan)
    return {
        "asset": name,
        "first_date": win.index[0],
        "last_date": win.index[-1],
        "n_days": len(win),
        "base_date": before.index[-1] if has_base else pd.NaT,
        "base_close": float(path[0]) if has_base else np.nan,
        "end_close": float(path[-1]),
        "return": float(path[-1] / path[0] - 1.0) if has_base else np.nan,
        "sigma_move": sigma_move,
        "max_drawdown": mdd,
        "dd_peak_date": dates[ip],
        "dd_trough_date": dates[it],
        "worst_day_return": float(rets[worst]) if worst >= 0 else np.nan,
        "worst_day_date": dates[worst + 1] if worst >= 0 else pd.NaT,
        "vol_before": vol_before,
        "vol_window": vol_win,
        "vol_change": vol_win - vol_before,
    }


def _correlations(assets: Sequence[str], series: Mapping[str, pd.Series],
                  market_dates: pd.DatetimeIndex, lo: pd.Timestamp, hi: pd.Timestamp,
                  lookback: int, min_corr_returns: int = 10) -> tuple[dict[str, Any], list[str]]:
    warnings: list[str] = []
    cols = {}
    for a in assets:
        if a not in series:
            continue
        x = sample_on(series[a], market_dates)
        cols[a] = x.diff() if a in LEVEL_SERIES else x.pct_change(fill_method=None)
    rets = pd.DataFrame(cols, index=market_dates)
    in_win = (rets.index >= lo) & (rets.index <= hi)
    i0 = int(np.argmax(in_win)) if in_win.any() else len(rets)
    win = rets[in_win]
    pre = rets.iloc[max(i0 - lookback, 1):i0]
    keep = [c for c in rets.columns if win[c].notna().sum() >= 2 and pre[c].notna().sum() >= 2]
    dropped = sorted(set(cols) - set(keep))
    if dropped:
        warnings.append(Note("episodes.corr_dropped", assets=", ".join(dropped)))
    if len(win) < min_corr_returns:
        n = len(win)
        warnings.append(Note("episodes.corr_noisy_one" if n == 1 else "episodes.corr_noisy",
                             n=n, min_n=min_corr_returns))
    cb = pre[keep].corr(min_periods=2)
    cw = win[keep].corr(min_periods=2)

    def avg(m: pd.DataFrame) -> float | None:
        v = m.to_numpy()
        if v.shape[0] < 2:
            return None
        off = v[~np.eye(v.shape[0], dtype=bool)]
        off = off[np.isfinite(off)]
        return float(off.mean()) if off.size else None

    ab, aw = avg(cb), avg(cw)
    out: dict[str, Any] = {
        "assets": keep,
        "before": cb.to_numpy().tolist(),
        "window": cw.to_numpy().tolist(),
        "n_before": len(pre),
        "n_window": len(win),
        "avg_pairwise_before": ab,
        "avg_pairwise_window": aw,
        "avg_pairwise_change": (aw - ab) if ab is not None and aw is not None else None,
    }
    if "SPX" in keep:
        out["corr_to_spx_before"] = {k: finite_or_none(v) for k, v in cb["SPX"].items()}
        out["corr_to_spx_window"] = {k: finite_or_none(v) for k, v in cw["SPX"].items()}
    return out, warnings


def _breadth(rows: pd.DataFrame, series: Mapping[str, pd.Series], hi: pd.Timestamp,
             ma_days: int) -> dict[str, Any]:
    sub = rows[rows["asset"].isin(SINGLE_STOCKS)].dropna(subset=["return"])
    if sub.empty:
        return {"n": 0, "universe": list(SINGLE_STOCKS)}
    below = 0
    n_ma = 0
    for a in sub["asset"]:
        s = series[a]
        s = s[s.index <= hi]
        if len(s) >= ma_days:
            n_ma += 1
            below += int(s.iloc[-1] < s.iloc[-ma_days:].mean())
    return {
        "universe": list(SINGLE_STOCKS),
        "n": len(sub),
        "n_down": int((sub["return"] < 0).sum()),
        "frac_down": float((sub["return"] < 0).mean()),
        "median_return": float(sub["return"].median()),
        "n_with_ma": n_ma,
        "n_below_50dma": below,
        "frac_below_50dma": below / n_ma if n_ma else None,
        "n_drawdown_10pct": int((sub["max_drawdown"] <= -0.10).sum()),
        "note": "breadth over the catalog's single stocks (mega-cap tech and crypto-linked "
                "names), not over the index constituents",
    }


@reads_source
def anatomy(
    start: DateLike,
    end: DateLike,
    *,
    assets: Sequence[str] | None = None,
    vol_lookback: int = 20,
    sigma_lookback: int = 250,
    corr_lookback: int = 60,
    corr_assets: Sequence[str] = DEFAULT_CORR_ASSETS,
    ma_days: int = 50,
    divisor: float = SPX_DIVISOR,
    divisor_source: str = SPX_DIVISOR_SOURCE,
    btc_supply: float = BTC_SUPPLY,
    periods_per_year: float = 252.0,
    crypto_periods_per_year: float = 365.0,
    source: SourceLike = None,
) -> AnatomyResult:
    """Measure what every asset did over ``[start, end]``.

    Parameters
    ----------
    start, end : str or Timestamp
        Inclusive window. Must contain at least one S&P 500 trading day.
    assets : sequence of str, optional
        Catalog price series to cover; default every price series of the catalog. Volatility
        indices among them go to ``vol_indices``, not into the ranking.
    vol_lookback : int
        Returns before the window used for the "before" realised vol (default 20).
    sigma_lookback : int
        Daily log returns before the window whose std scales the σ-move (default 250, about
        one year of sessions).
    corr_lookback : int
        Market-calendar returns before the window for the "before" correlations (default 60).
    corr_assets : sequence of str
        Assets of the cross-asset correlation block (yields enter as daily changes).
    ma_days : int
        Moving-average length of the breadth "below its MA" count (default 50).
    divisor : float
        USD of S&P 500 float-adjusted market cap per index point (default 8.6e9).
    divisor_source : str
        Where the divisor comes from (printed in the assumptions).
    btc_supply : float
        Bitcoin units outstanding for the BTC market value line (default 19.9e6).
    periods_per_year, crypto_periods_per_year : float
        Annualisation of realised vol (252 exchange days; 365 for BTC and ETH).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Only SPX (the market calendar) and the named
        ``assets`` are required; context series the source lacks (breadth stocks, yields,
        default correlation assets) are left out with a note naming them.

    Returns
    -------
    AnatomyResult

    Raises
    ------
    ParameterError
        ``start`` after ``end``, non-positive parameters.
    InsufficientDataError
        The window holds no S&P 500 trading day.
    UnknownSeriesError
        An unknown asset name, or SPX or a named asset the source does not hold.
    """
    lo, hi = check_window(start, end)
    for pname, val in (("vol_lookback", vol_lookback), ("sigma_lookback", sigma_lookback),
                       ("corr_lookback", corr_lookback),
                       ("ma_days", ma_days), ("divisor", divisor), ("btc_supply", btc_supply)):
        if not val > 0:
            raise ParameterError(f"{pname} must be positive, got {val}")
    names = validate_assets(assets) if assets is not None else price_assets()
    from crashlens.data import catalog
    from crashlens.data.schema import Kind

    priced = {n for n, sp in catalog().items() if sp.kind is Kind.PRICE}
    not_priced = [n for n in names if n not in priced]
    names = [n for n in names if n in priced]
    corr_names = validate_assets(corr_assets)
    absent: list[str] = []  # context series the source does not hold (left out, noted)
    if tuple(corr_assets) == DEFAULT_CORR_ASSETS:  # the default block: the series held
        corr_names, lacking = held_split(corr_names)
        absent.extend(lacking)
    buffer_days = int(1.6 * max(vol_lookback, sigma_lookback, corr_lookback, ma_days)) + 15
    fetch_lo = lo - pd.Timedelta(days=buffer_days)

    spx = load_close("SPX", fetch_lo, hi)
    market_dates = pd.DatetimeIndex(spx.index)
    days = trading_days(market_dates, lo, hi, "SPX (the market calendar)")

    warnings: list[str] = list(synthetic_warning())
    series: dict[str, pd.Series] = {"SPX": spx}
    rows = []
    stock_rows = []
    no_data = []
    vol_rows = []
    for name in [n for n in names if n in VOL_INDICES]:
        vs = load_close(name, fetch_lo, hi)
        win = vs[(vs.index >= lo) & (vs.index <= hi)]
        prev = vs[vs.index < lo]
        if win.empty or prev.empty:
            no_data.append(name)
            continue
        b0, b1 = float(prev.iloc[-1]), float(win.iloc[-1])
        vol_rows.append({"series": name, "base": b0, "end": b1, "change_pt": b1 - b0,
                         "change_pct": b1 / b0 - 1.0, "max": float(win.max()),
                         "min": float(win.min())})
    for name in dict.fromkeys([*(n for n in names if n not in VOL_INDICES), *SINGLE_STOCKS]):
        s = series.get(name)
        if s is None:
            # a named asset must be there; a breadth stock the source lacks is left out
            s = load_close(name, fetch_lo, hi) if name in names else \
                optional_close(name, fetch_lo, hi, absent)
            if name in absent:
                continue
            series[name] = s
        ppy = crypto_periods_per_year if name in CRYPTO else periods_per_year
        row = _asset_row(name, s, lo, hi, vol_lookback, ppy, sigma_lookback)
        if row is None:
            if name in names:
                no_data.append(name)
            continue
        if name in SINGLE_STOCKS:
            stock_rows.append(row)
        if name in names:
            rows.append(row)
    if no_data:
        warnings.append(Note("episodes.no_data_in_window", assets=", ".join(no_data)))
    off_table = [n for n in not_priced if n not in LEVEL_SERIES]
    if off_table:
        warnings.append(Note("episodes.not_price_series", assets=", ".join(off_table)))
    table = pd.DataFrame(rows)
    if not table.empty:
        table = table.sort_values("sigma_move", kind="stable", na_position="last",
                                  ignore_index=True)
    if not table.empty and table["return"].isna().any():
        miss = ", ".join(table.loc[table["return"].isna(), "asset"])
        warnings.append(Note("episodes.no_base_close", assets=miss))

    level_rows = []
    for name in LEVEL_SERIES:
        s = optional_close(name, fetch_lo, hi, absent)
        if name in absent:
            continue
        series[name] = s
        win = s[(s.index >= lo) & (s.index <= hi)]
        prev = s[s.index < lo]
        if win.empty or prev.empty:
            continue
        level_rows.append({"series": name, "base": float(prev.iloc[-1]),
                           "end": float(win.iloc[-1]),
                           "change_bp": 100.0 * float(win.iloc[-1] - prev.iloc[-1]),
                           "max": float(win.max()), "min": float(win.min())})
    for name in corr_names:
        if name not in series:
            series[name] = load_close(name, fetch_lo, hi)

    corr, cw = _correlations(corr_names, series, market_dates, lo, hi, corr_lookback)
    warnings.extend(cw)
    warnings.extend(missing_note(absent))
    breadth = _breadth(pd.DataFrame(stock_rows), series, hi, ma_days) if stock_rows else {
        "n": 0, "universe": list(SINGLE_STOCKS)}

    mv: dict[str, Any] = {
        "divisor": divisor,
        "divisor_source": divisor_source,
        "btc_supply": btc_supply,
        "covers": "S&P 500 float-adjusted market cap (about 80 % of US listed equity value), "
                  "estimated as index level x divisor; Bitcoin as price x supply",
        "does_not_cover": "US stocks outside the S&P 500, non-US equities, other crypto, bonds "
                          "and commodities; intraday extremes; divisor drift since its date",
    }
    spx_row = table[table["asset"] == "SPX"] if not table.empty else table
    if not spx_row.empty and np.isfinite(spx_row["base_close"].iloc[0]):
        r = spx_row.iloc[0]
        win = spx[(spx.index >= lo) & (spx.index <= hi)]
        path = np.concatenate([[r["base_close"]], win.to_numpy()])
        _, ip, it = K.max_drawdown(path)
        mv["spx_base_level"] = float(r["base_close"])
        mv["spx_end_level"] = float(r["end_close"])
        mv["spx_value_lost_usd"] = divisor * float(r["base_close"] - r["end_close"])
        mv["spx_value_lost_peak_to_trough_usd"] = divisor * float(path[ip] - path[it])
    btc_row = table[table["asset"] == "BTC"] if not table.empty else table
    if not btc_row.empty and np.isfinite(btc_row["base_close"].iloc[0]):
        r = btc_row.iloc[0]
        mv["btc_value_lost_usd"] = btc_supply * float(r["base_close"] - r["end_close"])

    assumptions = {
        "window_convention": "inclusive; return from the last close before start",
        "vol_lookback": vol_lookback, "sigma_lookback": sigma_lookback,
        "sigma_move": "log(end/base) / (std of daily log returns before the window x "
                      "sqrt(returns in the window))",
        "vol_indices": "reported in points in their own table, not ranked",
        "corr_lookback": corr_lookback,
        "corr_assets": list(corr_names), "ma_days": ma_days, "divisor": divisor,
        "divisor_source": divisor_source, "btc_supply": btc_supply,
        "periods_per_year": periods_per_year, "crypto_periods_per_year": crypto_periods_per_year,
        "market_calendar": "SPX trading days",
    }
    return AnatomyResult(
        start=lo, end=hi, market_days=len(days), assets=table,
        vol_indices=pd.DataFrame(vol_rows),
        levels=pd.DataFrame(level_rows), correlation=corr, breadth=breadth, market_value=mv,
        assumptions=assumptions, warnings=tuple(warnings),
    )
