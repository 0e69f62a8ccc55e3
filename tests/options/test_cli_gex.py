"""``crashlens gex``: JSON shape, options, one-line errors."""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace

import pytest

QUOTEDATA = """
SPDR S&P 500 ETF Trust,Last: 658.05,Change:  -3.05
"Date: September 25, 2025 at 9:05 PM EDT",Bid: 657.81,Ask: 657.83,Size: 1*4,"Volume: 89,468,957"
Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,\
Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest
Wed Oct 01 2025,SPY251001C00650000,9.5,0,9.4,9.6,100,0.15,0.6,0.03,1000,650.00,\
SPY251001P00650000,2.5,0,2.4,2.6,200,0.17,-0.4,0.03,2000
Wed Oct 01 2025,SPY251001C00660000,3.5,0,3.4,3.6,50,0.14,0.45,0.04,3000,660.00,\
SPY251001P00660000,5.5,0,5.4,5.6,70,0.16,-0.55,0.04,500
Fri Oct 17 2025,SPY251017C00670000,4.0,0,3.9,4.1,10,0.13,0.35,0.02,700,670.00,\
SPY251017P00670000,15,0,14.9,15.2,5,0.15,-0.65,0.02,0
"""

KEYS = {"underlying", "spot", "asof", "total_gex_usd_per_1pct", "zero_gamma",
        "zero_gamma_crossings", "call_wall", "put_wall", "abs_gamma_strike", "by_expiry",
        "profile", "hedge_flow_usd_per_1pct", "zero_dte_share", "assumptions", "warnings"}


@pytest.fixture
def run(capsys, monkeypatch):
    """Run ``crashlens gex ARGS`` in-process through ``main()`` (exit code, stdout, stderr)."""
    from crashlens.cli.main import main

    def _run(*args: str) -> SimpleNamespace:
        monkeypatch.setattr(sys, "argv", ["crashlens", "gex", *args])
        capsys.readouterr()
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out.out, stderr=out.err)

    return _run


@pytest.fixture
def small_chain(tmp_path):
    path = tmp_path / "quotedata.csv"
    path.write_text(QUOTEDATA)
    return path


def test_json_shape_and_options(run, small_chain):
    out = run(str(small_chain), "--spot", "655", "--rate", "0", "--div", "0",
              "--asof", "2025-09-26 10:00", "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert set(d) == KEYS
    assert d["spot"] == 655.0 and d["asof"] == "2025-09-26T10:00:00"
    a = d["assumptions"]
    assert a["sign_convention"] == "long_calls_short_puts"
    assert a["rate"] == 0.0 and a["dividend_yield"] == 0.0
    assert a["time_convention"] == "act365_minutes"
    assert set(d["profile"]) == {"spot", "gex_usd_per_1pct"}
    assert all(set(e) == {"expiry", "gex_usd_per_1pct"} for e in d["by_expiry"])
    assert isinstance(d["zero_gamma_crossings"], list)
    assert d["zero_dte_share"] is None


def test_full_json_and_text(run, small_chain):
    out = run(str(small_chain), "--sign", "short_calls_long_puts", "--json", "--full")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["assumptions"]["sign_convention"] == "short_calls_long_puts"
    assert {"dex_usd", "sign_convention_sensitivity", "by_strike", "zero_dte"} <= set(d)
    txt = run(str(small_chain))
    assert txt.returncode == 0 and "sign convention" in txt.stdout


@pytest.mark.parametrize("args, msg", [
    (("/nonexistent/chain.csv",), "no such chain file"),
    (("{chain}", "--asof", "yesterday-ish"), "--asof"),
    (("{chain}", "--sign", "bogus"), "sign_convention"),
    (("{chain}", "--spot", "-3"), "spot"),
    (("{chain}", "--spot", "1e308"), "far outside the chain's strikes"),
    (("{chain}", "--asof", "1900-01-01"), "before the chain's quote time"),
])
def test_errors_are_one_line(run, small_chain, args, msg):
    out = run(*(a.format(chain=small_chain) for a in args))
    assert out.returncode == 2
    assert msg in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.realdata
def test_real_chain_json(run, spy_chain_path):
    out = run(str(spy_chain_path), "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert set(d) == KEYS and d["underlying"] == "SPY" and d["spot"] == 658.05
    assert d["call_wall"] is not None and d["put_wall"] is not None
