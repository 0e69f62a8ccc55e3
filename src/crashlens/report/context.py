"""The context shared by report sections and the objects a section returns.

A section is a module of :mod:`crashlens.report.sections` with ``SECTION_ID`` and
``build(ctx) -> SectionOutput``. It reads data through :meth:`ReportContext.close` /
:meth:`ReportContext.get` so the provenance section can list every series the report used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pandas as pd

from crashlens import data as cldata
from crashlens._result import json_safe
from crashlens.data.source import is_store
from crashlens.report.events import Event
from crashlens.report.i18n import Translator


@dataclasses.dataclass
class Table:
    """A rendered table: translated caption and headers, rows of already formatted strings.

    ``numbers`` optionally holds the raw values behind each cell (same shape as ``rows``,
    None where a cell is text) so the dashboard and its tests can compare with the API's JSON.
    """

    caption: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""
    numbers: list[list[float | None]] | None = None
    ident: str = ""


@dataclasses.dataclass
class Chart:
    """A plotly figure with its translated caption and source line."""

    caption: str
    figure: Any
    source: str = ""
    ident: str = ""


@dataclasses.dataclass
class Force:
    """One force for the executive summary: a label, its size and how it is measured.

    ``kind`` is ``"move"`` (an observed move, ``score`` = its absolute size in σ) or
    ``"flow"`` (a mechanical flow, ``score`` = its absolute size in US$ bn); the summary ranks
    each kind separately. ``size`` is the formatted display.
    """

    label: str
    size: str
    detail: str
    score: float
    kind: str = "move"


@dataclasses.dataclass(frozen=True)
class Sentence:
    """One sentence of the executive summary and the section that measures it."""

    text: str
    section: str


@dataclasses.dataclass
class SectionOutput:
    """What a section renders: paragraphs, tables, charts, its assumptions and warnings."""

    ident: str
    title: str
    # ok | unavailable | omitted (no data for this date; the notice says why) | error
    status: str = "ok"
    notice: str = ""
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    tables: list[Table] = dataclasses.field(default_factory=list)
    charts: list[Chart] = dataclasses.field(default_factory=list)
    assumptions: dict[str, Any] = dataclasses.field(default_factory=dict)
    warnings: list[str] = dataclasses.field(default_factory=list)
    forces: list[Force] = dataclasses.field(default_factory=list)
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    seconds: float = 0.0
    argument: list[Sentence] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (charts as plotly JSON, tables with headers, rows and raw numbers)."""
        return {
            "id": self.ident,
            "title": self.title,
            "status": self.status,
            "notice": self.notice,
            "paragraphs": list(self.paragraphs),
            "argument": [{"text": a.text, "section": a.section} for a in self.argument],
            "tables": [json_safe(dataclasses.asdict(t)) for t in self.tables],
            "charts": [{"id": c.ident, "caption": c.caption, "source": c.source}
                       for c in self.charts],
            "assumptions": json_safe(self.assumptions),
            "warnings": list(self.warnings),
            "forces": [json_safe(dataclasses.asdict(f)) for f in self.forces],
            "data": json_safe(self.data),
        }


@dataclasses.dataclass
class ReportContext:
    """Inputs of one report: as-of date, event window, language and shared state.

    Attributes
    ----------
    asof : Timestamp
        Nothing after this date is used (except in the ex-post scorecard, which says so).
    start, end : Timestamp
        The event window (inclusive); ``end`` equals ``asof``.
    lang : str
        ``"en"`` or ``"zh"``.
    event : str or None
        The named event (``"2025-11"``) or None for a bare ``--asof`` report.
    synthetic : bool
        Whether the store holds the synthetic market.
    attached : Event or None
        The event whose files (scenarios, claims, catalysts) this report uses: the named event,
        else the one covering the as-of date (:func:`crashlens.report.events.covering`).
    retrospective : bool
        Whether ex-post material (the scenario scorecard, graded with data after ``asof``) is
        wanted; off by default so a report as of D uses only what was known at D.
    source : Source or None
        Where every section reads its series (None: the source active when a section runs,
        normally the store); see :class:`crashlens.data.Source`.
    """

    asof: pd.Timestamp
    start: pd.Timestamp
    end: pd.Timestamp
    lang: str
    event: str | None
    synthetic: bool
    t: Translator
    used: set[str] = dataclasses.field(default_factory=set)
    outputs: dict[str, SectionOutput] = dataclasses.field(default_factory=dict)
    cache: dict[str, Any] = dataclasses.field(default_factory=dict)
    attached: Event | None = None
    retrospective: bool = False
    source: cldata.Source | None = None

    def data_source(self) -> cldata.Source:
        """The source the report reads: ``source``, else the active one (normally the store)."""
        return self.source if self.source is not None else cldata.active()

    def source_label(self) -> str | None:
        """The label of a source other than the crashlens store; None for the store.

        The store seen as of a date (:class:`~crashlens.data.CutSource`) is still the store.
        """
        src = self.data_source()
        return None if is_store(src) else src.base.label

    def close(self, name: str, start: Any = None, end: Any = None) -> pd.Series:
        """Close / value of a series up to the as-of date (recorded for provenance)."""
        hi = self.asof if end is None else min(pd.Timestamp(end), self.asof)
        out = cldata.close(name, start, hi).dropna()
        self.used.add(str(out.name))
        return out

    def get(self, name: str, start: Any = None, end: Any = None,
            fields: Sequence[str] | str | None = None) -> pd.DataFrame:
        """Full frame of a series up to the as-of date (recorded for provenance)."""
        hi = self.asof if end is None else min(pd.Timestamp(end), self.asof)
        out = cldata.get(name, start, hi, fields=fields)
        self.used.add(cldata.spec(name).name)
        return out


__all__ = ["Chart", "Force", "ReportContext", "SectionOutput", "Sentence", "Table"]
