"""A user portfolio for scenario P&L: positions from YAML or CSV.

YAML::

    name: my book
    positions:
      - {asset: SPX, notional: 1000000}      # USD market value; P&L = notional * simple return
      - {asset: UST10Y, dv01: -850}           # USD per +1 bp of the yield (a long bond is < 0)
      - {asset: VIX, per_point: 2500}         # USD per +1 unit of the series

CSV: a header ``asset,notional,dv01,per_point`` (only ``asset`` and one of the others needed);
one position per row.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from crashlens._spec import Series, SpecModel
from crashlens._yaml import SpecError, read_yaml, validate
from crashlens.errors import DataError


class Position(SpecModel):
    """One position: exactly one of ``notional``, ``dv01``, ``per_point``."""

    asset: Series
    notional: float | None = None
    dv01: float | None = None
    per_point: float | None = None
    label: str = ""

    @model_validator(mode="after")
    def _one(self) -> Position:
        given = [x for x in (self.notional, self.dv01, self.per_point) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of notional (USD), dv01 (USD per +1bp) or "
                             "per_point (USD per +1 unit)")
        if not math.isfinite(given[0]):
            raise ValueError("position size must be a finite number")
        return self


class Portfolio(SpecModel):
    """Positions to price under each scenario."""

    name: str = ""
    positions: list[Position] = Field(min_length=1)
    path: str = ""


def _num(value: str, source: str, line: int, col: str) -> float | None:
    value = value.strip()
    if value == "":
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise SpecError(f"column '{col}': '{value}' is not a number", path=source,
                        line=line) from exc


def _from_csv(p: Path, known: Iterable[str] | None) -> Portfolio:
    source = str(p)
    with p.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise SpecError("the file is empty (expected a header asset,notional,dv01,per_point)",
                        path=source, line=1)
    header = [h.strip().lower() for h in rows[0]]
    if "asset" not in header:
        raise SpecError("the header needs an 'asset' column", path=source, line=1)
    unknown = set(header) - {"asset", "notional", "dv01", "per_point", "label"}
    if unknown:
        raise SpecError(f"unknown column(s) {', '.join(sorted(unknown))}", path=source, line=1)
    positions: list[dict[str, Any]] = []
    lines: dict[tuple[Any, ...], int] = {(): 1, ("positions",): 1}
    for i, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise SpecError(f"{len(row)} fields, header has {len(header)}", path=source, line=i)
        rec: dict[str, Any] = {}
        for col, val in zip(header, row, strict=True):
            if col in ("asset", "label"):
                if val.strip():
                    rec[col] = val.strip()
            else:
                num = _num(val, source, i, col)
                if num is not None:
                    rec[col] = num
        lines[("positions", len(positions))] = i
        positions.append(rec)
    ctx = {"known": list(known) if known is not None else None}
    pf = validate(Portfolio, {"name": p.stem, "positions": positions}, lines, source, ctx)
    return pf.model_copy(update={"path": source})


def load_portfolio(path: str | Path | Portfolio, *, known: Iterable[str] | None = None
                   ) -> Portfolio:
    """Load a portfolio from a ``.yaml``/``.yml`` or ``.csv`` file (errors name the line)."""
    if isinstance(path, Portfolio):
        return path
    p = Path(path)
    if not p.is_file():
        raise DataError("no such portfolio file", path=str(p))
    if p.suffix.lower() == ".csv":
        return _from_csv(p, known)
    data, lines, source = read_yaml(p)
    ctx = {"known": list(known) if known is not None else None}
    pf = validate(Portfolio, data, lines, source, ctx)
    return pf.model_copy(update={"path": source})
