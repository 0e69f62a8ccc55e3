"""crashlens — open, reproducible market-structure forensics of sell-offs.

Subpackages are imported lazily so ``import crashlens`` stays fast::

    import crashlens as cl
    spx = cl.data.get("SPX", "2025-01-01", "2025-11-21")
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBPACKAGES = {
    "data", "options", "cta", "crypto", "systemic", "macro", "episodes",
    "scenarios", "audit", "report", "api", "engine",
}


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return importlib.import_module(f"crashlens.{name}")
    raise AttributeError(f"module 'crashlens' has no attribute '{name}'")


__all__ = sorted(_SUBPACKAGES | {"__version__"})
