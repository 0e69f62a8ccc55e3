"""Tests of the synthetic market: determinism, schema, and ground truth recovered independently.

Every expected value is recomputed here from the generated frames with plain numpy / pandas
(running maxima, OLS with standard errors, pairwise correlations, a slow Black-Scholes loop) and
compared with ``market.truth``.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from crashlens.data.schema import (
    CHAIN_COLUMNS,
    COT_DISAGG_CATEGORIES,
    COT_TFF_CATEGORIES,
    OI_COLUMNS,
    PRICE_COLUMNS,
    Kind,
)
from crashlens.data.synthetic import (
    SERIES_KINDS,
    SYNTHETIC_LABEL,
    EpisodeSpec,
    SyntheticParams,
    _market,
    generate,
)
from crashlens.errors import ParameterError, UnknownSeriesError

SHORT = {"start": "2023-01-03", "end": "2026-08-21"}

REQUIRED = (
    "SPX NDX IXIC SPY QQQ RUT VIX VIX9D VIX3M VVIX SKEW BTC ETH GOLD SILVER COPPER WTI DXY USDJPY "
    "EURUSD TLT HYG LQD SMH NVDA GOOG MSFT AMZN META TSLA COIN PLTR MSTR UST3M UST2Y UST5Y UST10Y "
    "UST30Y EFFR FED_TARGET_UPPER FED_TARGET_LOWER SOFR HY_OAS IG_OAS MOVE T10YIE FEDFUNDS UNRATE "
    "PAYEMS CPI CORE_CPI PCE CORE_PCE CPI_NSA ICSA NFCI COT_ES COT_NQ COT_GC COT_SI OI_BTC OI_ETH "
    "FUNDING_BTC FUNDING_ETH"
).split()


@pytest.fixture(scope="module")
def market():
    return generate()


def _close(market, name: str) -> pd.Series:
    frame = market.series[name]
    return frame["close"] if "close" in frame else frame["value"]


def _logret(s: pd.Series) -> pd.Series:
    return pd.Series(np.diff(np.log(s.to_numpy()), prepend=np.nan), index=s.index)


# --- determinism ------------------------------------------------------------------------------


def test_same_seed_gives_identical_frames_different_seed_differs():
    a = generate(7, **SHORT)
    _market._cached.cache_clear()
    b = generate(7, **SHORT)
    assert a is not b
    assert a.series.keys() == b.series.keys()
    for name in a.series:
        fa, fb = a.series[name], b.series[name]
        assert fa.index.equals(fb.index) and list(fa.columns) == list(fb.columns), name
        assert np.array_equal(fa.to_numpy(), fb.to_numpy(), equal_nan=True), name
    pd.testing.assert_frame_equal(a.chain("2025-11-20"), b.chain("2025-11-20"))
    c = generate(8, **SHORT)
    assert not np.allclose(a.series["NVDA"]["close"], c.series["NVDA"]["close"])
    assert not np.allclose(a.series["BTC"]["close"], c.series["BTC"]["close"])
    # Scripted facts do not depend on the seed.
    assert c.truth.selloff.peak == a.truth.selloff.peak
    assert c.truth.selloff.depth == pytest.approx(a.truth.selloff.depth, abs=1e-9)


def test_default_call_is_cached(market):
    assert generate() is market
    assert generate(20251121, "2005-01-03", "2026-08-21") is market


# --- schema -----------------------------------------------------------------------------------


def test_every_required_series_is_present(market):
    missing = [n for n in REQUIRED if n not in market.series]
    assert not missing
    assert set(market.series) == set(SERIES_KINDS)


@pytest.mark.parametrize("name", sorted(SERIES_KINDS))
def test_series_schema(market, name):
    frame = market.series[name]
    kind = SERIES_KINDS[name]
    idx = frame.index
    assert isinstance(idx, pd.DatetimeIndex) and idx.name == "date"
    assert idx.tz is None and (idx == idx.normalize()).all()
    assert idx.is_monotonic_increasing and idx.is_unique and len(idx) > 100
    assert all(dt == np.float64 for dt in frame.dtypes)
    if kind is Kind.PRICE:
        assert tuple(frame.columns) == PRICE_COLUMNS
    elif kind is Kind.OI:
        assert tuple(frame.columns) == OI_COLUMNS
    elif kind in (Kind.VALUE, Kind.FUNDING):
        assert tuple(frame.columns) == ("value",)
    else:
        cats = COT_DISAGG_CATEGORIES if name[4:] in {"GC", "SI", "HG", "CL", "NG"} \
            else COT_TFF_CATEGORIES
        expected = ["open_interest"] + [f"{c}_{s}" for c in cats for s in ("long", "short")]
        assert list(frame.columns) == expected
        assert (idx.day_of_week == 1).all()  # report "as of" Tuesday
        assert (frame >= 0).all().all()
        assert not frame.isna().any().any()
        assert (frame["open_interest"] > 0).all()
    if kind in (Kind.PRICE, Kind.OI):
        o, h, lo, c = (frame[x].to_numpy() for x in ("open", "high", "low", "close"))
        assert not np.isnan(c).any()
        assert (c > 0).all() and (o > 0).all() and (lo > 0).all()
        assert (lo <= np.minimum(o, c)).all() and (np.maximum(o, c) <= h).all()
    if kind in (Kind.VALUE, Kind.FUNDING):
        assert not frame["value"].isna().any()


def test_kinds_agree_with_catalog_when_available(market):
    catalog = pytest.importorskip("crashlens.data.catalog")
    cat = catalog.catalog()
    unknown = [n for n in market.series if n not in cat]
    assert not unknown, f"synthetic series not in the catalog: {unknown}"
    for name, kind in SERIES_KINDS.items():
        assert cat[name].kind == kind, name


def test_calendars(market):
    btc = market.series["BTC"].index
    assert (np.diff(btc.asi8) == 86_400 * 10**9).all()  # 7 days a week
    assert (market.series["SPX"].index.day_of_week < 5).all()
    assert market.series["SPX"].index[0] == pd.Timestamp("2005-01-03")
    assert market.series["SPX"].index[-1] == pd.Timestamp("2026-08-21")
    for name in ("FEDFUNDS", "UNRATE", "PAYEMS", "CPI", "CORE_CPI", "PCE", "CORE_PCE", "CPI_NSA"):
        assert (market.series[name].index.day == 1).all(), name
    assert (market.series["ICSA"].index.day_of_week == 5).all()
    assert (market.series["NFCI"].index.day_of_week == 4).all()
    assert market.label == SYNTHETIC_LABEL == "SYNTHETIC DATA"
    assert market.truth.label == SYNTHETIC_LABEL


def test_missing_monthly_release_is_the_only_gap(market):
    truth = market.truth.missing_releases
    assert set(truth) == {"CPI", "UNRATE"}
    for name in ("CPI", "UNRATE", "CORE_CPI", "PAYEMS"):
        idx = market.series[name].index
        full = pd.date_range(idx[0], idx[-1], freq="MS")
        gaps = tuple(full.difference(idx))
        assert gaps == truth.get(name, ()), name
    assert truth["CPI"] == (pd.Timestamp("2025-10-01"),)


def test_macro_and_cross_asset_levels_are_plausible(market):
    s = market.series
    icsa = s["ICSA"]["value"]
    assert icsa.idxmax().strftime("%Y-%m") in {"2020-03", "2020-04"} and icsa.max() > 3e6
    assert s["UNRATE"]["value"].idxmax() == pd.Timestamp("2020-04-01")
    walcl = s["WALCL"]["value"]
    assert walcl.loc["2009-01"].mean() > 2 * walcl.loc["2008-08"].mean()
    bounds = {"DXY": (60, 140), "EURUSD": (0.8, 1.8), "USDJPY": (70, 200), "WTI": (5, 250),
              "GOLD": (300, 6000), "TLT": (50, 200), "VIX": (9, 90)}
    for name, (lo, hi) in bounds.items():
        c = s[name]["close"]
        assert lo <= c.min() and c.max() < hi, name
    upper, lower = s["FED_TARGET_UPPER"]["value"], s["FED_TARGET_LOWER"]["value"]
    assert ((upper - lower).round(6) == 0.25).all()
    effr = s["EFFR"]["value"]
    assert ((effr > lower) & (effr < upper)).all()
    # FEDFUNDS is the monthly average of the daily EFFR.
    assert s["FEDFUNDS"]["value"].loc["2023-08-01"] == pytest.approx(
        effr.loc["2023-08"].mean(), abs=0.006)


def test_etfs_track_their_index(market):
    ratio = market.series["SPY"]["close"] / market.series["SPX"]["close"]
    assert ratio.between(0.09, 0.11).all()
    spx, spy = market.series["SPX"], market.series["SPY"]
    corr = np.corrcoef(_logret(spx["close"])[1:], _logret(spy["close"])[1:])[0, 1]
    assert corr > 0.99


# --- ground truth -----------------------------------------------------------------------------


def test_selloff_drawdown_from_scripted_peak(market):
    t = market.truth.selloff
    assert (t.peak, t.trough) == (pd.Timestamp("2025-10-29"), pd.Timestamp("2025-11-20"))
    close = market.series["SPX"]["close"]
    c = close.to_numpy()
    runmax = np.maximum.accumulate(c)
    tr = close.index.get_loc(t.trough)
    pk = close.index.get_loc(t.peak)
    assert runmax[tr] == c[pk]  # the peak is the all-time high
    dd = c[tr] / runmax[tr] - 1.0
    assert dd == pytest.approx(t.depth, abs=1e-12)
    assert -0.10 <= dd <= -0.08
    assert np.argmin(c[pk:]) + pk == tr  # nothing lower afterwards
    # The trend start and reversal.
    assert market.truth.reversal == t.peak
    assert market.truth.trend_start == pd.Timestamp("2025-04-08")
    trend = close.loc[market.truth.trend_start: t.peak]
    assert trend.iloc[-1] / trend.iloc[0] - 1.0 > 0.25
    assert trend.idxmin() == market.truth.trend_start


def test_vix_spikes_and_term_structure_inverts(market):
    t = market.truth.selloff
    vix = market.series["VIX"]["close"]
    v3m = market.series["VIX3M"]["close"]
    window = vix.loc[t.peak: t.trough]
    assert window.max() > 25.0
    assert window.max() == pytest.approx(t.vix_max)
    inverted = (vix > v3m).loc[t.peak: t.trough]
    assert inverted.any()
    assert tuple(inverted.index[inverted.to_numpy()]) == market.truth.vix_inverted
    calm = (vix < v3m).loc[market.truth.trend_start + pd.Timedelta(days=60): t.peak]
    assert calm.mean() > 0.9  # contango during the calm bull trend
    # VIX tracks SPX realised volatility plus a premium.
    r = _logret(market.series["SPX"]["close"])
    rv = r.rolling(21).std().shift(-21) * math.sqrt(252) * 100.0
    both = pd.concat([vix, rv], axis=1).dropna()
    assert np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1] > 0.7
    assert 0.0 < (both.iloc[:, 0] - both.iloc[:, 1]).median() < 8.0


@pytest.mark.parametrize("name,month", [("gfc", "2008-10"), ("q4_2018", "2018-12"),
                                        ("covid", "2020-03")])
def test_historical_stress_episodes(market, name, month):
    ep = {e.name: e for e in market.truth.history}[name]
    close = market.series["SPX"]["close"]
    c = close.to_numpy()
    runmax = np.maximum.accumulate(c)
    tr = close.index.get_loc(ep.trough)
    assert c[tr] / runmax[tr] - 1.0 == pytest.approx(ep.depth, abs=1e-12)
    assert ep.depth < -0.15
    vix = market.series["VIX"]["close"]
    assert vix.loc[month].max() > 35.0


def test_crypto_peak_and_drawdown(market):
    t = market.truth.crypto
    assert t.peak == pd.Timestamp("2025-10-06") < market.truth.selloff.peak
    btc = market.series["BTC"]["close"]
    c = btc.to_numpy()
    runmax = np.maximum.accumulate(c)
    tr = btc.index.get_loc(pd.Timestamp("2025-11-21"))
    assert runmax[tr] == btc.loc[t.peak]
    assert c[tr] / runmax[tr] - 1.0 == pytest.approx(-0.30, abs=0.01)
    assert t.depth == pytest.approx(c[tr] / runmax[tr] - 1.0, abs=1e-12)


def test_liquidation_day_oi_and_funding(market):
    tr = market.truth
    oi = market.series["OI_BTC"]["close"]
    day = tr.liquidation_day
    drop = oi.loc[day] / oi.loc[day - pd.Timedelta(days=1)] - 1.0
    assert drop == pytest.approx(tr.oi_drop)
    assert drop < -0.2
    btc = market.series["BTC"]["close"]
    assert math.log(btc.loc[day] / btc.loc[day - pd.Timedelta(days=1)]) == pytest.approx(
        tr.liquidation_return)
    assert tr.liquidation_return == pytest.approx(market.params.crypto.liquidation_return)
    f = market.series["FUNDING_BTC"]["value"]
    assert 0.5e-4 < f.median() < 2.5e-4
    before = f.loc[tr.crypto.peak - pd.Timedelta(days=30): tr.crypto.peak].mean()
    assert before > 1.5e-4
    after = f.loc[day: tr.crypto.trough].mean()
    assert after < 0.0


def _ols(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients and their standard errors (x without the constant)."""
    xx = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(xx, y, rcond=None)
    resid = y - xx @ coef
    s2 = resid @ resid / (len(y) - xx.shape[1])
    se = np.sqrt(np.diag(s2 * np.linalg.inv(xx.T @ xx)))
    return coef[1:], se[1:]


