"""The audit reads through ``source=``: everything it recomputes reads that source.

Frames of every stored series with the raw folder as ``files=`` give the same verdicts as the
store (the claimed series, the CTA / contagion / crypto engines behind model claims and the
files read by name). A source without a claimed series makes those claims "not checkable",
naming the series.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crashlens import data
from crashlens.audit import audit
from crashlens.errors import ParameterError

pytestmark = pytest.mark.realdata


def _frames(drop: tuple[str, ...] = ()) -> dict:
    out = {n: data.get(n) for n in data.names() if n not in drop}
    return {n: f for n, f in out.items() if len(f)}


def _rows(res) -> list[tuple]:
    return [(v.id, v.verdict.value, v.measured, v.measured_text, str(v.note))
            for v in res.verdicts]


@pytest.mark.parametrize("name", ["2025-11-selloff", "2026-02-selloff"])
def test_audit_on_frames_equals_the_store(raw_dir: Path, name: str) -> None:
    src = data.FramesSource(_frames(), files=raw_dir, label="store frames")
    a, b = audit(name), audit(name, source=src)
    assert _rows(b) == _rows(a)
    assert b.counts == a.counts and a.counts["confirmed"] > 10
    # the November note's model claims were computed on the frames, not skipped
    model = [v for v in b.verdicts if v.kind == "model_output"]
    if name == "2025-11-selloff":
        assert len(model) >= 5
        assert all(v.evidence.get("model_value") is not None for v in model)


def test_a_claimed_series_the_source_lacks_is_not_checkable_naming_it(raw_dir: Path) -> None:
    src = data.FramesSource(_frames(drop=("GOOG",)), files=raw_dir, label="no GOOG")
    res = audit("2025-11-selloff", source=src)
    # GOOG's record highs and GOOG beating NVDA after Gemini 3
    on_goog = ("goog-new-highs", "goog-beat-nvda-after-gemini")
    for cid in on_goog:
        v = res.verdict(cid)
        assert v.verdict.value == "not_checkable"
        assert "GOOG" in v.note and "no GOOG" in v.note and "\n" not in v.note
    # the other claims are unaffected
    store = {v.id: v.verdict for v in audit("2025-11-selloff").verdicts}
    assert all(store[v.id] == v.verdict for v in res.verdicts if v.id not in on_goog)


def test_data_and_source_together_are_refused() -> None:
    with pytest.raises(ParameterError, match="not both"):
        audit("2025-11-selloff", data={"SPX": data.close("SPX")}, source=data.active())
