"""CLI conventions: --help, --version, one-line errors with exit code 2, --debug tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crashlens.cli.main", *args],
                          capture_output=True, text=True, env=env or dict(os.environ))


def test_help_lists_command_groups() -> None:
    out = run("--help")
    assert out.returncode == 0
    assert "data" in out.stdout


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("crashlens ")


def test_data_dir_pointing_at_nothing_is_one_line(tmp_path: Path) -> None:
    env = dict(os.environ, CRASHLENS_DATA=str(tmp_path / "nothing"))
    out = run("data", "list", env=env)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "CRASHLENS_DATA points at nothing" in lines[0]
    assert "Traceback" not in out.stderr


def test_debug_shows_traceback(tmp_path: Path) -> None:
    env = dict(os.environ, CRASHLENS_DATA=str(tmp_path / "nothing"))
    out = run("--debug", "data", "list", env=env)
    assert out.returncode == 2
    assert "Traceback" in out.stderr


def test_unknown_series_suggests(tmp_path: Path) -> None:
    out = run("data", "show", "NVDAA")
    assert out.returncode == 2
    assert "unknown series 'NVDAA'; did you mean NVDA" in out.stderr


def test_bad_date_names_the_option() -> None:
    out = run("data", "show", "SPX", "--start", "2025-13-45")
    assert out.returncode == 2
    assert "--start: '2025-13-45' is not a date" in out.stderr


def test_ingest_missing_folder(tmp_path: Path) -> None:
    out = run("data", "ingest", str(tmp_path / "none"))
    assert out.returncode == 2
    assert "data folder does not exist" in out.stderr
