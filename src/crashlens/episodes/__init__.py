"""Episodes engine: sell-off anatomy, the episode library, analogs and catalysts.

Public API::

    import crashlens as cl
    cl.episodes.anatomy("2025-11-17", "2025-11-21")      # AnatomyResult
    cl.episodes.library()                                 # LibraryResult
    cl.episodes.analogs("2025-11-21")                     # AnalogsResult
    cl.episodes.catalysts(cl.episodes.shipped_events_path())   # CatalystsResult

Every function takes ``source=`` (a :class:`crashlens.data.Source`, a folder or frames; default
the store). SPX, the market calendar, is required; context series a source lacks (breadth
stocks, yields, cross assets) are left out with a note naming them.
"""

from __future__ import annotations

from crashlens.episodes.analogs import AnalogsResult, analogs
from crashlens.episodes.anatomy import SPX_DIVISOR, AnatomyResult, anatomy
from crashlens.episodes.catalysts import CatalystsResult, catalysts
from crashlens.episodes.events import (
    Basket,
    CatalystEvent,
    EventFile,
    Roll,
    Timing,
    load_events,
    parse_events,
    shipped_events_path,
)
from crashlens.episodes.library import NAMED_EPISODES, LibraryResult, NamedEpisode, library
from crashlens.episodes.state import FEATURES, state_frame

__all__ = [
    "FEATURES", "NAMED_EPISODES", "SPX_DIVISOR", "AnalogsResult", "AnatomyResult", "Basket",
    "CatalystEvent", "CatalystsResult", "EventFile", "LibraryResult", "NamedEpisode", "Roll",
    "Timing", "analogs", "anatomy", "catalysts", "library", "load_events", "parse_events",
    "shipped_events_path", "state_frame",
]
