"""Report section ``systemic``: renders ``crashlens.systemic`` results.

Shows a translated "not available in this build" notice until the engine exists.
"""

from __future__ import annotations

from crashlens.report.sections._engine import engine_section

SECTION_ID = "systemic"

build = engine_section(SECTION_ID, ["fragility"])
