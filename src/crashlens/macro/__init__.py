"""Macro / policy lens: rates and cut pricing, labour and inflation, data vacuum, 1970s analog.

Public API::

    import crashlens as cl
    cl.macro.lens("2025-11-21")                      # MacroLensResult
    cl.macro.fedwatch({"2025-12": 96.2}, current_rate=3.88, current_range=(3.75, 4.0))
    cl.macro.detect_gaps(series, cl.macro.SCHEDULE[2], asof)

``lens``, ``vacuum_table`` and the file readers (``first_prints``, ``fed_odds``) take
``source=`` (a :class:`crashlens.data.Source`, a folder or frames; default the store); files are
read from the source's folder of raw files (:func:`crashlens.data.files_dir`).
"""

from __future__ import annotations

from crashlens.macro.inflation import inflation_analog
from crashlens.macro.lens import MacroLensResult, lens
from crashlens.macro.rates import FOMC_MEETINGS, FedWatchResult, fedwatch, implied_path
from crashlens.macro.releases import (
    SCHEDULE,
    ReleaseFrequency,
    ReleaseSpec,
    detect_gaps,
    vacuum_table,
    visible,
)

__all__ = [
    "FOMC_MEETINGS", "SCHEDULE", "FedWatchResult", "MacroLensResult", "ReleaseFrequency",
    "ReleaseSpec", "detect_gaps", "fedwatch", "implied_path", "inflation_analog", "lens",
    "vacuum_table", "visible",
]
