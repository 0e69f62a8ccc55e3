"""Reading raw CSV files with errors that name the file, row and column.

Row numbers in messages are 1-based line numbers of the file (the header is line 1), so a user
can open the file at the line quoted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.errors import DataError

#: Cells that mean "no observation": empty, and FRED's ``.``. Spelled-out tokens such as
#: ``NaN``, ``null`` or ``inf`` are *not* missing values: no raw file uses them, so they are
#: reported as bad numbers instead of being dropped as holidays.
MISSING_TOKENS = ("", ".")


def read_csv(path: Path, *, skiprows: int = 0) -> pd.DataFrame:
    """Read a CSV as strings, checking that every record is complete.

    A file must end with a line ending: a last line without one is a write cut short (a last
    number cut to ``75`` from ``7539.37`` still has all its fields, so counting fields is not
    enough). Every row must have as many fields as the header; blank lines are skipped.

    Parameters
    ----------
    path : Path
        The file.
    skiprows : int
        Lines to skip before the header.

    Returns
    -------
    DataFrame
        All cells as strings (NaN for empty cells and ``.``); a ``_line`` column holds each
        row's 1-based line number in the file.

    Raises
    ------
    DataError
        Missing, unreadable, empty, undecodable or truncated file, or a row whose field count
        differs from the header's (naming the line).
    """
    if not path.exists():
        raise DataError("file not found", path=str(path))
    if not path.is_file():
        raise DataError("not a regular file", path=str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:  # PermissionError, EIO: one line, never a traceback
        raise DataError(f"cannot read file ({exc.strerror or exc})", path=str(path)) from exc
    if not raw.strip():
        raise DataError("file is empty", path=str(path))
    # One wide file feeds many series (us_rates_daily.csv: 12): parse it once per content.
    key = (hashlib.sha256(raw).hexdigest(), skiprows)
    with _PARSED_LOCK:
        cached = _PARSED.get(key)
    if cached is None:
        cached = _parse(raw, path, skiprows)
        with _PARSED_LOCK:  # the API serves requests from several threads
            _PARSED[key] = cached
            while len(_PARSED) > _PARSED_MAX:
                _PARSED.pop(next(iter(_PARSED)))
    return cached.copy()


#: Parsed files by (SHA-256 of the bytes, skiprows): keyed by content, so an edited file is
#: never served from the cache, whatever its size and mtime.
_PARSED: dict[tuple[str, int], pd.DataFrame] = {}
_PARSED_MAX = 4
_PARSED_LOCK = threading.Lock()


def _parse(raw: bytes, path: Path, skiprows: int) -> pd.DataFrame:
    """Parse the bytes of a CSV file (see :func:`read_csv`)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError("not a text CSV file (undecodable bytes)", path=str(path)) from exc
    if not text.endswith(("\n", "\r")):
        last_line = text.count("\n") + 1
        raise DataError("file looks truncated: the last line has no line ending (a write cut "
                        "short; restore the file)", path=str(path), row=last_line)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for _ in range(skiprows):
            next(reader)
        header = next(reader)
        width = len(header)
        rows: list[list[str]] = []
        lines: list[int] = []
        for record in reader:
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line
            if len(record) != width:
                raise DataError(f"row has {len(record)} fields, the header has {width}",
                                path=str(path), row=reader.line_num)
            rows.append(record)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise DataError(f"not a well-formed CSV ({exc})", path=str(path),
                        row=reader.line_num) from exc
    except StopIteration as exc:
        raise DataError("file has no header line", path=str(path)) from exc
    if not rows:
        raise DataError("file has a header but no data rows", path=str(path))
    cells = np.array(rows, dtype=object)
    columns: dict[str, pd.Series] = {}
    for j, name in enumerate(h.strip() for h in header):
        col = pd.Series(cells[:, j], dtype=object)
        columns[name] = col.mask(col.isin(MISSING_TOKENS))  # hashed lookup: no per-cell strip
    frame = pd.DataFrame(columns)
    frame["_line"] = np.asarray(lines, dtype=np.int64)
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


#: Earliest date a market observation may carry (the oldest raw series starts in 1871).
EARLIEST_DATE = pd.Timestamp("1800-01-01")


def parse_dates(frame: pd.DataFrame, column: str, path: Path) -> pd.DatetimeIndex:
    """Parse a date column, naming the first unparseable, implausible or future row.

    A date after today (UTC) cannot be an observation: it is a typo (``2300-01-01``) and, kept,
    it would make every "as of today" result read a value from the future.
    """
    if frame[column].isna().any():
        first = frame.loc[frame[column].isna(), "_line"].iloc[0]
        raise DataError("empty date cell", path=str(path), column=column, row=int(first))
    values = pd.to_datetime(frame[column], errors="coerce", format="mixed")
    bad = values.isna().to_numpy()
    if bad.any():
        i = int(bad.nonzero()[0][0])
        raise DataError(f"'{frame[column].iloc[i]}' is not a date", path=str(path),
                        column=column, row=int(frame["_line"].iloc[i]))
    index = pd.DatetimeIndex(values)
    if index.tz is not None:
        index = index.tz_localize(None)
    days = index.normalize()
    latest = pd.Timestamp.now("UTC").tz_localize(None).normalize() + pd.Timedelta(days=1)
    wrong = np.asarray((days < EARLIEST_DATE) | (days > latest))
    if wrong.any():
        i = int(wrong.nonzero()[0][0])
        why = "is in the future" if days[i] > latest else f"is before {EARLIEST_DATE.year}"
        raise DataError(f"date '{frame[column].iloc[i]}' {why}", path=str(path),
                        column=column, row=int(frame["_line"].iloc[i]))
    return pd.DatetimeIndex(days.astype("datetime64[ns]"))


def to_float(frame: pd.DataFrame, column: str, path: Path) -> np.ndarray:
    """Convert a column to float64, naming the first non-numeric or non-finite cell.

    Thousands separators are removed. ``inf``, ``Infinity`` and numbers beyond float64 range
    (``1e400``) are errors, not values: no market series is infinite.
    """
    text = frame[column].str.replace(",", "", regex=False).str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & text.notna() & (text != "")
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise DataError(f"'{frame[column].iloc[i]}' is not a number", path=str(path),
                        column=str(column), row=int(frame["_line"].iloc[i]))
    out = values.to_numpy(dtype=np.float64)
    infinite = np.isinf(out)
    if infinite.any():
        i = int(infinite.nonzero()[0][0])
        raise DataError(f"'{frame[column].iloc[i]}' is not a finite number", path=str(path),
                        column=str(column), row=int(frame["_line"].iloc[i]))
    return out
