"""Report section ``cta``: renders ``crashlens.cta`` results.

Shows a translated "not available in this build" notice until the engine exists.
"""

from __future__ import annotations

from crashlens.report.sections._engine import engine_section

SECTION_ID = "cta"

build = engine_section(SECTION_ID, ["cta"])
