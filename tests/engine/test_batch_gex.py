"""GEX batch: one row per chain file equal to a direct gex() call, bad files, resume, bad input."""

from __future__ import annotations

import math
import os

import pandas as pd
import pytest

from crashlens import options
from crashlens.engine import batch_gex
from crashlens.errors import DataError, ParameterError

from .conftest import CHAIN_DAYS, write_chains


def test_one_row_per_file_equal_to_direct_gex(home, chain_dir):
    res = batch_gex(chain_dir)
    assert res.n_partitions == len(CHAIN_DAYS) == res.rows == res.computed
    assert res.frame["error"].isna().all()
    assert list(res.frame["asof"].dt.date.astype(str)) == list(CHAIN_DAYS)  # sorted by asof
    for _, row in res.frame.iterrows():
        want = options.gex(options.read_chain(row["file"]))
        assert row["underlying"] == want.underlying
        assert row["spot"] == want.spot
        assert row["total_gex_usd_per_1pct"] == pytest.approx(want.total_gex_usd_per_1pct,
                                                              rel=1e-12)
        assert row["zero_gamma"] == pytest.approx(want.zero_gamma, rel=1e-12)
        assert row["call_wall"] == want.call_wall and row["put_wall"] == want.put_wall
        assert row["n_contracts"] == len(want.contracts)


def test_matches_synthetic_truth(home, chain_dir, synthetic_market):
    """Independent ground truth: the generator's own walls, zero gamma and GEX at spot."""
    frame = batch_gex(chain_dir).frame
    res = frame.assign(day=frame["asof"].dt.date.astype(str)).set_index("day")
    for day in CHAIN_DAYS:
        t = synthetic_market.chain_truth(day)
        row = res.loc[day]
        assert row["call_wall"] == t.call_wall and row["put_wall"] == t.put_wall
        assert row["spot"] == pytest.approx(t.spot, rel=1e-9)
        assert row["zero_gamma"] == pytest.approx(t.zero_gamma, rel=2e-3)
        assert row["total_gex_usd_per_1pct"] == pytest.approx(t.gex_at_spot, rel=1e-6)


def test_bad_file_is_recorded_not_fatal(home, chain_dir):
    (chain_dir / "broken.csv").write_text("a,b\n1,2\n")
    res = batch_gex(chain_dir)
    assert res.rows == len(CHAIN_DAYS) + 1
    bad = res.frame[res.frame["name"] == "broken.csv"].iloc[0]
    assert "expiry" in bad["error"] and math.isnan(bad["total_gex_usd_per_1pct"])
    assert any(w.startswith("broken.csv:") for w in res.warnings)
    with pytest.raises(DataError, match="expiry"):
        batch_gex(chain_dir, on_error="raise", job_id="strict")


def test_glob_and_list_sources(home, chain_dir):
    res = batch_gex(str(chain_dir / "*.parquet"))
    assert res.rows == len(CHAIN_DAYS) // 2
    one = sorted(chain_dir.glob("*.csv"))[:2]
    assert batch_gex(one).rows == 2


def test_resume_after_failure_and_new_files(home, tmp_path, chain_dir, synthetic_market):
    """A batch stopped by an error resumes where it stopped; added files are computed alone."""
    (chain_dir / "spx_2025-11-18z.csv").write_text("garbage\n")  # sorts third
    with pytest.raises(DataError):
        batch_gex(chain_dir, on_error="raise", job_id="r")
    parts = home / "batch" / "r" / "parts"
    first = {p.name: p.stat().st_mtime_ns for p in parts.glob("*.parquet")}
    assert len(first) == 3  # finished before the bad file: kept
    os.remove(chain_dir / "spx_2025-11-18z.csv")
    res = batch_gex(chain_dir, on_error="raise", job_id="r")
    assert res.skipped == 3 and res.computed == len(CHAIN_DAYS) - 3
    assert {p.name: p.stat().st_mtime_ns for p in parts.glob("*.parquet")
            if p.name in first} == first
    write_chains(chain_dir, synthetic_market, days=("2025-11-24",))
    more = batch_gex(chain_dir, on_error="raise", job_id="r")
    assert more.computed == 1 and more.rows == len(CHAIN_DAYS) + 1
    assert not more.frame["file"].duplicated().any()


def test_bad_input(home, tmp_path):
    with pytest.raises(DataError, match="no chain file matches"):
        batch_gex(str(tmp_path / "nothing" / "*.csv"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="holds no chain file"):
        batch_gex(empty)
    with pytest.raises(DataError, match="no such chain file or folder"):
        batch_gex(tmp_path / "missing.csv")
    with pytest.raises(DataError, match="no chain files given"):
        batch_gex([])
    with pytest.raises(ParameterError, match="on_error"):
        batch_gex(empty, on_error="ignore")


def test_progress_counts_every_partition_once(home, chain_dir):
    ticks: list[int] = []
    res = batch_gex(chain_dir, on_progress=ticks.append)
    assert sum(ticks) == res.n_partitions and ticks == [1] * res.n_partitions
    ticks.clear()
    again = batch_gex(chain_dir, on_progress=ticks.append)
    assert again.skipped == res.n_partitions and sum(ticks) == res.n_partitions
    assert "already finished" in again.summary()
    assert again.plot_partitions().data  # one bar trace per worker process


def test_chunks_give_the_same_rows(home, chain_dir):
    one = batch_gex(chain_dir)
    chunked = batch_gex(chain_dir, files_per_partition=4)
    assert chunked.n_partitions == 2 and chunked.rows == one.rows == len(CHAIN_DAYS)
    assert chunked.job_id != one.job_id  # a different request: its own job
    pd.testing.assert_frame_equal(chunked.frame, one.frame)
    (chain_dir / "zz_bad.csv").write_text("a,b\n1,2\n")  # sorts last: only the last chunk changes
    more = batch_gex(chain_dir, files_per_partition=4)
    assert more.skipped == 1 and more.computed == 1 and more.rows == len(CHAIN_DAYS) + 1
    with pytest.raises(ParameterError, match="files_per_partition"):
        batch_gex(chain_dir, files_per_partition=0)
