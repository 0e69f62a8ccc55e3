"""Ground truth from the synthetic market: the scripted trend and reversal (2025-10-29 peak)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crashlens.cta import CTAParams, aggregate_trigger, component_trigger, fit_asset

# written for the generic replica (the engine's default is the desk preset)
pytestmark = pytest.mark.usefixtures("generic_default")


@pytest.fixture(scope="module")
def market():
    from crashlens.data.synthetic import generate

    return generate()


def test_short_term_flip_dates_match_closed_form_triggers(market) -> None:
    spx = market.series["SPX"]["close"].dropna()
    truth = market.truth.selloff
    m = fit_asset("SPX", spx, CTAParams())
    t_peak = m.index_of(truth.peak)
    t_trough = m.index_of(truth.trough)
    groups = {c.group for c in m.parts}
    assert groups == {"short", "medium", "long"}
    w = np.array([c.weight if c.group == "short" else 0.0 for c in m.parts])
    s_short = (w / w.sum()) @ m.comps
    # the calm bull trend into the peak leaves the short-term signal long; the sell-off flips it
    assert s_short[t_peak] > 0
    assert s_short[t_trough] < 0
    checked = 0
    for t in range(t_peak - 60, t_trough + 1):
        trig = aggregate_trigger(m, t - 1, "short", 0.3)
        if not math.isfinite(trig) or abs(s_short[t]) < 0.05:
            continue
        # monotone in tomorrow's close: above yesterday's trigger <=> long
        assert np.sign(s_short[t]) == np.sign(m.prices[t] - trig), m.dates[t]
        checked += 1
    assert checked > 30
    # each TSMOM / MA component flips exactly when the close crosses yesterday's level
    for c, part in enumerate(m.parts):
        if part.family.value not in ("tsmom", "ma_cross"):
            continue
        for t in range(t_peak - 60, t_trough + 1):
            trig = component_trigger(m, t - 1, part)
            if math.isfinite(trig) and abs(m.prices[t] / trig - 1) > 1e-9:
                assert m.comps[c, t] == np.sign(m.prices[t] - trig), (part.label, m.dates[t])


def test_offline_positioning_is_labelled_synthetic(monkeypatch, tmp_path) -> None:
    from crashlens.cta import positioning

    monkeypatch.delenv("CRASHLENS_DATA", raising=False)
    monkeypatch.setenv("CRASHLENS_HOME", str(tmp_path))
    res = positioning("2025-11-20", assets=["SPX", "BTC"], mc=False)
    assert res.assumptions["data"] == "synthetic"
    assert any("SYNTHETIC" in w for w in res.warnings)
    assert res.asof == pd.Timestamp("2025-11-20")
