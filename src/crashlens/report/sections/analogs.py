"""Report section ``analogs``: renders ``crashlens.episodes`` results.

Shows a translated "not available in this build" notice until the engine exists.
"""

from __future__ import annotations

from crashlens.report.sections._engine import engine_section

SECTION_ID = "analogs"

build = engine_section(SECTION_ID, ["analogs"])
