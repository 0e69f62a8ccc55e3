"""Factory for sections that render one or more engine results generically.

Engines are called through :mod:`crashlens.report.engines` (the same calls the API makes).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from crashlens.report import engines
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._generic import render_result

#: The attached event's file each file-driven engine reads.
EVENT_FILE = {"scenarios": "scenarios", "audit": "claims", "catalysts": "catalysts"}


def engine_request(ctx: ReportContext, name: str | None = None) -> engines.Request:
    """The engine request of a report.

    Its as-of date, event window and, for the engines that read one (scenarios, audit,
    catalysts), the attached event's file.
    """
    kind = EVENT_FILE.get(name or "")
    ev = ctx.attached
    file = ev.files().get(kind) if (kind and ev is not None) else None
    if file is not None and kind == "catalysts" and ("/" in file or file.endswith(".yaml")):
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
    key = f"engine:{name}"
    if key not in ctx.cache:
        ctx.cache[key] = engines.call(name, engine_request(ctx, name))
    return ctx.cache[key]


def unavailable(ctx: ReportContext, out: SectionOutput, name: str) -> bool:
    """Mark ``out`` unavailable (with the translated notice) if engine ``name`` is absent."""
    eng = engines.get_engine(name)
    if eng.available():
        return False
    out.status = "unavailable"
    out.notice = ctx.t("state.unavailable", what=ctx.t(eng.engine_key))
    return True


def engine_section(section_id: str, names: list[str]) -> Callable[[ReportContext], SectionOutput]:
    """Return a ``build(ctx)`` that calls each named engine and renders what it returns.

    The section is "unavailable" only when none of its engines exists in this build; an
    engine error (:class:`~crashlens.errors.CrashlensError`) propagates to the builder.
    """

    def build(ctx: ReportContext) -> SectionOutput:
        out = SectionOutput(section_id, ctx.t(f"section.{section_id}"))
        missing = []
        for name in names:
            eng = engines.get_engine(name)
            if not eng.available():
                missing.append(ctx.t("state.unavailable", what=ctx.t(eng.engine_key)))
                continue
            render_result(ctx, out, cached_call(ctx, name), name)
        if missing and len(missing) == len(names):
            out.status = "unavailable"
        if missing:
            out.notice = " ".join(missing)
        return out

    return build
