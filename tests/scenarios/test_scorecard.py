from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import crashlens.scenarios as sc
from crashlens.data.readers import make_source
from crashlens.scenarios import Status

from .conftest import KINDS, make_market

ASOF_I, CUT_I, H_I = 500, 510, 590


@pytest.fixture
def scripted() -> dict[str, pd.Series]:
    """A market whose future after day 500 is scripted: AAA falls 25 %, FED cut 25 bp."""
    m = make_market(n=600)
    days = m["AAA"].index
    aaa = m["AAA"].copy()
    a0 = aaa.iloc[ASOF_I]
    aaa.iloc[ASOF_I + 1:] = a0 * np.exp(np.linspace(0, np.log(0.75), 100)[1:])
    m["AAA"] = aaa
    fed = pd.Series(4.0, index=days)
    fed.iloc[CUT_I:] = 3.75
    m["FED"] = fed
    return m


def spec_text(days: pd.DatetimeIndex) -> str:
    d = {k: days[i].date().isoformat() for k, i in
         {"asof": ASOF_I, "cutby": ASOF_I + 30, "h": H_I, "by": ASOF_I + 80}.items()}
    return f"""\
name: scripted
asof: {d['asof']}
horizon: {d['h']}
window: 1y
universe: [AAA, BBB, RATE]
scenarios:
  - id: crash
    probability: 0.3
    conditions:
      - {{kind: change, series: AAA, at_most: "-20%", by: {d['by']}}}
      - {{kind: policy_cut, series: FED, bp: 25, by: {d['cutby']}}}
      - {{kind: level, series: AAA, below: 1, at: {d['h']}}}
      - "a free-text condition"
    shocks: {{AAA: "-25%"}}
  - id: calm
    probability: 0.7
    conditions:
      - {{kind: policy_hold, series: FED, by: {d['h']}}}
      - {{kind: change, series: AAA, at_least: "0%", at: {d['h']}}}
    shocks: {{AAA: "+2%"}}
"""


def test_scorecard_known_outcomes(scripted: dict[str, pd.Series]) -> None:
    days = scripted["AAA"].index
    spec = sc.loads(spec_text(days), known=KINDS)
    card = sc.scorecard(spec, data=scripted, kinds=KINDS)
    cond = card.conditions.set_index(["scenario", "kind"])
    # first day AAA is 20 % or more under its as-of close (computed directly)
    rel = scripted["AAA"].iloc[ASOF_I + 1:] / scripted["AAA"].iloc[ASOF_I] - 1
    first = rel[rel <= -0.20].index[0]
    row = cond.loc[("crash", "change")]
    assert row["status"] == "true" and row["met_on"] == first
    assert row["measured"] == pytest.approx(rel[first] * 100)
    row = cond.loc[("crash", "policy_cut")]
    assert row["status"] == "true" and row["met_on"] == days[CUT_I]
    assert row["measured"] == pytest.approx(25.0)
    assert cond.loc[("crash", "level"), "status"] == "false"
    assert cond.loc[("crash", "text"), "status"] == "not_checkable"
    hold = cond.loc[("calm", "policy_hold")]
    assert hold["status"] == "false" and hold["met_on"] == days[CUT_I]
    assert cond.loc[("calm", "change"), "status"] == "false"
    s = card.scenarios
    assert s.loc["crash", "conditions_true"] == 2 and s.loc["crash", "conditions_checkable"] == 3
    assert s.loc["calm", "conditions_true"] == 0
    assert card.resembled == "crash"
    assert card.realised_scenario == "crash"
    assert card.brier == pytest.approx((0.3 - 1) ** 2 + 0.7 ** 2)
    assert card.brier_uniform == pytest.approx(0.5)
    assert card.until == days[H_I]
    assert card.realised.loc["AAA", "realised"] == pytest.approx(
        (scripted["AAA"].iloc[H_I] / scripted["AAA"].iloc[ASOF_I] - 1) * 100)
    assert "Brier" in card.summary()
    d = card.to_dict()
    assert d["realised_scenario"] == "crash" and len(d["conditions"]) == 6


