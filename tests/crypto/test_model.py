"""The liquidation model on small paths whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from crashlens.crypto import LiquidationModel, simulate
from crashlens.crypto.model import liquidation_levels, tiers_table
from crashlens.errors import ParameterError


def _run(model, oi, prices, lows=None, highs=None):
    p = np.asarray(prices, float)
    p0 = np.r_[p[0], p[:-1]]
    lo = np.fmin(p0, p) if lows is None else np.asarray(lows, float)
    hi = np.fmax(p0, p) if highs is None else np.asarray(highs, float)
    return simulate(np.asarray(oi, float), p0, p, lo, hi, model)


def test_mmr_brackets_by_hand():
    m = LiquidationModel()
    # largest modelled bracket allowing the leverage: 10x and 20x sit in the 20x bracket (2.5 %)
    assert m.mmr(10) == 0.025 and m.mmr(20) == 0.025
    assert m.mmr(50) == 0.01 and m.mmr(100) == 0.005 and m.mmr(125) == 0.004
    row = {r["leverage"]: r for r in tiers_table(m, 100.0)}
    assert row[10.0]["long"] == pytest.approx(100 * 0.9 / 0.975)
    assert row[10.0]["short"] == pytest.approx(100 * 1.1 / 1.025)


def test_isolated_single_tier_liquidates_at_its_price():
    m = LiquidationModel(leverage=((10.0, 1.0),), cross_share=0.0)
    lp = 100 * 0.9 / 0.975  # 92.31
    ll, sl, _ = _run(m, [100, 100, 100], [100, 95, 92])
    assert ll.tolist() == [0.0, 0.0, 100.0]  # the low of 92 < 92.31 takes the whole long book
    assert sl.tolist() == [0.0, 0.0, 0.0]
    ll2, _, _ = _run(m, [100, 100], [100, lp + 0.01])
    assert ll2[1] == 0.0


def test_falling_oi_closes_pro_rata_before_the_liquidation():
    m = LiquidationModel(leverage=((10.0, 1.0),), cross_share=0.0)
    ll, _, book = _run(m, [100, 40, 40], [100, 99, 90])
    assert ll[2] == pytest.approx(40.0)
    # after the liquidation the long book is refilled to the OI at the step's mid (94.5)
    longs = book["notional"][book["is_long"]]
    assert longs.sum() == pytest.approx(40.0)
    assert book["level"][book["is_long"]][0] == pytest.approx(94.5 * 0.9 / 0.975)


def test_cross_margin_acts_at_half_the_leverage():
    m = LiquidationModel(leverage=((10.0, 1.0),), cross_share=1.0,
                         cross_collateral_multiple=2.0)
    lp = 100 * (1 - 1 / 5) / 0.975  # 5x effective, the 10x bracket's mmr
    ll, _, _ = _run(m, [100, 100], [100, lp + 0.01])
    assert ll[1] == 0.0
    ll, _, _ = _run(m, [100, 100], [100, lp - 0.01])
    assert ll[1] == pytest.approx(100.0)


def test_tier_weights_split_the_book_and_shorts_mirror():
    m = LiquidationModel(leverage=((2.0, 0.5), (100.0, 0.5)), cross_share=0.0)
    # 100x long: 100 (1 - 0.01) / (1 - 0.005) = 99.497; 2x long far below
    ll, sl, _ = _run(m, [200, 200], [100, 99.4])
    assert ll[1] == pytest.approx(100.0) and sl[1] == 0.0
    # 100x short: 100 (1.01) / 1.005 = 100.4975
    ll, sl, _ = _run(m, [200, 200], [100, 100.6])
    assert sl[1] == pytest.approx(100.0) and ll[1] == 0.0
    # an intrabar wick (low) liquidates even when the step ends flat
    ll, _, _ = _run(m, [200, 200], [100, 100], lows=[100, 99.0], highs=[100, 100])
    assert ll[1] == pytest.approx(100.0)


def test_rising_oi_opens_new_positions_at_the_mid():
    m = LiquidationModel(leverage=((10.0, 1.0),), cross_share=0.0)
    lvl_l, _, wt = liquidation_levels(m, np.array([100.0, 110.0]))
    assert wt.tolist() == [1.0]
    _, _, book = _run(m, [100, 150], [100, 120])
    longs = book["notional"][book["is_long"]]
    assert sorted(longs.tolist()) == [50.0, 100.0]
    assert sorted(book["level"][book["is_long"]].tolist()) == pytest.approx(
        [lvl_l[0, 0], lvl_l[1, 0]])


def test_default_parameters_documented():
    d = LiquidationModel().to_dict()
    w = dict(LiquidationModel().leverage)
    assert sum(w.values()) == pytest.approx(1.0)
    assert d["margin_ratio_sum_w_over_l"] == pytest.approx(sum(v / k for k, v in w.items()))
    assert d["margin_ratio_sum_w_over_l"] == pytest.approx(0.2435)
    assert d["exclude_venues"] == ("CME",)


@pytest.mark.parametrize("kw", [
    {"leverage": ()}, {"leverage": ((0.5, 1.0),)}, {"leverage": ((10.0, -1.0),)},
    {"leverage": ((200.0, 1.0),)}, {"cross_share": 1.5}, {"cross_collateral_multiple": 0.5},
    {"maintenance": ((10.0, 1.2),)}, {"lookback_days": 0}, {"impact": -0.1},
])
def test_bad_parameters(kw):
    with pytest.raises(ParameterError):
        LiquidationModel(**kw)


def test_bad_paths():
    m = LiquidationModel()
    one = np.ones(3)
    with pytest.raises(ParameterError, match="equal length"):
        simulate(one, one, one, one, np.ones(2), m)
    with pytest.raises(ParameterError, match="open interest"):
        simulate(np.array([1.0, np.nan, 1.0]), one, one, one, one, m)
    with pytest.raises(ParameterError, match="prices"):
        simulate(one, one, np.array([1.0, 0.0, -1.0]), one, one, m)


def _slow_reference(oi, p0, p1, lo, hi, model):
    """Cohort-by-cohort walk written independently of the kernel (plain Python)."""
    lev, mmr, wt = model.cohorts()
    book = []  # [side, notional, liquidation price]

    def lp(entry, x, m, side):
        return max(entry * (1 - 1 / x) / (1 - m), 0.0) if side > 0 else \
            entry * (1 + 1 / x) / (1 + m)

    def add(t, amount, side):
        mid = (p0[t] + p1[t]) / 2
        book.extend([side, amount * w, lp(mid, x, m, side)]
                    for x, m, w in zip(lev, mmr, wt, strict=True))

    add(0, oi[0], 1)
    add(0, oi[0], -1)
    out_l, out_s = [0.0], [0.0]
    for t in range(1, len(oi)):
        got = {1: 0.0, -1: 0.0}
        for c in book:
            if c[1] > 0 and ((c[0] > 0 and c[2] >= lo[t]) or (c[0] < 0 and c[2] <= hi[t])):
                got[c[0]] += c[1]
                c[1] = 0.0
        out_l.append(got[1])
        out_s.append(got[-1])
        for side in (1, -1):
            held = sum(c[1] for c in book if c[0] == side)
            if held > oi[t]:
                for c in book:
                    if c[0] == side:
                        c[1] *= oi[t] / held
            else:
                add(t, oi[t] - held, side)
    return np.array(out_l), np.array(out_s)


@pytest.mark.parametrize("seed", [0, 1])
def test_kernel_matches_a_slow_reference(seed):
    rng = np.random.default_rng(seed)
    n = 120
    p = 100 * np.exp(np.cumsum(rng.normal(0, 0.02, n)))
    p0 = np.r_[p[0], p[:-1]]
    lo = np.fmin(p0, p) * (1 - np.abs(rng.normal(0, 0.01, n)))
    hi = np.fmax(p0, p) * (1 + np.abs(rng.normal(0, 0.01, n)))
    oi = 1e9 * np.exp(np.cumsum(rng.normal(0, 0.03, n)))
    m = LiquidationModel()
    ll, sl, _ = simulate(oi, p0, p, lo, hi, m)
    rl, rs = _slow_reference(oi, p0, p, lo, hi, m)
    assert ll == pytest.approx(rl, rel=1e-9, abs=1e-3)
    assert sl == pytest.approx(rs, rel=1e-9, abs=1e-3)
    assert ll.sum() > 0 and sl.sum() > 0
