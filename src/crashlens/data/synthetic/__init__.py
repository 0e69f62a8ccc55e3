"""Deterministic synthetic market with a scripted sell-off (offline default and test truth).

``generate()`` builds, from one seed, a multi-asset daily market from 2005-01-03 to 2026-08-21:
equity indices, ETFs and single stocks with chosen betas to SPX and BTC, CBOE-style volatility
indices consistent with SPX's volatility, crypto (7-day calendar) with perp open interest and
funding, commodities, FX, Treasury yields, Fed policy rates, credit spreads, monthly and weekly
macro releases (one deliberately missing), CFTC COT positions, and an SPX option chain on any
day. Scripted episodes: a calm bull trend into an all-time high on 2025-10-29, a sell-off to
2025-11-20 (about -9 %, VIX above 25, VIX term structure inverted), a BTC peak on 2025-10-06
with a ~30 % drawdown to 2025-11-21 (liquidation cascade on 2025-10-10), a cross-asset
correlation spike, and historical stress episodes (2008, 2018, 2020, 2022, 2025-04) for analogs.
``market.truth`` records the realised facts engines must recover.

Everything derived from it must be labelled :data:`SYNTHETIC_LABEL`. See ``docs/synthetic.md``.

Examples
--------
>>> from crashlens.data.synthetic import generate
>>> m = generate()
>>> round(m.truth.selloff.depth, 3)
-0.09
>>> bool(m.series["VIX"]["close"].loc["2025-10-29":"2025-11-20"].max() > 25)
True
"""

from crashlens.data.synthetic._market import (
    CORR_SPIKE_ASSETS,
    SERIES_KINDS,
    SYNTHETIC_LABEL,
    SyntheticMarket,
    generate,
)
from crashlens.data.synthetic._params import (
    DEFAULT_END,
    DEFAULT_SEED,
    DEFAULT_START,
    ChainParams,
    CryptoSpec,
    EpisodeSpec,
    StockSpec,
    SyntheticParams,
)
from crashlens.data.synthetic._truth import ChainTruth, EpisodeTruth, SyntheticTruth

__all__ = [
    "CORR_SPIKE_ASSETS",
    "DEFAULT_END",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "SERIES_KINDS",
    "SYNTHETIC_LABEL",
    "ChainParams",
    "ChainTruth",
    "CryptoSpec",
    "EpisodeSpec",
    "EpisodeTruth",
    "StockSpec",
    "SyntheticMarket",
    "SyntheticParams",
    "SyntheticTruth",
    "generate",
]
