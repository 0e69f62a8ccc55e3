"""gamma_profile / gamma_history on a source= : chains come from the source's folder of files.

A :class:`~crashlens.data.FramesSource` built from the store's own S&P 500 frame with
``files=`` the raw folder must give the store's dealer levels; without ``files=`` there is no
chain (one-line DataError), never the synthetic one; two sources whose folders hold files of
the same name never share the cached levels.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import crashlens as cl
from crashlens.errors import CrashlensError, DataError
from crashlens.options import gamma_history, gamma_profile

pytestmark = pytest.mark.realdata

ASOF = "2025-11-20"
NOV = "spy_options_chain_20251120_quotedata.csv"
SEP = "spy_options_chain_20250925_quotedata.csv"


def _frames(files=None):
    return cl.data.FramesSource({"SPX": cl.data.get("SPX", end=ASOF)}, files=files)


def test_gamma_profile_on_frames_with_the_raw_folder_equals_the_store(raw_dir: Path):
    on_store = gamma_profile(ASOF)
    on_frames = gamma_profile(ASOF, source=_frames(raw_dir))
    assert Path(on_frames.source).name == Path(on_store.source).name == NOV
    assert on_frames.spot0 == on_store.spot0 == 673.47    # 'Last:' of the November file
    assert on_frames.zero_gamma == pytest.approx(on_store.zero_gamma, rel=1e-12)
    assert on_frames.result.total_gex_usd_per_1pct == pytest.approx(
        on_store.result.total_gex_usd_per_1pct, rel=1e-12)
    assert (on_frames.result.call_wall, on_frames.result.put_wall) == (
        on_store.result.call_wall, on_store.result.put_wall)
    assert on_frames.status == on_store.status == "current"
    assert list(on_frames.warnings) == list(on_store.warnings)


def test_a_source_without_files_has_no_chain(raw_dir: Path):
    with pytest.raises(DataError) as err:
        gamma_profile(ASOF, source=_frames())
    msg = str(err.value)
    assert "\n" not in msg and "no folder of files" in msg and "frames" in msg
    with pytest.raises(CrashlensError, match=r"the source \(frames\) has no folder of files"):
        gamma_history(ASOF, source=_frames())
    # an explicit chain needs no folder
    prof = gamma_profile(ASOF, chain=raw_dir / NOV, source=_frames())
    assert prof.spot0 == 673.47


def test_two_folders_with_a_file_of_the_same_name_do_not_share_levels(raw_dir: Path,
                                                                      tmp_path: Path):
    # two folders each holding a link named like the November chain: one to the November
    # file, one to the September file (links, not copies of the raw data)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / NOV).symlink_to(raw_dir / NOV)
    (b / NOV).symlink_to(raw_dir / SEP)
    got_a = gamma_history("2026-02-06", source=_frames(a)).frame
    got_b = gamma_history("2026-02-06", source=_frames(b)).frame
    assert list(got_a.index) == [pd.Timestamp("2025-11-20 09:52")]
    assert got_a["spot"].iloc[0] == 673.47
    assert got_b.index[0].date() == pd.Timestamp("2025-09-25").date()
    assert got_b["spot"].iloc[0] == 658.05      # 'Last:' of the September file


def test_a_folder_without_chains_is_named_in_the_error(tmp_path: Path):
    with pytest.raises(DataError) as err:
        gamma_profile(ASOF, source=_frames(tmp_path))
    assert str(err.value) == (f"{tmp_path}: no option chain (*quotedata*.csv) in the folder of "
                              "frames")


def test_an_explicit_chain_is_labelled_like_a_found_one(raw_dir: Path):
    # the November chain (quoted 2025-11-20, expiries to 2028) given as chain=: on 2025-12-10
    # it is 20 days old (> 7): stale, as when it is found in the folder; on its day, current
    given = gamma_profile("2025-12-10", chain=raw_dir / NOV)
    found = gamma_profile("2025-12-10")
    assert given.status == found.status == "stale" and not given.is_current
    stale = [w for w in given.warnings if getattr(w, "code", "") == "options.chain_stale"]
    assert len(stale) == 1 and "2025-11-20, 20 days before 2025-12-10" in stale[0]
    assert gamma_profile(ASOF, chain=raw_dir / NOV).status == "current"


def test_an_explicit_chain_quoted_after_the_asof_date_is_said(raw_dir: Path):
    """The November chain (quoted 2025-11-20) asked about on 2025-11-01: 19 days too late."""
    prof = gamma_profile("2025-11-01", chain=raw_dir / NOV)
    after = [w for w in prof.warnings if getattr(w, "code", "") == "options.chain_after_asof"]
    assert len(after) == 1
    assert "quoted 2025-11-20, 19 days after 2025-11-01" in after[0]
    assert "晚于 2025-11-01 19 天" in after[0].text("zh")
    on_its_day = gamma_profile("2025-11-20", chain=raw_dir / NOV)
    assert not any(getattr(w, "code", "") == "options.chain_after_asof"
                   for w in on_its_day.warnings)
