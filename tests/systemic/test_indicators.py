"""Absorption ratio, turbulence, correlation surprise against numpy-by-hand references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from crashlens.errors import DataError, InsufficientDataError, ParameterError
from crashlens.systemic import _kernels, absorption_ratio, absorption_shift, turbulence
from crashlens.systemic.indicators import average_correlation, n_components


def _panel(t=400, n=6, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, n)) / np.sqrt(n)
    x = rng.standard_t(6, size=(t, n)) @ a.T * 0.01
    return pd.DataFrame(x, index=pd.bdate_range("2010-01-01", periods=t),
                        columns=[f"A{i}" for i in range(n)])


def _ar_ref(x, window, halflife, n_eig):
    out = np.full(len(x), np.nan)
    age = np.arange(window - 1, -1, -1)
    w = 0.5 ** (age / halflife) if halflife else np.ones(window)
    for t in range(window - 1, len(x)):
        c = np.cov(x[t - window + 1 : t + 1], rowvar=False, aweights=w, bias=True)
        ev = np.sort(np.linalg.eigvalsh(c))[::-1]
        out[t] = ev[:n_eig].sum() / np.trace(c)
    return out


def _turb_ref(x, window):
    t_len, n = x.shape
    turb, cs, ac = (np.full(t_len, np.nan) for _ in range(3))
    for t in range(window, t_len):
        past = x[t - window : t]
        mu = past.mean(axis=0)
        s = np.cov(past, rowvar=False)
        y = x[t] - mu
        d = y @ np.linalg.inv(s) @ y
        turb[t] = d
        cs[t] = d / (y @ np.diag(1 / np.diag(s)) @ y)
        c = np.corrcoef(past, rowvar=False)
        ac[t] = c[np.triu_indices(n, 1)].mean()
    return turb, cs, ac


@pytest.mark.parametrize("halflife", [None, 40.0])
def test_absorption_ratio_matches_numpy_by_hand(backend, halflife):
    df = _panel()
    ar = absorption_ratio(df, window=120, halflife=halflife, fraction=0.2)
    ref = _ar_ref(df.to_numpy(), 120, halflife, 1)
    np.testing.assert_allclose(ar.to_numpy(), ref, rtol=1e-10, equal_nan=True)
    assert ar.iloc[:119].isna().all() and ar.iloc[119:].between(0, 1).all()


def test_n_components_round_half_up():
    assert [n_components(n, 0.2) for n in (2, 5, 7, 8, 12, 13, 20)] == [1, 1, 1, 2, 2, 3, 4]
    with pytest.raises(ParameterError):
        n_components(5, 0.0)


def test_turbulence_matches_numpy_by_hand(backend):
    df = _panel()
    tb = turbulence(df, window=100, normalise=False, pct_min_periods=10)
    turb, cs, ac = _turb_ref(df.to_numpy(), 100)
    np.testing.assert_allclose(tb["turbulence"], turb, rtol=1e-8, equal_nan=True)
    np.testing.assert_allclose(tb["correlation_surprise"], cs, rtol=1e-8, equal_nan=True)
    np.testing.assert_allclose(tb["avg_correlation"], ac, rtol=1e-8, equal_nan=True)
    tbn = turbulence(df, window=100, normalise=True, pct_min_periods=10)
    np.testing.assert_allclose(tbn["turbulence"] * 6, turb, rtol=1e-8, equal_nan=True)


def test_percentile_is_trailing_rank(backend):
    rng = np.random.default_rng(3)
    v = rng.normal(size=300)
    v[[5, 50]] = np.nan
    got = _kernels.trailing_percentile(v, min_periods=20)
    for t in (19, 25, 120, 299):
        past = v[: t + 1][~np.isnan(v[: t + 1])]
        exp = stats.percentileofscore(past, v[t], kind="weak") if past.size >= 20 else np.nan
        np.testing.assert_allclose(got[t], exp, equal_nan=True)
    win = _kernels.trailing_percentile(v, min_periods=5, window=30)
    past = v[270:300]
    np.testing.assert_allclose(win[299], stats.percentileofscore(past, v[299], kind="weak"))


def test_no_look_ahead(backend):
    df = _panel(t=300)
    base = turbulence(df, window=100, pct_min_periods=10)
    ar0 = absorption_ratio(df, window=100, halflife=50)
    df2 = df.copy()
    df2.iloc[250:] *= 7.0  # change the future only
    alt = turbulence(df2, window=100, pct_min_periods=10)
    ar1 = absorption_ratio(df2, window=100, halflife=50)
    pd.testing.assert_frame_equal(base.iloc[:250], alt.iloc[:250])
    pd.testing.assert_series_equal(ar0.iloc[:250], ar1.iloc[:250])


def test_correlation_spike_raises_ar_and_turbulence(backend):
    rng = np.random.default_rng(7)
    t, n = 800, 8
    x = rng.normal(size=(t, n)) * 0.01
    f = rng.normal(size=t) * 0.02
    x[700:740] = 0.3 * x[700:740] + f[700:740, None]  # common factor: correlations -> ~1
    df = pd.DataFrame(x, index=pd.bdate_range("2015-01-01", periods=t))
    ar = absorption_ratio(df, window=250, halflife=None, fraction=0.125)
    tb = turbulence(df, window=250, pct_min_periods=100)
    assert ar.iloc[740] > ar.iloc[699] + 0.05
    # as the spike enters the trailing window it becomes less surprising: test its first days
    assert tb["turbulence"].iloc[700:710].mean() > 2 * tb["turbulence"].iloc[600:700].mean()
    assert tb["turbulence_percentile"].iloc[700:710].max() > 99
    shift = absorption_shift(ar, 15, 252)
    assert shift.iloc[739] > 1


def test_correlation_surprise_flags_decoupling():
    rng = np.random.default_rng(11)
    f = rng.normal(size=(300, 1)) * 0.01
    x = f + rng.normal(size=(300, 2)) * 0.002  # two assets with correlation ~0.96
    x[299] = [0.01, -0.01]  # they split
    tb = turbulence(pd.DataFrame(x), window=250, pct_min_periods=10)
    assert tb["correlation_surprise"].iloc[299] > 10
    assert 0.5 < tb["correlation_surprise"].iloc[260:299].median() < 1.5


def test_average_correlation_by_hand():
    df = _panel(t=120, n=4)
    got = average_correlation(df, window=60)
    c = np.corrcoef(df.to_numpy()[60:120], rowvar=False)
    assert got.iloc[119] == pytest.approx(c[np.triu_indices(4, 1)].mean())
    assert got.iloc[:59].isna().all()


def test_bad_inputs():
    df = _panel(t=200, n=4)
    with pytest.raises(InsufficientDataError, match="at least 500 rows"):
        absorption_ratio(df, window=500)
    with pytest.raises(InsufficientDataError, match="window 3 must exceed"):
        turbulence(df, window=3)
    dup = df.assign(A4=df["A0"] * 1.0000001)
    with pytest.raises(DataError, match="'A0' and 'A4' are near-duplicates"):
        turbulence(dup, window=100)
    nan = df.copy()
    nan.iloc[10, 2] = np.nan
    with pytest.raises(DataError, match="A2"):
        absorption_ratio(nan, window=100)
    with pytest.raises(InsufficientDataError, match="2 assets"):
        turbulence(df[["A0"]], window=100)
    with pytest.raises(ParameterError):
        absorption_shift(pd.Series(np.ones(10)), short=20, long=10)


def test_singular_window_uses_pseudo_inverse(backend):
    """A window where two assets coincide (but not the whole sample) stays finite."""
    df = _panel(t=300, n=4)
    df.iloc[:150, 3] = df.iloc[:150, 0]
    tb = turbulence(df, window=100, pct_min_periods=10)
    assert np.isfinite(tb["turbulence"].iloc[100:]).all()
