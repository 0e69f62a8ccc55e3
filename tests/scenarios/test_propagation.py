from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import crashlens.scenarios as sc
from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.scenarios.propagation import covariance, resolve_window

from .conftest import KINDS

SIGMA = np.array([[4.0, 2.0, 1.0], [2.0, 9.0, 3.0], [1.0, 3.0, 16.0]])


def test_single_shock_hand_computation() -> None:
    s = -0.3
    mean, cond, singular = sc.conditional_gaussian(SIGMA, [0], np.array([s]))
    assert not singular
    # E[x_u | x_0 = s] = Σ_u0 / Σ_00 * s
    assert mean == pytest.approx([s, 2 / 4 * s, 1 / 4 * s])
    # Σ_uu - Σ_u0 Σ_0u / Σ_00
    assert cond[1, 1] == pytest.approx(9 - 4 / 4)
    assert cond[1, 2] == pytest.approx(3 - 2 * 1 / 4)
    assert cond[2, 2] == pytest.approx(16 - 1 / 4)
    assert cond[0] == pytest.approx([0, 0, 0])


def test_two_shocks_hand_computation() -> None:
    s0, s1 = 0.1, -0.2
    mean, cond, _ = sc.conditional_gaussian(SIGMA, [0, 1], np.array([s0, s1]))
    # Σ_kk^-1 = [[9, -2], [-2, 4]] / 32 ; Σ_2k Σ_kk^-1 = [3/32, 10/32]
    assert mean[2] == pytest.approx(3 / 32 * s0 + 10 / 32 * s1)
    assert mean[:2] == pytest.approx([s0, s1])
    assert cond[2, 2] == pytest.approx(16 - (3 / 32 * 1 + 10 / 32 * 3))


def test_singular_block_uses_pinv() -> None:
    sig = np.array([[1.0, 1.0, 0.5], [1.0, 1.0, 0.5], [0.5, 0.5, 1.0]])
    mean, _, singular = sc.conditional_gaussian(sig, [0, 1], np.array([0.2, 0.2]))
    assert singular
    assert mean[2] == pytest.approx(0.1)


def test_no_shock_gives_zero_move() -> None:
    mean, cond, _ = sc.conditional_gaussian(SIGMA, [], np.array([]))
    assert (mean == 0).all() and np.allclose(cond, SIGMA)


def _window_changes(market: dict[str, pd.Series], start: pd.Timestamp,
                    end: pd.Timestamp, k: int = 1) -> pd.DataFrame:
    """Overlapping k-day changes (log for AAA/BBB, differences for RATE) on the window."""
    lv = pd.DataFrame(market).loc[start:end, ["AAA", "BBB", "RATE"]]
    ch = pd.DataFrame({"AAA": np.log(lv["AAA"]).diff(k), "BBB": np.log(lv["BBB"]).diff(k),
                       "RATE": lv["RATE"].diff(k)})
    return ch.iloc[k:]


SPEC = """\
name: constructed
scenarios:
  - id: down
    probability: 0.6
    shocks: {AAA: "-10%"}
  - id: up
    probability: 0.4
    shocks: {AAA: "+5%"}
"""


def test_run_matches_hand_conditional_mean(market: dict[str, pd.Series]) -> None:
    asof = market["AAA"].index[-1]
    spec = sc.loads(SPEC, known=KINDS)
    res = sc.run(spec, asof, window="1y", horizon_days=20, data=market, kinds=KINDS,
                 universe=["AAA", "BBB", "RATE"], change_days=1)
    ch = _window_changes(market, asof - pd.DateOffset(years=1), asof)
    c = np.cov(ch.to_numpy().T)  # independent estimate: numpy, columns AAA BBB RATE
    s = math.log(0.9)
    m_b = c[1, 0] / c[0, 0] * s
    m_r = c[2, 0] / c[0, 0] * s
    mv = res.moves.set_index(["scenario", "asset"])
    assert mv.loc[("down", "AAA"), "move"] == pytest.approx(-10.0)
    assert mv.loc[("down", "BBB"), "move"] == pytest.approx((math.exp(m_b) - 1) * 100)
    assert mv.loc[("down", "RATE"), "move"] == pytest.approx(m_r)
    assert mv.loc[("down", "RATE"), "unit"] == "pt"
    # one-sigma band over 20 days from the conditional variance
    sd_b = math.sqrt(20 * (c[1, 1] - c[1, 0] ** 2 / c[0, 0]))
    assert mv.loc[("down", "BBB"), "low"] == pytest.approx((math.exp(m_b - sd_b) - 1) * 100)
    # implied level
    assert mv.loc[("down", "BBB"), "level_implied"] == pytest.approx(
        market["BBB"].iloc[-1] * math.exp(m_b))
    # probability-weighted expectation (coordinate average, then displayed)
    m_b_up = c[1, 0] / c[0, 0] * math.log(1.05)
    exp_b = res.expected.set_index("asset").loc["BBB", "expected"]
    assert exp_b == pytest.approx((math.exp(0.6 * m_b + 0.4 * m_b_up) - 1) * 100)
    assert res.window["n_obs"] == len(ch)
    assert res.to_frame().loc["BBB", "down"] == pytest.approx((math.exp(m_b) - 1) * 100)
    d = res.to_dict()
    assert d["flows"]["cta"]["available"] is False
    assert "not computed" in d["flows"]["cta"]["note"]


