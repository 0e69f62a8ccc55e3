"""cta engines on a source= of frames: the same book as on the store; a partial source.

The frames are the store's own series (``cl.data.get``) cut at the as-of date, so equal
results show that the CTA book reads every close through the source (and that nothing after
the as-of date entered the store run). A source holding only a few series gives a book of what
it holds, with a note naming the universe members it lacks.
"""

from __future__ import annotations

import pandas as pd
import pytest

import crashlens as cl
from crashlens.cta import history, positioning
from crashlens.cta.params import default_params
from crashlens.errors import CrashlensError

pytestmark = pytest.mark.realdata

ASOF = "2025-11-20"


def _frames(names, asof=ASOF, label="frames"):
    frames = {n: cl.data.get(n, end=asof) for n in names}
    assert all(f.index.max() <= pd.Timestamp(asof) for f in frames.values())
    return cl.data.FramesSource(frames, label=label)


@pytest.fixture(scope="module")
def universe_frames():
    held = set(cl.data.names())
    return _frames([n for n in default_params().universe if n in held])


def test_positioning_on_frames_equals_the_store(universe_frames):
    on_store = positioning(ASOF, mc=False)
    on_frames = positioning(ASOF, mc=False, source=universe_frames)
    assert list(on_frames.assets) == list(on_store.assets)
    spx_s, spx_f = on_store.assets["SPX"], on_frames.assets["SPX"]
    assert spx_f["notional_usd"] == pytest.approx(spx_s["notional_usd"], rel=1e-12)
    for g in ("short", "medium", "long"):
        assert spx_f["triggers"][g] == pytest.approx(spx_s["triggers"][g], rel=1e-12), g
    assert on_frames.total["notional_usd"] == pytest.approx(on_store.total["notional_usd"],
                                                            rel=1e-12)
    assert on_frames.total["percentile"] == pytest.approx(on_store.total["percentile"],
                                                          rel=1e-12, nan_ok=True)
    assert list(on_frames.warnings) == list(on_store.warnings)
    assert (on_store.assumptions["data"], on_frames.assumptions["data"]) == (
        "catalog", "source: frames")


def test_history_on_frames_equals_the_store(universe_frames):
    start = pd.Timestamp(ASOF) - pd.Timedelta(days=7)
    on_store = history(start, ASOF, ["SPX", "GOLD"], triggers=False)
    on_frames = history(start, ASOF, ["SPX", "GOLD"], triggers=False, source=universe_frames)
    pd.testing.assert_frame_equal(on_frames.frame, on_store.frame, rtol=1e-12)
    assert len(on_store.frame) == 2 * 6   # six sessions (13-20 Nov 2025) per asset


def test_a_source_with_spx_and_vix_is_a_book_of_spx_with_a_note():
    res = positioning(ASOF, mc=False, source=_frames(["SPX", "VIX"], label="my frames"))
    assert list(res.assets) == ["SPX"]        # VIX is not in the CTA universe
    assert res.assumptions["data"] == "source: my frames"
    (absent,) = [w for w in res.warnings if getattr(w, "code", "") == "cta.absent_from_source"]
    lacking = [n for n in default_params().universe if n != "SPX"]
    assert absent == ("not in the source (my frames), left out of the universe: "
                      + ", ".join(lacking))
    assert absent.text("zh") == "数据源（my frames）中没有，已从资产范围中剔除：" + ", ".join(lacking)
    # a book of one read from caller-supplied prices is the same book
    spx = cl.data.close("SPX", end=ASOF)
    alone = positioning(ASOF, mc=False, prices=spx.to_frame("SPX"))
    assert res.assets["SPX"]["notional_usd"] == pytest.approx(
        alone.assets["SPX"]["notional_usd"], rel=1e-12)
    assert res.assets["SPX"]["triggers"] == pytest.approx(alone.assets["SPX"]["triggers"],
                                                          rel=1e-12)


def test_an_asked_for_asset_the_source_lacks_is_a_one_line_error():
    with pytest.raises(CrashlensError) as err:
        positioning(ASOF, ["NDX"], mc=False, source=_frames(["SPX"]))
    assert "\n" not in str(err.value) and "'NDX'" in str(err.value)
