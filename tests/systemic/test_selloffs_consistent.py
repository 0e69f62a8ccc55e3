"""The sell-offs shaded on systemic charts agree with the episodes library's named windows."""

from __future__ import annotations

import pandas as pd

from crashlens.episodes.library import NAMED_EPISODES
from crashlens.systemic.results import SELLOFFS


def test_each_shaded_selloff_lies_in_a_named_episode_window() -> None:
    windows = [(pd.Timestamp(e.search_start), pd.Timestamp(e.search_end))
               for e in NAMED_EPISODES]
    for label, peak, trough in SELLOFFS:
        p, t = pd.Timestamp(peak), pd.Timestamp(trough)
        assert p < t, label
        assert any(lo <= p and t <= hi for lo, hi in windows), (
            f"{label} {peak}..{trough} is in no NAMED_EPISODES search window")
