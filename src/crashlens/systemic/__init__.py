"""Systemic risk: absorption ratio, turbulence, correlation surprise, crowding, fragility."""

from __future__ import annotations

from crashlens.systemic.fragility import (
    DEFAULT_UNIVERSE,
    DEFAULT_WEIGHTS,
    fragility,
    fragility_history,
)
from crashlens.systemic.indicators import (
    absorption_ratio,
    absorption_shift,
    average_correlation,
    turbulence,
)
from crashlens.systemic.results import (
    ContagionHistory,
    ContagionResult,
    FragilityHistory,
    FragilityResult,
)

__all__ = [
    "DEFAULT_UNIVERSE", "DEFAULT_WEIGHTS", "ContagionHistory", "ContagionResult",
    "FragilityHistory", "FragilityResult", "absorption_ratio", "absorption_shift",
    "average_correlation", "fragility", "fragility_history", "turbulence",
]
