"""Batch warnings are notes, also after a partition was written to disk and read back."""

from __future__ import annotations

import pytest

from crashlens import notes
from crashlens.engine import batch_cta
from crashlens.notes import Note

pytestmark = pytest.mark.realdata


def test_left_out_asset_notes_survive_a_resumed_job(raw_dir) -> None:
    kw = {"assets": ["SPX", "PLTR"], "block_months": 1, "flows": False, "mc_freq": "none"}
    first = batch_cta("2025-03-01", "2025-03-31", fresh=True, **kw)
    again = batch_cta("2025-03-01", "2025-03-31", **kw)  # every partition read back from disk
    assert again.computed == 0 and again.skipped == first.n_partitions
    for res in (first, again):
        got = {w.code: w for w in res.warnings if isinstance(w, Note)}
        # PLTR's file starts 2024-12-06: 77 closes by 2025-03-31, the 330-day horizon needs 331
        n = got["engine.cta_block_left_out"]
        assert n.startswith("2025-03-01..2025-03-31: PLTR: too little history as of 2025-03-31")
        assert n.endswith("; PLTR left out of this block's book")
        assert n.text("zh").startswith("2025-03-01..2025-03-31：PLTR: too little history")
        assert n.text("zh").endswith("；PLTR 未计入该区间的组合")
        rows = got["engine.cta_block_no_rows"]
        assert rows.params["start"] == "2025-03-01" and rows.text("zh").endswith("；无数据行")
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]


def test_chain_warnings_keep_their_chinese(raw_dir) -> None:
    from crashlens import options
    from crashlens.engine import batch_gex

    path = raw_dir / "spy_options_chain_20251120_quotedata.csv"
    direct = options.gex(options.read_chain(path)).warnings
    assert direct
    for res in (batch_gex(path, fresh=True), batch_gex(path)):  # computed, then read back
        got = [w for w in res.warnings if isinstance(w, Note)]
        assert len(got) == len(res.warnings) == len(direct)
        for n, w in zip(got, direct, strict=True):
            assert n.code == "engine.chain_warning"
            assert n == f"{path.name}: {w}"
            assert n.text("zh") == f"期权链文件 {path.name}：{notes.text(w, 'zh')}"
