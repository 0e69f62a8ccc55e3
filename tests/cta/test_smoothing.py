"""Positions that trade toward their targets over days (``CTAParams.position_halflife``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from crashlens.cta import CTAParams, positioning
from crashlens.cta.engine import build_book, closes_on, percentile_rank, percentiles_at
from crashlens.cta.flows import simulate, tape
from crashlens.cta.sizing import held_weights
from crashlens.cta.triggers import trade_flow
from crashlens.errors import ParameterError

from .conftest import random_walk


def _loop(target: np.ndarray, trades: np.ndarray, step: float) -> np.ndarray:
    """Slow reference: the recursion written day by day."""
    out = np.empty_like(target)
    prev = target[:, 0].copy()
    for j in range(target.shape[1]):
        prev = np.where(trades[:, j], prev + step * (target[:, j] - prev), prev)
        out[:, j] = prev
    return out


@pytest.mark.parametrize("halflife", [1.0, 5.0, 12.5])
def test_held_weights_is_pandas_ewm_on_trading_days(halflife: float) -> None:
    rng = np.random.default_rng(3)
    target = rng.normal(size=(4, 400))
    step = CTAParams(position_halflife=halflife).position_step
    assert step == pytest.approx(1 - 0.5 ** (1 / halflife))
    every_day = held_weights(target, np.ones_like(target, dtype=bool), step)
    want = pd.DataFrame(target.T).ewm(halflife=halflife, adjust=False).mean().to_numpy().T
    assert every_day == pytest.approx(want, abs=1e-12)
    # on days an asset does not close its position is carried
    trades = rng.random(target.shape) > 0.3
    assert held_weights(target, trades, step) == pytest.approx(_loop(target, trades, step),
                                                               abs=1e-12)


def test_no_smoothing_is_the_target_and_bad_halflife_is_refused() -> None:
    target = np.arange(12.0).reshape(3, 4)
    assert held_weights(target, np.zeros_like(target, dtype=bool), 1.0) is target
    assert CTAParams().position_step == 1.0
    assert CTAParams(position_halflife=1000).position_step > 0
    for bad in (-1.0, float("nan"), float("inf"), 1000.5, "5", None, True):
        with pytest.raises(ParameterError, match="position_halflife"):
            CTAParams(position_halflife=bad)  # type: ignore[arg-type]


def test_book_positions_follow_their_targets() -> None:
    """A smoothed book's weights are the targets (the same book unsmoothed) run through the
    recursion on each asset's own closes; signals and pivots are unchanged."""
    eq = random_walk(1500, seed=5, drift=0.0004).rename("EQ")
    btc = random_walk(2100, seed=6, vol=0.03, start="2000-01-01").rename("BTC")
    btc.index = pd.date_range("2000-01-01", periods=2100, freq="D")   # trades 7 days a week
    prices = pd.concat([eq, btc], axis=1, sort=True)
    base = CTAParams(universe=("EQ", "BTC"))
    slow = build_book(None, None, prices=prices, params=base.replace(position_halflife=8.0))
    # the same book unsmoothed, over the same days (the smoothed one starts a run-in earlier)
    flat = build_book(None, None, prices=prices, params=base, start=slow.dates[0])
    np.testing.assert_array_equal(flat.dates, slow.dates)
    np.testing.assert_array_equal(flat.signal, slow.signal)
    trades = closes_on(flat.models, flat.ts, flat.dates)
    assert trades[1].all() and not trades[0].all()                  # no equity close at weekends
    want = _loop(flat.weights, trades, base.replace(position_halflife=8.0).position_step)
    assert slow.weights == pytest.approx(want, abs=1e-12)
    assert not np.allclose(slow.weights, flat.weights)


def test_held_positions_do_not_depend_on_where_the_book_starts() -> None:
    """The book is started a run-in earlier (20 half-lives), so from its nominal start on the
    held weights and percentiles are those of a book started years before."""
    prices = pd.concat([random_walk(2600, seed=s, drift=0.0003).rename(n)
                        for s, n in ((1, "EQ"), (2, "CMD"))], axis=1)
    prm = CTAParams(universe=("EQ", "CMD"), position_halflife=20.0,
                    sector_budgets=(("equity", 0.5), ("commodity", 0.5)))
    sectors = {"EQ": "equity", "CMD": "commodity"}
    asof = prices.index[-1]
    late = build_book(asof, None, prices=prices, params=prm, sectors=sectors)
    early = build_book(asof, None, prices=prices, params=prm, sectors=sectors,
                       start=asof - pd.Timedelta(days=8 * 365))
    first = asof - pd.Timedelta(days=5 * 365)
    assert late.dates[0] < first - pd.Timedelta(days=500)      # the run-in, before the window
    shown = late.dates[late.dates >= first]
    a = pd.DataFrame(late.weights.T, index=late.dates).loc[shown]
    b = pd.DataFrame(early.weights.T, index=early.dates).loc[shown]
    assert a.to_numpy() == pytest.approx(b.to_numpy(), abs=1e-6 * float(b.abs().max().max()))
    for years in (1, 3, 5):
        assert percentile_rank(late.weights[0], late.dates, asof, years) == percentile_rank(
            early.weights[0], early.dates, asof, years)


