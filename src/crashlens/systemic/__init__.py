"""Systemic risk and contagion: absorption ratio, turbulence, crowding, fragility, spillovers."""

from __future__ import annotations

from crashlens.systemic.contagion import (
    DEFAULT_BASKET,
    DEFAULT_EQUITIES,
    DEFAULT_SPILLOVER,
    contagion,
    contagion_history,
    rolling_beta,
)
from crashlens.systemic.covar import delta_covar
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
from crashlens.systemic.spillover import rolling_spillover, spillover

__all__ = [
    "DEFAULT_BASKET", "DEFAULT_EQUITIES", "DEFAULT_SPILLOVER", "DEFAULT_UNIVERSE",
    "DEFAULT_WEIGHTS", "ContagionHistory", "ContagionResult", "FragilityHistory",
    "FragilityResult", "absorption_ratio", "absorption_shift", "average_correlation",
    "contagion", "contagion_history", "delta_covar", "fragility", "fragility_history",
    "rolling_beta", "rolling_spillover", "spillover", "turbulence",
]
