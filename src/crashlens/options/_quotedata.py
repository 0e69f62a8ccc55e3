"""Parser of CBOE delayed-quotes ``quotedata.csv`` exports.

Layout (the file in ``$CRASHLENS_DATA/spy_options_chain_20250925_quotedata.csv``)::

    <blank line>
    SPDR S&P 500 ETF Trust,Last: 658.05,Change:  -3.05
    "Date: September 25, 2025 at 9:05 PM EDT",Bid: 657.81,Ask: 657.83,...
    Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,
        Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest
    Wed Oct 01 2025,SPY251001C00500000,0,0,157.1,...,500.00,SPY251001P00500000,...

Each data line holds the call (left of ``Strike``) and the put (right of it) of one strike and
expiry. The parser does not hard-code line numbers: it looks for the header line in the first
lines, reads spot (``Last:``) and quote time (``Date: ... at h:mm PM EDT``, or the Spanish
locale's ``Date: 20 de noviembre de 2025, 9:52 GMT-5``) from the lines above it, and maps the
columns on each side of ``Strike`` by name, so the duplicate put-side names are harmless.
Columns ``Net``, ``Delta`` and ``Gamma`` are ignored (greeks are recomputed).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crashlens.data.schema import CHAIN_COLUMNS
from crashlens.errors import DataError, ParameterError
from crashlens.notes import Note
from crashlens.options._types import Settlement
from crashlens.options.chains import (
    OptionChain,
    _normalise,
    parse_occ_root,
    settlement_times,
    underlying_of_root,
)

HEADER_SEARCH_LINES = 20
_FIELDS = {
    "Last Sale": "last", "Last": "last", "Bid": "bid", "Ask": "ask", "Volume": "volume",
    "Vol": "volume",
    "IV": "iv", "Open Interest": "open_interest", "Open Int": "open_interest",
}
_TZ = {
    "EDT": "America/New_York", "EST": "America/New_York", "ET": "America/New_York",
    "CDT": "America/Chicago", "CST": "America/Chicago", "CT": "America/Chicago",
    "MDT": "America/Denver", "MST": "America/Denver", "PDT": "America/Los_Angeles",
    "PST": "America/Los_Angeles", "UTC": "UTC", "GMT": "UTC",
}
# English exports: "Date: September 25, 2025 at 9:05 PM EDT".
_DATE_EN_RE = re.compile(
    r"Date:\s*([A-Za-z]+\s+\d{1,2},\s*\d{4})\s*(?:at\s*)?(\d{1,2}:\d{2}\s*[AaPp][Mm])?\s*([A-Z]{2,4})?"
)
# Spanish-locale exports: "Date: 20 de noviembre de 2025, 9:52 GMT-5" (24-hour clock, UTC offset).
_DATE_ES_RE = re.compile(
    r"Date:\s*(\d{1,2})\s+de\s+([a-záéíóúñ]+)\s+de\s+(\d{4}),?\s*(\d{1,2}):(\d{2})?"
    r"\s*(?:GMT|UTC)?\s*([+-]\d{1,2})?", re.IGNORECASE,
)
_MONTHS_ES = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_LAST_RE = re.compile(r"^\s*Last:\s*([-+]?[\d,]*\.?\d+)\s*$")


def _header_index(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_LINES]):
        if row and row[0].strip().lstrip("\ufeff") == "Expiration Date":
            return i
    return None


def looks_like_quotedata(path: Path) -> bool:
    """Whether a CSV file has a quotedata header line near its top."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
            head = [fh.readline() for _ in range(HEADER_SEARCH_LINES)]
    except OSError:
        return False
    return _header_index(list(csv.reader(head))) is not None


def _parse_quote_time(cell: str, path: str, line: int) -> pd.Timestamp:
    """Quote time (naive US/Eastern) from the preamble's ``Date:`` cell, English or Spanish."""
    es = _DATE_ES_RE.search(cell)
    if es:
        day, month_name, year, hour, minute, offset = es.groups()
        month = _MONTHS_ES.get(month_name.lower())
        if month is None:
            raise DataError(f"unknown Spanish month {month_name!r} in {cell!r}", path=path,
                            row=line)
        try:
            ts = pd.Timestamp(int(year), month, int(day), int(hour), int(minute or 0))
        except ValueError as exc:
            raise DataError(f"cannot read the quote time from {cell!r} ({exc})", path=path,
                            row=line) from exc
        if offset is None:  # no offset: the exchange's own clock
            return ts
        utc = ts.tz_localize("UTC") - pd.Timedelta(hours=int(offset))
        return utc.tz_convert("America/New_York").tz_localize(None)
    m = _DATE_EN_RE.search(cell)
    if not m:
        raise DataError(f"cannot read the quote time from {cell!r} (expected 'Date: September "
                        "25, 2025 at 9:05 PM EDT' or 'Date: 20 de noviembre de 2025, 9:52 "
                        "GMT-5'); pass quote_time/--asof", path=path, row=line)
    text = m.group(1) + (" " + m.group(2).upper() if m.group(2) else " 4:00 PM")
    try:
        ts = pd.to_datetime(re.sub(r"\s+", " ", text), format="%B %d, %Y %I:%M %p")
    except ValueError as exc:
        raise DataError(f"cannot read the quote time from {cell!r}", path=path, row=line) from exc
    tz = _TZ.get(m.group(3) or "ET", "America/New_York")
    if tz != "America/New_York":
        ts = ts.tz_localize(tz).tz_convert("America/New_York").tz_localize(None)
    return ts


