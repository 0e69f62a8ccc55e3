"""Greeks and implied vol against QuantLib's BlackCalculator and closed-form identities."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import QuantLib as ql
from hypothesis import given, settings
from hypothesis import strategies as st

from crashlens.errors import ParameterError
from crashlens.options import greeks as g

MIN_PER_YEAR = 525600.0


def ql_calc(S, K, T, vol, r, q, call):
    typ = ql.Option.Call if call else ql.Option.Put
    fwd = S * math.exp((r - q) * T)
    return ql.BlackCalculator(ql.PlainVanillaPayoff(typ, K), fwd, vol * math.sqrt(T), math.exp(-r * T))


def cf_delta(S, K, T, vol, r, q, call):
    """Closed-form BSM spot delta, e^{-qT} N(±d1), with erfc (~1e-16 noise).

    QuantLib's delta carries ~1e-11 noise, which a finite difference over a 1-minute expiry
    (step ~2e-8 years) turns into ~1e-3 of charm; this twin, checked against QuantLib's delta
    in ``_check_one``, keeps the finite differences of vanna and charm exact to ~1e-8.
    """
    sd = vol * math.sqrt(T)
    d1 = (math.log(S / K) + (r - q) * T) / sd + 0.5 * sd
    n = 0.5 * math.erfc(-d1 / math.sqrt(2.0)) if call else -0.5 * math.erfc(d1 / math.sqrt(2.0))
    return math.exp(-q * T) * n


contract = st.fixed_dictionaries({
    "S": st.floats(1.0, 10000.0),
    "logm": st.floats(-1.5, 1.5),  # log-moneyness: deep OTM/ITM included
    "minutes": st.floats(1.0, 2.0 * MIN_PER_YEAR),  # 1 minute (0DTE) .. 2 years
    "vol": st.floats(0.01, 3.0),
    "r": st.floats(-0.01, 0.10),
    "q": st.floats(0.0, 0.06),
    "call": st.booleans(),
})


def _check_one(c):
    S, vol, r, q, call = c["S"], c["vol"], c["r"], c["q"], c["call"]
    K = S * math.exp(c["logm"])
    T = c["minutes"] / MIN_PER_YEAR
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = g.bsm_greeks(S, K, T, vol, r, q, call)
    for name in out._fields:
        assert np.isfinite(getattr(out, name)), name
    calc = ql_calc(S, K, T, vol, r, q, call)
    assert out.price == pytest.approx(calc.value(), rel=1e-7, abs=1e-10 * S)
    assert out.delta == pytest.approx(calc.delta(S), rel=1e-7, abs=1e-10)
    assert out.gamma == pytest.approx(calc.gamma(S), rel=1e-7, abs=1e-12 / S)
    assert out.vega == pytest.approx(calc.vega(T), rel=1e-7, abs=1e-10 * S)
    assert cf_delta(S, K, T, vol, r, q, call) == pytest.approx(calc.delta(S), rel=1e-7,
                                                               abs=1e-10)
    # vanna and charm: Richardson-extrapolated central differences of the closed-form delta
    def rich(f, x, h):
        d = lambda hh: (f(x + hh) - f(x - hh)) / (2 * hh)  # noqa: E731
        return (4 * d(h / 2) - d(h)) / 3

    vanna_fd = rich(lambda v: cf_delta(S, K, T, v, r, q, call), vol, 1e-2 * vol)
    assert out.vanna == pytest.approx(vanna_fd, rel=1e-5, abs=1e-7)
    charm_fd = -rich(lambda t: cf_delta(S, K, t, vol, r, q, call), T, 1e-2 * T)
    assert out.charm == pytest.approx(charm_fd, rel=1e-5, abs=1e-7)


@settings(max_examples=150, deadline=None)
@given(contract)
def test_greeks_match_quantlib_numba(c):
    _check_one(c)


@settings(max_examples=60, deadline=None)
@given(contract)
def test_greeks_match_quantlib_numpy(c):
    import os

    os.environ["CRASHLENS_NO_NUMBA"] = "1"
    try:
        _check_one(c)
    finally:
        del os.environ["CRASHLENS_NO_NUMBA"]


def test_vectorised_equals_scalar_and_twins(backend):
    rng = np.random.default_rng(7)
    n = 500
    S = 100.0
    K = S * np.exp(rng.uniform(-1, 1, n))
    T = rng.uniform(1, 400 * 1440, n) / MIN_PER_YEAR
    vol = rng.uniform(0.05, 1.5, n)
    call = rng.random(n) < 0.5
    out = g.bsm_greeks(S, K, T, vol, 0.04, 0.01, call)
    for i in range(0, n, 50):
        calc = ql_calc(S, K[i], T[i], vol[i], 0.04, 0.01, bool(call[i]))
        assert out.gamma[i] == pytest.approx(calc.gamma(S), rel=1e-8)
        assert out.delta[i] == pytest.approx(calc.delta(S), rel=1e-8, abs=1e-12)
    gam = g.bsm_gamma(S, K, T, vol, 0.04, 0.01)
    np.testing.assert_allclose(gam, out.gamma, rtol=1e-10)  # log S - log K vs log(S/K)


def test_put_call_symmetry(backend):
    rng = np.random.default_rng(3)
    n = 1000
    S, r, q = 4500.0, 0.05, 0.015
    K = S * np.exp(rng.uniform(-0.8, 0.8, n))
    T = rng.uniform(5, 300 * 1440, n) / MIN_PER_YEAR
    vol = rng.uniform(0.05, 1.0, n)
    c = g.bsm_greeks(S, K, T, vol, r, q, True)
    p = g.bsm_greeks(S, K, T, vol, r, q, False)
    np.testing.assert_allclose(c.gamma, p.gamma, rtol=1e-12)
    np.testing.assert_allclose(c.vega, p.vega, rtol=1e-12)
    np.testing.assert_allclose(c.vanna, p.vanna, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(c.delta - p.delta, np.exp(-q * T), rtol=1e-12)
    np.testing.assert_allclose(c.charm - p.charm, q * np.exp(-q * T), rtol=1e-9, atol=1e-9)
    parity = S * np.exp(-q * T) - K * np.exp(-r * T)
    np.testing.assert_allclose(c.price - p.price, parity, rtol=1e-10, atol=1e-8)


def test_gamma_closed_form_atm_zero_rates(backend):
    # ATM forward, r = q = 0: gamma = phi(sigma sqrt(T)/2) / (S sigma sqrt(T))
    S, vol, T = 658.05, 0.2, 30 / MIN_PER_YEAR  # 30 minutes
    sT = vol * math.sqrt(T)
    expected = math.exp(-0.5 * (sT / 2) ** 2) / math.sqrt(2 * math.pi) / (S * sT)
    assert g.bsm_gamma(S, S, T, vol)[()] == pytest.approx(expected, rel=1e-12)


def test_deep_otm_and_one_minute_no_nan_no_warning(backend):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = g.bsm_greeks(100.0, [1e-3, 1.0, 50.0, 100.0, 150.0, 1e6], 1 / MIN_PER_YEAR, 0.05,
                           0.05, 0.0, [True, False, True, False, True, False])
    for name in out._fields:
        assert np.all(np.isfinite(getattr(out, name))), name
    assert out.gamma[0] == 0.0 and out.gamma[-1] == 0.0
    assert out.gamma[3] > 50  # 1 minute ATM gamma is huge, yet finite


@pytest.mark.parametrize("bad", [
    dict(spot=0.0), dict(strike=-1.0), dict(t=0.0), dict(vol=0.0), dict(vol=float("nan")),
    dict(t=float("inf")),
])
def test_invalid_inputs_raise(backend, bad):
    kw = dict(spot=100.0, strike=[90.0, 100.0], t=0.1, vol=0.2)
    kw.update(bad)
    with pytest.raises(ParameterError, match=next(iter(bad))):
        g.bsm_greeks(**kw)
    with pytest.raises(ParameterError):
        g.bsm_gamma(**kw)


def test_bad_rate_and_shapes():
    with pytest.raises(ParameterError, match="rate"):
        g.bsm_gamma(100, 100, 0.1, 0.2, rate=float("nan"))
    with pytest.raises(ParameterError, match="broadcast"):
        g.bsm_gamma(100, [1.0, 2.0], [0.1, 0.2, 0.3], 0.2)


@settings(max_examples=100, deadline=None)
@given(contract)
def test_implied_vol_matches_quantlib(c):
    S, vol, r, q, call = c["S"], c["vol"], c["r"], c["q"], c["call"]
    K = S * math.exp(c["logm"])
    T = c["minutes"] / MIN_PER_YEAR
    calc = ql_calc(S, K, T, vol, r, q, call)
    price = calc.value()
    fwd, disc = S * math.exp((r - q) * T), math.exp(-r * T)
    intrinsic = max(fwd - K, 0.0) if call else max(K - fwd, 0.0)
    # identifiable only when the time value is a visible part of the price
    if price - intrinsic * disc < 1e-9 * max(price, 1e-300) or price < 1e-12 * S or calc.vega(T) < 1e-8 * S:
        return
    iv = g.implied_vol(price, S, K, T, r, q, call)[()]
    typ = ql.Option.Call if call else ql.Option.Put
    ql_iv = ql.blackFormulaImpliedStdDev(typ, K, fwd, price / disc, 1.0, 0.0, 0.3 * math.sqrt(T),
                                         1e-12, 1000) / math.sqrt(T)
    assert iv == pytest.approx(ql_iv, rel=1e-5)
    assert iv == pytest.approx(vol, rel=1e-5)


def test_implied_vol_round_trip_and_bounds(backend):
    rng = np.random.default_rng(11)
    n = 400
    S = 658.05
    K = S * np.exp(rng.uniform(-0.3, 0.3, n))
    T = rng.uniform(60, 60 * 1440, n) / MIN_PER_YEAR
    vol = rng.uniform(0.08, 0.9, n)
    call = rng.random(n) < 0.5
    price = g.bsm_price(S, K, T, vol, 0.04, 0.012, call)
    fwd_intrinsic = np.where(call, S * np.exp(-0.012 * T) - K * np.exp(-0.04 * T),
                             K * np.exp(-0.04 * T) - S * np.exp(-0.012 * T))
    ok = price - np.maximum(fwd_intrinsic, 0.0) > 1e-4  # a visible time value
    iv = g.implied_vol(price[ok], S, K[ok], T[ok], 0.04, 0.012, call[ok])
    np.testing.assert_allclose(iv, vol[ok], rtol=1e-6)
    # below intrinsic, above the upper bound, zero, negative: no solution -> NaN (documented)
    out = g.implied_vol([1.0, 1000.0, 0.0, -1.0], 100.0, [50.0, 100.0, 100.0, 100.0], 0.5,
                        0.0, 0.0, [True, True, True, False])
    assert np.isnan(out).all()
