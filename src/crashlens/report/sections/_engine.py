"""Factory for sections that render one or more engine results generically.

Engines are called through :mod:`crashlens.report.engines` (the same calls the API makes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crashlens.report import engines
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._generic import render_result


def engine_request(ctx: ReportContext) -> engines.Request:
    """The engine request of a report: its as-of date and event window."""
    return engines.Request(asof=ctx.asof, start=ctx.start)


def cached_call(ctx: ReportContext, name: str) -> Any:
    """Call engine ``name`` once per report (results are shared between sections)."""
    key = f"engine:{name}"
    if key not in ctx.cache:
        ctx.cache[key] = engines.call(name, engine_request(ctx))
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
