"""Stablecoin supply against the raw files read with plain csv."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from crashlens.cli.main import app
from crashlens.crypto import stablecoins
from crashlens.errors import ParameterError


def _col(path, date_col, col):
    with open(path) as fh:
        return {r[date_col]: float(r[col]) for r in csv.DictReader(fh) if r[col]}


@pytest.mark.realdata
def test_levels_and_changes_by_hand(raw_dir):
    cg = raw_dir / "stablecoin_mcap_daily_2015_2025.csv"
    usdt, usdc = _col(cg, "date_utc", "USDT"), _col(cg, "date_utc", "USDC")
    r = stablecoins("2025-11-13")
    t = r.supply["USDT"]
    assert t["usd"] == usdt["2025-11-13"] == pytest.approx(183.95e9, rel=1e-4)  # SOURCES.md
    assert r.supply["USDC"]["usd"] == pytest.approx(75.59e9, rel=1e-4)
    assert t["change_usd"]["30d"] == pytest.approx(usdt["2025-11-13"] - usdt["2025-10-14"])
    assert r.supply["USDC"]["change_pct"]["7d"] == pytest.approx(
        usdc["2025-11-13"] / usdc["2025-11-06"] - 1)
    assert r.total["usd"] == pytest.approx(usdt["2025-11-13"] + usdc["2025-11-13"])
    assert t["is_current"] and r.supply["USDC"]["is_current"]


@pytest.mark.realdata
def test_usdt_continues_on_defillama_and_usdc_goes_stale(raw_dir):
    dl = _col(raw_dir / "usdt_circulating_daily_2025q4.csv", "date", "stablecoin_mcap_usd")
    r = stablecoins("2025-11-21")
    assert r.supply["USDT"]["usd"] == dl["2025-11-21"]
    assert r.supply["USDC"]["is_current"] is False
    assert "2025-11-13" in r.supply["USDC"]["status"]
    assert any("different dates" in w for w in r.warnings)
    built = r.assumptions["built_from"]["USDT"]
    assert built["overlap_median_rel_diff"] < 0.01
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert d["supply"]["USDT"]["date"] == "2025-11-21"
    r.plot_supply()


@pytest.mark.realdata
def test_cli(raw_dir):
    res = CliRunner().invoke(app, ["crypto", "stablecoins", "--asof", "2025-11-13", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["supply"]["USDT"]["usd"] == pytest.approx(183.95e9, rel=1e-4)


def test_bad_parameters():
    with pytest.raises(ParameterError):
        stablecoins("2025-11-13", coins=[])
    with pytest.raises(ParameterError):
        stablecoins("2025-11-13", windows=(0,))
