"""Analogs: the kernel-weighted forward distribution against a slow reference computation."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crashlens.episodes as ep
from crashlens.errors import InsufficientDataError, ParameterError

from .conftest import raw_close

pytestmark = pytest.mark.realdata

ASOF = "2025-11-21"


@pytest.fixture(scope="module")
def lib() -> ep.LibraryResult:
    return ep.library()


@pytest.fixture(scope="module")
def res(lib: ep.LibraryResult) -> ep.AnalogsResult:
    return ep.analogs(ASOF, library_result=lib)


@pytest.mark.slow
def test_forward_mean_matches_slow_reference(res: ep.AnalogsResult) -> None:
    frame = ep.state_frame(ASOF)
    feats = frame.drop(columns="close")
    now = len(feats) - 1
    # standardise with plain pandas, history up to the as-of date
    z = (feats - feats.mean()) / feats.std(ddof=1)
    target = z.iloc[now]
    k_t = int(target.notna().sum())
    close = frame["close"].to_numpy()
    h = res.bandwidth
    num = den = 0.0
    for i in range(0, now - 63):
        row = z.iloc[i]
        common = [c for c in feats.columns if pd.notna(row[c]) and pd.notna(target[c])]
        if len(common) < 5 or i + 21 >= len(close):
            continue
        msq = sum((row[c] - target[c]) ** 2 for c in common) / len(common)
        w = math.exp(-0.5 * k_t * msq / h ** 2)
        num += w * (close[i + 21] / close[i] - 1)
        den += w
    got = res.to_frame().loc["1m", "mean"]
    assert got == pytest.approx(num / den, rel=1e-6)


def test_ess_hits_target_and_no_lookahead(res: ep.AnalogsResult) -> None:
    f = res.to_frame()
    assert f.loc["1m", "ess"] == pytest.approx(100.0, rel=1e-3)
    assert (pd.to_datetime(res.nearest_days["date"]) < pd.Timestamp(ASOF)
            - pd.Timedelta(days=63)).all()
    assert (pd.to_datetime(res.nearest_episodes["best_date"]) < pd.Timestamp(ASOF)).all()
    assert res.state.set_index("feature").loc["vix", "value"] == pytest.approx(23.43)
    json.dumps(res.to_dict(), allow_nan=False)
    assert "fwd 1m" in res.summary()
    assert res.plot_forward().data and res.plot_distance().data
    assert res.plot_templates().data
    tp = res.template_paths
    assert tp.loc[0].tolist() == pytest.approx([1.0] * tp.shape[1])
    # the 2020 path bottoms 23 sessions after the peak at 2237.40 / 3386.15
    assert tp["2020"].idxmin() == 23
    assert tp["2020"].min() == pytest.approx(2237.40 / 3386.15, abs=1e-5)


def test_templates_side_by_side(res: ep.AnalogsResult, raw_dir: Path) -> None:
    t = res.templates.set_index("metric")
    assert {"now", "2008", "2018-Q4", "2020"} <= set(t.columns)
    assert t.loc["drawdown", "2020"] == pytest.approx(2237.40 / 3386.15 - 1, abs=1e-4)
    assert t.loc["sessions_peak_to_trough", "2020"] == 23
    down = 0
    for s in ("NVDA", "GOOG", "MSFT", "AMZN", "META", "TSLA"):
        c = raw_close(raw_dir, f"stock_{s}_daily.csv", "date", "close")
        down += c[:"2020-03-23"].iloc[-1] < c[:"2020-02-19"].iloc[-1]
    assert t.loc["breadth_frac_down", "2020"] == pytest.approx(down / 6)
    assert t.loc["policy_rate_change", "2020"] == pytest.approx(-150.0)


def test_fixed_bandwidth_and_extra_features(lib: ep.LibraryResult) -> None:
    idx = pd.bdate_range("1990-01-01", ASOF)
    extra = pd.DataFrame({"cta_pct": np.linspace(0, 1, len(idx))}, index=idx)
    r = ep.analogs(ASOF, bandwidth=1.0, extra_features=extra, library_result=lib)
    assert r.bandwidth == 1.0
    assert "extra_cta_pct" in list(r.state["feature"])


@pytest.mark.slow
def test_cta_signal_feature(lib: ep.LibraryResult) -> None:
    r = ep.analogs(ASOF, include_cta=True, library_result=lib)
    st = r.state.set_index("feature")
    if any("CTA positioning unavailable" in w for w in r.warnings):
        pytest.skip("CTA engine unavailable in this build")
    assert -1.0 <= st.loc["cta_spx_signal", "value"] <= 1.0
    assert r.assumptions["include_cta"] is True


def test_bad_inputs(lib: ep.LibraryResult) -> None:
    with pytest.raises(ParameterError, match="unknown analog feature"):
        ep.analogs(ASOF, features=["vix", "nope"], library_result=lib)
    with pytest.raises(ParameterError, match="bandwidth"):
        ep.analogs(ASOF, bandwidth=-1, library_result=lib)
    with pytest.raises(InsufficientDataError):
        ep.analogs("1985-01-01", library_result=lib)
    with pytest.raises(ParameterError, match="not a date"):
        ep.analogs("yesterday-ish", library_result=lib)
