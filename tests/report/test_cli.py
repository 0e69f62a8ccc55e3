from __future__ import annotations

import subprocess
import sys

import pytest


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "crashlens.cli.main", "report", *args],
                          capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize("args, fragment", [
    (["--lang", "fr"], "--lang: 'fr' is not supported"),
    (["--event", "1999-01"], "unknown event '1999-01'"),
    (["--event", "2025-11", "--asof", "2025-11-21"], "not both"),
    (["--asof", "21/11/2025x"], "is not a date"),
])
def test_bad_arguments_exit_2_with_one_line(args, fragment):
    proc = _run(*args)
    assert proc.returncode == 2, proc.stderr
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr


def test_out_must_not_be_a_folder(tmp_path):
    proc = _run("--event", "2025-11", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "is a folder" in proc.stderr
