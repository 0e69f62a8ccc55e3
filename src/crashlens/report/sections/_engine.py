"""Factory for sections that render one or more engine results generically."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.sections._generic import render_result, run_engine

#: (module under crashlens, candidate function names, engine catalogue key, data key)
Part = tuple[str, tuple[str, ...], str, str]


def engine_section(section_id: str, parts: list[Part],
                   extra: Callable[[ReportContext], dict[str, Any]] | None = None,
                   ) -> Callable[[ReportContext], SectionOutput]:
    """Return a ``build(ctx)`` that calls each engine part and renders what it returns.

    The section is "unavailable" only when none of its engines exists in this build.
    """

    def build(ctx: ReportContext) -> SectionOutput:
        out = SectionOutput(section_id, ctx.t(f"section.{section_id}"))
        kwargs: dict[str, Any] = {"asof": ctx.asof}
        if extra is not None:
            kwargs.update(extra(ctx))
        missing = []
        for module, names, engine_key, key in parts:
            part = SectionOutput(section_id, out.title)
            result = run_engine(ctx, part, module, names, engine_key, **kwargs)
            if result is None:
                missing.append(part.notice)
                continue
            ctx.cache[key] = result
            render_result(ctx, out, result, key)
        if missing and len(missing) == len(parts):
            out.status = "unavailable"
        if missing:
            out.notice = " ".join(missing)
        return out

    return build
