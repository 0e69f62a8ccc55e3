"""Crypto leverage: drawdown, funding, market OI, liquidations, replays, stablecoin supply.

Liquidations: liquidation prices, a map and cascades on market-wide open interest, and the
replay of real days.
"""

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
from crashlens.crypto.market import CoverageFit, coverage_fit, market_oi, oi_snapshot
from crashlens.crypto.model import LiquidationModel, simulate
from crashlens.crypto.replay import ReplayResult, replay
from crashlens.crypto.result import CryptoHistory, CryptoResult
from crashlens.crypto.stablecoins import StablecoinResult, stablecoins

__all__ = [
    "DEFAULT_MMR",
    "DEFAULT_TIERS",
    "DEFAULT_TIER_WEIGHTS",
    "CoverageFit",
    "CryptoHistory",
    "CryptoResult",
    "LiquidationModel",
    "ReplayResult",
    "StablecoinResult",
    "annualise_funding",
    "bin_cohorts",
    "build_cohorts",
    "cascade",
    "coverage_fit",
    "drawdown",
    "leverage",
    "leverage_history",
    "liquidation_price",
    "market_oi",
    "oi_snapshot",
    "oi_weighted_funding",
    "realised_vol",
    "replay",
    "simulate",
    "stablecoins",
]
