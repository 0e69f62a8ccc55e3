"""``crashlens macro`` JSON output and the futures file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crashlens.cli.main import app
from crashlens.errors import DataError

pytestmark = pytest.mark.realdata
runner = CliRunner()


def test_macro_json_with_futures(tmp_path: Path) -> None:
    f = tmp_path / "ff.yaml"
    f.write_text("2025-12: 96.22\n2026-01: 96.30\n")
    res = runner.invoke(app, ["macro", "--asof", "2025-11-21", "--futures", str(f), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["vacuum_summary"]["in_vacuum"] is True
    assert d["fedwatch"]["meetings"][0]["meeting"] == "2025-12-10"


def test_macro_bad_futures_file(tmp_path: Path) -> None:
    f = tmp_path / "ff.yaml"
    f.write_text("2025-12: abc\n")
    res = runner.invoke(app, ["macro", "--asof", "2025-11-21", "--futures", str(f)])
    assert isinstance(res.exception, DataError)
    assert "not a number" in str(res.exception)
