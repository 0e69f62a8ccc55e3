"""Positioning crowding from the CFTC Commitments of Traders, and the volatility regime.

Crowding: for each futures market, the speculative net position of the report's
trend-following category (leveraged funds in the Traders-in-Financial-Futures report, managed
money in the Disaggregated report) as a share of open interest, ranked against its own trailing
history (percentile 0..100, no look-ahead). A report dated Tuesday is public the following
Friday: it is used only from ``release_lag_days`` (default 3) after its date.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crashlens import data
from crashlens.data.source import SourceLike, is_store, reads_source
from crashlens.errors import InsufficientDataError, ParameterError, UnknownSeriesError
from crashlens.notes import Note
from crashlens.systemic._kernels import trailing_percentile

#: Default markets for crowding (catalog names COT_<code>).
DEFAULT_MARKETS: tuple[str, ...] = ("ES", "NQ", "RTY", "ZN", "GC", "SI", "HG", "CL", "BTC")


def net_positioning(cot: pd.DataFrame) -> pd.Series:
    """Speculative net position as a fraction of open interest.

    Uses ``lev_funds_long/_short`` when present (TFF report), else
    ``managed_money_long/_short`` (Disaggregated report).
    """
    for cat in ("lev_funds", "managed_money"):
        lo, sh = f"{cat}_long", f"{cat}_short"
        if lo in cot.columns and sh in cot.columns:
            oi = cot["open_interest"].where(cot["open_interest"] > 0)
            return ((cot[lo] - cot[sh]) / oi).rename(cat)
    raise InsufficientDataError(
        f"COT frame has neither lev_funds_* nor managed_money_* columns: {list(cot.columns)}")


def _absent_cot(series: str) -> Note:
    """The note for a COT series the active source does not hold (the store or another)."""
    if is_store():
        return Note("systemic.cot_absent", series=series)
    return Note("systemic.cot_absent_source", series=series, source=data.active().label)


@reads_source
def crowding_history(markets: Sequence[str] = DEFAULT_MARKETS, end: pd.Timestamp | None = None,
                     *, lookback_weeks: int = 156, min_weeks: int = 26,
                     release_lag_days: int = 3, source: SourceLike = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Weekly net positioning percentile per market.

    Parameters
    ----------
    markets : sequence of str
        COT market codes (``"ES"``, ``"GC"`` ...).
    end : Timestamp, optional
        As-of date: reports released after it are ignored.
    lookback_weeks : int
        Trailing weeks ranked against (default 156 = 3 years; the raw file starts 2024-01).
    min_weeks : int
        Fewest reports before a percentile is given.
    release_lag_days : int
        Days from the report date (Tuesday) to its public release.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    percentiles : DataFrame
        Index = release dates, one column per market, 0..100 (100 = most net long ever seen).
    nets : DataFrame
        The net positions as fractions of open interest, same shape.
    warnings : list of str
    """
    if lookback_weeks < min_weeks or min_weeks < 2:
        raise ParameterError(f"need 2 <= min_weeks <= lookback_weeks, got {min_weeks}, "
                             f"{lookback_weeks}")
    cols = {}
    nets = {}
    warns: list[str] = []
    short: list[str] = []
    for m in markets:
        try:
            cot = data.get(f"COT_{m.upper()}")
        except UnknownSeriesError:
            warns.append(_absent_cot(f"COT_{m.upper()}"))
            continue
        cot.index = cot.index + pd.Timedelta(days=release_lag_days)
        if end is not None:
            cot = cot.loc[:end]
        net = net_positioning(cot).dropna()
        if len(net) < min_weeks:
            short.append(f"{m.upper()} ({len(net)})")
            continue
        nets[m.upper()] = net
        cols[m.upper()] = pd.Series(
            trailing_percentile(net.to_numpy(), min_weeks, lookback_weeks), index=net.index)
    if short:
        markets_text = ", ".join(short)
        warns.append(Note("systemic.cot_short", min_weeks=min_weeks, end=end.date(),
                          markets=markets_text) if end is not None else
                     Note("systemic.cot_short_any", min_weeks=min_weeks, markets=markets_text))
    return pd.DataFrame(cols), pd.DataFrame(nets), warns


def crowding_score(percentiles: pd.Series) -> float:
    """One-sidedness of positioning, 0..100: mean of ``|pct - 50| * 2`` over markets."""
    p = percentiles.dropna()
    if p.empty:
        return float("nan")
    return float((np.abs(p - 50.0) * 2.0).mean())


@reads_source
def vol_regime_history(end: pd.Timestamp | None = None, *, calm_below: float = 15.0,
                       elevated_above: float = 20.0, stress_above: float = 30.0,
                       source: SourceLike = None) -> pd.DataFrame:
    """VIX level, its percentile (since 1990, no look-ahead), VIX/VIX3M and a regime label.

    Parameters
    ----------
    end : Timestamp, optional
        As-of date: nothing after it is read.
    calm_below, elevated_above, stress_above : float
        VIX levels (points) separating the calm / normal / elevated / stress regimes.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    DataFrame
        Columns ``vix``, ``vix3m``, ``vix_percentile``, ``term_ratio`` (VIX / VIX3M; > 1 is
        backwardation, a stress sign), ``regime`` (calm / normal / elevated / stress).
    """
    if not calm_below < elevated_above < stress_above:
        raise ParameterError("need calm_below < elevated_above < stress_above")
    vix = data.close("VIX", None, end).dropna()
    if vix.empty:
        raise InsufficientDataError(f"no VIX data up to {end}")
    v3 = data.close("VIX3M", None, end).reindex(vix.index)
    out = pd.DataFrame({"vix": vix, "vix3m": v3})
    out["vix_percentile"] = trailing_percentile(vix.to_numpy(), 250)
    out["term_ratio"] = out["vix"] / out["vix3m"]
    lab = np.select([vix < calm_below, vix < elevated_above, vix < stress_above],
                    ["calm", "normal", "elevated"], "stress")
    out["regime"] = lab
    return out
