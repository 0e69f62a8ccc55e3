"""Validation shared by all loaders: date order, duplicates, positivity, OHLC sanity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.errors import DataError

#: Relative tolerance for OHLC ordering (the float32 artefacts of Yahoo caches).
OHLC_TOLERANCE = 1e-6


def check_dates(index: pd.DatetimeIndex, lines: np.ndarray, path: Path, *,
                allow_descending: bool = False) -> np.ndarray:
    """Check that dates are unique and increasing; return the order to sort them.

    A file sorted newest-first is accepted only when ``allow_descending`` (a documented quirk of
    one raw file); any other disorder is an error naming the first offending line.
    """
    values = index.asi8
    if allow_descending and len(values) > 1 and values[0] > values[-1]:
        order = np.arange(len(values))[::-1]
    else:
        order = np.arange(len(values))
    ordered = values[order]
    diffs = np.diff(ordered)
    if (diffs == 0).any():
        k = int(np.nonzero(diffs == 0)[0][0]) + 1
        raise DataError(f"duplicated date {index[order[k]].date()}", path=str(path),
                        row=int(lines[order[k]]))
    if (diffs < 0).any():
        k = int(np.nonzero(diffs < 0)[0][0]) + 1
        raise DataError(
            f"dates are not sorted: {index[order[k]].date()} comes after "
            f"{index[order[k - 1]].date()}", path=str(path), row=int(lines[order[k]]))
    return order


def check_positive(frame: pd.DataFrame, columns: list[str], lines: np.ndarray, path: Path) -> None:
    """Prices must be strictly positive: name the first zero or negative cell."""
    for col in columns:
        values = frame[col].to_numpy()
        bad = np.nonzero(values <= 0)[0]
        if len(bad):
            i = int(bad[0])
            raise DataError(f"price {values[i]:g} is not positive", path=str(path), column=col,
                            row=int(lines[i]))


def repair_ohlc(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Apply the documented OHLC rules; return the frame and notes on what changed.

    Rules
    -----
    1. *Close-only bars* — a bar with ``open == high == low == close`` carries only a close
       (S&P 500 before 1962, placeholder futures bars such as gold on 2026-01-28):
       open, high and low become NaN.
    2. *Inconsistent ranges* — a bar whose high is below max(open, close) or whose low is above
       min(open, close) (beyond :data:`OHLC_TOLERANCE`) keeps its close; open, high and low
       become NaN, because which of them is wrong cannot be known.
    """
    notes: list[str] = []
    if not {"open", "high", "low"}.issubset(frame.columns):
        return frame, notes
    o, h, lo, c = (frame[k].to_numpy(copy=True) for k in ("open", "high", "low", "close"))
    with np.errstate(invalid="ignore"):
        flat = (o == h) & (h == lo) & (lo == c)
        top = np.fmax(o, c)
        bottom = np.fmin(o, c)
        bad = ((h < top * (1 - OHLC_TOLERANCE)) | (lo > bottom * (1 + OHLC_TOLERANCE))) & ~flat
    if flat.any():
        notes.append(f"{int(flat.sum())} close-only bars (open=high=low=close): range set to NaN")
    if bad.any():
        first = frame.index[bad][0].date()
        notes.append(f"{int(bad.sum())} bars with high/low inconsistent with open/close "
                     f"(first {first}): range set to NaN, close kept")
    drop = flat | bad
    if drop.any():
        frame = frame.copy()
        for k in ("open", "high", "low"):
            frame.loc[drop, k] = np.nan
    return frame, notes


def check_plausible(frame: pd.DataFrame, columns: list[str], bounds: tuple[float, float],
                    path: Path, what: str) -> None:
    """Every value of ``columns`` must lie in ``bounds`` (inclusive); name the first that does not.

    Parameters
    ----------
    frame : DataFrame
        A loaded frame indexed by date (NaN cells are gaps and are not checked).
    columns : list of str
        Columns to check (those absent from the frame are ignored).
    bounds : tuple of float
        ``(low, high)`` in the series' unit, from the catalog (``SeriesSpec.plausible_range``).
    path : Path
        The source file, for the message.
    what : str
        The series and its unit, e.g. ``"SPX (index points)"``.

    Raises
    ------
    DataError
        Naming the file, the date and the column of the first value out of range, or of the
        first infinite value.
    """
    low, high = bounds
    for col in (c for c in columns if c in frame.columns):
        values = frame[col].to_numpy(dtype=np.float64)
        with np.errstate(invalid="ignore"):
            bad = np.isinf(values) | (values < low) | (values > high)
        if bad.any():
            i = int(np.nonzero(bad)[0][0])
            raise DataError(f"{values[i]:g} is outside the plausible range [{low:g}, {high:g}] "
                            f"of {what}", path=str(path), column=col,
                            row=str(frame.index[i].date()))