@pytest.mark.parametrize("name", ["NVDA", "GOOG", "MSFT", "AMZN", "META", "TSLA", "PLTR",
                                  "COIN", "MSTR", "NDX", "SMH"])
def test_betas_recovered_by_ols(market, name):
    truth = market.truth
    spx = np.log(market.series["SPX"]["close"])
    btc = np.log(market.series["BTC"]["close"])
    stock = np.log(market.series[name]["close"])
    df = pd.DataFrame({"y": stock.reindex(spx.index), "m": spx, "b": btc.reindex(spx.index)})
    df = df.dropna()
    r = df.diff().dropna().to_numpy()
    coef, se = _ols(r[:, 0], r[:, 1:])
    assert abs(coef[0] - truth.beta_spx[name]) < 4 * se[0] + 1e-3
    assert abs(coef[1] - truth.beta_btc[name]) < 4 * se[1] + 1e-3
    if truth.beta_btc[name] == 0.0:  # plain beta to the index equals the structural one
        b, s = _ols(r[:, 0], r[:, 1:2])
        assert abs(b[0] - truth.beta_spx[name]) < 4 * s[0] + 1e-3
    if truth.beta_btc[name] > 0.0:
        assert coef[1] > 0.5


def _mean_pairwise_corr(block: np.ndarray) -> float:
    c = np.corrcoef(block, rowvar=False)
    k = c.shape[0]
    return float((c.sum() - k) / (k * (k - 1)))


