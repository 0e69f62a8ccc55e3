"""Fixtures of the reliability suite: copies of real raw files, a CLI runner in a real process."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

#: The raw files the store tests copy (small enough to ingest in a few seconds).
SMALL_FILES = ("sp500_daily_ohlc.csv", "sp500_daily_ohlcv_2016plus.csv", "vix_daily.csv",
               "us_rates_daily.csv", "stock_NVDA_daily.csv")


@pytest.fixture
def small_raw(raw_dir: Path, tmp_path: Path) -> Path:
    """A writable data folder with a few real raw files (a temp copy, never the repository)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for f in SMALL_FILES:
        shutil.copyfile(raw_dir / f, folder / f)
    return folder


def csv_value(path: Path, date: str, column: str) -> float:
    """A cell of a raw file read with the plain ``csv`` module (the independent reference)."""
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("Date", row.get("date", row.get("DATE"))) == date:
                return float(row[column])
    raise AssertionError(f"{date} not in {path}")


def run_cli(*args: str, home: Path, data: Path | None = None, timeout: float = 120,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``crashlens ARGS`` in a real process with its own home and data folder."""
    full = dict(os.environ, CRASHLENS_HOME=str(home), CRASHLENS_NO_PROGRESS="1", **(env or {}))
    if data is not None:
        full["CRASHLENS_DATA"] = str(data)
    return subprocess.run([sys.executable, "-m", "crashlens.cli.main", *args], env=full,
                          capture_output=True, text=True, timeout=timeout)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """Assert the process failed as a user error (exit 2, one stderr line, no traceback)."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]