def test_portfolio_pnl_and_tail(market: dict[str, pd.Series], tmp_path) -> None:
    asof = market["AAA"].index[-1]
    pf = tmp_path / "book.yaml"
    pf.write_text("name: b\npositions:\n  - {asset: BBB, notional: 1000000}\n"
                  "  - {asset: RATE, per_point: 1000}\n")
    spec = sc.loads(SPEC.replace("0.6", "1.0").replace("0.4", "0.0"), known=KINDS)
    res = sc.run(spec, asof, window="1y", horizon_days=20, data=market, kinds=KINDS,
                 portfolio=pf, universe=["AAA", "BBB", "RATE"])  # default: 21-day changes
    assert res.assumptions["change_days"] == 21
    ch = _window_changes(market, asof - pd.DateOffset(years=1), asof, k=21)
    c = np.cov(ch.to_numpy().T) / 21  # daily-equivalent covariance of monthly changes
    s = math.log(0.9)
    m_b, m_r = c[1, 0] / c[0, 0] * s, c[2, 0] / c[0, 0] * s
    pnl = 1e6 * math.expm1(m_b) + 1000 * m_r
    cond = 20 * (c[1:, 1:] - np.outer(c[1:, 0], c[0, 1:]) / c[0, 0])
    g = np.array([1e6 * math.exp(m_b), 1000.0])
    std = math.sqrt(g @ cond @ g)
    row = res.portfolio.set_index("scenario").loc["down"]
    assert row["pnl"] == pytest.approx(pnl)
    assert row["pnl_std"] == pytest.approx(std)
    ps = res.portfolio_summary
    z = norm.ppf(0.95)
    # the "up" scenario has zero weight: the mixture is one Gaussian
    assert ps["var"] == pytest.approx(pnl - z * std, rel=1e-6)
    assert ps["es"] == pytest.approx(pnl - std * norm.pdf(z) / 0.05, rel=1e-6)
    assert ps["worst_scenario"] == "down"


def test_mixture_tail_is_a_quantile(market: dict[str, pd.Series]) -> None:
    asof = market["AAA"].index[-1]
    res = sc.run(sc.loads(SPEC, known=KINDS), asof, window="1y", horizon_days=20,
                 data=market, kinds=KINDS, universe=["AAA", "BBB", "RATE"])
    mv = res.moves.set_index(["scenario", "asset"])
    ex = res.expected.set_index("asset").loc["BBB"]
    mu = np.array([math.log1p(mv.loc[(s, "BBB"), "move"] / 100) for s in ("down", "up")])
    sd = np.array([math.log1p(mv.loc[(s, "BBB"), "high"] / 100) for s in ("down", "up")]) - mu
    q = math.log1p(ex["tail_low"] / 100)
    assert float(np.array([0.6, 0.4]) @ norm.cdf((q - mu) / sd)) == pytest.approx(0.05, abs=1e-8)


def test_portfolio_csv_errors_name_line(tmp_path, market) -> None:
    p = tmp_path / "book.csv"
    p.write_text("asset,notional\nBBB,1000\nZZZ,5\n")
    with pytest.raises(sc.SpecError, match=r"book\.csv, line 3: .*unknown asset 'ZZZ'"):
        sc.load_portfolio(p, known=KINDS)
    p.write_text("asset,notional\nBBB,lots\n")
    with pytest.raises(sc.SpecError, match=r"line 2: column 'notional'"):
        sc.load_portfolio(p, known=KINDS)
    p.write_text("asset,notional,dv01\nBBB,1000,5\n")
    with pytest.raises(sc.SpecError, match=r"line 2: .*exactly one"):
        sc.load_portfolio(p, known=KINDS)
    p.write_text("asset,notional\nBBB,1000\n")
    assert sc.load_portfolio(p, known=KINDS).positions[0].notional == 1000