def test_correlation_spike(market):
    t = market.truth
    assert (t.corr_spike_start, t.corr_spike_end) == (pd.Timestamp("2025-11-03"),
                                                      pd.Timestamp("2025-11-21"))
    days = market.series["SPX"].index
    closes = pd.concat(
        [market.series[n]["close"].reindex(days) for n in t.corr_spike_assets], axis=1)
    rets = np.log(closes).diff().loc["2024-06-01":"2026-06-30"].dropna()
    inside = rets.loc[t.corr_spike_start: t.corr_spike_end].to_numpy()
    n = len(inside)
    outside = rets.loc[: t.corr_spike_start - pd.Timedelta(days=30)].to_numpy()
    blocks = [_mean_pairwise_corr(outside[i: i + n]) for i in range(0, len(outside) - n, n)]
    spike = _mean_pairwise_corr(inside)
    assert spike > max(blocks)
    assert spike > np.mean(blocks) + 0.2


def test_idiosyncratic_events(market):
    events = {(n, d): x for n, d, x in market.truth.events}
    x = events[("NVDA", pd.Timestamp("2025-11-20"))]
    r = np.log(market.series["NVDA"]["close"]).diff()
    m = np.log(market.series["SPX"]["close"]).diff()
    abnormal = r.loc["2025-11-20"] - market.truth.beta_spx["NVDA"] * m.loc["2025-11-20"]
    assert x < 0 and abnormal < 0.5 * x


