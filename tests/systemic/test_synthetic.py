"""Ground truth of the synthetic market: the injected correlation spike must be detected."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crashlens.systemic import absorption_ratio, absorption_shift, turbulence
from crashlens.systemic._align import aligned_returns


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    import os

    import crashlens.data as data
    from crashlens.data.synthetic import generate

    mp = pytest.MonkeyPatch()
    mp.delenv("CRASHLENS_DATA", raising=False)
    mp.setenv("CRASHLENS_HOME", str(tmp_path_factory.mktemp("synhome")))
    data._ready.clear()
    assert data.is_synthetic() and not os.environ.get("CRASHLENS_DATA")
    yield generate().truth
    mp.undo()
    data._ready.clear()


@pytest.mark.slow
def test_correlation_spike_raises_ar_and_turbulence(synthetic_store):
    truth = synthetic_store
    # spike assets that are loosely related outside the spike
    uni = [a for a in ("SPX", "BTC", "COPPER", "WTI", "HYG") if a in truth.corr_spike_assets]
    assert len(uni) == 5
    a0, a1 = truth.corr_spike_start, truth.corr_spike_end
    rets, _ = aligned_returns(uni, a1 + pd.Timedelta(days=30))
    pre = rets.index[rets.index < a0][-90:]
    inside = rets.loc[a0:a1].index
    ar = absorption_ratio(rets, window=60, halflife=None)
    shift = absorption_shift(ar, 15, 252)
    assert ar.loc[inside].mean() > ar.loc[pre].mean()
    assert shift.loc[inside].max() > 1.0  # the METHODOLOGY fragility signal
    assert shift.loc[inside].max() > shift.loc[pre].max()
    tb = turbulence(rets, window=250)
    assert tb.loc[inside, "turbulence"].mean() > 1.3 * tb.loc[pre, "turbulence"].mean()
    assert tb.loc[inside, "turbulence_percentile"].max() > 99
    assert tb.loc[a1, "avg_correlation"] > tb.loc[pre, "avg_correlation"].max()


@pytest.mark.slow
def test_synthetic_results_are_stamped(synthetic_store):
    from crashlens.crypto import leverage
    from crashlens.systemic import fragility

    f = fragility(synthetic_store.corr_spike_end)
    assert f.synthetic and "SYNTHETIC" in f.summary()
    c = leverage(synthetic_store.liquidation_day + pd.Timedelta(days=1))
    assert c.synthetic
    # the scripted cascade day shows as a fall of open interest
    assert c.open_interest["BTC"]["change_7d"] < 0


@pytest.mark.slow
def test_synthetic_crypto_truth(synthetic_store):
    from crashlens.crypto import leverage, leverage_history

    tr = synthetic_store
    h = leverage_history("2025-06-01", "2025-12-31").frame
    assert h.loc[tr.crypto.peak, "drawdown"] == 0.0
    assert h.loc[tr.crypto.trough, "drawdown"] == pytest.approx(tr.crypto.depth, abs=1e-12)
    day = tr.liquidation_day
    ratio = h.loc[day, "oi_usd"] / h.loc[day - pd.Timedelta(days=1), "oi_usd"]
    assert ratio - 1 == pytest.approx(tr.oi_drop, rel=1e-9)
    ret = np.log(h.loc[day, "close"] / h.loc[day - pd.Timedelta(days=1), "close"])
    assert ret == pytest.approx(tr.liquidation_return, rel=1e-9)
    # the day before the cascade the map holds leveraged longs just below the price:
    # a -10 % shock is amplified
    before = leverage(day - pd.Timedelta(days=1))
    assert before.cascade["amplification"] > 1.0
    assert before.liquidation_map["long_usd"].sum() > 0


@pytest.mark.slow
def test_alignment_recovers_structural_btc_betas(synthetic_store):
    """Stocks load on the business-day BTC return: with crypto weekends folded into Monday,
    an OLS of the aligned returns on SPX and BTC recovers the scripted loadings."""
    from crashlens.systemic import rolling_beta

    tr = synthetic_store
    rets, _ = aligned_returns(["MSTR", "COIN", "SPX", "BTC"], tr.end)
    x = np.c_[np.ones(len(rets)), rets["SPX"], rets["BTC"]]
    for name in ("MSTR", "COIN"):
        coef = np.linalg.lstsq(x, rets[name].to_numpy(), rcond=None)[0]
        assert coef[2] == pytest.approx(tr.beta_btc[name], abs=0.05)
        assert coef[1] == pytest.approx(tr.beta_spx[name], abs=0.1)
    # MSTR has the larger BTC loading: its rolling beta to BTC sits above COIN's
    b_mstr, _ = rolling_beta(rets["MSTR"], rets["BTC"], 60)
    b_coin, _ = rolling_beta(rets["COIN"], rets["BTC"], 60)
    assert (b_mstr - b_coin).dropna().median() > 0.3
