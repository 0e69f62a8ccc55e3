"""CLI conventions every command follows: help on every option, one --json, strict JSON."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import pandas as pd
import pytest
import typer.main

from crashlens._result import Result
from crashlens.cli import _common
from crashlens.cli.main import app

#: Commands with their own conventions and tests (tests/report, tests/api, tests/engine).
ELSEWHERE = {"report", "serve", "batch"}


def _commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    out: list[tuple[str, Any]] = []

    def walk(prefix: str, cmd: Any) -> None:
        if hasattr(cmd, "commands"):  # a group (typer's click may be vendored)
            for name, sub in cmd.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            out.append((prefix, cmd))

    walk("", root)
    return out


COMMANDS = [(n, c) for n, c in _commands() if n.split()[0] not in ELSEWHERE]


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_option_has_help(name, cmd):
    assert (cmd.help or "").strip(), f"{name}: no command help"
    for p in cmd.params:
        assert (getattr(p, "help", None) or "").strip(), f"{name}: {p.name} has no help"


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_json_option_is_the_shared_one(name, cmd):
    by_opt = {o: p for p in cmd.params for o in getattr(p, "opts", [])}
    if "--json" in by_opt:
        assert by_opt["--json"].help == _common.AsJson.__metadata__[0].help
        assert by_opt["--json"].is_flag


@dataclasses.dataclass(frozen=True)
class _Nan(Result):
    x: float
    frame: pd.DataFrame


def test_emit_json_is_strict(capsys):
    res = _Nan(x=math.nan, frame=pd.DataFrame({"v": [1.0, math.inf]}),
               assumptions={"w": float("nan")})
    _common.emit(res, as_json=True)
    text = capsys.readouterr().out

    def no_constants(c):
        raise AssertionError(f"non-JSON constant {c}")

    doc = json.loads(text, parse_constant=no_constants)
    assert doc["x"] is None and doc["frame"] == [{"v": 1.0}, {"v": None}]
    assert doc["assumptions"] == {"w": None}


def test_dump_json_converts_numpy_and_dates(capsys):
    import numpy as np

    _common.dump_json({"a": np.float32(1.5), "d": pd.Timestamp("2025-11-21"), "n": np.nan})
    assert json.loads(capsys.readouterr().out) == {"a": 1.5, "d": "2025-11-21", "n": None}


@pytest.mark.parametrize("text,out", [(None, None), ("SPX, btc ,", ["SPX", "btc"]),
                                      ("SPX btc", ["SPX", "btc"])])
def test_split_names(text, out):
    assert _common.split_names(text) == out


@pytest.mark.parametrize("text", ["", " , ", ","])
def test_split_names_refuses_an_empty_list(text):
    from crashlens.errors import ParameterError

    with pytest.raises(ParameterError, match="empty list"):
        _common.split_names(text)


def test_help_does_not_load_the_numeric_stack():
    """`crashlens --help` answers without importing pandas, numpy or plotly (start-up time)."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from typer.testing import CliRunner\n"
            "from crashlens.cli.main import app\n"
            "res = CliRunner().invoke(app, ['--help'])\n"
            "assert res.exit_code == 0 and 'report' in res.output, res.output\n"
            "heavy = sorted(m for m in ('pandas', 'numpy', 'plotly', 'scipy', 'duckdb')"
            " if m in sys.modules)\n"
            "print(','.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
