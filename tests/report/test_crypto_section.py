"""Crypto liquidations rank as a force only on current market-wide open interest."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.realdata


@pytest.mark.parametrize("kw, ranked", [
    ({"event": "2025-11"}, True),      # market OI current on 22 Nov 2025
    ({"event": "2026-02"}, False),     # market OI last known 17 Dec 2025: stale
    ({"asof": "2022-06-16"}, False),   # no market OI yet: one venue's sliver only
])
def test_cascade_force_needs_current_market_oi(raw_dir, kw, ranked):
    from crashlens import crypto
    from crashlens.report import build_report

    rep = build_report(sections=["crypto"], **kw)
    forces = rep.section("crypto").forces
    assert bool(forces) is ranked
    if ranked:
        res = crypto.leverage(rep.asof)
        assert res.oi["BTC"]["is_current"]
        assert forces[0].score == pytest.approx(res.cascade["liquidated_usd"] / 1e9)
