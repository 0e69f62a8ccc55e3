"""Real-data sanity: turbulence extreme in Oct 2008 and Mar 2020; fragility JSON keys."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from crashlens.systemic import DEFAULT_UNIVERSE, fragility, turbulence
from crashlens.systemic._align import aligned_returns

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def turb(raw_dir):
    rets, _ = aligned_returns(DEFAULT_UNIVERSE, pd.Timestamp("2020-12-31"))
    return turbulence(rets, window=500)


@pytest.mark.parametrize("month", ["2008-10", "2020-03"])
def test_turbulence_percentile_extreme_in_crises(turb, month):
    p = turb.loc[month, "turbulence_percentile"]
    assert p.max() >= 99.5
    assert p.median() >= 90


def test_turbulence_calm_in_2017(turb):
    assert turb.loc["2017", "turbulence_percentile"].median() < 60


def test_fragility_json_keys_and_ranges(raw_dir):
    r = fragility("2025-11-21")
    d = json.loads(json.dumps(r.to_dict()))
    for key in ("absorption_ratio", "absorption_shift", "turbulence", "turbulence_percentile",
                "correlation_surprise", "avg_correlation", "vol_regime", "crowding",
                "composite", "components", "assumptions"):
        assert key in d
    assert 0 <= d["composite"] <= 100
    assert d["vol_regime"]["vix"] == pytest.approx(23.43)  # VIX close 2025-11-21
    assert sum(c["weight"] for c in d["components"].values()) == pytest.approx(1.0)
    assert d["crowding"]["ES"]["report_released"] <= "2025-11-21"
    assert "composite" in r.summary()
    assert r.history.index[-1] == r.asof and "history" not in d
    fig = r.plot_history(years=8)
    assert len(fig.data) == 8 and fig.layout.shapes  # 7 components + composite; shading


def test_fragility_history_and_plot(raw_dir):
    from crashlens.systemic import fragility_history

    h = fragility_history("2020-01-01", "2020-06-30")
    f = h.to_frame()
    assert f.index[0] >= pd.Timestamp("2020-01-01")
    assert f["composite"].between(0, 100).all()
    assert f.loc["2020-03", "composite"].max() > f.loc["2020-01", "composite"].max()
    fig = h.plot_components()
    assert any(getattr(s, "x0", None) is not None for s in fig.layout.shapes)  # Covid shaded
    assert "frame" in h.to_dict()


def test_fragility_too_early_asof(raw_dir):
    from crashlens.errors import InsufficientDataError

    with pytest.raises(InsufficientDataError, match="fragility needs"):
        fragility("2001-06-01")


def test_fragility_asof_past_data_end_warns(raw_dir):
    r = fragility("2027-01-15")
    assert r.asof <= pd.Timestamp("2026-08-31")
    assert any("results are as of" in w for w in r.warnings)
    assert r.components["vix"]["score"] is not None  # VIX one day older is bridged


def test_contagion_before_listing_warns_instead_of_failing(raw_dir):
    # COIN listed 2021-04-14, MSTR/PLTR files start 2024-12: in March 2020 they have no beta
    from crashlens.systemic import contagion

    res = contagion("2020-03-16")
    out = res.to_dict()
    assert {"TSLA", "NVDA", "NDX"} <= set(out["betas"])
    assert not {"COIN", "MSTR", "PLTR"} & set(out["betas"])
    assert any(w.startswith("COIN: no COIN data on or before 2020-03-16") for w in res.warnings)
