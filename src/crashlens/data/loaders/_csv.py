"""Reading raw CSV files with errors that name the file, row and column.

Row numbers in messages are 1-based line numbers of the file (the header is line 1), so a user
can open the file at the line quoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.errors import DataError


def read_csv(path: Path, *, skiprows: int = 0) -> pd.DataFrame:
    """Read a CSV as strings, checking for an empty or truncated file.

    Parameters
    ----------
    path : Path
        The file.
    skiprows : int
        Lines to skip before the header.

    Returns
    -------
    DataFrame
        All cells as strings (NaN for empty cells); a ``_line`` column holds each row's line
        number in the file.
    """
    if not path.exists():
        raise DataError("file not found", path=str(path))
    if not path.is_file():
        raise DataError("not a regular file", path=str(path))
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError("file is empty", path=str(path))
    try:
        frame = pd.read_csv(path, dtype=str, skiprows=skiprows, keep_default_na=False,
                            na_values=["", ".", "NaN", "nan", "null", "NA"])
    except pd.errors.ParserError as exc:
        raise DataError(f"not a well-formed CSV ({exc})", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise DataError("not a text CSV file (undecodable bytes)", path=str(path)) from exc
    if frame.empty:
        raise DataError("file has a header but no data rows", path=str(path))
    frame["_line"] = np.arange(len(frame)) + 2 + skiprows
    # A file cut off mid-line: the last line has no newline and fewer fields than the header.
    if not raw.endswith(b"\n"):
        last = raw.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")
        header_fields = len(frame.columns) - 1
        if last.count(",") + 1 < header_fields:
            raise DataError(
                f"file looks truncated: the last line has {last.count(',') + 1} of "
                f"{header_fields} fields",
                path=str(path), row=int(frame["_line"].iloc[-1]),
            )
    return frame


def find_column(frame: pd.DataFrame, names: Sequence[str], path: Path, *, required: bool = True
                ) -> str | None:
    """Return the frame's column matching one of ``names`` case-insensitively."""
    lower = {str(c).strip().lower(): c for c in frame.columns}
    for n in names:
        if n.lower() in lower:
            return str(lower[n.lower()])
    if required:
        raise DataError(
            f"missing column (expected one of {', '.join(names)}; found "
            f"{', '.join(str(c) for c in frame.columns if c != '_line')})",
            path=str(path), column=names[0],
        )
    return None


def parse_dates(frame: pd.DataFrame, column: str, path: Path) -> pd.DatetimeIndex:
    """Parse a date column, naming the first unparseable row."""
    values = pd.to_datetime(frame[column], errors="coerce", format="mixed")
    bad = values.isna() & frame[column].notna()
    if frame[column].isna().any():
        first = frame.loc[frame[column].isna(), "_line"].iloc[0]
        raise DataError("empty date cell", path=str(path), column=column, row=int(first))
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise DataError(f"'{frame[column].iloc[i]}' is not a date", path=str(path),
                        column=column, row=int(frame["_line"].iloc[i]))
    return pd.DatetimeIndex(pd.DatetimeIndex(values).normalize().astype("datetime64[ns]"))


def to_float(frame: pd.DataFrame, column: str, path: Path) -> np.ndarray:
    """Convert a column to float64, naming the first non-numeric cell."""
    text = frame[column].str.replace(",", "", regex=False).str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & text.notna() & (text != "")
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise DataError(f"'{frame[column].iloc[i]}' is not a number", path=str(path),
                        column=str(column), row=int(frame["_line"].iloc[i]))
    return values.to_numpy(dtype=np.float64)
