"""Cases 2 and 10 of issue #17 with real processes: batch results follow the data; a killed
batch leaves no worker behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.reliability.conftest import csv_value, run_cli

pytestmark = pytest.mark.realdata

BATCH = ("batch", "cta", "--start", "2024-11-01", "--end", "2024-12-31", "--assets", "SPX",
         "--block-months", "1", "--no-flows", "--mc-paths", "20", "--json")


def _price(output: str, date: str) -> float:
    import pandas as pd

    frame = pd.read_parquet(output)
    row = frame[(frame["asset"] == "SPX") & (frame["date"] == pd.Timestamp(date))]
    return float(row["price"].iloc[0])


def test_batch_after_a_data_edit_recomputes(small_raw: Path, tmp_path: Path) -> None:
    """Case 2: edit a raw price, rerun the same request: nothing is resumed from old data."""
    home = tmp_path / "home"
    first = run_cli(*BATCH, home=home, data=small_raw, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    p1 = json.loads(first.stdout)
    assert p1["computed"] == p1["n_partitions"] > 0
    path = small_raw / "sp500_daily_ohlc.csv"
    old = csv_value(path, "2024-12-31", "Close")
    assert _price(p1["output"], "2024-12-31") == pytest.approx(old)
    same = run_cli(*BATCH, home=home, data=small_raw, timeout=300)
    assert json.loads(same.stdout)["skipped"] == p1["n_partitions"]  # unchanged: resumed
    raw = path.read_bytes()
    start = raw.index(b"\n2024-12-31,") + 1
    row = raw[start:raw.index(b"\n", start)]
    cells = row.split(b",")
    cells[-1] = b"%.6f" % (old * 1.001)  # +0.1 %: within the splice tolerance
    path.write_bytes(raw.replace(row, b",".join(cells)))
    new = csv_value(path, "2024-12-31", "Close")
    second = run_cli(*BATCH, home=home, data=small_raw, timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    p2 = json.loads(second.stdout)
    assert p2["skipped"] == 0 and p2["computed"] == p2["n_partitions"]
    assert _price(p2["output"], "2024-12-31") == pytest.approx(new)


def _children(pid: int) -> set[int]:
    """Pids whose parent is ``pid`` (from /proc)."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_batch_leaves_no_worker(small_raw: Path, tmp_path: Path, sig: int) -> None:
    """Case 10: kill 'batch cta --processes 2' mid-run; its workers end within seconds."""
    home = tmp_path / "home"
    env = dict(os.environ, CRASHLENS_HOME=str(home), CRASHLENS_DATA=str(small_raw),
               CRASHLENS_NO_PROGRESS="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "crashlens.cli.main", "batch", "cta", "--start", "2010-01-01",
         "--end", "2024-12-31", "--assets", "SPX", "--block-months", "1", "--mc-paths", "20",
         "--processes", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = home / "batch"
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            workers |= _children(proc.pid)
            done = list(parts.rglob("parts/[!.]*.parquet")) if parts.exists() else []
            if len(workers) >= 2 and done:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the batch ended before it could be killed"
        workers |= _children(proc.pid)
        assert len(workers) >= 2
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 10  # the workers poll their parent every 0.5 s
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # never leak processes from the test itself
        os.kill(w, signal.SIGKILL)
    assert not left, f"workers still running after the batch was killed: {left}"
