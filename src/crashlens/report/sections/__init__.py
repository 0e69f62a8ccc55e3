"""Report sections, in the order a strategist's note reads.

Each module has ``SECTION_ID`` and ``build(ctx) -> SectionOutput``. ``summary`` is rendered
first but built after the others (it ranks their forces); ``provenance`` is built last (it lists
what all others used).
"""

from __future__ import annotations

#: Rendering order.
ORDER: tuple[str, ...] = (
    "summary", "anatomy", "cta", "gamma", "crypto", "systemic", "macro", "catalysts",
    "analogs", "scenarios", "audit", "provenance",
)
#: Sections built after all the others, in this order.
LATE: tuple[str, ...] = ("summary", "provenance")

__all__ = ["LATE", "ORDER"]
