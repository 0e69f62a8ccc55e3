"""ΔCoVaR against an LP quantile regression and a closed form; rolling beta by hand."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.optimize import linprog

from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.systemic import contagion, contagion_history, delta_covar, rolling_beta


def _qr_lp(y, x, q):
    """Quantile regression as a linear programme: min q 1'u + (1-q) 1'v, y = X b + u - v."""
    n, k = x.shape
    c = np.r_[np.zeros(2 * k), q * np.ones(n), (1 - q) * np.ones(n)]
    a_eq = np.hstack([x, -x, np.eye(n), -np.eye(n)])
    res = linprog(c, A_eq=a_eq, b_eq=y, bounds=[(0, None)] * (2 * k + 2 * n), method="highs")
    return res.x[:k] - res.x[k : 2 * k]


def _pair(n=400, b=0.8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_t(5, n) * 0.03
    y = b * x + rng.normal(0, 0.01, n)
    idx = pd.bdate_range("2020-01-01", periods=n)
    return pd.Series(y, idx), pd.Series(x, idx)


def test_delta_covar_matches_lp_quantile_regression():
    sysr, src = _pair(n=401)  # n*q not an integer: the sample quantiles are unique
    q = 0.05
    got = delta_covar(sysr, src, q=q, min_obs=50)
    ones = np.ones((len(src), 1))
    b = _qr_lp(sysr.to_numpy(), np.hstack([ones, src.to_numpy()[:, None]]), q)
    assert got["beta"] == pytest.approx(b[1], abs=1e-4)
    vq = _qr_lp(src.to_numpy(), ones, q)[0]
    v50 = _qr_lp(src.to_numpy(), ones, 0.5)[0]
    assert got["var_q"] == pytest.approx(vq, abs=1e-5)
    assert got["delta_covar"] == pytest.approx(b[1] * (vq - v50), abs=1e-5)


def test_delta_covar_closed_form_large_sample():
    """y = b x + noise independent of x: beta -> b, ΔCoVaR -> b (Q_q(x) - median(x))."""
    sysr, src = _pair(n=20000, b=0.8, seed=1)
    got = delta_covar(sysr, src, q=0.05)
    exp = 0.8 * 0.03 * (stats.t.ppf(0.05, 5) - 0.0)
    assert got["beta"] == pytest.approx(0.8, abs=0.02)
    assert got["delta_covar"] == pytest.approx(exp, rel=0.05)


def test_delta_covar_with_state_variable_lags_it():
    sysr, src = _pair(n=300)
    state = pd.DataFrame({"VIX": np.linspace(0.1, 0.3, 300)}, index=src.index)
    got = delta_covar(sysr, src, q=0.05, state=state, min_obs=50)
    assert got["nobs"] == 299 and got["state_variables"] == ["VIX"]


def test_delta_covar_bad_inputs():
    sysr, src = _pair(n=50)
    with pytest.raises(InsufficientDataError):
        delta_covar(sysr, src)
    with pytest.raises(ParameterError):
        delta_covar(sysr, src, q=0.7, min_obs=10)


def test_rolling_beta_by_hand():
    sysr, src = _pair(n=100)
    src.iloc[10] = np.nan  # a gap: the pair is aligned on common rows
    b, c = rolling_beta(sysr, src, 30)
    common = pd.concat([sysr, src], axis=1).dropna().to_numpy()[-30:]
    slope = np.polyfit(common[:, 1], common[:, 0], 1)[0]
    assert b.iloc[-1] == pytest.approx(slope)
    assert c.iloc[-1] == pytest.approx(np.corrcoef(common.T)[0, 1])
    with pytest.raises(ParameterError):
        rolling_beta(sysr, src, 2)


@pytest.mark.realdata
def test_contagion_real_nov_2025(raw_dir):
    r = contagion("2025-11-21")
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert {"betas", "spillover", "transmitters", "receivers", "covar",
            "assumptions"} <= d.keys()
    assert d["betas"]["COIN"]["beta"] > 0.5 and d["betas"]["MSTR"]["correlation"] > 0.4
    assert sum(d["spillover"]["net"].values()) == pytest.approx(0, abs=1e-6)
    assert d["covar"]["delta_covar"] < 0
    r.plot_network()
    assert len(r.plot_betas().data) == len(r.betas)
    assert "spillover" in r.summary() and "beta_history" not in d


@pytest.mark.realdata
def test_contagion_history_real(raw_dir):
    h = contagion_history("2025-06-01", "2025-11-21", equities=("COIN", "NDX"))
    assert h.betas.index[0] >= pd.Timestamp("2025-06-01")
    assert h.spillover["total"].between(0, 100).all()
    h.plot_betas()
    h.plot_spillover()
