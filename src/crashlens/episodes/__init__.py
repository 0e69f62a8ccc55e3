"""Episodes engine: sell-off anatomy, the episode library, analogs and catalysts.

Public API::

    import crashlens as cl
    cl.episodes.anatomy("2025-11-17", "2025-11-21")   # AnatomyResult
    cl.episodes.library()                              # LibraryResult
    cl.episodes.analogs("2025-11-21")                  # AnalogsResult
"""

from __future__ import annotations

from crashlens.episodes.analogs import AnalogsResult, analogs
from crashlens.episodes.anatomy import AnatomyResult, anatomy
from crashlens.episodes.library import NAMED_EPISODES, LibraryResult, NamedEpisode, library
from crashlens.episodes.state import FEATURES, state_frame

__all__ = ["FEATURES", "NAMED_EPISODES", "AnalogsResult", "AnatomyResult", "LibraryResult",
           "NamedEpisode", "analogs", "anatomy", "library", "state_frame"]
