"""Loader for the wide CFTC Commitments of Traders table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.data.loaders._csv import find_column, parse_dates, read_csv, to_float
from crashlens.data.loaders._validate import check_dates
from crashlens.data.loaders.ohlc import Loaded
from crashlens.data.schema import Kind
from crashlens.errors import DataError

#: Raw column suffix -> schema category, per report.
_CATEGORIES = {
    "tff": {"DEALER": "dealer", "ASSET": "asset_mgr", "HEDGE": "lev_funds"},
    "disaggregated": {"PROD": "producer", "SWAP": "swap", "MM": "managed_money"},
}


def load_cot(path: Path, *, kind: Kind = Kind.COT, prefix: str, report: str) -> Loaded:
    """Load one market of the wide COT table.

    Columns ``{prefix}_OI`` and ``{prefix}_{CAT}_L/_S`` become ``open_interest`` and
    ``<category>_long/_short`` (contracts). In this file the TFF "HEDGE" columns hold the
    leveraged-funds category and "ASSET" the asset managers. Dates are the report's as-of
    Tuesday. Positions must be non-negative.
    """
    if report not in _CATEGORIES:
        raise DataError(f"unknown COT report type '{report}'", path=str(path))
    raw = read_csv(path)
    date_col = find_column(raw, ["date"], path)
    assert date_col is not None
    dates = parse_dates(raw, date_col, path)
    lines = raw["_line"].to_numpy()
    order = check_dates(dates, lines, path)
    data: dict[str, np.ndarray] = {}
    oi = find_column(raw, [f"{prefix}_OI"], path)
    assert oi is not None
    data["open_interest"] = to_float(raw, oi, path)
    for code, cat in _CATEGORIES[report].items():
        for side, suffix in (("long", "L"), ("short", "S")):
            col = find_column(raw, [f"{prefix}_{code}_{suffix}"], path)
            assert col is not None
            data[f"{cat}_{side}"] = to_float(raw, col, path)
    frame = pd.DataFrame(data, index=dates).iloc[order]
    lines = lines[order]
    neg = (frame < 0).to_numpy()
    if neg.any():
        r, c = (int(x[0]) for x in np.nonzero(neg))
        raise DataError("negative position", path=str(path), column=str(frame.columns[c]),
                        row=int(lines[r]))
    blank = frame["open_interest"].isna().to_numpy()
    frame = frame[~blank]
    frame.index.name = "date"
    notes = [f"{int(blank.sum())} weeks without data skipped"] if blank.any() else []
    return Loaded(frame.astype(np.float64), notes)
