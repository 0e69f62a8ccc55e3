"""CTA / trend-follower engine: positioning, trigger levels and projected flows.

Method: ``METHODOLOGY.md`` §1. Signals (TSMOM sign, capped vol-normalised momentum, EWMAC,
moving-average crossover) over several horizons are blended into ``S`` in [-1, 1] per asset;
an EWMA ex-ante vol and risk budgets size a book scaled to a portfolio vol target with a rolling
correlation; AUM turns weights into USD. Triggers are the closes that flip each signal
tomorrow; flows re-simulate the model along scenario and bootstrapped paths.

The default parameters are the ``desk`` preset (``CTAParams.preset("desk")``): pivot groups,
vol, percentile window and dollar scale fitted by :func:`calibrate` to published desk readings
with time-series cross-validation, on the global universe; ``CTAParams.preset("generic")`` is
the uncalibrated replica. The book is always the whole universe; ``assets`` selects rows.
Closes are read from the active source (``source=`` of each function, default the store): the
book is what that source holds of the universe, the members it lacks named in a note.

Example
-------
>>> import crashlens as cl                                          # doctest: +SKIP
>>> res = cl.cta.positioning("2025-11-20")                          # doctest: +SKIP
>>> res.assets["SPX"]["triggers"]                                   # doctest: +SKIP
"""

from crashlens.cta.api import history, positioning, sensitivity
from crashlens.cta.calibration import CTACalibration, calibrate_aum
from crashlens.cta.desk import DeskReadings, read_readings
from crashlens.cta.fit import DeskCalibration, calibrate
from crashlens.cta.params import (
    DEFAULT_SECTORS,
    DEFAULT_UNIVERSE,
    GLOBAL_UNIVERSE,
    CTAParams,
    SignalFamily,
    VolEstimator,
    preset_report,
)
from crashlens.cta.result import CTAHistory, CTAResult, CTASensitivity
from crashlens.cta.signals import AssetModel, extend, fit_asset
from crashlens.cta.triggers import aggregate_trigger, component_trigger
from crashlens.cta.universe import yield_to_price

__all__ = [
    "DEFAULT_SECTORS",
    "DEFAULT_UNIVERSE",
    "GLOBAL_UNIVERSE",
    "AssetModel",
    "CTACalibration",
    "CTAHistory",
    "CTAParams",
    "CTAResult",
    "CTASensitivity",
    "DeskCalibration",
    "DeskReadings",
    "SignalFamily",
    "VolEstimator",
    "aggregate_trigger",
    "calibrate",
    "calibrate_aum",
    "component_trigger",
    "extend",
    "fit_asset",
    "history",
    "positioning",
    "preset_report",
    "read_readings",
    "sensitivity",
    "yield_to_price",
]
