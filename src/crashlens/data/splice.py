"""Build a catalog series from its raw sources: load each, check overlaps, splice."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from crashlens.data.catalog import VOLUME_RANGE, SeriesSpec
from crashlens.data.loaders import load
from crashlens.data.loaders._validate import check_plausible
from crashlens.data.schema import Kind, columns_for
from crashlens.errors import DataError


@dataclass(frozen=True)
class Coverage:
    """Which dates one source contributed to a spliced series.

    ``role`` is ``primary`` (first source), ``extends`` (adds dates) or ``cross-check``
    (adds none; only checked on the overlap). ``median_rel_diff`` / ``max_rel_diff`` compare its
    closes with the series built so far on the overlapping dates.
    """

    series: str
    source: str
    role: str
    rows: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    overlap_rows: int = 0
    median_rel_diff: float | None = None
    max_rel_diff: float | None = None


@dataclass
class BuiltSeries:
    """A spliced series with its coverage records and loader notes."""

    frame: pd.DataFrame
    coverage: list[Coverage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _key_column(kind: Kind) -> str:
    return "value" if kind in (Kind.VALUE, Kind.FUNDING) else (
        "open_interest" if kind is Kind.COT else "close")


def splice(spec: SeriesSpec, parts: list[tuple[str, pd.DataFrame]]) -> BuiltSeries:
    """Splice source frames in priority order, checking consistency on every overlap.

    The first frame is kept whole; each later frame contributes only dates not yet covered.
    On overlapping dates the median relative difference of the key column (close / value) must
    not exceed ``spec.splice_tolerance``, else the splice is refused with an error naming both
    sources and the worst date: a silent level shift would corrupt every return computed across
    the seam.
    """
    key = _key_column(spec.kind)
    built: pd.DataFrame | None = None
    coverage: list[Coverage] = []
    for source, frame in parts:
        if built is None:
            built = frame
            coverage.append(Coverage(spec.name, source, "primary", len(frame),
                                     frame.index.min(), frame.index.max()))
            continue
        common = built.index.intersection(frame.index)
        med = mx = None
        if len(common):
            a = built.loc[common, key].to_numpy()
            b = frame.loc[common, key].to_numpy()
            rel = np.abs(b / a - 1.0)
            med, mx = float(np.median(rel)), float(rel.max())
            if med > spec.splice_tolerance:
                worst = common[int(np.argmax(rel))].date()
                raise DataError(
                    f"series {spec.name}: source '{source}' disagrees with "
                    f"'{coverage[0].source}' on {len(common)} overlapping dates (median relative "
                    f"difference {med:.2%} > tolerance {spec.splice_tolerance:.2%}; worst "
                    f"{worst})", path=source)
        new = frame.loc[frame.index.difference(built.index)]
        role = "extends" if len(new) else "cross-check"
        coverage.append(Coverage(
            spec.name, source, role, len(new),
            new.index.min() if len(new) else None, new.index.max() if len(new) else None,
            len(common), med, mx))
        if len(new):
            built = pd.concat([built, new]).sort_index()
    assert built is not None
    built.index.name = "date"
    return BuiltSeries(built, coverage)


def build_series(spec: SeriesSpec, data_dir: Path) -> BuiltSeries:
    """Load every source of a series from ``data_dir`` and splice them."""
    parts: list[tuple[str, pd.DataFrame]] = []
    notes: list[str] = []
    for src in spec.sources:
        loaded = load(src.loader, data_dir / src.file, spec.kind, dict(src.options))
        # COT columns vary by report: every column of the loaded frame is then checked.
        checked = [c for c in (columns_for(spec.kind) or tuple(loaded.frame.columns))
                   if c != "volume"]
        # Checked per source, so the error names the file that holds the implausible value.
        check_plausible(loaded.frame, checked, spec.plausible_range, data_dir / src.file,
                        f"{spec.name} ({spec.unit})")
        check_plausible(loaded.frame, ["volume"], VOLUME_RANGE, data_dir / src.file,
                        f"{spec.name} volume")
        parts.append((src.file, loaded.frame))
        notes.extend(f"{src.file}: {n}" for n in loaded.notes)
    result = splice(spec, parts)
    result.notes = notes
    return result
