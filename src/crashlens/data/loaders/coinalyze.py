"""Loader for the stacked (long-format) Coinalyze perp open-interest and funding files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.data.loaders._csv import find_column, parse_dates, read_csv, to_float
from crashlens.data.loaders._validate import check_dates
from crashlens.data.loaders.ohlc import Loaded, finish
from crashlens.data.schema import Kind
from crashlens.errors import DataError


def load_coinalyze(path: Path, *, kind: Kind, coin: str, field: str) -> Loaded:
    """Load one coin from a Coinalyze file.

    ``field="oi"``: columns ``oi_open/high/low/close`` (USD notional) become an oi frame; open
    interest must be non-negative. ``field="funding"``: ``funding_rate`` is in **percent per
    8 h** as Coinalyze reports it (0.01 = the 0.01 %/8h baseline); it is divided by 100 and
    stored as a fraction per 8 h. The file's ``funding_rate_pct`` column (100 x funding_rate)
    is mislabelled and ignored.
    """
    raw = read_csv(path)
    sym = find_column(raw, ["coin_symbol"], path)
    date_col = find_column(raw, ["date"], path)
    assert sym is not None and date_col is not None
    raw = raw[raw[sym].str.upper() == coin.upper()]
    if raw.empty:
        raise DataError(f"no rows for coin '{coin}'", path=str(path), column=sym)
    dates = parse_dates(raw, date_col, path)
    lines = raw["_line"].to_numpy()
    order = check_dates(dates, lines, path)
    if field == "oi":
        cols = {k: find_column(raw, [f"oi_{k}"], path) for k in ("open", "high", "low", "close")}
        frame = pd.DataFrame({k: to_float(raw, str(c), path) for k, c in cols.items()},
                             index=dates).iloc[order]
        neg = (frame < 0).to_numpy()
        if neg.any():
            r, c = (int(x[0]) for x in np.nonzero(neg))
            raise DataError("negative open interest", path=str(path),
                            column=f"oi_{frame.columns[c]}", row=int(lines[order][r]))
        frame = frame[frame["close"].notna()]
        return Loaded(finish(frame, kind), [])
    if field == "funding":
        col = find_column(raw, ["funding_rate"], path)
        assert col is not None
        values = pd.Series(to_float(raw, col, path) / 100.0, index=dates).iloc[order]
        frame = values.dropna().to_frame("value")
        return Loaded(finish(frame, kind), ["funding_rate read as percent per 8h, stored as a "
                                            "fraction per 8h"])
    raise DataError(f"unknown Coinalyze field '{field}'", path=str(path))
