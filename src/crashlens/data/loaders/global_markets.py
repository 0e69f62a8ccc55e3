"""Loader for the Japan Ministry of Finance JGB yield file (global trend-follower universe).

The Ministry's own CSV (``jgb_yields_mof_daily.csv``, ``jgbcm_all.csv`` on mof.go.jp) has
three quirks no other raw file has:

* **Shift-JIS** encoding (the header is Japanese: ``基準日`` = reference date, ``10年`` =
  10 years);
* a **title line** before the header (``国債金利情報,...,(単位 : %)``);
* dates in the **Japanese era calendar**: ``R8.6.30`` = Reiwa 8 = 2026-06-30, ``H31.4.30`` =
  Heisei 31, ``S49.9.24`` = Showa 49 (era year 1 = 2019 / 1989 / 1926);
* ``-`` for a tenor not published that day (the 10-year before 1986): dropped.

The other files of the global universe (European and Asian indices, futures, FX) are Yahoo
layouts that :func:`crashlens.data.loaders.ohlc.load_ohlc` reads already (byte-order mark,
lower-case header, dates with a time and zone such as ``2021-05-28 09:00:00+09:00``); their
two-file splices are checked on the overlap by :mod:`crashlens.data.splice`.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.data.loaders._validate import check_dates
from crashlens.data.loaders.ohlc import Loaded, finish
from crashlens.data.schema import Kind
from crashlens.errors import DataError

#: First Gregorian year of each era (era year 1).
ERAS: dict[str, int] = {"M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019}
_ERA_DATE = re.compile(r"^([MTSHR])(\d{1,2})\.(\d{1,2})\.(\d{1,2})$")
_DATE_HEADER = "基準日"
MISSING = {"-", "", "－"}


def era_to_date(text: str) -> pd.Timestamp:
    """Gregorian date of a Japanese era date such as ``R8.6.30`` (2026-06-30).

    Raises
    ------
    ValueError
        Not an era date, or not a real day.
    """
    m = _ERA_DATE.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a Japanese era date (e.g. R8.6.30)")
    era, year, month, day = m.group(1), *(int(g) for g in m.groups()[1:])
    if year < 1:
        raise ValueError(f"'{text}': era year must be >= 1")
    return pd.Timestamp(year=ERAS[era] + year - 1, month=month, day=day)


def _tenor_header(tenor: str) -> str:
    t = tenor.strip().upper()
    if t.endswith("Y") and t[:-1].isdigit():
        return f"{int(t[:-1])}年"
    return tenor


def load_jgb(path: Path, *, kind: Kind = Kind.VALUE, tenor: str = "10Y") -> Loaded:
    """Load one tenor of the Ministry of Finance JGB constant-maturity yield file.

    Parameters
    ----------
    path : Path
        The Shift-JIS CSV.
    kind : Kind
        Target kind (value: yield in percent).
    tenor : str
        ``"10Y"`` (or the Japanese header, ``"10年"``).

    Returns
    -------
    Loaded
        ``value`` in percent per day; days with ``-`` dropped (counted in the notes).

    Raises
    ------
    DataError
        Not Shift-JIS, no ``基準日`` header line, unknown tenor, a date that is not an era
        date, a non-numeric yield (each names the file, line and column).
    """
    label = str(path)
    try:
        text = path.read_bytes().decode("shift_jis")
    except UnicodeDecodeError as exc:
        raise DataError(f"not Shift-JIS text (byte {exc.start})", path=label) from exc
    lines = text.splitlines()
    head = next((i for i, ln in enumerate(lines[:10]) if ln.startswith(_DATE_HEADER)), None)
    if head is None:
        raise DataError(f"no header line starting with '{_DATE_HEADER}' in the first 10 lines",
                        path=label)
    raw = pd.read_csv(io.StringIO("\n".join(lines[head:])), dtype=str, keep_default_na=False)
    col = _tenor_header(tenor)
    if col not in raw.columns:
        raise DataError(f"no tenor column '{col}' (have {', '.join(raw.columns[1:])})",
                        path=label, column=col)
    line_no = np.arange(len(raw)) + head + 2          # 1-based file lines of the data rows
    dates, values, keep_lines = [], [], []
    skipped = 0
    for cell_date, cell, ln in zip(raw[_DATE_HEADER], raw[col], line_no, strict=True):
        try:
            day = era_to_date(cell_date)
        except ValueError as exc:
            raise DataError(str(exc), path=label, row=int(ln), column=_DATE_HEADER) from exc
        cell = cell.strip()
        if cell in MISSING:
            skipped += 1
            continue
        try:
            val = float(cell)
        except ValueError as exc:
            raise DataError(f"'{cell}' is not a yield in percent", path=label, row=int(ln),
                            column=col) from exc
        dates.append(day)
        values.append(val)
        keep_lines.append(ln)
    if not values:
        raise DataError("column has no values", path=label, column=col)
    idx = pd.DatetimeIndex(dates)
    ln_arr = np.asarray(keep_lines)
    order = check_dates(idx, ln_arr, path)
    frame = pd.DataFrame({"value": np.asarray(values)[order]}, index=idx[order])
    notes = [f"{skipped} days without a {col} yield ('-') skipped"] if skipped else []
    return Loaded(finish(frame, kind), notes)