def test_cot_trend_category_follows_the_trend(market):
    cot = market.series["COT_ES"]
    net = (cot["lev_funds_long"] - cot["lev_funds_short"]) / cot["open_interest"]
    spx = np.log(market.series["SPX"]["close"])
    mom = (spx - spx.shift(63)).reindex(net.index, method="ffill")
    both = pd.concat([net, mom], axis=1).dropna()
    assert np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1] > 0.5
    gc = market.series["COT_GC"]
    assert ((gc["producer_long"] - gc["producer_short"]) < 0).mean() > 0.9


@pytest.mark.parametrize("seed", [1, 2])
def test_scripted_facts_hold_for_other_seeds(seed):
    m = generate(seed, **SHORT)
    t = m.truth
    spx = m.series["SPX"]["close"]
    assert spx.loc[: t.selloff.trough].idxmax() == t.selloff.peak
    assert spx.loc[t.selloff.trough] / spx.loc[t.selloff.peak] - 1 == pytest.approx(-0.09)
    assert m.series["VIX"]["close"].loc[t.selloff.peak: t.selloff.trough].max() > 25.0
    assert t.vix_inverted
    btc = m.series["BTC"]["close"]
    assert btc.loc[: t.crypto.trough].idxmax() == t.crypto.peak
    f = m.series["FUNDING_BTC"]["value"]
    assert f.loc[t.liquidation_day: t.crypto.trough].mean() < 0.0
    assert t.chain.put_wall < t.chain.zero_gamma < t.chain.call_wall


