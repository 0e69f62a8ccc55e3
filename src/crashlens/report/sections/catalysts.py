"""Report section ``catalysts``: renders ``crashlens.episodes`` results.

Shows a translated "not available in this build" notice until the engine exists.
"""

from __future__ import annotations

from crashlens.report.sections._engine import engine_section

SECTION_ID = "catalysts"

build = engine_section(SECTION_ID, ["catalysts"])
