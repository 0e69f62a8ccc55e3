"""Published desk readings of CTA positioning: parsing and the as-of rule.

A readings file (``shared/data/desk/cta_desk_readings_*.csv``, layout in its README) has one row
per desk note: the S&P 500 pivots (``spx_short``, ``spx_medium``, ``spx_long``), positioning
(``global_length_bn``, ``global_pct``, ``us_length_bn``, ``us_pct`` ...) and projected flows
(``flows_1w_down`` ...). Units: index points, USD bn, percentile 0-100.

**As-of rule (point in time).** A note reflects the last US close before it was written:

1. ``asof_close`` when it holds a date (``2024-07-19``); a note written intraday
   (``2022-11-10 (intraday)``) reflects the *previous* close;
2. otherwise the last close strictly before ``publish_date``;
3. otherwise the last close strictly before the start of ``date_window``
   (``2025-01-17..2025-01-22``, or ``2025-04 (approx.)``).

The date is snapped to the S&P 500 calendar by the caller (:func:`snap_asof`).

Cells: pivots must be plain numbers (anything else is an error naming the row). Positioning
and flow cells may carry ``~`` (approximately, kept); a bound (``>70``) or a remark in words
(``SPX 24th pct``) is not a value: left blank, with a note naming the row.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.errors import DataError
from crashlens.notes import Note

#: Columns a readings file must have.
REQUIRED: tuple[str, ...] = ("bank", "publish_date", "date_window", "asof_close",
                             "spx_short", "spx_medium", "spx_long")
#: The S&P 500 pivot columns, by trigger group.
PIVOTS: dict[str, str] = {"short": "spx_short", "medium": "spx_medium", "long": "spx_long"}
#: Numeric columns read when present (USD bn or percentile 0-100).
NUMERIC: tuple[str, ...] = (
    "global_length_bn", "global_pct", "us_length_bn", "us_pct", "spx_length_bn",
    "flows_1w_flat", "flows_1w_up", "flows_1w_down", "flows_1m_flat", "flows_1m_up",
    "flows_1m_down", "spx_flows_1w_flat", "spx_flows_1w_up", "spx_flows_1w_down",
    "spx_flows_1m_flat", "spx_flows_1m_up", "spx_flows_1m_down", "us_flows_1w_flat",
    "us_flows_1w_up", "us_flows_1w_down", "us_flows_1m_flat", "us_flows_1m_up",
    "us_flows_1m_down",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclasses.dataclass(frozen=True)
class DeskReadings:
    """Parsed readings.

    Attributes
    ----------
    frame : DataFrame
        One row per note, ordered by ``asof``: ``line`` (1-based line in the file), ``bank``,
        ``note_date`` (publish date or window label), ``asof`` (Timestamp, the close the note
        reflects, before snapping), ``asof_basis`` (which rule gave it), ``confidence``, the
        three pivots and every :data:`NUMERIC` column present (float, NaN = not given).
    path : str
    notes : tuple of str
        Cells read as bounds (left blank) and similar remarks.
    """

    frame: pd.DataFrame
    path: str
    notes: tuple[str, ...] = ()


def _date(text: str, path: str, line: int, column: str) -> pd.Timestamp:
    if not _DATE.match(text):
        raise DataError(f"'{text}' is not a date (expected YYYY-MM-DD)", path=path, row=line,
                        column=column)
    try:
        return pd.Timestamp(text)
    except ValueError as exc:
        raise DataError(f"'{text}' is not a date (expected YYYY-MM-DD)", path=path, row=line,
                        column=column) from exc


def _asof(row: dict[str, str], path: str, line: int) -> tuple[pd.Timestamp, str]:
    """The close a note reflects (before snapping to the trading calendar) and the rule used."""
    day = pd.Timedelta(days=1)
    close = (row.get("asof_close") or "").strip()
    head = close[:10]
    if _DATE.match(head):
        ts = _date(head, path, line, "asof_close")
        rest = close[10:].strip()
        if not rest:
            return ts, "asof_close"
        if rest.startswith("(intraday"):
            return ts - day, "asof_close intraday: previous close"
        raise DataError(f"'{close}' is not a date (expected YYYY-MM-DD, optionally "
                        "'(intraday)')", path=path, row=line, column="asof_close")
    if close and not close.startswith("unclear"):
        raise DataError(f"'{close}' is not a date or 'unclear'", path=path, row=line,
                        column="asof_close")
    pub = (row.get("publish_date") or "").strip()
    if pub:
        return _date(pub, path, line, "publish_date") - day, "publish_date: previous close"
    window = (row.get("date_window") or "").strip()
    start = window.split("..")[0].split(" ")[0]
    if re.match(r"^\d{4}-\d{2}$", start):
        start += "-01"
    if not start:
        raise DataError("no date: publish_date, date_window and asof_close are all blank",
                        path=path, row=line)
    return _date(start, path, line, "date_window") - day, "date_window start: previous close"


def _number(text: str, path: str, line: int, column: str, notes: list[str],
            strict: bool) -> float:
    s = text.strip().replace("$", "").replace(",", "")
    if not s:
        return np.nan
    if not strict and s[0] in "<>":
        notes.append(Note("cta.reading_bound", line=line, column=column, text=text))
        return np.nan
    if not strict and s[0] == "~":
        s = s[1:]
    if not _NUM.match(s):
        if not strict:
            notes.append(Note("cta.reading_not_number", line=line, column=column, text=text))
            return np.nan
        raise DataError(f"'{text}' is not a number", path=path, row=line, column=column)
    return float(s)


def read_readings(path: str | Path) -> DeskReadings:
    """Read a desk readings CSV (layout of ``shared/data/desk/README.md``).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    DeskReadings

    Raises
    ------
    DataError
        Missing file or required column; an unparseable date; a pivot that is not a plain
        number (the message names the file, the 1-based line and the column).
    """
    p = Path(path)
    label = str(p)
    if not p.is_file():
        raise DataError("readings file not found", path=label)
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    with p.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise DataError(f"missing column(s) {', '.join(missing)} (header: "
                            f"{', '.join(header) or 'empty'})", path=label, row=1)
        reader.fieldnames = header
        numeric = [c for c in NUMERIC if c in header]
        line = 1
        for raw in reader:
            line = reader.line_num
            row = {k: (v or "") for k, v in raw.items() if k is not None}
            if not any(v.strip() for v in row.values()):
                continue
            asof, basis = _asof(row, label, line)
            rec: dict[str, object] = {
                "line": line, "bank": row["bank"].strip(),
                "note_date": row["publish_date"].strip() or row["date_window"].strip(),
                "asof": asof, "asof_basis": basis,
                "confidence": (row.get("date_confidence") or "").strip(),
            }
            for group, col in PIVOTS.items():
                rec[group] = _number(row[col], label, line, col, notes, strict=True)
            for col in numeric:
                rec[col] = _number(row[col], label, line, col, notes, strict=False)
            rows.append(rec)
    if not rows:
        raise DataError("no readings (the file has a header only)", path=label)
    frame = pd.DataFrame(rows).sort_values(["asof", "line"], kind="stable")
    return DeskReadings(frame.reset_index(drop=True), label, tuple(notes))


def snap_asof(readings: pd.DataFrame, calendar: pd.DatetimeIndex
              ) -> tuple[pd.DataFrame, list[str]]:
    """Snap each reading's ``asof`` to the last close on or before it.

    Readings dated after the last close (or before the first) are dropped with a warning.

    Returns
    -------
    frame : DataFrame
        With ``asof`` replaced by a trading day of ``calendar``.
    warnings : list of str
    """
    warnings: list[str] = []
    keep = []
    snapped = []
    for i, d in enumerate(readings["asof"]):
        if d > calendar[-1]:
            warnings.append(Note("cta.reading_after_data", line=int(readings["line"].iloc[i]),
                                 date=d.date(), last=calendar[-1].date()))
            continue
        pos = int(calendar.searchsorted(d, side="right")) - 1
        if pos < 0:
            warnings.append(Note("cta.reading_before_data",
                                 line=int(readings["line"].iloc[i]), date=d.date()))
            continue
        keep.append(i)
        snapped.append(calendar[pos])
    out = readings.iloc[keep].copy()
    out["asof"] = snapped
    return out.reset_index(drop=True), warnings
