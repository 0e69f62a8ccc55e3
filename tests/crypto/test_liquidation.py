"""Liquidation prices (closed form), the reconstructed map and the cascade (closed form)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crashlens.crypto import bin_cohorts, build_cohorts, cascade, liquidation_price
from crashlens.errors import ParameterError


@pytest.mark.parametrize("lev", [2.0, 5.0, 10.0, 25.0, 50.0, 100.0])
def test_liquidation_price_closed_form(lev):
    ep, mmr = 100_000.0, 0.004
    assert liquidation_price(ep, lev, "long", mmr) == pytest.approx(
        ep * (1 - 1 / lev) / (1 - mmr))
    assert liquidation_price(ep, lev, "short", mmr) == pytest.approx(
        ep * (1 + 1 / lev) / (1 + mmr))


@pytest.mark.parametrize("side,s", [("long", 1.0), ("short", -1.0)])
def test_liquidation_price_solves_margin_condition(side, s):
    """At LP the margin balance equals the maintenance margin: WB + s Q (LP-EP) = Q LP MMR - cum."""
    ep, lev, q, mmr, cum = 64_000.0, 20.0, 3.0, 0.005, 50.0
    lp = float(liquidation_price(ep, lev, side, mmr, cum=cum, quantity=q))
    wb = q * ep / lev
    assert wb + s * q * (lp - ep) == pytest.approx(q * lp * mmr - cum, rel=1e-12)


def test_liquidation_price_known_values():
    # 10x long at 100k with MMR 0.4 %: 90,000 / 0.996
    assert liquidation_price(100_000, 10, "long") == pytest.approx(90361.4457831, rel=1e-10)
    assert liquidation_price(100_000, 1, "long") == 0.0
    with pytest.raises(ParameterError):
        liquidation_price(100, 10, "sideways")
    with pytest.raises(ParameterError):
        liquidation_price(-1, 10)


def test_cohorts_by_hand():
    oi = np.array([100.0, 150.0, 150.0, 120.0, 120.0])
    close = np.array([100.0, 100.0, 100.0, 100.0, 100.0])
    low = np.array([np.nan, 99.0, 99.0, 99.0, 79.0])  # day 4 trades through the 5x long LP
    high = np.array([np.nan, 101.0, 101.0, 101.0, 101.0])
    lp, nt, is_long = build_cohorts(oi, close, low, high, tiers=(5.0, 10.0),
                                    tier_weights=(0.5, 0.5), long_share=0.6, mmr=0.0)
    # day 1: +50 -> longs 30 (15 at 80, 15 at 90), shorts 20 (10 at 120, 10 at 110)
    # day 3: OI 150 -> 120 scales by 0.8; day 4: low 79 consumes both long cohorts
    got = sorted(zip(lp.round(6).tolist(), nt.tolist(), is_long.tolist(), strict=True))
    assert got == [(110.0, 8.0, False), (120.0, 8.0, False)]
    lp2, nt2, _ = build_cohorts(oi[:4], close[:4], low[:4], high[:4], tiers=(5.0, 10.0),
                                tier_weights=(0.5, 0.5), long_share=0.6, mmr=0.0)
    assert dict(zip(lp2.round(6), nt2, strict=True)) == {80.0: 12.0, 90.0: 12.0, 110.0: 8.0,
                                                          120.0: 8.0}
    m = bin_cohorts(lp2, nt2, np.array([True, True, False, False]), 100.0, 0.05, 0.5)
    assert m["long_usd"].sum() == pytest.approx(24.0)
    assert m.loc[m["price_low"] == 80.0, "long_usd"].item() == 12.0
    assert m["intensity"].max() == 1.0


def test_cohort_decay():
    oi = np.array([0.0, 10.0, 10.0, 10.0])
    c = np.full(4, 100.0)
    _, nt, _ = build_cohorts(oi, c, c, c, tiers=(10.0,), tier_weights=(1.0,),
                             decay_halflife=1.0)
    assert nt.sum() == pytest.approx(10.0 * 0.25)


def test_cascade_closed_form_uniform_density():
    """Uniform long density rho per USD of price: each round's move is a * previous move,
    a = impact * P0 * rho / OI, so the total fall is the geometric sum shock / (1 - a)."""
    p0, oi, impact, shock = 100.0, 1000.0, 0.5, -0.02
    levels = np.linspace(0.0, 100.0, 2_000_001)[:-1] + 0.5e-4
    rho = 8.0  # USD per unit of price
    notional = np.full(levels.size, rho * 100.0 / levels.size)
    a = impact * p0 * rho / oi  # 0.4
    res = cascade(p0, shock, levels, notional, oi, impact=impact, tol=1e-9, max_rounds=200)
    exp_move = shock / (1 - a)
    assert res["total_move"] == pytest.approx(exp_move, rel=1e-4)
    assert res["liquidated_usd"] == pytest.approx(rho * p0 * -exp_move, rel=1e-4)
    assert res["amplification"] == pytest.approx(1 / (1 - a), rel=1e-4)


def test_cascade_nothing_to_liquidate_and_up_shock():
    res = cascade(100.0, -0.05, np.array([50.0]), np.array([10.0]), 100.0)
    assert res["total_move"] == pytest.approx(-0.05) and res["liquidated_usd"] == 0.0
    up = cascade(100.0, 0.05, np.array([104.0, 106.0]), np.array([10.0, 10.0]), 100.0,
                 impact=0.3)
    # round 1: 104 liquidated (10 = 10 % of OI) -> +3 -> 108 crosses 106 -> +3 -> 111
    assert up["final_price"] == pytest.approx(111.0)
    assert up["liquidated_usd"] == 20.0
    with pytest.raises(ParameterError):
        cascade(100.0, -0.05, np.array([1.0]), np.array([1.0]), 0.0)


def test_bad_tiers():
    x = np.ones(3)
    with pytest.raises(ParameterError, match="equal length"):
        build_cohorts(x, x, x, x, tiers=(5, 10), tier_weights=(1.0,))
    with pytest.raises(ParameterError):
        build_cohorts(x, x, x, x, long_share=1.5)
    with pytest.raises(ParameterError):
        bin_cohorts(x, x, x > 0, 1.0, bin_pct=0.6, range_pct=0.5)
    assert isinstance(bin_cohorts(x, x, x > 0, 1.0), pd.DataFrame)


def test_tier_above_one_over_mmr_rejected():
    x = np.ones(3)
    with pytest.raises(ParameterError, match="liquidated at entry"):
        build_cohorts(x, x, x, x, tiers=(5.0, 300.0), tier_weights=(0.5, 0.5), mmr=0.004)


@settings(max_examples=200, deadline=None)
@given(ep=st.floats(1.0, 1e6), lev=st.floats(1.01, 200.0), mmr=st.floats(0.0, 0.004))
def test_liquidation_price_brackets_entry(ep, lev, mmr):
    lo = float(liquidation_price(ep, lev, "long", mmr))
    hi = float(liquidation_price(ep, lev, "short", mmr))
    assert lo < ep < hi
    # higher leverage: liquidation closer to the entry price
    assert float(liquidation_price(ep, lev * 1.5, "long", mmr)) >= lo