def _parse_preamble(
    rows: list[list[str]], path: str
) -> tuple[float | None, pd.Timestamp | None, str | None]:
    spot = quote_time = name = None
    for line_no, row in enumerate(rows, start=1):
        for j, cell in enumerate(row):
            m = _LAST_RE.match(cell)
            if m and spot is None:
                spot = float(m.group(1).replace(",", ""))
                name = row[0].strip() if j > 0 else None
            if "Date:" in cell and quote_time is None:
                quote_time = _parse_quote_time(cell, path, line_no)
    return spot, quote_time, name


def _side_columns(header: list[str], side: str, lo: int, hi: int, path: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for j in range(lo, hi):
        key = _FIELDS.get(header[j])
        if key is not None and key not in found:
            found[key] = j
    if "open_interest" not in found:
        raise DataError(f"quotedata header lacks the {side}-side 'Open Interest' column",
                        path=path, column="Open Interest")
    return found


def _parse_expiry(text: pd.Series, path: str, lines: np.ndarray) -> pd.Series:
    s = text.str.strip()
    exp = pd.to_datetime(s, format="%a %b %d %Y", errors="coerce")
    miss = exp.isna()
    if miss.any():
        exp[miss] = pd.to_datetime(s[miss], format="mixed", errors="coerce")
    bad = exp.isna().to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(f"unparseable expiration date {text.iloc[i]!r} (expected like "
                        "'Wed Oct 01 2025')", path=path, column="Expiration Date",
                        row=int(lines[i]))
    return exp


def read_quotedata(
    path: str | Path, *, spot: float | None = None, underlying: str | None = None,
    quote_time: Any = None, settlement: Settlement | str = "auto",
) -> OptionChain:
    """Read a CBOE ``quotedata.csv`` export into an :class:`OptionChain`.

    Parameters
    ----------
    path : str or Path
        The export.
    spot : float, optional
        Override the ``Last:`` price of the preamble.
    underlying : str, optional
        Override the underlying (default: the root of the option symbols, ``SPXW`` -> ``SPX``).
    quote_time : datetime-like, optional
        Override the ``Date:`` line (US/Eastern).
    settlement : {"auto", "am", "pm"}, default "auto"
        Settlement rule; ``auto`` uses the option root (SPX monthly AM, SPXW and SPY PM).

    Returns
    -------
    OptionChain
        Two contracts (call and put) per data line; rows are kept even with zero OI.

    Raises
    ------
    DataError
        No header line, missing columns, short rows, unparseable dates or numbers, negative
        open interest (naming the file, line and column).
    """
    p = Path(path)
    src = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DataError("no such chain file", path=src) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read chain file ({exc})", path=src) from exc
    rows = list(csv.reader(io.StringIO(text)))
    h = _header_index(rows)
    if h is None:
        raise DataError(
            f"no 'Expiration Date,Calls,...,Strike,Puts,...' header line in the first "
            f"{HEADER_SEARCH_LINES} lines; is this a CBOE quotedata.csv export?", path=src)
    file_spot, file_qt, name = _parse_preamble(rows[:h], src)
    header = [c.strip() for c in rows[h]]
    if "Strike" not in header:
        raise DataError("quotedata header lacks the 'Strike' column", path=src, column="Strike",
                        row=h + 1)
    k = header.index("Strike")
    for need, where in (("Calls", range(0, k)), ("Puts", range(k + 1, len(header)))):
        if need not in [header[j] for j in where]:
            raise DataError(f"quotedata header lacks the '{need}' column", path=src, column=need,
                            row=h + 1)
    call_cols = _side_columns(header, "call", 0, k, src)
    put_cols = _side_columns(header, "put", k + 1, len(header), src)
    sym_c, sym_p = header.index("Calls"), k + 1 + header[k + 1:].index("Puts")
    data, lines = [], []
    for i, row in enumerate(rows[h + 1:], start=h + 2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise DataError(f"expected {len(header)} fields, found {len(row)}", path=src, row=i)
        data.append(row)
        lines.append(i)
    if not data:
        raise DataError("option chain is empty (no contract lines after the header)", path=src)
    arr = pd.DataFrame(data, dtype=str)
    line_arr = np.asarray(lines)
    expiry = _parse_expiry(arr[0], src, line_arr)
    roots = arr[sym_c].map(parse_occ_root)
    if underlying is None:
        known = roots.dropna()
        underlying = underlying_of_root(known.iloc[0]) if len(known) else (name or "UNKNOWN")
    roots = roots.fillna(underlying).astype(str)
    settle = settlement_times(expiry, roots, settlement)
    sides = []
    for typ, cols, sym in (("C", call_cols, sym_c), ("P", put_cols, sym_p)):
        side = pd.DataFrame({"expiry": settle, "strike": arr[k], "option_type": typ})
        for key, j in cols.items():
            side[key] = arr[j]
        side["_symbol"] = arr[sym]
        sides.append(side)
    frame = pd.concat(sides, ignore_index=True)
    frame_lines = np.concatenate([line_arr, line_arr])
    qt = file_qt if quote_time is None else pd.Timestamp(quote_time)
    out = _normalise(frame, path=src, rows=frame_lines, underlying=underlying, quote_time=qt)
    out = out.sort_values(["expiry", "strike", "option_type"], kind="stable").reset_index(drop=True)
    use_spot = file_spot if spot is None else float(spot)
    if use_spot is not None and not (np.isfinite(use_spot) and use_spot > 0):
        raise ParameterError(f"spot must be a positive number, got {use_spot}")
    warns: list[str] = []
    if file_spot is None and spot is None:
        warns.append(Note("options.no_spot_in_file", file=p.name))
    if qt is None:
        warns.append(Note("options.no_quote_time_in_file", file=p.name))
    return OptionChain(out[list(CHAIN_COLUMNS)], underlying, use_spot, qt, src, tuple(warns))
