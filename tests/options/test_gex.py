"""GEX against a slow reference written the way public tutorials do it (perfiliev-style loop)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
import QuantLib as ql
from scipy.optimize import brentq

from crashlens.errors import DataError, ParameterError
from crashlens.options import (
    SignConvention,
    chain_from_frame,
    gex,
    next_monthly_expiry,
    read_chain,
    zero_crossings,
)

MIN_PER_YEAR = 525600.0
JSON_KEYS = {"underlying", "spot", "asof", "total_gex_usd_per_1pct", "zero_gamma",
             "zero_gamma_crossings", "call_wall", "put_wall", "abs_gamma_strike", "by_expiry",
             "profile", "hedge_flow_usd_per_1pct", "zero_dte_share", "assumptions", "warnings"}


# ----------------------------------------------------------------------------- reference
def ref_gamma(S, K, T, vol, r=0.0, q=0.0):
    d1 = (math.log(S / K) + (r - q + 0.5 * vol * vol) * T) / (vol * math.sqrt(T))
    return math.exp(-q * T) * math.exp(-0.5 * d1 * d1) / math.sqrt(2 * math.pi) / (S * vol * math.sqrt(T))


def ref_profile(contracts, levels, r=0.0, q=0.0, signs=(1.0, -1.0)):
    """Tutorial style: for each level, loop over contracts, sum sign * gamma * OI * 100 * S^2 * 0.01."""
    out = []
    for level in levels:
        total = 0.0
        for c in contracts:
            sgn = signs[0] if c["type"] == "C" else signs[1]
            total += sgn * ref_gamma(level, c["K"], c["T"], c["iv"], r, q) * c["oi"] * 100 * level**2 * 0.01
        out.append(total)
    return np.array(out)


def ref_zero(levels, prof):
    out = []
    for i in range(len(levels) - 1):
        if prof[i] * prof[i + 1] < 0:
            lo, hi, glo, ghi = levels[i], levels[i + 1], prof[i], prof[i + 1]
            out.append(hi - (hi - lo) * ghi / (ghi - glo))
    return out


def read_spy_plain(path):
    """The real quotedata file read with the csv module only."""
    with open(path, newline="") as fh:
        lines = list(csv.reader(fh))
    spot = float(lines[1][1].split(":")[1])
    quote = dt.datetime(2025, 9, 25, 21, 5)
    contracts = []
    for r in lines[4:]:
        if not r:
            continue
        exp = dt.datetime.strptime(r[0], "%a %b %d %Y").replace(hour=16)
        T = (exp - quote).total_seconds() / 60 / MIN_PER_YEAR
        K = float(r[11])
        for typ, iv, oi in (("C", r[7], r[10]), ("P", r[18], r[21])):
            contracts.append({"type": typ, "K": K, "T": T, "iv": float(iv), "oi": float(oi),
                              "exp": exp})
    return spot, contracts


@pytest.mark.realdata
@pytest.mark.parametrize("spacing", ["log", "linear"])
def test_real_chain_against_reference_loop(spy_chain_path, spacing, backend):
    spot, contracts = read_spy_plain(spy_chain_path)
    used = [c for c in contracts if c["oi"] > 0 and c["iv"] > 0]
    res = gex(read_chain(spy_chain_path), iv_fill="none", grid_points=41, grid_spacing=spacing)
    levels = res.profile["spot"].to_numpy()
    space = np.geomspace if spacing == "log" else np.linspace
    np.testing.assert_allclose(levels, space(0.8 * spot, 1.2 * spot, 41))
    ref = ref_profile(used, levels)
    np.testing.assert_allclose(res.profile["gex_usd_per_1pct"], ref, rtol=1e-9)
    total = sum((1 if c["type"] == "C" else -1) * ref_gamma(spot, c["K"], c["T"], c["iv"])
                * c["oi"] * 100 * spot**2 * 0.01 for c in used)
    assert res.total_gex_usd_per_1pct == pytest.approx(total, rel=1e-10)
    assert res.hedge_flow_usd_per_1pct == pytest.approx(total, rel=1e-10)
    zs = ref_zero(levels, ref)
    assert res.zero_gamma_crossings == pytest.approx(zs, rel=1e-9)
    # walls from per-strike sums
    call, put = {}, {}
    for c in used:
        g = ref_gamma(spot, c["K"], c["T"], c["iv"]) * c["oi"] * 100 * spot**2 * 0.01
        d = call if c["type"] == "C" else put
        d[c["K"]] = d.get(c["K"], 0.0) + g
    strikes = sorted(set(call) | set(put))
    assert res.call_wall == max(call, key=call.get)
    assert res.put_wall == max(put, key=put.get)
    assert res.abs_gamma_strike == max(strikes, key=lambda k: call.get(k, 0) + put.get(k, 0))
    # by expiry
    by_exp = {}
    for c in used:
        sgn = 1 if c["type"] == "C" else -1
        g = sgn * ref_gamma(spot, c["K"], c["T"], c["iv"]) * c["oi"] * 100 * spot**2 * 0.01
        by_exp[c["exp"].date()] = by_exp.get(c["exp"].date(), 0.0) + g
    d = res.to_dict()
    assert [e["expiry"] for e in d["by_expiry"]] == [x.isoformat() for x in sorted(by_exp)]
    assert [e["gex_usd_per_1pct"] for e in d["by_expiry"]] == pytest.approx(
        [by_exp[k] for k in sorted(by_exp)], rel=1e-9)
    assert set(d) == JSON_KEYS
    json.dumps(d, allow_nan=False)
    # companion profiles: ex next expiry == reference without 2025-10-01; monthly = Oct 17
    nxt = [c for c in used if c["exp"].date() != dt.date(2025, 10, 1)]
    np.testing.assert_allclose(res.profile["ex_next_expiry"], ref_profile(nxt, levels), rtol=1e-9)
    assert res.next_monthly_expiry == pd.Timestamp("2025-10-17")
    nm = [c for c in used if c["exp"].date() != dt.date(2025, 10, 17)]
    np.testing.assert_allclose(res.profile["ex_next_monthly"], ref_profile(nm, levels), rtol=1e-9)


@pytest.mark.realdata
def test_real_chain_default_fills_zero_iv(spy_chain_path):
    res = gex(read_chain(spy_chain_path))
    assert any("IV solved" in w for w in res.warnings)
    d = res.to_dict()
    assert d["spot"] == 658.05 and d["asof"] == "2025-09-25T21:05:00"
    assert d["zero_dte_share"] is None  # quoted after the close, first expiry Oct 1
    assert d["assumptions"]["sign_convention"] == "long_calls_short_puts"
    assert len(d["profile"]["spot"]) == len(d["profile"]["gex_usd_per_1pct"]) == 201
    json.dumps(d, allow_nan=False)
    assert np.isfinite(res.contracts["iv_used"]).all()


# ----------------------------------------------------------------------------- synthetic chains
def frame(rows, quote="2025-10-01 10:00"):
    df = pd.DataFrame(rows, columns=["expiry", "strike", "option_type", "open_interest", "iv"])
    df["quote_time"] = quote
    df["underlying"] = "TEST"
    return df


def test_two_contract_chain_known_zero_gamma(backend):
    # calls at 110, puts at 90; put OI chosen so that call and put gamma cancel exactly at S=100
    T = (pd.Timestamp("2025-10-31 16:00") - pd.Timestamp("2025-10-01 10:00")).total_seconds() / 60 / MIN_PER_YEAR
    oi_c = 10_000.0
    oi_p = oi_c * ref_gamma(100.0, 110.0, T, 0.25) / ref_gamma(100.0, 90.0, T, 0.25)
    ch = chain_from_frame(frame([["2025-10-31", 110.0, "C", oi_c, 0.25],
                                 ["2025-10-31", 90.0, "P", oi_p, 0.25]]), spot=100.0)
    res = gex(ch, grid_points=401)
    assert res.zero_gamma == pytest.approx(100.0, abs=2e-3)
    assert len(res.zero_gamma_crossings) == 1
    assert abs(res.total_gex_usd_per_1pct) < 1e-6 * oi_c * 100 * 100**2 * 0.01
    assert res.call_wall == 110.0 and res.put_wall == 90.0


def test_three_strike_chain_two_crossings(backend):
    exp = pd.Timestamp("2025-11-21 16:00")
    T = (exp - pd.Timestamp("2025-10-01 10:00")).total_seconds() / 60 / MIN_PER_YEAR
    rows = [["2025-11-21", 80.0, "P", 30_000.0, 0.3], ["2025-11-21", 100.0, "C", 50_000.0, 0.2],
            ["2025-11-21", 120.0, "P", 30_000.0, 0.3]]
    res = gex(chain_from_frame(frame(rows), spot=100.0), grid_range=(0.6, 1.4), grid_points=801)

    def prof(S):
        return (50_000 * ref_gamma(S, 100.0, T, 0.2) - 30_000 * ref_gamma(S, 80.0, T, 0.3)
                - 30_000 * ref_gamma(S, 120.0, T, 0.3))

    grid = np.linspace(60, 140, 2001)
    vals = [prof(x) for x in grid]
    roots = [brentq(prof, grid[i], grid[i + 1]) for i in range(len(grid) - 1)
             if vals[i] * vals[i + 1] < 0]
    assert len(roots) == 2
    assert res.zero_gamma_crossings == pytest.approx(roots, abs=0.01)
    assert res.zero_gamma == pytest.approx(min(roots, key=lambda z: abs(z - 100)), abs=0.01)


def test_sign_convention_and_sensitivity():
    rows = [["2025-10-17", k, t, 1000.0 + k, 0.2] for k in (90.0, 95.0, 100.0, 105.0)
            for t in ("C", "P")]
    ch = chain_from_frame(frame(rows), spot=100.0)
    base = gex(ch)
    flip = gex(ch, sign_convention="short_calls_long_puts")
    assert flip.total_gex_usd_per_1pct == pytest.approx(-base.total_gex_usd_per_1pct)
    assert (flip.call_wall, flip.put_wall) == (base.call_wall, base.put_wall)
    assert flip.assumptions["sign_convention"] == "short_calls_long_puts"
    tab = base.sensitivity.set_index("sign_convention")
    for conv in SignConvention:
        alt = gex(ch, sign_convention=conv)
        assert tab.loc[conv.value, "total_gex_usd_per_1pct"] == pytest.approx(
            alt.total_gex_usd_per_1pct, rel=1e-12)
        assert tab.loc[conv.value, "n_crossings"] == len(alt.zero_gamma_crossings)
    with pytest.raises(ParameterError, match="sign_convention"):
        gex(ch, sign_convention="dealers_confused")


def test_exposures_against_quantlib():
    rows = [["2025-10-17", 95.0, "P", 700.0, 0.22], ["2025-10-17", 105.0, "C", 400.0, 0.18],
            ["2025-11-21", 100.0, "C", 300.0, 0.2], ["2025-11-21", 100.0, "P", 900.0, 0.21]]
    S, r, q = 101.0, 0.04, 0.013
    res = gex(chain_from_frame(frame(rows), spot=S), rate=r, dividend_yield=q)
    quote = pd.Timestamp("2025-10-01 10:00")
    dex = gam = 0.0
    for e, K, t, oi, iv in rows:
        T = (pd.Timestamp(e) + pd.Timedelta(hours=16) - quote).total_seconds() / 60 / MIN_PER_YEAR
        typ = ql.Option.Call if t == "C" else ql.Option.Put
        calc = ql.BlackCalculator(ql.PlainVanillaPayoff(typ, K), S * math.exp((r - q) * T),
                                  iv * math.sqrt(T), math.exp(-r * T))
        sgn = 1 if t == "C" else -1
        dex += sgn * calc.delta(S) * oi * 100 * S
        gam += sgn * calc.gamma(S) * oi * 100 * S * S * 0.01
    assert res.dex_usd == pytest.approx(dex, rel=1e-8)
    assert res.total_gex_usd_per_1pct == pytest.approx(gam, rel=1e-8)
    # hedge flow: linear for a 1 % drop is GEX; revaluation agrees for a tiny move
    assert res.hedge_flow(-1.0) == pytest.approx(gam)
    assert res.hedge_flow(-0.001, "revalue") == pytest.approx(res.hedge_flow(-0.001), rel=1e-3)
    assert np.isfinite([res.vanna_usd_per_vol_pt, res.charm_usd_per_day]).all()


def test_backends_agree_and_sticky_delta_flat_smile(monkeypatch):
    rng = np.random.default_rng(5)
    n = 400
    rows = [[str(rng.choice(["2025-10-03", "2025-10-17", "2025-12-19"])), float(k),
             str(rng.choice(["C", "P"])), float(rng.integers(0, 5000)), 0.2]
            for k in np.round(rng.uniform(80, 120, n))]
    ch = chain_from_frame(frame(rows), spot=100.0)
    monkeypatch.delenv("CRASHLENS_NO_NUMBA", raising=False)
    a = gex(ch)
    a_sd = gex(ch, vol_model="sticky_delta")
    monkeypatch.setenv("CRASHLENS_NO_NUMBA", "1")
    b = gex(ch)
    b_sd = gex(ch, vol_model="sticky_delta")
    for col in ("gex_usd_per_1pct", "ex_next_expiry", "ex_next_monthly"):
        np.testing.assert_allclose(a.profile[col], b.profile[col], rtol=1e-10, atol=1e-12)
        # flat smile: sticky delta == sticky strike
        np.testing.assert_allclose(a_sd.profile[col], a.profile[col], rtol=1e-10)
        np.testing.assert_allclose(b_sd.profile[col], a.profile[col], rtol=1e-10)


def test_sticky_delta_moves_vols_with_skew():
    # put skew: vols fall with strike; under sticky delta a lower spot reads higher vols
    rows = [["2025-10-17", k, "P" if k < 100 else "C", 1000.0, 0.2 + (100 - k) * 0.005]
            for k in (90.0, 95.0, 100.0, 105.0, 110.0)]
    ch = chain_from_frame(frame(rows), spot=100.0)
    ss = gex(ch, grid_spacing="linear")  # linear grid: the middle point is spot
    sd = gex(ch, vol_model="sticky_delta", grid_spacing="linear")
    mid = len(ss.profile) // 2
    assert sd.profile["gex_usd_per_1pct"].iloc[mid] == pytest.approx(
        ss.profile["gex_usd_per_1pct"].iloc[mid], rel=1e-9)  # at spot: same vols
    assert not np.allclose(sd.profile["gex_usd_per_1pct"], ss.profile["gex_usd_per_1pct"])


def test_sticky_delta_in_blocks_equals_one_pass(monkeypatch):
    import importlib

    gex_mod = importlib.import_module("crashlens.options.gex")  # the module, not the function

    rows = [[e, k, t, 500.0, 0.25 + (100 - k) * 0.004] for e in ("2025-10-17", "2025-11-21")
            for k in (85.0, 90.0, 95.0, 100.0, 105.0, 110.0) for t in ("C", "P")]
    ch = chain_from_frame(frame(rows), spot=100.0)
    whole = gex(ch, vol_model="sticky_delta")
    monkeypatch.setattr(gex_mod, "STICKY_DELTA_BLOCK", 100)  # 4 spots per block
    blocks = gex(ch, vol_model="sticky_delta")
    np.testing.assert_allclose(blocks.profile["gex_usd_per_1pct"],
                               whole.profile["gex_usd_per_1pct"], rtol=1e-13)


def test_zero_dte_share():
    rows = [["2025-10-01", 100.0, "C", 100.0, 0.2], ["2025-10-01", 100.0, "P", 100.0, 0.2],
            ["2025-10-17", 100.0, "C", 100.0, 0.2], ["2025-10-17", 100.0, "P", 100.0, 0.2]]
    df = frame(rows, quote="2025-10-01 15:00")
    df["volume"] = [600.0, 200.0, 150.0, 50.0]
    df["last"] = [1.0, 2.0, 4.0, 4.0]
    res = gex(chain_from_frame(df, spot=100.0))
    assert res.zero_dte_share == pytest.approx(800 / 1000)
    prem = np.array([600 * 1.0, 200 * 2.0, 150 * 4.0, 50 * 4.0])
    assert res.zero_dte.volume_share_premium == pytest.approx(prem[:2].sum() / prem.sum())
    b = res.zero_dte.gamma_by_bucket.set_index("bucket")
    assert b.loc["0DTE", "abs_gex_share"] > 0.5  # one hour left: 0DTE gamma dominates
    assert b["abs_gex_share"].sum() == pytest.approx(1.0)
    # no volume -> null
    res2 = gex(chain_from_frame(frame(rows, quote="2025-10-01 15:00"), spot=100.0))
    assert res2.zero_dte_share is None and res2.to_dict()["zero_dte_share"] is None


def test_expired_contracts_excluded_and_zero_dte_last_minute():
    rows = [["2025-10-01", 100.0, "C", 100.0, 0.2], ["2025-10-02", 100.0, "C", 100.0, 0.2]]
    ch = chain_from_frame(frame(rows), spot=100.0)
    res = gex(ch, asof="2025-10-01 16:30")
    assert any("settled" in w for w in res.warnings)
    assert not any("stale" in w for w in res.warnings)
    assert any("stale" in w for w in gex(ch, asof="2025-10-02 12:00").warnings)
    assert list(res.by_expiry["expiry"]) == [pd.Timestamp("2025-10-02")]
    last = gex(ch, asof="2025-10-01 15:59:59")  # floored at one minute, finite
    assert np.isfinite(last.total_gex_usd_per_1pct)
    with pytest.raises(DataError, match="no live contract"):
        gex(ch, asof="2025-10-03")
    # a bare date: the chain's quote time that day, else that day's 16:00 close
    assert gex(ch, asof="2025-10-01").asof == pd.Timestamp("2025-10-01 10:00")
    with pytest.raises(DataError, match="no live contract"):
        gex(ch, asof="2025-10-02")  # 16:00: the last expiry settles exactly then
    with pytest.raises(ParameterError, match="asof"):
        gex(ch, asof="not a date")


def test_bad_inputs_give_errors_or_warnings():
    rows = [["2025-10-17", 100.0, "C", 100.0, 0.0], ["2025-10-17", 100.0, "P", 100.0, np.nan],
            ["2025-10-17", 105.0, "C", 100.0, 0.2]]
    df = frame(rows)
    df["bid"] = [2.0, 1.0, np.nan]
    df["ask"] = [2.2, 1.2, np.nan]
    res = gex(chain_from_frame(df, spot=100.0))
    solved = res.contracts.set_index(["strike", "option_type"])["iv_used"]
    assert solved[(100.0, "C")] > 0 and solved[(100.0, "P")] > 0
    # no prices to solve from -> excluded with a warning, never NaN
    df2 = frame(rows)
    res2 = gex(chain_from_frame(df2, spot=100.0))
    assert any("no usable IV" in w for w in res2.warnings)
    assert len(res2.contracts) == 1
    json.dumps(res2.to_dict(detail=True), allow_nan=False)
    with pytest.raises(DataError, match="usable implied vol"):
        gex(chain_from_frame(frame(rows[:2]), spot=100.0), iv_fill="none")
    # spot far outside the strikes: a warning, no zero gamma, no NaN
    far = gex(chain_from_frame(frame(rows), spot=1000.0))
    assert any("outside the strikes" in w for w in far.warnings)
    json.dumps(far.to_dict(detail=True), allow_nan=False)
    ch = chain_from_frame(frame(rows))
    with pytest.raises(ParameterError, match="spot"):
        gex(ch)
    with pytest.raises(ParameterError, match="rate"):
        gex(ch, spot=100.0, rate=float("nan"))
    with pytest.raises(ParameterError, match="grid_range"):
        gex(ch, spot=100.0, grid_range=(1.1, 1.2))
    with pytest.raises(ParameterError, match="spot"):
        gex(ch, spot=-5.0)
    # rate 0 and div 0 are accepted explicitly
    assert gex(ch, spot=100.0, rate=0, dividend_yield=0).assumptions["rate"] == 0.0


def test_next_monthly_expiry_rules():
    oct25 = pd.to_datetime(["2025-10-01", "2025-10-10", "2025-10-17", "2025-10-31"])
    assert next_monthly_expiry(list(oct25)) == pd.Timestamp("2025-10-17")
    # Good Friday 2025-04-18: the April monthly expires Thursday 2025-04-17
    apr25 = pd.to_datetime(["2025-04-16", "2025-04-17", "2025-04-21"])
    assert next_monthly_expiry(list(apr25)) == pd.Timestamp("2025-04-17")
    assert next_monthly_expiry(list(pd.to_datetime(["2025-10-01"]))) is None


def test_zero_crossings_function():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert zero_crossings(x, [-1.0, 1.0, 1.0, -3.0, -1.0]) == pytest.approx([1.5, 3.25])
    assert zero_crossings(x, [-1.0, 0.0, 1.0, 1.0, 1.0]) == pytest.approx([2.0])
    assert zero_crossings(x, [0.0] * 5).size == 0
    assert zero_crossings(x, [1.0] * 5).size == 0
    with pytest.raises(ParameterError):
        zero_crossings(x[::-1], [1.0, -1.0, 1.0, -1.0, 1.0])


def test_plots_return_figures():
    rows = [["2025-10-17", k, t, 1000.0, 0.2] for k in (95.0, 100.0, 105.0) for t in ("C", "P")]
    res = gex(chain_from_frame(frame(rows), spot=100.0))
    for fig in (res.plot_by_strike(), res.plot_profile(), res.plot_by_expiry()):
        assert fig.__class__.__name__ == "Figure" and len(fig.data) >= 1
    assert "sign convention" in res.summary()


def test_spot_implied_by_put_call_parity():
    # a pulled chain (CSV of CHAIN_COLUMNS) carries no spot: infer it from C - P at one strike
    S, r, q = 100.0, 0.04, 0.01
    quote = pd.Timestamp("2025-10-01 10:00")
    rows, bids, asks = [], [], []
    for K in (95.0, 100.0, 105.0):
        for t in ("C", "P"):
            T = (pd.Timestamp("2025-10-17 16:00") - quote).total_seconds() / 60 / MIN_PER_YEAR
            typ = ql.Option.Call if t == "C" else ql.Option.Put
            px = ql.BlackCalculator(ql.PlainVanillaPayoff(typ, K), S * math.exp((r - q) * T),
                                    0.2 * math.sqrt(T), math.exp(-r * T)).value()
            rows.append(["2025-10-17", K, t, 100.0, 0.2])
            bids.append(px - 0.01)
            asks.append(px + 0.01)
    df = frame(rows)
    df["bid"], df["ask"] = bids, asks
    res = gex(chain_from_frame(df), rate=r, dividend_yield=q)
    assert res.spot == pytest.approx(S, rel=1e-9)
    assert res.assumptions["spot_source"] == "put-call parity"
    assert any("put-call parity" in w for w in res.warnings)


def _crossings_loop(x, y):
    out, prev = [], None
    for i in range(len(y)):
        if y[i] == 0:
            continue
        if prev is not None and (y[prev] > 0) != (y[i] > 0):
            if i - prev == 1:
                out.append(x[i] - (x[i] - x[prev]) * y[i] / (y[i] - y[prev]))
            else:
                m = (prev + i) // 2
                out.append(x[m] if (i - prev) % 2 == 0 else 0.5 * (x[m] + x[m + 1]))
        prev = i
    return out


def test_zero_crossings_against_loop():
    rng = np.random.default_rng(9)
    for _ in range(200):
        n = int(rng.integers(2, 40))
        x = np.cumsum(rng.uniform(0.1, 2.0, n))
        y = rng.normal(size=n) * (rng.random(n) > 0.2)  # some exact zeros
        assert zero_crossings(x, y) == pytest.approx(_crossings_loop(x, y), rel=1e-12)