def test_resolve_window() -> None:
    asof = pd.Timestamp("2025-11-21")
    w = resolve_window(None, asof)
    assert (w.start, w.end) == (pd.Timestamp("2023-11-21"), asof)
    w = resolve_window("2008", asof)
    assert (w.start, w.end) == (pd.Timestamp("2008-09-01"), pd.Timestamp("2009-03-31"))
    assert resolve_window("2020", asof).start == pd.Timestamp("2020-02-19")
    w = resolve_window("2024-01-01:2024-06-30", asof)
    assert w.end == pd.Timestamp("2024-06-30")
    with pytest.raises(ParameterError, match="after the as-of"):
        resolve_window("2025-01-01:2026-01-01", asof)
    with pytest.raises(ParameterError, match="unknown window"):
        resolve_window("1999crash", asof)
    with pytest.raises(ParameterError, match="bad date"):
        resolve_window("2024-01-01:2024-13-01", asof)


def test_pairwise_equals_listwise_without_gaps_and_is_psd_with_gaps() -> None:
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.normal(size=(200, 4)), columns=list("abcd"))
    a, n_a = covariance(x, method="pairwise")
    b, n_b = covariance(x, method="listwise")
    assert np.allclose(a, b) and n_a == n_b == 200
    assert np.allclose(b.to_numpy(), np.cov(x.to_numpy().T))
    x.iloc[:120, 3] = np.nan
    c, n_c = covariance(x, method="pairwise")
    assert n_c == 80
    assert np.linalg.eigvalsh(c.to_numpy()).min() > 0
    with pytest.raises(InsufficientDataError, match="only 80"):
        covariance(x, method="listwise", min_obs=100)


def test_nearest_psd_on_correlation_scale() -> None:
    from crashlens.scenarios.propagation import nearest_psd

    corr = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])  # not PSD
    sd = np.array([0.01, 0.02, 5.0])  # mixed units
    cov = corr * np.outer(sd, sd)
    fixed, change = nearest_psd(cov)
    assert change > 0
    assert np.allclose(np.diag(fixed), sd ** 2)
    c2 = fixed / np.outer(sd, sd)
    assert np.linalg.eigvalsh(c2).min() > 0
    assert np.abs(c2 - corr).max() == pytest.approx(change)
    same, zero = nearest_psd(SIGMA)
    assert zero == 0.0 and np.allclose(same, SIGMA)


def test_entropy_pooling_closed_forms() -> None:
    p = np.array([0.45, 0.30, 0.25])
    q = sc.entropy_pooling(p, np.array([[0, 0, 1.0]]), np.array([0.35]))
    # KL projection onto q_C = 0.35 rescales the others proportionally
    assert q == pytest.approx([0.45 * 0.65 / 0.75, 0.30 * 0.65 / 0.75, 0.35], abs=1e-9)
    m = np.array([-0.10, 0.05])
    q = sc.entropy_pooling(np.array([0.5, 0.5]), m[None, :], np.array([-0.04]))
    assert q[0] == pytest.approx((-0.04 - 0.05) / (-0.10 - 0.05), abs=1e-9)
    with pytest.raises(ParameterError, match="cannot be met"):
        sc.entropy_pooling(np.array([0.5, 0.5]), m[None, :], np.array([-0.2]))


def test_views_in_spec_give_posterior(market: dict[str, pd.Series]) -> None:
    asof = market["AAA"].index[-1]
    spec = sc.loads(SPEC + "views:\n  - {scenario: down, probability: 0.3}\n", known=KINDS)
    res = sc.run(spec, asof, window="1y", horizon_days=20, data=market, kinds=KINDS,
                 universe=["AAA", "BBB", "RATE"])
    assert res.posterior == pytest.approx({"down": 0.3, "up": 0.7})
    assert res.probabilities == pytest.approx({"down": 0.6, "up": 0.4})


