"""Crypto leverage: drawdown, funding, open interest, liquidation prices, map and cascades."""

from __future__ import annotations

from crashlens.crypto.leverage import (
    annualise_funding,
    drawdown,
    leverage,
    leverage_history,
    oi_weighted_funding,
    realised_vol,
)
from crashlens.crypto.liquidation import (
    DEFAULT_MMR,
    DEFAULT_TIER_WEIGHTS,
    DEFAULT_TIERS,
    bin_cohorts,
    build_cohorts,
    cascade,
    liquidation_price,
)
from crashlens.crypto.result import CryptoHistory, CryptoResult

__all__ = [
    "DEFAULT_MMR", "DEFAULT_TIERS", "DEFAULT_TIER_WEIGHTS", "CryptoHistory", "CryptoResult",
    "annualise_funding", "bin_cohorts", "build_cohorts", "cascade", "drawdown", "leverage",
    "leverage_history", "liquidation_price", "oi_weighted_funding", "realised_vol",
]
