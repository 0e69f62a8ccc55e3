"""What every engine section copies from its result: assumptions and warnings."""

from __future__ import annotations

from typing import Any

from crashlens.report.context import SectionOutput


def copy_meta(out: SectionOutput, result: Any, prefix: str = "") -> None:
    """Copy a result's assumptions (optionally prefixed) and warnings into ``out``.

    Warnings are kept as they are (a :class:`crashlens.notes.Note` stays a note), so the
    builder renders each in the report's language (:func:`crashlens.notes.text`).
    """
    for k, v in result.assumptions.items():
        out.assumptions[f"{prefix}{k}"] = v
    out.warnings.extend(result.warnings)


__all__ = ["copy_meta"]