def test_shock_outside_covariance_is_kept_with_warning(market) -> None:
    asof = market["AAA"].index[-1]
    short = dict(market)
    short["CCC"] = market["AAA"].iloc[-10:] * 2  # too little history for the window
    kinds = {**KINDS, "CCC": "log"}
    spec = sc.loads(SPEC.replace('{AAA: "-10%"}', '{CCC: "-10%"}'), known=kinds)
    res = sc.run(spec, asof, window="1y", horizon_days=20, data=short, kinds=kinds,
                 universe=["AAA", "BBB"])
    mv = res.moves.set_index(["scenario", "asset"])
    assert mv.loc[("down", "CCC"), "move"] == pytest.approx(-10.0)
    assert mv.loc[("down", "BBB"), "move"] == pytest.approx(0.0)
    # not shocked in "up" and outside the covariance: no move (NaN), not a silent zero
    assert np.isnan(mv.loc[("up", "CCC"), "move"])
    assert np.isnan(res.expected.set_index("asset").loc["CCC", "expected"])
    assert "n/a" in res.summary()
    assert any("CCC" in w and "excluded" in w for w in res.warnings)
    assert any("does not propagate" in w for w in res.warnings)


def test_bad_moves_raise(market) -> None:
    asof = market["AAA"].index[-1]
    spec = sc.loads(SPEC.replace('"-10%"', '"-120%"'), known=KINDS)
    with pytest.raises(ParameterError, match="non-positive"):
        sc.run(spec, asof, window="1y", data=market, kinds=KINDS, universe=["AAA"])
    spec = sc.loads(SPEC.replace('{AAA: "-10%"}', '{RATE: "+25bp"}'), known=KINDS)
    with pytest.raises(ParameterError, match="percent"):
        sc.run(spec, asof, window="1y", data=market, kinds=KINDS, universe=["AAA"])
    with pytest.raises(ParameterError, match="tail_level"):
        sc.run(sc.loads(SPEC, known=KINDS), asof, data=market, kinds=KINDS, tail_level=1.5)


def test_dealer_flows_from_a_gamma_profile(market) -> None:
    """A constant GEX profile: the hedge flow is -GEX * 100 * log move (closed form)."""
    from types import SimpleNamespace

    asof = market["AAA"].index[-1]
    grid = np.linspace(50.0, 150.0, 101)
    prof = pd.DataFrame({"spot": grid, "gex_usd_per_1pct": np.full(101, -2e9)})
    fake = SimpleNamespace(profile=prof, spot=100.0, underlying="AAA", asof=asof)
    res = sc.run(sc.loads(SPEC, known=KINDS), asof, window="1y", data=market, kinds=KINDS,
                 universe=["AAA", "BBB"], chain=fake)
    dealer = res.flows["dealer"]
    assert dealer["available"] is True
    assert dealer["scenarios"]["down"]["total_usd"] == pytest.approx(
        2e9 * 100 * math.log(0.9), rel=1e-9)
    assert dealer["scenarios"]["up"]["total_usd"] == pytest.approx(
        2e9 * 100 * math.log(1.05), rel=1e-9)
    assert dealer["warnings"] == []
    # a chain dated after the as-of date is positioning the as-of day did not know: said
    late = SimpleNamespace(profile=prof, spot=100.0, underlying="AAA",
                           asof=asof + pd.Timedelta(days=2))
    res = sc.run(sc.loads(SPEC, known=KINDS), asof, window="1y", data=market, kinds=KINDS,
                 universe=["AAA", "BBB"], chain=late)
    (w,) = res.flows["dealer"]["warnings"]
    assert w.code == "scenarios.chain_after_asof" and w.params["days"] == 2
    res = sc.run(sc.loads(SPEC, known=KINDS), asof, window="1y", data=market, kinds=KINDS,
                 universe=["AAA", "BBB"])
    assert res.flows["dealer"]["available"] is False
    assert "no option chain" in res.flows["dealer"]["note"]


def test_liquidated_between_pro_rata() -> None:
    from crashlens.scenarios._flows import liquidated_between

    m = pd.DataFrame({"price_low": [80.0, 90.0, 100.0, 110.0],
                      "price_high": [90.0, 100.0, 110.0, 120.0],
                      "long_usd": [10.0, 20.0, 0.0, 0.0], "short_usd": [0.0, 0.0, 30.0, 40.0]})
    assert liquidated_between(m, 100.0, 85.0) == pytest.approx((20.0 + 0.5 * 10.0, 0.0))
    assert liquidated_between(m, 100.0, 115.0) == pytest.approx((0.0, 30.0 + 0.5 * 40.0))
    assert liquidated_between(m, 100.0, 100.0) == (0.0, 0.0)


