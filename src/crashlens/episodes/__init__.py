"""Episodes engine: sell-off anatomy, the episode library, analogs and catalysts."""

from __future__ import annotations

from crashlens.episodes.anatomy import AnatomyResult, anatomy
from crashlens.episodes.library import NAMED_EPISODES, LibraryResult, NamedEpisode, library

__all__ = ["NAMED_EPISODES", "AnatomyResult", "LibraryResult", "NamedEpisode", "anatomy",
           "library"]
