from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from crashlens.cli.main import app


@pytest.mark.realdata
def test_fragility_cli_json(raw_dir):
    res = CliRunner().invoke(app, ["fragility", "--asof", "2020-03-16", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["turbulence_percentile"] > 95
    assert d["vol_regime"]["regime"] == "stress"
    assert d["components"]["crowding"]["score"] is None  # no COT before 2024


@pytest.mark.realdata
def test_contagion_cli_json(raw_dir):
    res = CliRunner().invoke(app, ["contagion", "--asof", "2025-11-21", "--json",
                                   "--equities", "COIN,NDX"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert set(d["betas"]) == {"COIN", "NDX"}
    assert d["transmitters"] and d["receivers"]