def test_results_are_strict_json(market, tmp_path) -> None:
    import json

    asof = market["AAA"].index[-1]
    pf = tmp_path / "b.yaml"
    pf.write_text("positions:\n  - {asset: BBB, notional: 1000}\n")
    res = sc.run(sc.loads(SPEC, known=KINDS), asof, window="1y", data=market, kinds=KINDS,
                 universe=["AAA", "BBB", "RATE"], portfolio=pf)
    payload = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert payload["portfolio_summary"]["worst_scenario"] == "down"
    assert "down" in res.summary() and res.plot_moves().data and res.plot_pnl().data


def test_asof_after_the_data_is_refused(market) -> None:
    with pytest.raises(ParameterError, match="after the data"):
        sc.run(sc.loads(SPEC, known=KINDS), "2030-01-02", data=market, kinds=KINDS,
               universe=["AAA", "BBB"])


@pytest.mark.parametrize("seed", range(5))
def test_conditional_gaussian_matches_precision_form(seed: int) -> None:
    """Independent check: with Λ = Σ⁻¹, E[x_u | x_k = s] = −Λ_uu⁻¹ Λ_uk s, Cov = Λ_uu⁻¹."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 9))
    a = rng.normal(size=(n, n))
    cov = a @ a.T + n * np.eye(n) * 0.1
    k = sorted(rng.choice(n, size=int(rng.integers(1, n)), replace=False).tolist())
    u = [i for i in range(n) if i not in k]
    s = rng.normal(size=len(k))
    mean, cond, _ = sc.conditional_gaussian(cov, k, s)
    lam = np.linalg.inv(cov)
    luu_inv = np.linalg.inv(lam[np.ix_(u, u)])
    assert mean[u] == pytest.approx(-luu_inv @ lam[np.ix_(u, k)] @ s, rel=1e-8, abs=1e-10)
    assert np.allclose(cond[np.ix_(u, u)], luu_inv, rtol=1e-8, atol=1e-10)


def test_shocks_out_of_reach_are_flagged(market: dict[str, pd.Series]) -> None:
    asof = market["AAA"].index[-1]
    spec = sc.loads(SPEC.replace('"-10%"', '"-90%"'), known=KINDS)
    res = sc.run(spec, asof, window="1y", horizon_days=20, data=market, kinds=KINDS,
                 universe=["AAA", "BBB", "RATE"])
    # by hand: one shock, distance |log(0.1)| / sqrt(20 var) against chi-square(1)
    ch = _window_changes(market, asof - pd.DateOffset(years=1), asof, k=21)
    var = float(np.var(ch["AAA"].to_numpy(), ddof=1)) / 21
    d = abs(math.log(0.1)) / math.sqrt(20 * var)
    reach = {s["id"]: s["reach"] for s in res.scenarios}
    assert reach["down"]["mahalanobis"] == pytest.approx(d, rel=1e-9)
    assert reach["down"]["p_value"] == pytest.approx(2 * norm.sf(d), rel=1e-6)
    assert not reach["down"]["reachable"] and reach["up"]["reachable"]
    assert any("scenario down" in w and "out of reach" in w for w in res.warnings)
    assert "OUT OF REACH" in res.summary()


def test_moves_charted_per_unit_family(market: dict[str, pd.Series]) -> None:
    asof = market["AAA"].index[-1]
    res = sc.run(sc.loads(SPEC, known=KINDS), asof, window="1y", horizon_days=20,
                 data=market, kinds=KINDS, universe=["AAA", "BBB", "RATE"])
    fig = res.plot_moves()
    # prices in one panel (y axis 1), the 'pt' rate in another: never on the same axis
    axes = {tr.yaxis: set(tr.x) for tr in fig.data}
    assert axes == {"y": {"AAA", "BBB"}, "y2": {"RATE"}}
    ex = res.plot_expected()
    assert {tr.yaxis for tr in ex.data} == {"y", "y2"}
    bbb = next(tr for tr in ex.data if "BBB" in tr.x)
    e = res.expected.set_index("asset").loc["BBB"]
    i = list(bbb.x).index("BBB")
    assert bbb.error_y.array[i] == pytest.approx(e["tail_high"] - e["expected"])