def test_shocks_rule_and_pending(scripted: dict[str, pd.Series]) -> None:
    days = scripted["AAA"].index
    spec = sc.loads(spec_text(days), known=KINDS)
    card = sc.scorecard(spec, data=scripted, kinds=KINDS, outcome_rule="shocks")
    assert card.realised_scenario == "crash"
    # graded early: before the cut, the cut and hold conditions are pending
    early = sc.scorecard(spec, data=scripted, kinds=KINDS, until=days[ASOF_I + 5])
    cond = early.conditions.set_index(["scenario", "kind"])
    assert cond.loc[("crash", "policy_cut"), "status"] == "pending"
    assert cond.loc[("calm", "policy_hold"), "status"] == "pending"
    assert cond.loc[("crash", "level"), "status"] == "pending"


def test_condition_edge_cases(scripted: dict[str, pd.Series]) -> None:
    src = make_source(scripted)
    days = scripted["AAA"].index
    asof, end = days[ASOF_I], days[H_I]
    spec = sc.loads(f"""\
scenarios:
  - id: x
    probability: 1
    conditions:
      - {{kind: level, series: RATE, above: -1000, below: 1000, by: {end.date()}}}
      - {{kind: policy_hike, series: FED, bp: 25, by: {end.date()}}}
      - {{kind: level, series: NOPE, above: 1, by: {end.date()}}}
""", known=[*KINDS, "NOPE"])
    conds = spec.scenarios[0].conditions
    o = sc.evaluate(conds[0], src, asof, end)
    assert o.status is Status.TRUE and o.met_on == days[ASOF_I + 1]
    o = sc.evaluate(conds[1], src, asof, end)
    assert o.status is Status.FALSE and o.measured == pytest.approx(0.0)  # largest rise
    o = sc.evaluate(conds[2], src, asof, end)
    assert o.status is Status.NOT_CHECKABLE and "no data" in o.detail


def test_brier() -> None:
    assert sc.brier(np.array([0.45, 0.30, 0.25]), np.array([1, 0, 0])) == pytest.approx(
        0.55 ** 2 + 0.30 ** 2 + 0.25 ** 2)


def test_relative_and_cta_conditions(scripted, monkeypatch) -> None:
    from types import SimpleNamespace

    import crashlens.cta as cta

    src = make_source(scripted)
    days = scripted["AAA"].index
    asof, end = days[ASOF_I], days[H_I]
    spec = sc.loads(f"""\
scenarios:
  - id: x
    probability: 1
    conditions:
      - {{kind: relative, series: BBB, versus: AAA, at_least: "+10%", at: {end.date()}}}
      - {{kind: relative, series: BBB, versus: AAA, at_most: "-50%", by: {end.date()}}}
      - {{kind: cta_position, asset: AAA, direction: down, at: {end.date()}}}
""", known=KINDS)
    rel_c, rel_never, cta_c = spec.scenarios[0].conditions
    a, b = scripted["AAA"], scripted["BBB"]
    expect = ((b.iloc[H_I] / b.iloc[ASOF_I]) - (a.iloc[H_I] / a.iloc[ASOF_I])) * 100
    o = sc.evaluate(rel_c, src, asof, end)
    assert o.measured == pytest.approx(expect)
    assert o.status is (Status.TRUE if expect >= 10 else Status.FALSE)
    o = sc.evaluate(rel_never, src, asof, end)
    assert o.status is Status.FALSE
    assert sc.evaluate(cta_c, src, asof, end, models=False).status is Status.NOT_CHECKABLE

    def fake(date, **_):
        n = 5e9 if pd.Timestamp(date) == asof else -2e9
        return SimpleNamespace(assets={"AAA": {"notional_usd": n}})

    monkeypatch.setattr(cta, "positioning", fake)
    o = sc.evaluate(cta_c, src, asof, end)
    assert o.status is Status.TRUE and o.measured == pytest.approx(-7e9)
    assert sc.evaluate(cta_c, src, asof, days[ASOF_I + 3]).status is Status.PENDING


def test_scorecard_is_strict_json(scripted) -> None:
    import json

    spec = sc.loads(spec_text(scripted["AAA"].index), known=KINDS)
    card = sc.scorecard(spec, data=scripted, kinds=KINDS)
    payload = json.loads(json.dumps(card.to_dict(), allow_nan=False))
    assert payload["brier"] == pytest.approx(card.brier)
    assert card.plot_realised().data
