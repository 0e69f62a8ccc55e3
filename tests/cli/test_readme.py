"""The README's examples run as written, on the real data."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: Commands whose text output this issue owns: checked for width and number format too.
OWN = {"data", "anatomy", "episodes", "analogs", "catalysts", "scenarios"}


def _blocks(lang: str, after: str = "") -> list[str]:
    text = README[README.index(after):] if after else README
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def _examples() -> list[str]:
    block = _blocks("bash", "### Examples")[0]
    return [ln.strip() for ln in block.splitlines() if ln.strip().startswith("crashlens ")]


def test_the_examples_block_exists() -> None:
    cmds = _examples()
    assert len(cmds) >= 10
    assert {shlex.split(c)[1] for c in cmds} >= OWN


@pytest.mark.realdata
@pytest.mark.parametrize("command", _examples())
def test_readme_command_runs_as_written(command: str, raw_dir: Path) -> None:
    args = shlex.split(command)[1:]
    out = subprocess.run([sys.executable, "-m", "crashlens.cli.main", *args], cwd=ROOT,
                         capture_output=True, text=True, env=dict(os.environ, COLUMNS="80"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() and "Traceback" not in out.stderr
    if args[0] in OWN:
        lines = out.stdout.splitlines()
        assert max(len(ln) for ln in lines) <= 80, command
        assert not re.search(r"\d[eE][+-]\d", out.stdout), command
        assert " nan" not in out.stdout.lower()


@pytest.mark.realdata
def test_readme_python_snippets_run(raw_dir: Path) -> None:
    for code in _blocks("python"):
        scope: dict[str, object] = {}
        exec(compile(code, "README.md", "exec"), scope)  # the README's own code
    spx = scope["spx"]
    # the S&P 500 closed at 6,602.99 on 2025-11-21 (sp500_daily_ohlc.csv)
    assert float(spx["close"].iloc[-1]) == pytest.approx(6602.99, abs=0.005)
