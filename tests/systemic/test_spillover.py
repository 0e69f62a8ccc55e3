"""Diebold-Yilmaz spillovers against statsmodels' VAR, by-hand GFEVD, and known structure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.api import VAR

from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.systemic.spillover import rolling_spillover, spillover, var_ols


def _sim(t=600, seed=0):
    rng = np.random.default_rng(seed)
    n = 4
    a1 = np.array([[0.2, 0.0, 0.0, 0.0], [0.5, 0.1, 0.0, 0.0], [0.3, 0.2, 0.0, 0.0],
                   [0.0, 0.0, 0.0, 0.1]])
    a2 = np.diag([0.1, -0.1, 0.05, 0.0])
    cov = np.array([[1.0, 0.3, 0.2, 0.0], [0.3, 1.0, 0.1, 0.0], [0.2, 0.1, 1.0, 0.0],
                    [0.0, 0.0, 0.0, 2.0]])
    u = rng.multivariate_normal(np.zeros(n), cov, size=t)
    y = np.zeros((t, n))
    for i in range(2, t):
        y[i] = a1 @ y[i - 1] + a2 @ y[i - 2] + u[i]
    return pd.DataFrame(y * 0.01, index=pd.bdate_range("2015-01-01", periods=t),
                        columns=["SRC", "MID", "RCV", "IND"])


def _gfevd_by_hand(ma, sigma):
    n = sigma.shape[0]
    th = np.zeros((n, n))
    for i in range(n):
        den = sum(ma[h][i] @ sigma @ ma[h][i] for h in range(len(ma)))
        for j in range(n):
            num = sum((ma[h][i] @ sigma[:, j]) ** 2 for h in range(len(ma))) / sigma[j, j]
            th[i, j] = num / den
    return th / th.sum(axis=1, keepdims=True)


def test_var_ols_matches_statsmodels():
    df = _sim()
    res = VAR(df).fit(3, trend="c")
    coefs, sigma = var_ols(df.to_numpy(), 3)
    np.testing.assert_allclose(coefs, res.coefs, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(sigma, np.asarray(res.sigma_u), rtol=1e-8)


@pytest.mark.parametrize("lags,horizon", [(1, 5), (2, 10), (4, 10)])
def test_gfevd_matches_statsmodels_var(lags, horizon):
    df = _sim()
    res = VAR(df).fit(lags, trend="c")
    th = _gfevd_by_hand(res.ma_rep(horizon - 1), np.asarray(res.sigma_u))
    got = spillover(df, lags=lags, horizon=horizon)
    names = list(df.columns)
    table = np.array([[got["table"][a][b] for b in names] for a in names]) / 100
    np.testing.assert_allclose(table, th, rtol=1e-7)
    off = th - np.diag(np.diag(th))
    assert got["total"] == pytest.approx(100 * off.sum() / 4)
    for j, b in enumerate(names):
        assert got["to"][b] == pytest.approx(100 * off[:, j].sum())
        assert got["from"][b] == pytest.approx(100 * off[j].sum())
    assert sum(got["net"].values()) == pytest.approx(0.0, abs=1e-9)


def test_known_direction():
    got = spillover(_sim(t=2000), lags=2, horizon=10)
    assert got["net"]["SRC"] > 0 and got["net"]["RCV"] < 0
    assert got["pairwise"]["SRC"]["RCV"] > 0
    assert got["pairwise"]["RCV"]["SRC"] == pytest.approx(-got["pairwise"]["SRC"]["RCV"])
    assert abs(got["net"]["IND"]) < 3  # independent series: almost no spillover


def test_rolling_last_window_equals_full_window():
    df = _sim(t=300)
    roll = rolling_spillover(df, window=200, lags=2, horizon=10, step=7)
    last = roll.index[-1]
    direct = spillover(df.loc[:last].iloc[-200:], lags=2, horizon=10)
    assert roll["total"].iloc[-1] == pytest.approx(direct["total"])
    assert roll["net_SRC"].iloc[-1] == pytest.approx(direct["net"]["SRC"])
    assert (np.diff(df.index.get_indexer(roll.index)) == 7).all()


def test_bad_inputs():
    df = _sim(t=40)
    with pytest.raises(InsufficientDataError, match="VAR"):
        spillover(df.iloc[:15], lags=4)
    with pytest.raises(ParameterError):
        spillover(df, lags=0)
    with pytest.raises(ParameterError):
        rolling_spillover(df, window=30, step=0)
