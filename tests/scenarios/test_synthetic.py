"""The scorecard on the synthetic market, whose scripted sell-off is the known outcome."""

from __future__ import annotations

import pytest

import crashlens.scenarios as sc

SPEC = """\
name: synthetic-check
asof: 2025-10-29          # the scripted all-time high
horizon: 2025-11-20       # the scripted trough
window: 1y
universe: [SPX, NDX, VIX, BTC, UST10Y]
scenarios:
  - id: selloff
    probability: 0.3
    conditions:
      - {kind: change, series: SPX, at_most: "-8%", by: 2025-11-20}
      - {kind: level, series: VIX, above: 25, by: 2025-11-20}
    shocks: {SPX: "-9%"}
  - id: meltup
    probability: 0.7
    conditions:
      - {kind: change, series: SPX, at_least: "+3%", by: 2025-11-20}
    shocks: {SPX: "+5%"}
"""


@pytest.fixture(scope="module")
def market():
    from crashlens.data.synthetic import generate

    return generate()


def test_scorecard_recovers_the_scripted_selloff(market) -> None:
    truth = market.truth.selloff
    spec = sc.loads(SPEC, known=list(market.series))
    card = sc.scorecard(spec, data=market.series)
    spx = market.series["SPX"]["close"]
    rel = spx.loc[truth.peak:truth.trough].iloc[1:] / truth.peak_level - 1
    first = rel[rel <= -0.08].index[0]
    cond = card.conditions.set_index(["scenario", "kind"])
    assert cond.loc[("selloff", "change"), "status"] == "true"
    assert cond.loc[("selloff", "change"), "met_on"] == first
    vix = market.series["VIX"]["close"].loc["2025-10-30":"2025-11-20"]
    assert cond.loc[("selloff", "level"), "met_on"] == vix[vix > 25].index[0]
    assert cond.loc[("meltup", "change"), "status"] == "false"
    # realised SPX move = the scripted depth (peak close to trough close)
    assert card.realised.loc["SPX", "realised"] == pytest.approx(truth.depth * 100)
    assert card.resembled == "selloff" and card.realised_scenario == "selloff"
    assert card.brier == pytest.approx((0.3 - 1) ** 2 + 0.7 ** 2)
