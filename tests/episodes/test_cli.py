"""CLI commands of the episodes engine: JSON output and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crashlens.cli.main import app

pytestmark = pytest.mark.realdata
runner = CliRunner()


def _json(*args: str) -> dict:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_anatomy_json() -> None:
    d = _json("anatomy", "--start", "2025-11-17", "--end", "2025-11-21", "--assets",
              "SPX,BTC,NVDA", "--json")
    assert {r["asset"] for r in d["assets"]} == {"SPX", "BTC", "NVDA"}
    assert d["market_value"]["spx_value_lost_usd"] > 0


def test_episodes_json() -> None:
    d = _json("episodes", "--named-only", "--json")
    assert {e["key"] for e in d["episodes"]} >= {"2008", "2020", "2025-11"}


def test_analogs_json() -> None:
    d = _json("analogs", "--asof", "2025-11-21", "--json")
    assert [f["horizon"] for f in d["forward"]] == ["1w", "1m", "3m"]


def test_catalysts_json_default_file() -> None:
    d = _json("catalysts", "--json")
    assert len(d["events"]) == 8


def test_catalysts_bad_file_is_one_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("events:\n  - date: 2025-11-19\n    assets: [NVDA, FOO]\n")
    out = subprocess.run([sys.executable, "-m", "crashlens.cli.main", "catalysts", "--events",
                          str(f)], capture_output=True, text=True, env=dict(os.environ))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "row 3" in lines[0] and "FOO" in lines[0]
