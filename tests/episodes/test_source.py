"""Episodes engines read through ``source=``: the store and frames of the store give equal numbers.

The frames are the store's own series cut at the as-of date (point in time), so every number
must be identical. A source without a context series (breadth stocks, yields, VIX ...) leaves it
out with a note naming it; a source without SPX, the market calendar, is refused in one line
naming it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crashlens import data
from crashlens.episodes import analogs, anatomy, catalysts, library
from crashlens.errors import UnknownSeriesError
from crashlens.notes import Note

pytestmark = pytest.mark.realdata

ASOF = pd.Timestamp("2025-11-21")


def _frames(asof: pd.Timestamp, names: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """The store's frames of ``names`` (default every series) up to ``asof``."""
    held = data.names()
    out = {n: data.get(n, None, asof) for n in (names or held) if n in held}
    return {n: f for n, f in out.items() if len(f)}


@pytest.fixture(scope="module")
def frames_src(raw_dir: Path) -> data.FramesSource:
    return data.FramesSource(_frames(ASOF), files=raw_dir, label="store frames")


def _notes(warnings: tuple[str, ...], code: str) -> list[Note]:
    return [w for w in warnings if isinstance(w, Note) and w.code == code]


def test_anatomy_on_frames_equals_the_store(frames_src, spx_raw: pd.Series) -> None:
    a = anatomy("2025-11-17", "2025-11-21")
    b = anatomy("2025-11-17", "2025-11-21", source=frames_src)
    # the S&P 500 move: last close of the window over the last close before it, from the CSV
    spx = spx_raw[:"2025-11-21"]
    expected = spx.iloc[-1] / spx[:"2025-11-14"].iloc[-1] - 1.0
    assert a.to_frame().loc["SPX", "return"] == pytest.approx(expected, rel=1e-12)
    assert float(b.to_frame().loc["SPX", "return"]) == float(a.to_frame().loc["SPX", "return"])
    pd.testing.assert_frame_equal(a.assets, b.assets)
    pd.testing.assert_frame_equal(a.vol_indices, b.vol_indices)
    pd.testing.assert_frame_equal(a.levels, b.levels)
    assert b.market_value["spx_value_lost_usd"] == a.market_value["spx_value_lost_usd"]
    assert b.breadth == a.breadth and a.breadth["n"] == 9
    assert b.correlation["avg_pairwise_window"] == a.correlation["avg_pairwise_window"]
    assert list(b.warnings) == list(a.warnings)


def test_analogs_on_frames_equal_the_store(frames_src, spx_raw: pd.Series) -> None:
    a = analogs(ASOF)
    b = analogs(ASOF, source=frames_src)
    # the as-of session is the last S&P 500 close on or before the date (a Friday)
    assert a.asof == b.asof == spx_raw[:ASOF].index[-1] == ASOF
    first_a, first_b = a.nearest_episodes.iloc[0], b.nearest_episodes.iloc[0]
    assert first_b["key"] == first_a["key"]
    assert first_b["distance"] == first_a["distance"]
    assert pd.Timestamp(first_b["best_date"]) == pd.Timestamp(first_a["best_date"])
    # the best-matching day of an episode is one of the candidate days: no nearer day exists
    assert first_a["distance"] >= a.nearest_days["distance"].min()
    assert b.bandwidth == a.bandwidth
    pd.testing.assert_frame_equal(a.forward, b.forward)
    pd.testing.assert_frame_equal(a.state, b.state)
    assert list(b.warnings) == list(a.warnings)


def test_library_and_catalysts_on_frames_equal_the_store(frames_src) -> None:
    a, b = library(end=ASOF), library(end=ASOF, source=frames_src)
    pd.testing.assert_frame_equal(a.episodes, b.episodes)
    pd.testing.assert_frame_equal(a.cross_asset, b.cross_asset)
    ca, cb = catalysts(asof=ASOF), catalysts(asof=ASOF, source=frames_src)
    pd.testing.assert_frame_equal(ca.table, cb.table)
    assert list(cb.warnings) == list(ca.warnings)


