"""AUM calibration: a synthetic index built as 2 x replica + noise gives beta = 2."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crashlens.cta import calibrate_aum, history
from crashlens.cta.calibration import rolling_beta
from crashlens.errors import InsufficientDataError, ParameterError

from .conftest import random_walk

# written for the generic replica (the engine's default is the desk preset)
pytestmark = pytest.mark.usefixtures("generic_default")


def prices() -> pd.DataFrame:
    return pd.DataFrame({"EQ": random_walk(900, seed=1, drift=0.0005),
                         "BOND": random_walk(900, seed=2, vol=0.004)})


def test_rolling_beta_against_numpy_polyfit() -> None:
    rng = np.random.default_rng(0)
    idx = pd.bdate_range("2020-01-01", periods=200)
    x = pd.Series(rng.normal(size=200), index=idx)
    y = 0.3 + 1.7 * x + rng.normal(scale=0.5, size=200)
    tab = rolling_beta(pd.Series(y, index=idx), x, 60)
    slope, icept = np.polyfit(x.iloc[-60:], y.iloc[-60:], 1)
    assert tab["beta"].iloc[-1] == pytest.approx(slope, rel=1e-9)
    assert tab["alpha"].iloc[-1] == pytest.approx(icept, rel=1e-9)
    assert len(tab) == 200 - 59


def test_calibration_recovers_leverage_mismatch() -> None:
    p = prices()
    rep = history("2001-06-01", prices=p, triggers=False).replica["replica_return"]
    rng = np.random.default_rng(9)
    idx_ret = 2.0 * rep + rng.normal(scale=1e-5, size=len(rep))
    levels = 100 * (1 + idx_ret).cumprod()
    levels = pd.concat([pd.Series([100.0], index=[rep.index[0] - pd.Timedelta(days=1)]), levels])
    cal = calibrate_aum(levels.rename("TREND"), "2001-06-01", prices=p, window=100,
                        aum_trend=300e9)
    assert cal.beta == pytest.approx(2.0, rel=1e-2)
    assert cal.aum_eff == pytest.approx(600e9, rel=1e-2)
    assert cal.aum_eff_band[0] == pytest.approx(400e9, rel=1e-2)
    assert cal.to_dict()["assumptions"]["window"] == 100
    cal.plot_beta()
    with pytest.raises(ParameterError, match="window"):
        calibrate_aum(levels, "2001-06-01", prices=p, window=5)
    with pytest.raises(InsufficientDataError, match="100 dates"):
        calibrate_aum(levels.iloc[:50], "2001-06-01", prices=p, window=100)
