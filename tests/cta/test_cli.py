"""``crashlens cta --json`` has exactly the shape of issue 3 (real data)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from crashlens.cli.main import app

pytestmark = pytest.mark.realdata

ASSET_KEYS = {"price", "position_pct", "notional_usd", "percentile", "triggers",
              "usd_per_1pct", "flows_usd"}


@pytest.mark.slow
def test_cta_json_shape(raw_dir) -> None:
    out = CliRunner().invoke(app, ["cta", "--asof", "2025-11-20", "--assets", "SPX,UST10Y,BTC",
                                   "--aum", "2.5e11", "--no-mc", "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert {"asof", "assets", "total", "assumptions"} <= set(d)
    assert d["asof"] == "2025-11-20"
    assert set(d["assets"]) == {"SPX", "UST10Y", "BTC"}
    for b in d["assets"].values():
        assert set(b) == ASSET_KEYS
        assert -1 <= b["position_pct"] <= 1
        assert set(b["percentile"]) == {"1y", "3y", "5y"}
        assert all(0 <= v <= 1 for v in b["percentile"].values())
        assert set(b["triggers"]) == {"short", "medium", "long"}
        assert set(b["flows_usd"]) == {"1w", "1m"}
        for h in ("1w", "1m"):
            assert set(b["flows_usd"][h]) == {"flat", "up", "down", "down_big"}
    assert d["assumptions"]["aum"] == 2.5e11
    assert 3.0 < d["assets"]["UST10Y"]["price"] < 6.0  # reported as a yield in %
    assert d["assets"]["SPX"]["price"] == pytest.approx(6538.76, abs=0.01)
    assert "notional_usd" in d["total"] and "flows_usd" in d["total"]


@pytest.mark.parametrize("args", [["--aum", "-1"], ["--assets", "NOPE"],
                                  ["--asof", "2040-01-01"], ["--asof", "notadate"]])
def test_cta_errors_exit_2(raw_dir, args, monkeypatch, capsys) -> None:
    from crashlens.cli import main as cli_main

    monkeypatch.setattr("sys.argv", ["crashlens", "cta", "--no-mc", *args])
    with pytest.raises(SystemExit) as exc:
        cli_main.main()
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err


@pytest.mark.slow
def test_cta_history_and_sensitivity_commands(raw_dir) -> None:
    out = CliRunner().invoke(app, ["cta", "--asof", "2025-11-21", "--history-from",
                                   "2025-11-10", "--assets", "SPX", "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    days = [r["date"] for r in d["history"]]
    assert days[0] == "2025-11-10" and days[-1] == "2025-11-21"
    assert {"trigger_short", "trigger_medium", "trigger_long", "signal"} <= set(d["history"][0])
    out = CliRunner().invoke(app, ["cta", "--asof", "2025-11-21", "--assets", "SPX",
                                   "--sensitivity"])
    assert out.exit_code == 0, out.output
    assert "vol_rolling_63" in out.stdout
