"""Report section ``crypto``: leverage (``crashlens.crypto``) and contagion (``systemic``)."""

from __future__ import annotations

from crashlens.report.sections._engine import engine_section

SECTION_ID = "crypto"

build = engine_section(SECTION_ID, ["crypto", "contagion"])
