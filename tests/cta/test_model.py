"""Model behaviour on scripted and random paths: flips, triggers, invariants, book, flows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crashlens.cta import CTAParams, SignalFamily, extend, fit_asset, history, positioning
from crashlens.cta.sizing import book_weights, risk_budgets
from crashlens.cta.triggers import aggregate_trigger, component_trigger, group_signal

from .conftest import random_walk

# written for the generic replica (the engine's default is the desk preset)
pytestmark = pytest.mark.usefixtures("generic_default")


def tent(n_up: int = 400, n_down: int = 200, slope: float = 0.002) -> pd.Series:
    """Scripted trend and reversal: log price rises for n_up days, then falls."""
    k = np.arange(n_up + n_down + 1)
    logp = np.where(k <= n_up, slope * k, slope * (2 * n_up - k))
    idx = pd.bdate_range("2010-01-04", periods=k.size)
    return pd.Series(100 * np.exp(logp), index=idx, name="TENT")


@pytest.mark.parametrize("h", [10, 21, 63])
def test_tsmom_flips_on_the_closed_form_date(h: int) -> None:
    s = tent()
    prm = CTAParams(horizons=(h,), families=(SignalFamily.TSMOM,), vol_min_obs=5)
    m = fit_asset("TENT", s, prm)
    # ln P_t < ln P_{t-h}  <=>  t > n_up + h/2: the first strictly negative day
    first_neg = int(np.argmax(m.signal < 0))
    assert first_neg == 400 + h // 2 + 1
    assert np.all(m.signal[m.first:first_neg] >= 0)
    # and the trigger computed the day before predicted it: P_t below yesterday's level
    assert s.iloc[first_neg] < component_trigger(m, first_neg - 1, m.parts[0])
    assert s.iloc[first_neg - 1] >= component_trigger(m, first_neg - 2, m.parts[0])


def test_every_component_flips_exactly_where_yesterdays_trigger_says() -> None:
    s = random_walk(900, seed=3)
    prm = CTAParams(horizons=(10, 21, 63))
    m = fit_asset("X", s, prm)
    p = m.prices
    for c, part in enumerate(m.parts):
        for t in range(m.first + 1, len(p)):
            trig = component_trigger(m, t - 1, part)
            if not math.isfinite(trig):
                continue
            val = m.comps[c, t]
            if abs(p[t] / trig - 1) < 1e-9:
                continue
            # components are non-decreasing in tomorrow's close (vol held): above => >= 0
            if part.family in (SignalFamily.TSMOM, SignalFamily.MA_CROSS):
                assert np.sign(val) == np.sign(p[t] - trig), (part.label, t)


def test_hold_vol_triggers_re_run_signal_at_plus_minus_epsilon() -> None:
    s = random_walk(700, seed=11)
    m = fit_asset("X", s, CTAParams())
    t = len(s) - 1
    for part in m.parts:
        trig = component_trigger(m, t, part)
        if not math.isfinite(trig):
            continue
        ext = extend(m, t, np.array([[trig * (1 - 1e-7)], [trig * (1 + 1e-7)]]), hold_vol=True)
        c = m.parts.index(part)
        lo, hi = ext.comps[c, 0, 0], ext.comps[c, 1, 0]
        assert lo <= 0 <= hi and lo < hi, part.label
    for group in ("short", "medium", "long"):
        trig = aggregate_trigger(m, t, group, 0.3)
        if math.isnan(trig):
            continue
        below, above = group_signal(m, t, np.array([trig * (1 - 1e-6), trig * (1 + 1e-6)]), group)
        assert below < 0 < above or (below <= 0 <= above and below < above), group


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scale=st.floats(1e-3, 1e4), seed=st.integers(0, 10_000))
def test_scaling_prices_leaves_signals_unchanged(scale: float, seed: int) -> None:
    s = random_walk(320, seed=seed)
    prm = CTAParams(horizons=(10, 63, 252))
    a, b = fit_asset("X", s, prm), fit_asset("X", s * scale, prm)
    np.testing.assert_allclose(a.signal[a.first:], b.signal[b.first:], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(a.sig[a.first:], b.sig[b.first:], rtol=1e-9)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), days=st.integers(2, 40))
def test_flat_path_decays_vol(seed: int, days: int) -> None:
    s = random_walk(300, seed=seed)
    m = fit_asset("X", s, CTAParams(horizons=(10, 21)))
    t = len(s) - 1
    ext = extend(m, t, np.full((1, days), s.iloc[-1]))
    sig = np.concatenate(([m.sig[t]], ext.sig[0]))
    assert np.all(np.diff(sig) <= 0)
    assert sig[-1] < sig[0]
    alpha = 1 / 61
    assert ext.sig[0, -1] == pytest.approx(m.sig[t] * math.sqrt((1 - alpha) ** days), rel=1e-9)


def test_extension_equals_refit_on_the_real_path() -> None:
    s = random_walk(600, seed=5)
    prm = CTAParams()
    full = fit_asset("X", s, prm)
    part = fit_asset("X", s.iloc[:560], prm)
    ext = extend(part, 559, s.to_numpy()[560:][None, :])
    np.testing.assert_allclose(ext.signal[0], full.signal[560:], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ext.sig[0], full.sig[560:], rtol=1e-10)


def test_full_conviction_book_runs_target_vol() -> None:
    rng = np.random.default_rng(0)
    corr = np.array([[1.0, 0.6, -0.2], [0.6, 1.0, 0.1], [-0.2, 0.1, 1.0]])
    vols = np.array([0.16, 0.25, 0.07])
    prm = CTAParams()
    budgets = risk_budgets(["SPX", "NDX", "UST10Y"], None, prm)
    assert budgets == pytest.approx([0.25, 0.25, 0.5])
    for _ in range(5):
        signs = rng.choice([-1.0, 1.0], 3)
        w, _ = book_weights(signs[:, None], vols[:, None], budgets, corr, prm)
        cov = corr * np.outer(vols, vols)
        assert math.sqrt(w[:, 0] @ cov @ w[:, 0]) == pytest.approx(0.10, rel=1e-12)
        # half conviction = half the weights
        w2, _ = book_weights(0.5 * signs[:, None], vols[:, None], budgets, corr, prm)
        np.testing.assert_allclose(w2, 0.5 * w, rtol=1e-12)
    # leverage cap binds on very low vols
    w, _ = book_weights(np.ones((3, 1)), np.full((3, 1), 0.005), budgets, corr, prm)
    assert np.abs(w).sum() == pytest.approx(prm.leverage_cap)


def multi() -> pd.DataFrame:
    a = random_walk(1500, seed=1, drift=0.0004)
    b = random_walk(1500, seed=2, drift=-0.0003, vol=0.02)
    c = random_walk(1500, seed=3, vol=0.005)
    frame = pd.DataFrame({"EQ": a, "CMD": b, "BOND": c})
    frame.iloc[700:703, 1] = np.nan  # a short NaN gap: days CMD did not trade
    return frame


def test_multi_asset_positioning_consistency() -> None:
    prices = multi()
    sectors = {"EQ": "equity", "CMD": "commodity", "BOND": "rates"}
    res = positioning(prices=prices, sectors=sectors, mc=True, params=CTAParams(mc_paths=100))
    d = res.to_dict()
    assert set(d) == {"asof", "assets", "total", "assumptions", "warnings"}
    tot = res.total
    assert tot["notional_usd"] == pytest.approx(sum(b["notional_usd"] for b in res.assets.values()))
    for h in ("1w", "1m"):
        for k in ("flat", "up", "down", "down_big"):
            assert tot["flows_usd"][h][k] == pytest.approx(
                sum(b["flows_usd"][h][k] for b in res.assets.values()))
        q = tot["mc_flows_usd"][h]
        assert q["q05"] <= q["q50"] <= q["q95"]
    # flat tape flows are not zero (lookbacks roll, vol decays)
    assert any(abs(b["flows_usd"]["1m"]["flat"]) > 1e6 for b in res.assets.values())
    for b in res.assets.values():
        assert all(0 <= v <= 1 for v in b["percentile"].values())
    assert res.assumptions["universe"]["BOND"]["sector"] == "rates"
    res.plot_positioning("EQ")
    res.plot_flow_curve("EQ")
    res.plot_flows()
    assert "EQ" in res.summary()
    assert list(res.to_frame().index) == ["EQ", "CMD", "BOND"]


def test_numba_and_numpy_engines_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    prices = multi()
    prm = CTAParams(mc_paths=50)
    a = positioning(prices=prices, params=prm).to_dict(detail=True)
    monkeypatch.setenv("CRASHLENS_NO_NUMBA", "1")
    b = positioning(prices=prices, params=prm).to_dict(detail=True)
    for name in a["assets"]:
        x, y = a["assets"][name], b["assets"][name]
        assert x["notional_usd"] == pytest.approx(y["notional_usd"], rel=1e-9)
        for g in ("short", "medium", "long"):
            if x["triggers"][g] is not None:
                assert x["triggers"][g] == pytest.approx(y["triggers"][g], rel=1e-8)
        assert x["flows_usd"]["1m"]["down"] == pytest.approx(y["flows_usd"]["1m"]["down"],
                                                             rel=1e-8)


def test_history_agrees_with_positioning() -> None:
    prices = multi()
    hist = history("2005-08-01", "2005-09-30", prices=prices, flows=True)
    frame = hist.to_frame()
    assert set(frame["asset"]) == {"EQ", "CMD", "BOND"}
    for day in ("2005-08-15", "2005-09-30"):
        res = positioning(day, prices=prices, mc=False)
        for name, b in res.assets.items():
            row = frame[(frame["asset"] == name) & (frame["date"] == pd.Timestamp(day))].iloc[0]
            assert row["signal"] == pytest.approx(b["position_pct"], rel=1e-12)
            assert row["notional_usd"] == pytest.approx(b["notional_usd"], rel=1e-9)
            for g in ("short", "medium", "long"):
                want = b["triggers"][g]
                if want is not None and math.isfinite(want):
                    assert row[f"trigger_{g}"] == pytest.approx(want, rel=1e-9)
            assert row["flow_1w_down"] == pytest.approx(b["flows_usd"]["1w"]["down"], rel=1e-9)
    rep = hist.replica
    assert "replica_return" in rep and np.isfinite(rep["replica_return"]).all()
    assert isinstance(hist.flips(), pd.DataFrame)
    hist.plot_positioning("EQ")
    assert "history" in hist.to_dict()


def test_sensitivity_shows_a_band() -> None:
    from crashlens.cta import sensitivity

    s = sensitivity(prices=multi())
    f = s.to_frame()
    assert {"base", "vol_rolling_63", "horizons_short_10_21", "aum_low", "aum_high",
            "family_tsmom_only"} <= set(f["variant"])
    base = f[(f.variant == "base") & (f.asset == "total")].notional_usd.iloc[0]
    low = f[(f.variant == "aum_low") & (f.asset == "total")].notional_usd.iloc[0]
    assert low == pytest.approx(base * 200 / 300)
    assert "variant" in s.summary()


def test_closed_form_tomorrow_equals_recursion_with_vol_held() -> None:
    from crashlens.cta.triggers import Tomorrow

    s = random_walk(700, seed=13)
    m = fit_asset("X", s, CTAParams())
    t = len(s) - 1
    grid = s.iloc[-1] * np.linspace(0.8, 1.2, 33)
    ext = extend(m, t, grid[:, None], hold_vol=True)
    tom = Tomorrow(m, t)
    np.testing.assert_allclose(tom.comps(grid), ext.comps[:, :, 0], rtol=1e-10, atol=1e-12)
    for g in ("short", "medium", "long", "all"):
        vec = tom.group(grid, g)
        assert [tom.scalar(x, g) for x in grid] == pytest.approx(list(vec), rel=1e-10, abs=1e-12)


def test_pairwise_corr_twins_match_pandas() -> None:
    from crashlens.cta.sizing import _pairwise_corr_nb, _pairwise_corr_np

    rng = np.random.default_rng(4)
    x = rng.normal(size=(300, 5)) @ rng.normal(size=(5, 5))
    x[:120, 2] = np.nan
    x[:250, 4] = np.nan  # too few overlapping rows => 0
    want = pd.DataFrame(x).corr(min_periods=100).fillna(0.0).to_numpy().copy()
    np.fill_diagonal(want, 1.0)
    np.testing.assert_allclose(_pairwise_corr_nb(x, 100), want, atol=1e-10)
    np.testing.assert_allclose(_pairwise_corr_np(x, 100), want, atol=1e-10)


def test_percentile_ignores_days_before_an_asset_exists() -> None:
    from crashlens.cta.engine import percentile_rank

    old = random_walk(3000, seed=1)
    young = random_walk(600, seed=2, start="2006-01-02")
    old = old.loc[:young.index[-1]]
    res = positioning(prices=pd.DataFrame({"OLD": old, "YOUNG": young}), mc=False)
    assert all(v is not None and 0 <= v <= 1 for v in res.assets["OLD"]["percentile"].values())
    pct = res.assets["YOUNG"]["percentile"]
    assert np.isnan(pct["3y"]) and np.isnan(pct["5y"]) and 0 <= pct["1y"] <= 1
    dates = pd.bdate_range("2020-01-01", periods=600)
    vals = np.arange(600, dtype=float)
    assert percentile_rank(vals, dates, dates[-1], 1) == 1.0
    vals[-1] = -1.0
    n_window = int(np.sum(dates > dates[-1] - pd.Timedelta(days=365)))
    assert percentile_rank(vals, dates, dates[-1], 1) == pytest.approx(1 / n_window)
