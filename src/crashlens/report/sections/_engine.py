"""Engine calls of the report sections, through :mod:`crashlens.report.engines`.

The sections call engines through the registry (the same calls the API makes); each engine
runs once per report and its result is shared between sections. The report's source is
already the active one while a section runs (:func:`crashlens.report.builder.record_reads`),
so the requests made here carry no source of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crashlens.report import engines
from crashlens.report.context import ReportContext, SectionOutput

#: The attached event's file each file-driven engine reads.
EVENT_FILE = {"scenarios": "scenarios", "audit": "claims", "catalysts": "catalysts"}


def engine_request(ctx: ReportContext, name: str | None = None) -> engines.Request:
    """The engine request of a report.

    Its as-of date, event window and, for the engines that read one (scenarios, audit,
    catalysts), the attached event's file.
    """
    file = event_file(ctx, name) if name in EVENT_FILE else None
    if file is not None and name == "catalysts" and ("/" in file or file.endswith(".yaml")):
        return engines.Request(asof=ctx.asof, start=ctx.start, catalysts_file=Path(file))
    return engines.Request(asof=ctx.asof, start=ctx.start, example=file)


def event_file(ctx: ReportContext, name: str) -> str | None:
    """The attached event's file for engine ``name`` (None: no event covers the date)."""
    ev = ctx.attached
    return ev.files().get(EVENT_FILE[name]) if ev is not None else None


def omit_without_event(ctx: ReportContext, out: SectionOutput, name: str) -> bool:
    """Leave a file-driven section out, with its reason, when no event file applies."""
    if event_file(ctx, name) is not None:
        return False
    out.status = "omitted"
    out.notice = ctx.t("state.no_event_file", what=ctx.t(f"event_file.{EVENT_FILE[name]}"),
                       date=ctx.asof.date().isoformat())
    return True


def cached_call(ctx: ReportContext, name: str) -> Any:
    """Call engine ``name`` once per report (results are shared between sections)."""
    key = _key(name)
    if key not in ctx.cache:
        ctx.cache[key] = engines.call(name, engine_request(ctx, name))
    return ctx.cache[key]


def _key(name: str) -> str:
    return f"engine:{name}"


def cached_result(ctx: ReportContext, name: str) -> Any:
    """The result of engine ``name`` if a section of this report already computed it, else None.

    For the summary, which tells what the sections measured and never runs an engine itself.
    """
    return ctx.cache.get(_key(name))


__all__ = ["EVENT_FILE", "cached_call", "cached_result", "engine_request", "event_file",
           "omit_without_event"]
