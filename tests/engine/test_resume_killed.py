"""A batch process SIGKILLed mid-way, then rerun: finished partitions are kept, not recomputed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from crashlens.engine import batch_gex

from .conftest import write_chains

pytestmark = pytest.mark.slow

SCRIPT = """
import sys
from crashlens.engine import batch_gex
batch_gex(sys.argv[1], job_id="victim")
"""


def test_killed_batch_resumes(home, tmp_path, synthetic_market):
    days = tuple(pd.bdate_range("2025-09-15", "2025-11-21").strftime("%Y-%m-%d"))
    folder = tmp_path / "chains"
    write_chains(folder, synthetic_market, days=days)
    parts = home / "batch" / "victim" / "parts"
    env = {**os.environ, "CRASHLENS_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(folder)], env=env)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            if parts.is_dir() and len(list(parts.glob("[!.]*.parquet"))) >= 3:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    # a half-written temporary file may be left by the kill; it never counts as finished
    finished = {p.name: p.stat().st_mtime_ns for p in parts.glob("[!.]*.parquet")}
    assert 3 <= len(finished) < len(days)
    res = batch_gex(folder, job_id="victim")
    assert res.skipped == len(finished) and res.computed == len(days) - len(finished)
    now = {p.name: p.stat().st_mtime_ns for p in parts.glob("[!.]*.parquet")}
    assert len(now) == len(days) and all(now[n] == t for n, t in finished.items())
    assert not list(parts.parent.rglob(".tmp-*"))
    assert res.rows == len(days) and not res.frame["file"].duplicated().any()
    ref = batch_gex(folder, job_id="reference")
    pd.testing.assert_frame_equal(res.frame, ref.frame)
