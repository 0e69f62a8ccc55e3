"""Input validation and the catalog convenience layer of the CTA engine.

Prices arrive either as pandas objects supplied by the caller (any data) or from the active
source (:func:`crashlens.data.close`: the store, or the ``source=`` of the engine call);
universe members that source does not hold are left out of the book with a note naming them.
Yields (``UST10Y`` ...) become bond-future price proxies::

    P_t = 100 exp(-D (y_t - y_ref) / 100)

with the modified duration ``D`` of ``CTAParams.yield_durations`` (8 for the 10-year: a par
bond at ~4 %; carry, roll-down and convexity ignored) and ``y_ref`` the first yield used.
Prices and triggers of such assets are reported back in yield units.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from crashlens.cta.params import CTAParams
from crashlens.errors import CrashlensError, DataError, UnknownSeriesError
from crashlens.notes import Note


@dataclasses.dataclass(frozen=True)
class YieldQuote:
    """How a yield-quoted asset maps to its price proxy."""

    duration: float
    y_ref: float

    def to_yield(self, price: float) -> float:
        """Yield (%) of a proxy price."""
        if not (price > 0 and math.isfinite(price)):
            return math.nan
        return self.y_ref - 100.0 * math.log(price / 100.0) / self.duration


def yield_to_price(y: pd.Series, duration: float) -> tuple[pd.Series, YieldQuote]:
    """Bond-future price proxy of a yield series (percent).

    Parameters
    ----------
    y : Series
        Yields in percent.
    duration : float
        Modified duration in years.

    Returns
    -------
    proxy : Series
        ``100 exp(-D (y - y_0) / 100)``.
    quote : YieldQuote
    """
    y = y.dropna()
    if y.empty:
        raise DataError("yield series is empty")
    y_ref = float(y.iloc[0])
    return 100.0 * np.exp(-duration * (y - y_ref) / 100.0), YieldQuote(duration, y_ref)


def clean_prices(name: str, prices: pd.Series, params: CTAParams,
                 warnings: list[str], gap_since: pd.Timestamp | None = None,
                 until: pd.Timestamp | None = None) -> pd.Series:
    """Validate one asset's closes and drop its missing days.

    NaN closes are treated as days the asset did not trade (calendars differ: crypto trades
    weekends); a gap of more than ``max_gap_days`` calendar days between closes (after
    ``gap_since``, up to ``until``, when given) adds a warning.

    Raises
    ------
    DataError
        Non-date index, duplicated dates, non-numeric, infinite or non-positive closes (the
        message names the asset and the date).
    """
    s = prices
    if not isinstance(s.index, pd.DatetimeIndex):
        try:
            s = s.copy()
            s.index = pd.DatetimeIndex(pd.to_datetime(s.index))
        except (ValueError, TypeError) as exc:
            raise DataError(f"{name}: the index must hold dates", column=name) from exc
    if s.index.tz is not None:
        s = s.tz_localize(None)
    try:
        s = s.astype(np.float64)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{name}: closes must be numeric", column=name) from exc
    if s.index.has_duplicates:
        dup = s.index[s.index.duplicated()][0]
        raise DataError(f"{name}: duplicated date", column=name, row=str(dup.date()))
    if not s.index.is_monotonic_increasing:
        s = s.sort_index()
    s = s.dropna()
    if s.empty:
        raise DataError(f"{name}: no closes (all missing)", column=name)
    bad = ~np.isfinite(s.to_numpy()) | (s.to_numpy() <= 0)
    if bad.any():
        when = pd.Timestamp(s.index[int(np.argmax(bad))])
        raise DataError(f"{name}: close {s[when]!r} is not a positive finite price",
                        column=name, row=str(when.date()))
    gaps = np.diff(pd.DatetimeIndex(s.index).values.astype("datetime64[s]")) \
        / np.timedelta64(1, "D")
    if gap_since is not None:
        gaps[s.index[1:] <= gap_since] = 0.0
    if until is not None:
        gaps[s.index[1:] > until] = 0.0
    big = np.nonzero(gaps > params.max_gap_days)[0]
    if big.size:
        i = big[-1]
        warnings.append(Note("cta.price_gaps", asset=name, n=int(big.size),
                             max_gap=params.max_gap_days, first=s.index[i].date(),
                             last=s.index[i + 1].date()))
    return s


def as_frame(prices: pd.Series | pd.DataFrame) -> dict[str, pd.Series]:
    """Split caller-supplied prices into one Series per asset."""
    if isinstance(prices, pd.Series):
        return {str(prices.name) if prices.name is not None else "asset": prices}
    if isinstance(prices, pd.DataFrame):
        if prices.shape[1] == 0:
            raise DataError("prices frame has no columns")
        return {str(c): prices[c] for c in prices.columns}
    raise DataError(f"prices must be a pandas Series or DataFrame, got {type(prices).__name__}")


def absent_note(absent: Sequence[str]) -> Note:
    """The note naming universe members the active source does not hold.

    With the store: "not in this data store" (e.g. the synthetic market has no global
    indices); with another source (frames, a folder ...): the source is named, so a user who
    brought SPX and VIX only reads that the book is what the source holds.
    """
    from crashlens import data
    from crashlens.data.source import is_store

    names = ", ".join(absent)
    if is_store():
        return Note("cta.absent_from_store", names=names)
    return Note("cta.absent_from_source", source=data.active().label, names=names)


def load_catalog(names: Sequence[str] | None, end: pd.Timestamp | None, params: CTAParams,
                 warnings: list[str], *, explicit: bool | None = None,
                 allow_empty: bool = False
                 ) -> tuple[dict[str, pd.Series], dict[str, YieldQuote]]:
    """Closes of catalog assets through ``end`` (yields turned into price proxies).

    Parameters
    ----------
    names : sequence of str, optional
        Catalog names; None = ``params.universe`` (names the catalog lacks are skipped
        with a warning; explicitly requested names must exist).
    explicit : bool, optional
        Whether ``names`` were asked for by the user (default: ``names is not None``).
    allow_empty : bool
        Return empty mappings instead of raising when no name has data.

    Raises
    ------
    UnknownSeriesError
        An explicitly requested name is not in the catalog.
    """
    from crashlens import data

    if explicit is None:
        explicit = names is not None
    wanted = [n.strip().upper() for n in (names or params.universe) if n.strip()]
    known = list(data.catalog())
    durations = dict(params.yield_durations)
    out: dict[str, pd.Series] = {}
    quotes: dict[str, YieldQuote] = {}
    absent: list[str] = []
    for name in wanted:
        if name not in known:
            if explicit:
                raise UnknownSeriesError(name, known, kind="asset")
            warnings.append(Note("cta.not_in_catalog", asset=name))
            continue
        try:
            s = data.close(name, end=end)
        except UnknownSeriesError:
            if explicit:
                raise
            absent.append(name)     # e.g. the synthetic market has no global indices
            continue
        except CrashlensError as exc:
            if explicit:
                raise
            warnings.append(Note("cta.asset_unusable", asset=name, error=str(exc)))
            continue
        if name in durations:
            s, quotes[name] = yield_to_price(s, durations[name])
        out[name] = s.rename(name)
    if absent:
        warnings.append(absent_note(absent))
    if not out and not allow_empty:
        raise DataError("no asset of the universe has data")
    return out, quotes
