"""Loader for the newest-first Bitstamp BTC file (a 00:00-UTC print labelled with its day)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crashlens.data.loaders._csv import find_column, parse_dates, read_csv, to_float
from crashlens.data.loaders._validate import check_dates, check_positive
from crashlens.data.loaders.ohlc import Loaded, finish
from crashlens.data.schema import Kind


def load_bitstamp(path: Path, *, kind: Kind = Kind.PRICE, column: str = "BTC_USD",
                  shift_days: int = -1) -> Loaded:
    """Load the Bitstamp daily BTC file.

    The file is sorted newest-first and each value is the first 1-minute bar of the UTC day,
    i.e. the price at 00:00 UTC, which is the *previous* day's close. With the default
    ``shift_days=-1`` the value labelled D is stored as the close of D-1, which makes it line up
    with exchange daily closes (checked on the overlap when spliced).
    """
    raw = read_csv(path)
    date_col = find_column(raw, ["date"], path)
    assert date_col is not None
    col = find_column(raw, [column], path)
    assert col is not None
    dates = parse_dates(raw, date_col, path)
    lines = raw["_line"].to_numpy()
    order = check_dates(dates, lines, path, allow_descending=True)
    values = pd.Series(to_float(raw, col, path), index=dates).iloc[order]
    lines = lines[order]
    keep = values.notna().to_numpy()
    values, lines = values[keep], lines[keep]
    frame = values.to_frame("close")
    check_positive(frame, ["close"], lines, path)
    frame.index = frame.index + pd.Timedelta(days=shift_days)
    notes = ["newest-first file re-sorted",
             f"00:00-UTC prints shifted by {shift_days} day(s) to daily closes"]
    return Loaded(finish(frame, kind), notes)
