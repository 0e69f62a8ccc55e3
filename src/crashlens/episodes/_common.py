"""Helpers shared by the episodes modules: date validation, data access, asset groups."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crashlens._dates import DateLike, to_timestamp
from crashlens.errors import (
    CrashlensError,
    InsufficientDataError,
    ParameterError,
    UnknownSeriesError,
)
from crashlens.notes import Note

#: Single stocks of the catalog: the only "constituents" available for breadth.
SINGLE_STOCKS: tuple[str, ...] = (
    "NVDA", "GOOG", "MSFT", "AMZN", "META", "TSLA", "COIN", "PLTR", "MSTR",
)
#: Assets trading seven days a week (annualised with 365 periods).
CRYPTO: frozenset[str] = frozenset({"BTC", "ETH"})
#: Volatility (and tail) indices: quoted in points, never ranked with prices as winners or
#: losers; the anatomy reports them in their own table (change in points and percent) and the
#: scenario engine propagates them in log space like prices (a level must stay positive).
VOL_INDICES: tuple[str, ...] = (
    "VIX", "VIX1D", "VIX9D", "VIX3M", "VIX6M", "VVIX", "VXN", "GVZ", "MOVE", "SKEW",
)
#: Daily level series (yields, spreads, policy rates): reported as changes in basis points.
LEVEL_SERIES: tuple[str, ...] = (
    "UST3M", "UST2Y", "UST5Y", "UST10Y", "UST30Y", "EFFR", "SOFR", "HY_OAS", "IG_OAS",
    "T10YIE",
)


def check_window(start: DateLike, end: DateLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Validate an inclusive ``[start, end]`` window."""
    lo, hi = to_timestamp(start, "start"), to_timestamp(end, "end")
    if lo > hi:
        raise ParameterError(f"start {lo.date()} is after end {hi.date()}")
    return lo, hi


def load_close(name: str, start: DateLike = None, end: DateLike = None) -> pd.Series:
    """Close (or value) of a catalog series without NaN, float64, sorted."""
    from crashlens import data

    s = data.close(name, start, end).dropna().astype(float).sort_index()
    s.index = pd.DatetimeIndex(s.index)
    return s


def price_assets() -> list[str]:
    """Every price-kind series of the catalog held by the active source, in catalog order.

    A catalog series the source lacks (its raw file absent, a synthetic market that does not
    script it, a frames source without it) is not a default asset: asking for it by name still
    raises.
    """
    from crashlens import data
    from crashlens.data.schema import Kind

    held = set(data.names())
    return [n for n, sp in data.catalog().items() if sp.kind is Kind.PRICE and n in held]


def held_split(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """``names`` split into those the active source holds and those it lacks (order kept)."""
    from crashlens import data

    held = set(data.names())
    return [n for n in names if n in held], [n for n in names if n not in held]


def optional_close(name: str, start: DateLike, end: DateLike,
                   missing: list[str]) -> pd.Series:
    """Close of an optional input series; empty when the active source does not hold it.

    A series the source lacks is added to ``missing``. Used for context series (breadth
    stocks, yields, cross-asset columns) that an engine can do without; the series an engine
    cannot do without are read with :func:`load_close`, which raises
    :class:`~crashlens.errors.UnknownSeriesError` naming the series.
    """
    from crashlens import data

    if name not in set(data.names()):
        if name not in missing:
            missing.append(name)
        return pd.Series(dtype=float, index=pd.DatetimeIndex([], name="date"), name=name)
    return load_close(name, start, end)


def missing_note(missing: Sequence[str]) -> tuple[str, ...]:
    """``(Note "not in the data source, left out: ..."),`` when ``missing`` is not empty."""
    return (Note("episodes.not_in_source", series=", ".join(missing)),) if missing else ()


def validate_assets(names: Sequence[str], what: str = "asset") -> list[str]:
    """Upper-case catalog names; raises UnknownSeriesError naming the first unknown one."""
    from crashlens import data

    cat = data.catalog()
    out = []
    for n in names:
        key = str(n).strip().upper()
        if key not in cat:
            raise UnknownSeriesError(str(n), cat, kind=what)
        out.append(key)
    return out


def synthetic_warning() -> tuple[str, ...]:
    """``("SYNTHETIC DATA ...",)`` when the store holds the synthetic market, else ``()``."""
    from crashlens import data

    try:
        synthetic = data.is_synthetic()
    except CrashlensError:  # pragma: no cover - a broken store is reported by the data calls
        return ()
    return (Note("episodes.synthetic"),) if synthetic else ()


def trading_days(index: pd.DatetimeIndex, lo: pd.Timestamp, hi: pd.Timestamp,
                 asset: str) -> pd.DatetimeIndex:
    """Dates of ``index`` inside ``[lo, hi]``; InsufficientDataError when there are none."""
    inside = index[(index >= lo) & (index <= hi)]
    if inside.empty:
        raise InsufficientDataError(
            f"window {lo.date()}..{hi.date()} holds no trading day of {asset}"
        )
    return inside


def finite_or_none(x: float) -> float | None:
    """A float, or None for NaN/inf (for JSON and summaries)."""
    return float(x) if x is not None and np.isfinite(x) else None


def sample_on(series: pd.Series, dates: pd.DatetimeIndex, max_gap_days: int = 4) -> pd.Series:
    """Last value of ``series`` on or before each date, at most ``max_gap_days`` stale."""
    s = series.sort_index()
    return s.reindex(dates, method="ffill", tolerance=pd.Timedelta(days=max_gap_days))