# --- the option chain -------------------------------------------------------------------------


def _slow_gex(chain: pd.DataFrame, spot_grid: np.ndarray) -> np.ndarray:
    """Dealer GEX (calls +1, puts -1, r = q = 0) by an explicit Black-Scholes loop."""
    out = []
    rows = list(chain.itertuples(index=False))
    for s in spot_grid:
        total = 0.0
        for row in rows:
            minutes = max((row.expiry - row.quote_time).total_seconds() / 60.0, 1.0)
            t = minutes / (365.0 * 24.0 * 60.0)
            sig = row.iv
            d1 = (math.log(s / row.strike) + 0.5 * sig * sig * t) / (sig * math.sqrt(t))
            gamma = math.exp(-0.5 * d1 * d1) / math.sqrt(2.0 * math.pi) / (s * sig * math.sqrt(t))
            sign = 1.0 if row.option_type == "C" else -1.0
            total += sign * gamma * row.open_interest * row.multiplier * s * s * 0.01
        out.append(total)
    return np.array(out)


def test_chain_shape_and_zero_gamma(market):
    asof = market.truth.selloff.trough
    chain = market.chain(asof)
    truth = market.chain_truth(asof)
    assert truth == market.truth.chain
    assert list(chain.columns) == list(CHAIN_COLUMNS)
    assert (chain["underlying"] == "SPX").all()
    spot = market.series["SPX"]["close"].loc[asof]
    assert truth.spot == pytest.approx(spot)
    exp_days = chain["expiry"].dt.normalize().unique()
    assert pd.Timestamp(asof) in exp_days and len(exp_days) >= 5  # includes 0DTE
    assert (chain["expiry"] > chain["quote_time"]).all()
    assert (chain["bid"] <= chain["last"]).all() and (chain["last"] <= chain["ask"]).all()
    assert (chain["bid"] >= 0).all() and (chain["open_interest"] >= 0).all()
    calls, puts = chain[chain.option_type == "C"], chain[chain.option_type == "P"]
    call_oi = calls.groupby("strike")["open_interest"].sum()
    put_oi = puts.groupby("strike")["open_interest"].sum()
    call_heavy, put_heavy = call_oi.idxmax(), put_oi.idxmax()
    assert put_heavy < spot < call_heavy
    assert (call_heavy, put_heavy) == (truth.call_wall, truth.put_wall)
    assert call_oi[call_oi.index > spot].sum() > call_oi[call_oi.index < spot].sum()
    assert put_oi[put_oi.index < spot].sum() > put_oi[put_oi.index > spot].sum()
    grid = np.linspace(put_heavy, call_heavy, 41)
    gex = _slow_gex(chain, grid)
    assert gex[0] < 0 < gex[-1]
    i = int(np.flatnonzero(np.sign(gex[:-1]) != np.sign(gex[1:]))[0])
    zero = grid[i + 1] - (grid[i + 1] - grid[i]) * gex[i + 1] / (gex[i + 1] - gex[i])
    assert put_heavy < zero < call_heavy
    assert zero == pytest.approx(truth.zero_gamma, abs=grid[1] - grid[0])
    assert np.sign(_slow_gex(chain, np.array([spot]))[0]) == np.sign(truth.gex_at_spot)


