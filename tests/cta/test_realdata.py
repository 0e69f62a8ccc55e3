"""SPX as of real dates in 2020, 2022 and 2025 against the slow reference in ``_reference``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crashlens.cta import CTAParams, positioning

from . import _reference as ref

pytestmark = [pytest.mark.realdata, pytest.mark.usefixtures("generic_default")]

DATES = ["2020-03-23", "2022-06-16", "2025-11-20"]
AUM = 300e9


@pytest.fixture(scope="module")
def spx(spx_close: pd.Series) -> pd.Series:
    # the model and the reference both start their recursions on 1990-01-02
    return spx_close.loc["1990-01-01":]


@pytest.fixture(scope="module", params=DATES)
def case(request: pytest.FixtureRequest, spx: pd.Series):
    asof = request.param
    past = spx.loc[:asof]
    res = positioning(asof, prices=spx, aum=AUM, params=CTAParams.preset("generic"), mc=False)
    state = ref.fit_state([float(x) for x in past.to_numpy()])
    return asof, past, res, state


def test_positioning_matches_slow_reference(case) -> None:
    asof, past, res, state = case
    b = res.assets["SPX"]
    assert res.asof == pd.Timestamp(asof)
    assert b["price"] == pytest.approx(float(past.iloc[-1]), rel=1e-12)
    comps = ref.components(state)
    for label, value in comps.items():
        assert b["components"][label] == pytest.approx(value, rel=1e-9, abs=1e-12), label
    assert b["position_pct"] == pytest.approx(ref.blended(state), rel=1e-9, abs=1e-12)
    assert b["notional_usd"] == pytest.approx(AUM * ref.weight(state), rel=1e-9)
    assert -1 <= b["position_pct"] <= 1


def test_per_horizon_triggers_by_hand(case) -> None:
    _, past, res, _ = case
    b = res.assets["SPX"]
    p = past.to_numpy()
    t = len(p) - 1
    for h in ref.HORIZONS:
        # TSMOM flips where tomorrow's close equals the close h-1 days before today
        assert b["horizon_triggers"][f"tsmom_{h}"] == pytest.approx(p[t + 1 - h], rel=1e-12)
        nf = max(1, round(h / 4))
        a_f, a_s = p[t + 2 - nf:t + 1].sum(), p[t + 2 - h:t + 1].sum()
        level = (nf * a_s - h * a_f) / (h - nf)
        got = b["horizon_triggers"][f"ma_cross_{h}"]
        if level > 0:
            assert got == pytest.approx(level, rel=1e-9)
        else:  # no positive close can flip it
            assert math.isnan(got)


def test_aggregate_triggers_match_bisection(case) -> None:
    _, _, res, state = case
    for group in ("short", "medium", "long"):
        got = res.assets["SPX"]["triggers"][group]
        want = ref.trigger(state, group)
        if math.isnan(want):
            assert got is None or math.isnan(got)
        else:
            assert got == pytest.approx(want, rel=1e-6), group


def test_scenario_flows_match_reference(case) -> None:
    _, _, res, state = case
    spot = state.prices[-1]
    sig_d = math.sqrt(state.var)
    for label, horizon in (("1w", 5), ("1m", 21)):
        for tape, ks in (("flat", 0.0), ("down", -1.0), ("down_big", -2.0)):
            path = [spot * math.exp(ks * sig_d * math.sqrt(horizon) * k / horizon)
                    for k in range(1, horizon + 1)]
            want = ref.path_flow(state, path, AUM)
            got = res.assets["SPX"]["flows_usd"][label][tape]
            assert got == pytest.approx(want, rel=1e-7, abs=1e3), (label, tape)


def test_percentiles_match_pandas(case, spx: pd.Series) -> None:
    asof, _, res, _ = case
    w = ref.pandas_weights(spx.loc[:asof])
    end = pd.Timestamp(asof)
    for years in (1, 3, 5):
        window = w[(w.index > end - pd.Timedelta(days=365 * years)) & (w.index <= end)]
        want = float(np.mean(window.to_numpy() <= window.iloc[-1]))
        assert res.assets["SPX"]["percentile"][f"{years}y"] == pytest.approx(want, abs=1e-9)


def test_usd_per_1pct_matches_reference(case) -> None:
    _, _, res, state = case
    spot = state.prices[-1]
    w0 = ref.weight(state)

    def trade(x: float) -> float:
        s = ref.step(state, x, hold_vol=True)
        return AUM * (ref.weight(s) - w0 * x / spot)

    want = 0.5 * (trade(1.01 * spot) - trade(0.99 * spot))
    assert res.assets["SPX"]["usd_per_1pct"] == pytest.approx(want, rel=1e-7, abs=1e3)


def test_default_params_are_the_reference_ones() -> None:
    p = CTAParams()
    assert p.horizons == ref.HORIZONS and p.vol_com == ref.COM and p.annualisation == ref.ANN
    assert p.target_vol == ref.TARGET and p.vol_floor == ref.FLOOR


@pytest.mark.slow
@pytest.mark.parametrize("asof", DATES)
def test_default_universe_from_the_catalog(raw_dir, asof: str) -> None:
    res = positioning(asof, mc=False)
    d = res.to_dict()
    assert "SPX" in d["assets"] and "UST10Y" in d["assets"]
    assert res.assumptions["data"] == "catalog"
    total = sum(b["notional_usd"] for b in d["assets"].values())
    assert d["total"]["notional_usd"] == pytest.approx(total)
    for name, b in d["assets"].items():
        assert b["price"] is not None and b["notional_usd"] is not None, name
        assert -1 <= b["position_pct"] <= 1
    # equal to the stand-alone SPX book scaled by its share: the same signal either way
    alone = positioning(asof, assets=["SPX"], mc=False)
    assert alone.assets["SPX"]["position_pct"] == pytest.approx(d["assets"]["SPX"]["position_pct"])
