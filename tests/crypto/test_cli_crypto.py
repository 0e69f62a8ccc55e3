from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from crashlens.cli.main import app


@pytest.mark.realdata
def test_crypto_cli_json(raw_dir):
    res = CliRunner().invoke(app, ["crypto", "--asof", "2025-11-21", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert {"btc", "funding", "open_interest", "liquidation_map", "cascade",
            "assumptions"} <= d.keys()
    assert d["btc"]["ath_date"] == "2025-10-06"


def test_crypto_cli_bad_date():
    res = CliRunner().invoke(app, ["crypto", "--asof", "yesterday-ish"])
    assert res.exit_code != 0
