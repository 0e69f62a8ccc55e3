"""FRED graph CSV endpoint (``/graph/fredgraph.csv?id=SERIES``, no key) → value kind.

Body::

    observation_date,DGS10
    2025-11-19,4.13
    2025-11-20,4.10
    2025-11-27,

Older files head the date column ``DATE`` and mark missing observations with ``.``; both
spellings are accepted. Missing observations (``.`` or empty: holidays, unpublished values
such as the Oct-2025 CPI during the shutdown) are dropped and counted in the warnings, so a
gap is a missing date, never a NaN.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import ClassVar

import numpy as np

from crashlens.data.providers._base import (
    Provider,
    QueryParams,
    Transformed,
    daily_transformed,
    first_few,
)
from crashlens.data.providers._http import HttpResponse
from crashlens.data.schema import Kind
from crashlens.notes import Note

_DATE_HEADERS = {"observation_date", "date"}
_MISSING = {"", "."}


class FredQuery(QueryParams):
    """Query of the FRED graph CSV.

    Attributes
    ----------
    series_id : str
        FRED series id (``DGS10``, ``UNRATE``, ``BAMLH0A0HYM2`` ...).
    start, end : date, optional
        Inclusive window (``cosd`` / ``coed``); default the full history.
    """

    series_id: str


class FredProvider(Provider[FredQuery]):
    """Economic and rates series from FRED's public CSV (no API key)."""

    name = "fred"
    env_var = "CRASHLENS_FRED_URL"
    default_base_url = "https://fred.stlouisfed.org"
    query_model = FredQuery
    default_rate = 2.0
    default_ttl_s = 6 * 3600.0
    licence = (
        "FRED: US-government series are public domain; third-party series (ICE BofA) carry "
        "their owners' terms"
    )
    headers: ClassVar[Mapping[str, str]] = {"Accept": "text/csv"}

    def extract(self, query: FredQuery) -> list[HttpResponse]:
        """One GET of ``fredgraph.csv`` for the series and window."""
        params = {
            "id": query.series_id,
            "cosd": query.start.isoformat() if query.start else None,
            "coed": query.end.isoformat() if query.end else None,
        }
        return [self.get(f"{self.base_url}/graph/fredgraph.csv", params)]

    def transform(self, query: FredQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """Parse the two-column CSV into a value frame."""
        (resp,) = responses
        text = resp.text()
        if not text.strip():
            raise self.error(resp, "empty response body")
        if text.lstrip().startswith("<"):
            raise self.error(resp, "expected CSV, got HTML (garbage response)")
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise self.error(resp, f"malformed CSV ({exc})") from exc
        header = [h.strip() for h in rows[0]]
        if len(header) != 2 or header[0].lower() not in _DATE_HEADERS:
            raise self.error(
                resp, f"unexpected CSV header {header!r}: expected 'observation_date,"
                f"{query.series_id}' (garbage response)"
            )
        if header[1].upper() != query.series_id.upper():
            raise self.error(
                resp, f"CSV column '{header[1]}' is not the requested series '{query.series_id}'"
            )
        dates: list[str] = []
        values: list[float] = []
        missing: list[str] = []
        for line_no, row in enumerate(rows[1:], start=2):
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != 2:
                raise self.error(
                    resp, f"line {line_no}: expected 2 fields, got {len(row)} (truncated or "
                    "malformed CSV)"
                )
            day, raw = row[0].strip(), row[1].strip()
            if len(day) != 10 or not _is_iso_date(day):
                raise self.error(
                    resp, f"line {line_no}: '{day}' is not a YYYY-MM-DD date (truncated or "
                    "malformed CSV)"
                )
            if raw in _MISSING:
                missing.append(day)
                continue
            try:
                values.append(float(raw))
            except ValueError:
                raise self.error(
                    resp, f"line {line_no}, column '{header[1]}': '{raw}' is not a number"
                ) from None
            dates.append(day)
        warnings: list[str] = []
        if missing:
            warnings.append(Note("data.fred_missing", n=len(missing), days=first_few(missing)))
        return daily_transformed(
            query,
            dates,
            {"value": np.asarray(values, dtype=np.float64)},
            kind=Kind.VALUE,
            symbol=query.series_id.upper(),
            warnings=warnings,
            what="CSV",
            assumptions={"missing_values": "dropped ('.' or empty)"},
        )


def _is_iso_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
