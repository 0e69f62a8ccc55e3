"""A bug in crashlens is "internal error (run with --debug)", exit 1; a user error one line,
exit 2 (issue 12, part 4). Real subprocesses running ``crashlens.cli.main.main``; the bug is
injected by a small launcher that replaces one function before the CLI starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Launcher: optionally replace ``module.attr`` by a function raising ``exc``, then run main().
LAUNCHER = """
import importlib, sys
target, exc = sys.argv[1], sys.argv[2]
if target != "-":
    mod, attr = target.rsplit(".", 1)
    def broken(*args, **kwargs):
        raise eval(exc)
    setattr(importlib.import_module(mod), attr, broken)
sys.argv = ["crashlens", *sys.argv[3:]]
from crashlens.cli.main import main
main()
"""


def run(target: str, exc: str, *args: str,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", LAUNCHER, target, exc, *args],
                          capture_output=True, text=True, env=env or dict(os.environ),
                          timeout=600)


def test_bug_is_internal_error_exit_1_one_line() -> None:
    out = run("crashlens.episodes.library", "ZeroDivisionError('float division by zero')",
              "episodes")
    assert out.returncode == 1, out.stderr
    assert out.stderr.strip().splitlines() == [
        "internal error (run with --debug): ZeroDivisionError: float division by zero"]
    assert "Traceback" not in out.stderr
    assert out.stdout == ""


def test_bug_message_is_cut_to_its_first_line_and_not_read_as_markup() -> None:
    out = run("crashlens.episodes.library", "KeyError('[bold]signal')", "episodes", "--json")
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "internal error (run with --debug): KeyError: '[bold]signal'"]
    out = run("crashlens.episodes.library", "RuntimeError('first\\nsecond')", "episodes")
    assert out.stderr.strip().splitlines() == [
        "internal error (run with --debug): RuntimeError: first"]


def test_debug_shows_the_traceback_of_a_bug() -> None:
    out = run("crashlens.episodes.library", "ZeroDivisionError('float division by zero')",
              "--debug", "episodes")
    assert out.returncode == 1
    assert "Traceback (most recent call last)" in out.stderr
    assert "in broken" in out.stderr  # the frame that raised
    assert out.stderr.strip().splitlines()[-1] == (
        "internal error (run with --debug): ZeroDivisionError: float division by zero")


def test_user_error_stays_one_line_exit_2() -> None:
    out = run("crashlens.episodes.library",
              "__import__('crashlens.errors').errors.ParameterError('threshold must be in "
              "(0, 1), got 2.0')", "episodes")
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "error: threshold must be in (0, 1), got 2.0"]
    out = run("crashlens.episodes.library",
              "__import__('crashlens.errors').errors.ParameterError('bad')", "--debug",
              "episodes")
    assert out.returncode == 2 and "Traceback" in out.stderr


@pytest.mark.realdata
def test_real_user_error_without_injection_is_exit_2() -> None:
    out = run("-", "-", "anatomy", "--start", "2025-11-21", "--end", "2025-11-17")
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "internal" not in lines[0]


@pytest.mark.realdata
def test_bug_in_a_report_section_fails_the_report(tmp_path: Path) -> None:
    """A section's bug is not hidden in an "error" section: no report, exit 1, and the
    traceback (with --debug) names the section and the date."""
    target = tmp_path / "r.html"
    args = ("report", "--event", "2025-11", "--no-cache", "--quiet", "--out", str(target))
    out = run("crashlens.report.sections.anatomy.build",
              "AttributeError(\"'NoneType' object has no attribute 'frame'\")", *args)
    assert out.returncode == 1, out.stderr
    assert out.stderr.strip().splitlines() == [
        "internal error (run with --debug): AttributeError: 'NoneType' object has no "
        "attribute 'frame'"]
    assert not target.exists()
    out = run("crashlens.report.sections.anatomy.build", "AttributeError('x')", "--debug",
              *args)
    assert out.returncode == 1
    assert "while building report section 'anatomy' as of 2025-11-21" in out.stderr
