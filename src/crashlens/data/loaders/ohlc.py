"""Loader for OHLC(V) CSV files: Yahoo caches, IBKR bars and open/close/volume files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.data.loaders._csv import find_column, parse_dates, read_csv, to_float
from crashlens.data.loaders._validate import check_dates, check_positive, repair_ohlc
from crashlens.data.schema import Kind, columns_for


@dataclass
class Loaded:
    """A normalised frame and the notes on what the loader changed or dropped."""

    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def finish(frame: pd.DataFrame, kind: Kind) -> pd.DataFrame:
    """Give a frame its schema columns (missing ones as NaN), float64, index named ``date``."""
    cols = columns_for(kind) or tuple(c for c in frame.columns if c != "_line")
    out = pd.DataFrame(index=frame.index)
    for c in cols:
        out[c] = frame[c].astype(np.float64) if c in frame.columns else np.nan
    out.index.name = "date"
    return out


def load_ohlc(
    path: Path,
    *,
    kind: Kind = Kind.PRICE,
    zero_volume_is_missing: bool = False,
    daily_from: str | None = None,
) -> Loaded:
    """Load an OHLC(V) CSV.

    Parameters
    ----------
    path : Path
        The CSV. Columns are matched case-insensitively in any order; ``close`` is required,
        open/high/low/volume are optional.
    kind : Kind
        Target kind (price).
    zero_volume_is_missing : bool
        Treat volume 0 as "not reported" (IBKR index bars, the DXY file).
    daily_from : str, optional
        Drop rows before this date (the S&P file whose rows before 1970 are monthly).

    Returns
    -------
    Loaded
        Frame with open, high, low, close, volume (float64) and notes.
    """
    raw = read_csv(path)
    date_col = find_column(raw, ["date", "observation_date", "timestamp"], path)
    assert date_col is not None
    close_col = find_column(raw, ["close", "adj close"], path)
    assert close_col is not None
    cols = {"close": close_col}
    for name in ("open", "high", "low", "volume"):
        found = find_column(raw, [name], path, required=False)
        if found is not None:
            cols[name] = found
    notes: list[str] = []
    dates = parse_dates(raw, date_col, path)
    lines = raw["_line"].to_numpy()
    values = pd.DataFrame({k: to_float(raw, c, path) for k, c in cols.items()}, index=dates)
    order = check_dates(pd.DatetimeIndex(values.index), lines, path)
    values, lines = values.iloc[order], lines[order]
    if daily_from is not None:
        keep = values.index >= pd.Timestamp(daily_from)
        notes.append(f"rows before {daily_from} dropped (not daily)")
        values, lines = values[keep], lines[keep]
    blank = values["close"].isna().to_numpy()
    if blank.any():
        notes.append(f"{int(blank.sum())} rows without a close dropped (holidays/placeholders)")
        values, lines = values[~blank], lines[~blank]
    price_cols = [c for c in ("open", "high", "low", "close") if c in values.columns]
    filled = values[price_cols].fillna(1.0)  # blanks in open/high/low are not errors
    check_positive(filled, price_cols, lines, path)
    if "volume" in values.columns:
        if zero_volume_is_missing:
            values.loc[values["volume"] == 0, "volume"] = np.nan
        if (values["volume"] < 0).any():
            i = int(np.nonzero((values["volume"] < 0).to_numpy())[0][0])
            from crashlens.errors import DataError

            raise DataError("negative volume", path=str(path), column=cols["volume"],
                            row=int(lines[i]))
    frame = finish(values, kind)
    frame, ohlc_notes = repair_ohlc(frame)
    return Loaded(frame, notes + ohlc_notes)