def test_chain_iv_skew_and_volume(market):
    asof = pd.Timestamp("2025-11-20")
    chain = market.chain(asof)
    spot = market.series["SPX"]["close"].loc[asof]
    vix = market.series["VIX"]["close"].loc[asof]
    for _, grp in chain.groupby("expiry"):
        puts = grp[grp.option_type == "P"].set_index("strike")["iv"]
        lo = puts[puts.index < 0.97 * spot]
        hi = puts[puts.index > 1.03 * spot]
        assert lo.mean() > hi.mean()  # put skew
    # ATM IV of the expiry nearest 30 days is near VIX / 100.
    days = (chain["expiry"] - chain["quote_time"]).dt.total_seconds() / 86400.0
    near30 = chain[(days - 30.0).abs() == (days - 30.0).abs().min()]
    atm = near30.iloc[(near30["strike"] - spot).abs().argsort()[:2]]["iv"].mean()
    assert abs(atm - vix / 100.0) < 0.03
    zero_dte = chain["expiry"].dt.normalize() == asof
    share = chain.loc[zero_dte, "volume"].sum() / chain["volume"].sum()
    assert 0.5 < share < 0.7
    assert share == pytest.approx(market.truth.chain.zero_dte_volume_share)


def test_chain_on_a_weekend_uses_the_previous_trading_day(market):
    sat = market.chain("2025-11-22")
    fri = market.chain("2025-11-21")
    pd.testing.assert_frame_equal(sat, fri)


# --- parameters and bad input -----------------------------------------------------------------


def test_custom_depth_is_honoured():
    p = SyntheticParams()
    eps = tuple(replace(e, depth=-0.15) if e.name == p.main_episode else e for e in p.episodes)
    m = generate(3, params=replace(p, episodes=eps), **SHORT)
    assert m.truth.selloff.depth == pytest.approx(-0.15, abs=1e-9)
    close = m.series["SPX"]["close"]
    assert close.loc[m.truth.selloff.trough] / close.loc[:m.truth.selloff.trough].max() - 1 \
        == pytest.approx(-0.15, abs=1e-9)
    assert m.truth.history == tuple(e for e in m.truth.history if e.peak.year >= 2023)


@pytest.mark.parametrize("kwargs,match", [
    ({"start": "2026-01-01", "end": "2025-01-01"}, "start"),
    ({"start": "not a date"}, "start"),
    ({"end": "2024-12-31"}, "main_episode"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"params": {"spx_vol": 0.2}}, "params"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        generate(**kwargs)


@pytest.mark.parametrize("field,value", [("strike_step", 0.0), ("strike_range", 1.5),
                                         ("quote_time", "noon"), ("quote_time", "16:30"),
                                         ("daily_expiries", 0), ("zero_dte_volume_share", 1.0)])
def test_bad_chain_params(field, value):
    p = SyntheticParams()
    with pytest.raises(ParameterError, match=field.split("_")[0]):
        generate(params=replace(p, chain=replace(p.chain, **{field: value})), **SHORT)


def test_overlapping_episodes_rejected():
    p = SyntheticParams()
    bad = (*p.episodes, EpisodeSpec("late", "2025-11-10", "2025-12-01", -0.05))
    with pytest.raises(ParameterError, match="late"):
        generate(params=replace(p, episodes=bad), **SHORT)


def test_bad_chain_dates_and_unknown_series(market):
    with pytest.raises(ParameterError, match="asof"):
        market.chain("1999-01-04")
    with pytest.raises(ParameterError, match="asof"):
        market.chain("yesterday-ish")
    with pytest.raises(UnknownSeriesError, match="SPX"):
        market.get("SPXX")
    assert market.get("spx") is market.series["SPX"]


def test_truth_is_json_safe(market):
    d = market.truth.to_dict()
    text = json.dumps(d)
    assert "SYNTHETIC DATA" in text
    assert d["selloff"]["peak"] == "2025-10-29"
    assert d["beta_spx"]["NVDA"] == 1.8