def test_context_series_a_source_lacks_are_left_out_with_a_note(spx_raw: pd.Series) -> None:
    only_spx = data.FramesSource(_frames(ASOF, ("SPX",)), label="SPX only")
    res = anatomy("2025-11-17", "2025-11-21", source=only_spx)
    spx = spx_raw[:"2025-11-21"]
    assert res.to_frame().loc["SPX", "return"] == pytest.approx(
        spx.iloc[-1] / spx[:"2025-11-14"].iloc[-1] - 1.0, rel=1e-12)
    assert list(res.assets["asset"]) == ["SPX"]
    assert res.breadth["n"] == 0 and res.levels.empty
    (note,) = _notes(res.warnings, "episodes.not_in_source")
    assert note.startswith("not in the data source, left out: ")
    for name in ("UST10Y", "HY_OAS", "NVDA", "GOLD"):
        assert name in note.params["series"].split(", ")
    assert note.text("zh").startswith("数据源中没有以下序列，已略去：")

    # analogs run on the five S&P 500 features; the others are NaN and named
    res_an = analogs(ASOF, source=only_spx)
    state = res_an.state.set_index("feature")
    assert np.isnan(float(state.loc["vix", "value"]))
    assert float(state.loc["ret_5d", "value"]) == pytest.approx(spx.iloc[-1] / spx.iloc[-6] - 1.0,
                                                        rel=1e-12)
    (left_out,) = _notes(res_an.warnings, "episodes.not_in_source")  # one note for all
    series = left_out.params["series"].split(", ")
    # the state inputs, then the template columns (single stocks, policy rates ...)
    assert series[:6] == ["VIX", "VIX3M", "UST10Y", "UST2Y", "HY_OAS", "BTC"]
    assert {"NVDA", "EFFR", "FED_TARGET_UPPER", "GOLD"} <= set(series)
    assert len(series) == len(set(series))


def test_a_source_without_spx_is_refused_naming_it() -> None:
    no_spx = data.FramesSource(_frames(ASOF, ("BTC", "VIX")), label="no SPX")
    for run in (lambda: anatomy("2025-11-17", "2025-11-21", source=no_spx),
                lambda: analogs(ASOF, source=no_spx)):
        with pytest.raises(UnknownSeriesError) as err:
            run()
        text = str(err.value)
        assert "SPX" in text and "no SPX" in text and "\n" not in text


def test_catalyst_assets_a_source_lacks_are_left_out_with_a_note() -> None:
    held = [n for n in data.names() if n != "NVDA"]
    src = data.FramesSource(_frames(ASOF, tuple(held)), label="no NVDA")
    a, b = catalysts(asof=ASOF), catalysts(asof=ASOF, source=src)
    assert (a.table["asset"] == "NVDA").any() and not (b.table["asset"] == "NVDA").any()
    # every other (event, asset) row is the store's
    keep = a.table[a.table["asset"] != "NVDA"].reset_index(drop=True)
    pd.testing.assert_frame_equal(keep, b.table.reset_index(drop=True))
    (note,) = _notes(b.warnings, "episodes.not_in_source")
    assert note == "not in the data source, left out: NVDA"
    # a basket holding NVDA is left out, not computed on its other members under its name
    ai = "AI hardware (NVDA, SMH) vs vertically integrated (GOOG)"
    assert ai in set(a.baskets["basket"]) and ai not in set(b.baskets["basket"])
    assert ai not in b.basket_paths.columns
    (gone,) = _notes(b.warnings, "episodes.basket_not_in_source")
    assert gone == f"basket '{ai}' left out: the data source lacks NVDA"
    pd.testing.assert_frame_equal(a.baskets[a.baskets["basket"] != ai].reset_index(drop=True),
                                  b.baskets.reset_index(drop=True))
