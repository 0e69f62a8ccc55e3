"""Shared machinery of result objects: JSON-safe serialisation and the assumptions block.

Every engine returns a frozen dataclass deriving from :class:`Result`. The report, the CLI's
``--json`` and the API all serialise the same object through :meth:`Result.to_dict`, so there is
one truth per computation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def json_safe(value: Any) -> Any:
    """Convert numpy / pandas / datetime / enum values into plain JSON types.

    NaN and infinities become ``None`` (JSON has no NaN); dates become ISO strings;
    DataFrames become a list of row records and Series a ``{label: value}`` mapping.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        if value == value.normalize() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is pd.NaT:
        return None
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index() if not isinstance(value.index, pd.RangeIndex) else value
        return [json_safe(r) for r in frame.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(json_safe(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [json_safe(v) for v in value.tolist()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return value.to_dict()
        return {f.name: json_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(json_safe(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    if hasattr(value, "item"):
        return json_safe(value.item())
    return str(value)


@dataclasses.dataclass(frozen=True)
class Result:
    """Base of all result objects.

    Subclasses add their own fields and override :meth:`to_dict` / :meth:`summary` when the
    default (every dataclass field, JSON-safe) is not the documented shape.

    Attributes
    ----------
    assumptions : dict
        Every modelling parameter the computation used, by name.
    warnings : tuple of str
        Data-quality or modelling caveats met while computing (stale data, exclusions, ...).
    """

    assumptions: Mapping[str, Any] = dataclasses.field(default_factory=dict, kw_only=True)
    warnings: tuple[str, ...] = dataclasses.field(default=(), kw_only=True)

    def _repr_html_(self) -> str:
        """Notebook display: the text summary, then the assumptions and warnings, folded."""
        from html import escape

        parts = [f"<pre style='white-space:pre-wrap'>{escape(self.summary())}</pre>"]
        if self.assumptions:
            rows = "".join(f"<tr><th style='text-align:left'>{escape(str(k))}</th>"
                           f"<td style='text-align:left'>{escape(str(v))}</td></tr>"
                           for k, v in self.assumptions.items())
            parts.append(f"<details><summary>assumptions ({len(self.assumptions)})</summary>"
                         f"<table>{rows}</table></details>")
        if self.warnings:
            items = "".join(f"<li>{escape(w)}</li>" for w in self.warnings)
            parts.append(f"<details><summary>warnings ({len(self.warnings)})</summary>"
                         f"<ul>{items}</ul></details>")
        return "".join(parts)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """Return the result as JSON-safe plain Python objects."""
        out = {
            f.name: json_safe(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.repr
        }
        return out

    def summary(self) -> str:
        """Return a short human-readable text summary."""
        lines = [type(self).__name__]
        for key, val in self.to_dict().items():
            if key in {"assumptions", "warnings"} or isinstance(val, list | dict):
                continue
            lines.append(f"  {key}: {val}")
        if self.assumptions:
            pairs = ", ".join(f"{k}={v}" for k, v in self.assumptions.items())
            lines.append(f"  assumptions: {pairs}")
        for w in self.warnings:
            lines.append(f"  warning: {w}")
        return "\n".join(lines)


def frame_summary(title: str, frame: pd.DataFrame) -> list[str]:
    """Summary lines of a dated frame: its span and row count, then its last row."""
    if frame.empty:
        return [f"{title}: no rows"]
    lines = [f"{title}: {len(frame)} rows, {json_safe(frame.index[0])} .. "
             f"{json_safe(frame.index[-1])}"]
    for col, val in frame.iloc[-1].items():
        v = json_safe(val)
        text = "n/a" if v is None else f"{v:,.6g}" if isinstance(v, float) else str(v)
        lines.append(f"  {col}: {text}")
    return lines


@dataclasses.dataclass(frozen=True)
class FrameResult(Result):
    """A daily history: one frame of indicators over a date range.

    Attributes
    ----------
    frame : DataFrame
        Index = dates; one column per indicator (documented by the subclass).
    synthetic : bool
        True when computed on the synthetic market.
    """

    frame: pd.DataFrame
    synthetic: bool = False

    def to_frame(self) -> pd.DataFrame:
        """The daily frame (a copy)."""
        return self.frame.copy()

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe: ``{"frame": [records], "synthetic", "assumptions", "warnings"}``."""
        return {"frame": json_safe(self.frame), "synthetic": self.synthetic,
                "assumptions": json_safe(self.assumptions), "warnings": list(self.warnings)}

    def summary(self) -> str:
        """Span, row count and the last row of the frame."""
        title = type(self).__name__ + (" [SYNTHETIC DATA]" if self.synthetic else "")
        lines = frame_summary(title, self.frame)
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)