def test_tape_flows_follow_the_targets_along_the_path() -> None:
    """Over a 21-day tape, the smoothed book trades into the path of targets of the same
    book unsmoothed (rebuilt here from ``extend`` and ``book_weights``) by the recursion of
    :func:`held_weights` (a linear filter), starting from today's held weight."""
    from crashlens.cta.signals import extend
    from crashlens.cta.sizing import book_weights

    s = random_walk(900, seed=4, drift=0.0002).rename("EQ")
    prm = CTAParams(universe=("EQ",), position_halflife=6.0, scenario_vol="hold")
    book = build_book(None, None, prices=s.to_frame(), params=prm)
    m, t = book.models[0], book.ts[0]
    futures = [np.stack([tape(float(m.prices[t]), float(m.sig[t]), 21, k)
                         for k in (-1.0, 0.0, 2.0)])]
    e_now = book.weights[:, -1]
    got = simulate(book.models, book.ts, futures, e_now, book.budgets, np.ones((1, 1)), prm,
                   1e9)[0]
    ext = extend(m, t, futures[0], hold_vol=True)
    target = book_weights(ext.signal[None], (ext.sig * np.sqrt(m.ann))[None], book.budgets,
                          np.ones((1, 1)), prm)[0][0]                     # (paths, 21)
    want = []
    for path, w in zip(futures[0], target, strict=True):
        path_w = np.concatenate(([e_now[0]], w))[None]
        held = held_weights(path_w, np.ones_like(path_w, dtype=bool), prm.position_step)[0]
        px = np.concatenate(([m.prices[t]], path))
        contracts = 1e9 * held / px
        want.append(float(((contracts[1:] - contracts[:-1]) * px[1:]).sum()))
    assert got == pytest.approx(want, rel=1e-9)


def test_one_day_flow_and_tomorrows_trade_are_a_share_of_the_unsmoothed_ones() -> None:
    """With held weight ``e`` and step ``a``, tomorrow's trade is ``a`` times the unsmoothed
    trade plus ``AUM (1 - a) e (1 - P1/P0)`` (the position drifts with the price)."""
    s = random_walk(900, seed=9, drift=0.0003).rename("EQ")
    prm0 = CTAParams(universe=("EQ",), flow_horizons=(("1d", 1),))
    prm = prm0.replace(position_halflife=3.0)
    a = prm.position_step
    book = build_book(None, None, prices=s.to_frame(), params=prm0)
    m, t = book.models[0], book.ts[0]
    e_now = np.array([0.37])                       # any held weight
    futures = [np.stack([tape(float(m.prices[t]), float(m.sig[t]), 1, k)
                         for k in (-2.0, 0.0, 1.5)])]
    args = (book.models, book.ts, futures, e_now, book.budgets, np.ones((1, 1)))
    unsmoothed = simulate(*args, prm0, 1e9)[0]
    smoothed = simulate(*args, prm, 1e9)[0]
    ratio = futures[0][:, 0] / m.prices[t]
    assert smoothed == pytest.approx(a * unsmoothed + 1e9 * (1 - a) * e_now[0] * (1 - ratio),
                                     rel=1e-12)
    grid = m.prices[t] * np.array([0.95, 1.0, 1.04])
    m_s = dataclasses.replace(m, params=prm)
    u = trade_flow(m, t, grid, 0.37, float(book.scale[-1]), float(book.budgets[0]), 1e9)
    v = trade_flow(m_s, t, grid, 0.37, float(book.scale[-1]), float(book.budgets[0]), 1e9)
    assert v == pytest.approx(a * u + 1e9 * (1 - a) * 0.37 * (1 - grid / m.prices[t]),
                              rel=1e-12)


def test_percentiles_at_against_pandas() -> None:
    """Trailing-window percentile by pandas: the share of the finite values of the last
    ``365 x years`` days that are <= today's; NaN when today's value is missing or the series
    starts more than 10 % into the window."""
    rng = np.random.default_rng(0)
    dates = pd.bdate_range("2010-01-01", periods=2000)
    values = rng.normal(size=2000)
    values[:300] = np.nan                          # not live yet
    values[1500] = np.nan                          # a missing day
    s = pd.Series(values, index=dates)
    live = s.first_valid_index()
    cols = [10, 299, 300, 700, 1200, 1500, 1501, 1999]
    for years in (1, 3, 5):
        span = pd.Timedelta(days=365 * years)
        want = []
        for c in cols:
            d = dates[c]
            win = s[(s.index > d - span) & (s.index <= d)].dropna()
            late = live > d - span + 0.1 * span
            want.append(np.nan if late or np.isnan(s[d]) else float((win <= s[d]).mean()))
        assert percentiles_at(values, dates, cols, years) == pytest.approx(want, nan_ok=True)
        assert percentile_rank(values, dates, dates[cols[-1]], years) == pytest.approx(want[-1])


def test_summary_prints_the_sizing_assumptions() -> None:
    s = random_walk(900, seed=2).rename("EQ")
    prm = CTAParams(universe=("EQ",), position_halflife=7.0, vol_com=30.0, model="custom",
                    blend=(("short", "ewmac", 20, 1.0, 3.0), ("long", "ma_cross", 200, 50.0, 1.0)))
    text = positioning(None, prices=s.to_frame(), params=prm, mc=False).summary()
    assert ("model custom: short price vs EMA(20) x 0.75, long ma_cross 200 x 0.25; position "
            "half-life 7 days; vol EWMA com 30; tape vol path") in text.splitlines()
