"""Scenario runs read through ``source=``: the store and frames of the store give equal numbers.

The frames are the store's own series cut at the as-of date (point in time: nothing after
2025-11-21 exists in them) with the raw folder as ``files=`` (crypto market files); the shipped
spec ``2026q1`` must then give the same propagated moves, CTA flows and BTC liquidations as the
store run. A user's data now gets CTA flows too (the CTA book reads the same source); a source
without what a flow needs says so in a note naming the series.
"""

from __future__ import annotations

import pandas as pd
import pytest

import crashlens as cl
from crashlens import data
from crashlens.errors import ParameterError

ASOF = pd.Timestamp("2025-11-21")
pytestmark = pytest.mark.realdata


def _frames(names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    held = data.names()
    out = {n: data.get(n, None, ASOF) for n in (names or held) if n in held}
    return {n: f for n, f in out.items() if len(f)}


@pytest.fixture(scope="module")
def store_run(raw_dir) -> cl.scenarios.ScenarioResult:
    return cl.scenarios.run("2026q1", ASOF)


@pytest.fixture(scope="module")
def frames_run(raw_dir) -> cl.scenarios.ScenarioResult:
    src = data.FramesSource(_frames(), files=raw_dir, label="store frames")
    return cl.scenarios.run("2026q1", ASOF, source=src)


def _cta_totals(res: cl.scenarios.ScenarioResult) -> dict[str, float]:
    return {sid: v["total_usd"] for sid, v in res.flows["cta"]["scenarios"].items()}


def test_run_on_frames_equals_the_store(store_run, frames_run):
    a, b = store_run, frames_run
    pd.testing.assert_frame_equal(a.moves, b.moves)
    pd.testing.assert_frame_equal(a.expected, b.expected)
    # the shocked asset moves by its stated shock in both runs: SPX -0.5 % in scenario A
    mv = b.moves.set_index(["scenario", "asset"])
    assert mv.loc[("A", "SPX"), "move"] == pytest.approx(-0.5, abs=1e-12)
    assert mv.loc[("A", "SPX"), "level_asof"] == data.close("SPX", None, ASOF).iloc[-1]
    # CTA flows: computed from the frames, equal to the store's
    assert a.flows["cta"]["available"] and b.flows["cta"]["available"]
    assert _cta_totals(b) == _cta_totals(a)
    assert b.flows["cta"]["assets"] == a.flows["cta"]["assets"]
    assert any(abs(v) > 1e9 for v in _cta_totals(a).values())
    # BTC liquidations: the map from the same market files
    assert b.flows["crypto"]["available"] and a.flows["crypto"]["available"]
    assert b.flows["crypto"]["btc_price"] == a.flows["crypto"]["btc_price"]
    assert b.flows["crypto"]["scenarios"] == a.flows["crypto"]["scenarios"]
    assert list(b.warnings) == list(a.warnings)


def test_data_of_catalog_frames_now_gets_cta_flows(store_run):
    # the older data= form with catalog names is read as a FramesSource: CTA flows are on
    res = cl.scenarios.run("2026q1", ASOF, data=_frames())
    assert res.flows["cta"]["available"] is True
    assert _cta_totals(res) == _cta_totals(store_run)
    pd.testing.assert_frame_equal(res.moves, store_run.moves)
    with pytest.raises(ParameterError, match="data= or source="):
        cl.scenarios.run("2026q1", ASOF, data=_frames(["SPX"]), source=data.active())


def test_a_source_without_what_a_flow_needs_says_so():
    names = ["SPX", "UST2Y", "SMH", "MSFT", "VIX", "UST10Y"]
    src = data.FramesSource(_frames(names), label="my frames")
    res = cl.scenarios.run("2026q1", ASOF, source=src)
    # crypto liquidations need BTC: a note naming it, in the flows and the warnings
    note = res.flows["crypto"]["note"]
    assert res.flows["crypto"]["available"] is False and "'BTC'" in note
    assert note.code == "scenarios.crypto_failed" and note in res.warnings
    # the CTA book is built on the assets the source has; the others are named
    cta = res.flows["cta"]
    assert cta["available"] is True and cta["assets"] == ["SPX"]
    absent = [w for w in res.warnings if getattr(w, "code", "") == "cta.absent_from_source"]
    assert absent and "BTC" in absent[0] and "NDX" in absent[0]
    # assets the source lacks are left out of the propagation with a note naming each
    assert any(w.startswith("NDX: not loaded") for w in res.warnings)


def test_scorecard_on_frames_runs_the_cta_condition_on_them():
    # the whole store as frames: the graded conditions, the CTA one included, are the store's
    held = data.names()
    frames = {n: data.get(n) for n in held}
    src = data.FramesSource({n: f for n, f in frames.items() if len(f)}, label="store frames")
    a = cl.scenarios.scorecard("2026q1")
    b = cl.scenarios.scorecard("2026q1", source=src)
    cols = ["scenario", "status", "met_on", "measured", "detail"]
    pd.testing.assert_frame_equal(a.conditions[cols], b.conditions[cols])
    cta = b.conditions[b.conditions["kind"] == "cta_position"]
    assert len(cta) and set(cta["status"]) <= {"true", "false"}
    assert b.brier == a.brier and b.realised_scenario == a.realised_scenario
