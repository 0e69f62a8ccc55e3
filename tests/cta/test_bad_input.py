"""Bad inputs get specific errors naming what is wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crashlens.cta import CTAParams, positioning
from crashlens.errors import (
    DataError,
    InsufficientDataError,
    ParameterError,
    UnknownSeriesError,
)

from .conftest import random_walk

# written for the generic replica (the engine's default is the desk preset)
pytestmark = pytest.mark.usefixtures("generic_default")


def test_too_little_history_names_horizon_and_closes_needed() -> None:
    s = random_walk(400)
    asof = s.index[100]
    with pytest.raises(InsufficientDataError) as exc:
        positioning(asof, prices=s, mc=False)
    msg = str(exc.value)
    assert "252-day horizon" in msg and "(101 closes, 253 needed)" in msg
    # point in time: the message names no date after the as-of date (it reads the same on
    # data cut at the as-of date)
    assert str(s.index[252].date()) not in msg
    with pytest.raises(InsufficientDataError) as cut:
        positioning(asof, prices=s.loc[:asof], mc=False)
    assert str(cut.value) == msg
    assert exc.value.subject == "X"  # callers (the batch engine) skip that asset by name
    short = random_walk(50)
    with pytest.raises(InsufficientDataError, match="252-day horizon"):
        positioning(prices=short)
    # the same series is fine with shorter horizons
    res = positioning(prices=short, params=CTAParams(horizons=(10, 21)), mc=False)
    assert "X" in res.assets


def test_asof_outside_the_data() -> None:
    s = random_walk(400)
    with pytest.raises(ParameterError, match="after the data"):
        positioning("2030-01-01", prices=s)
    with pytest.raises(InsufficientDataError, match="no close on or before") as early:
        positioning("1999-01-01", prices=s)
    assert early.value.subject == "X"


def test_nan_gaps_are_skipped_with_a_warning_and_bad_values_rejected() -> None:
    s = random_walk(600)
    gap = s.copy()
    gap.iloc[500:515] = np.nan  # three weeks without a close
    res = positioning(prices=gap, mc=False)
    assert any("gap" in w and "10 days" in w for w in res.warnings)
    clean = positioning(prices=s.drop(s.index[500:515]), mc=False)
    assert res.assets["X"]["notional_usd"] == pytest.approx(clean.assets["X"]["notional_usd"])
    bad = s.copy()
    bad.iloc[300] = -1.0
    with pytest.raises(DataError, match=str(s.index[300].date())):
        positioning(prices=bad)
    inf = s.copy()
    inf.iloc[310] = np.inf
    with pytest.raises(DataError, match="not a positive finite price"):
        positioning(prices=inf)
    dup = pd.concat([s.iloc[:300], s.iloc[299:]])
    with pytest.raises(DataError, match="duplicated date"):
        positioning(prices=dup)
    with pytest.raises(DataError, match="all missing"):
        positioning(prices=s * np.nan)
    with pytest.raises(DataError, match="Series or DataFrame"):
        positioning(prices=[1, 2, 3])  # type: ignore[arg-type]


def test_unknown_assets() -> None:
    frame = pd.DataFrame({"SPX": random_walk(400), "GOLD": random_walk(400, seed=2)})
    with pytest.raises(UnknownSeriesError, match="unknown asset 'SPXX'; did you mean SPX"):
        positioning(prices=frame, assets=["SPXX"])
    res = positioning(prices=frame, assets="GOLD", mc=False)
    assert list(res.assets) == ["GOLD"]


def test_negative_aum_and_bad_params() -> None:
    s = random_walk(400)
    with pytest.raises(ParameterError, match="AUM"):
        positioning(prices=s, aum=-1.0)
    with pytest.raises(ParameterError, match="aum"):
        CTAParams(aum=-5.0)
    with pytest.raises(ParameterError, match="horizons"):
        CTAParams(horizons=())
    with pytest.raises(ParameterError, match="horizon_weights"):
        CTAParams(horizon_weights=(1.0,))
    with pytest.raises(ParameterError, match="trigger_bracket"):
        CTAParams(trigger_bracket=1.5)
    res = positioning(prices=s, aum=0.0, mc=False)
    assert res.assets["X"]["notional_usd"] == 0.0
    big = positioning(prices=s, aum=1e12, mc=False)
    assert big.total["aum_band_usd"]["high"] == 1e12
