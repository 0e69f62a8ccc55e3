"""Loader for one column of a wide, date-indexed table (FRED tables, CBOE indices, panels)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crashlens.data.loaders._csv import find_column, parse_dates, read_csv, to_float
from crashlens.data.loaders._validate import check_dates, check_positive
from crashlens.data.loaders.ohlc import Loaded, finish
from crashlens.data.schema import Kind


def load_wide(path: Path, *, kind: Kind = Kind.VALUE, column: str, as_price: bool = False
              ) -> Loaded:
    """Load one column of a wide table.

    Blank cells mean "no observation" (mixed frequencies share one table; calendars differ) and
    are dropped. With ``as_price`` the column becomes the ``close`` of a price frame (open, high,
    low and volume NaN) and must be positive.
    """
    as_price = as_price or kind is Kind.PRICE
    raw = read_csv(path)
    date_col = find_column(raw, ["date", "observation_date"], path)
    assert date_col is not None
    col = find_column(raw, [column], path)
    assert col is not None
    dates = parse_dates(raw, date_col, path)
    lines = raw["_line"].to_numpy()
    values = pd.Series(to_float(raw, col, path), index=dates)
    order = check_dates(dates, lines, path)
    values, lines = values.iloc[order], lines[order]
    keep = values.notna().to_numpy()
    values, lines = values[keep], lines[keep]
    if values.empty:
        from crashlens.errors import DataError

        raise DataError("column has no values", path=str(path), column=col)
    name = "close" if as_price else "value"
    frame = values.to_frame(name)
    if as_price:
        check_positive(frame, ["close"], lines, path)
    notes = [f"{int((~keep).sum())} blank cells skipped"] if (~keep).any() else []
    return Loaded(finish(frame, Kind.PRICE if as_price else kind), notes)
