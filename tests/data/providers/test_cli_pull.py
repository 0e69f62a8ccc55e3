"""``crashlens data pull`` end to end: local replay server -> provider -> store upsert."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from _provider_replay import Reply

import crashlens.data as data

GSPC = "/v8/finance/chart/%5EGSPC"


def test_pull_merges_into_synthetic_store(server, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    env = dict(os.environ, CRASHLENS_HOME=str(home), CRASHLENS_YAHOO_URL=server.url)
    env.pop("CRASHLENS_DATA", None)
    monkeypatch.delenv("CRASHLENS_DATA", raising=False)
    monkeypatch.setenv("CRASHLENS_HOME", str(home))
    data._ready.clear()
    before = data.get("SPX")  # the synthetic store, built before the pull
    server.add(GSPC, Reply.file("yahoo_chart_gspc.json"))
    out = subprocess.run(
        [sys.executable, "-m", "crashlens.cli.main", "data", "pull", "SPX", "--since",
         "2025-11-17", "--json"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["SPX"]["stored"] is True and summary["SPX"]["provider"] == "yahoo"
    data._ready.clear()
    after = data.get("SPX")
    # fetched dates replace the stored ones; the rest of the history is kept
    assert after.loc["2025-11-20", "close"] == 6538.76
    kept = before.index[before.index < pd.Timestamp("2025-11-17")]
    pd.testing.assert_series_equal(after.loc[kept, "close"], before.loc[kept, "close"])
    cov = data.store().table("coverage")
    assert (cov[(cov.series == "SPX") & (cov.role == "pulled")]["source"] == "yahoo:^GSPC").all()


def test_pull_provider_failure_is_one_line(server, tmp_path: Path) -> None:
    server.add(GSPC, *[Reply(status=500, body=b"boom")] * 10)
    env = dict(os.environ, CRASHLENS_HOME=str(tmp_path / "home"), CRASHLENS_YAHOO_URL=server.url)
    out = subprocess.run([sys.executable, "-m", "crashlens.cli.main", "data", "pull", "SPX",
                          "--no-store"], capture_output=True, text=True, env=env)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "yahoo" in out.stderr.lower() and "500" in out.stderr
