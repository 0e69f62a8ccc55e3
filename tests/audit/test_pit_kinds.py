"""The point-in-time and comparison claim kinds (crashlens.audit.checks_pit)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crashlens.audit import audit, loads_claims
from crashlens.scenarios._yaml import SpecError


def _data() -> dict[str, pd.Series]:
    idx = pd.bdate_range("2020-01-01", periods=40)
    a = pd.Series(100.0, index=idx)
    a.iloc[10:15] = [95.0, 90.0, 85.0, 80.0, 90.0]     # -20 % over 3 days from the peak
    b = pd.Series(np.linspace(100, 120, 40), index=idx)  # steady rise
    c = pd.Series(np.linspace(100, 90, 40), index=idx)   # steady fall
    return {"AAA": a, "BBB": b, "CCC": c}


def _one(yaml_claim: str) -> object:
    res = audit(loads_claims("claims:\n" + yaml_claim, known=["AAA", "BBB", "CCC"]),
                data=_data())
    return res.verdicts[0]


def test_episode_comparison_drawdown_and_speed() -> None:
    idx = _data()["AAA"].index
    v = _one(f"""  - id: x
    kind: episode_comparison
    series: [AAA]
    metric: drawdown_pct
    this: {{start: {idx[20].date()}, end: {idx[39].date()}}}
    other: {{start: {idx[0].date()}, end: {idx[19].date()}}}
    relation: less
    ratio: 0.5
""")
    # closed form: the other window falls 100 -> 80 = 20 %, this one is flat = 0 %
    assert v.verdict.value == "confirmed" and v.measured == 0.0
    assert v.evidence["other"] == pytest.approx(20.0)
    v = _one(f"""  - id: x
    kind: episode_comparison
    series: [AAA]
    metric: days_to_trough
    this: {{start: {idx[0].date()}, end: {idx[19].date()}}}
    other: {{start: {idx[0].date()}, end: {idx[19].date()}}}
    relation: less
""")
    # peak on day 9 (last 100 before the fall), trough on day 13: 4 trading days; not < itself
    assert v.measured == 4 and v.verdict.value == "refuted"


def test_breadth_and_relative_move() -> None:
    idx = _data()["AAA"].index
    v = _one(f"""  - id: x
    kind: episode_comparison
    series: [AAA, BBB, CCC]
    metric: breadth_down
    this: {{start: {idx[0].date()}, end: {idx[13].date()}}}
    other: {{start: {idx[20].date()}, end: {idx[39].date()}}}
    relation: greater
""")
    # AAA and CCC down, BBB up over the first window: 2/3; the second: CCC only, 1/3
    assert v.measured == pytest.approx(2 / 3) and v.evidence["other"] == pytest.approx(1 / 3)
    assert v.verdict.value == "confirmed"
    v = _one(f"""  - id: x
    kind: relative_move
    series: CCC
    versus: [BBB]
    start: {idx[0].date()}
    end: {idx[39].date()}
""")
    assert v.measured == pytest.approx(-10.0) and v.verdict.value == "confirmed"


def test_extreme_since() -> None:
    idx = _data()["AAA"].index
    claim = f"""  - id: x
    kind: extreme_since
    series: AAA
    direction: low
    on: {idx[12].date()}
    since: {{since}}
"""
    # 85 on day 12: no earlier value as low; the data starts 2020-01-01
    assert _one(claim.replace("{since}", "2020-01-01")).verdict.value == "confirmed"
    assert _one(claim.replace("{since}", "2019-01-01")).verdict.value == "not_checkable"
    v = _one(claim.replace(f"on: {idx[12].date()}", f"on: {idx[14].date()}")
             .replace("{since}", "2020-01-01"))
    # 90 on day 14: as low as day 11 (90) -> lowest only since day 11, after 'since'
    assert v.verdict.value == "refuted" and v.evidence["last_beyond"] == str(idx[13].date())


def test_unknown_kind_and_bad_fields_are_one_line_errors() -> None:
    with pytest.raises(SpecError) as exc:
        loads_claims("claims:\n  - id: a\n    kind: vibes\n    text: x\n")
    assert "line 2" in str(exc.value) and "vibes" in str(exc.value)
    assert "\n" not in str(exc.value)
    with pytest.raises(SpecError, match="from_below"):
        loads_claims("claims:\n  - id: a\n    kind: probability_move\n"
                     "    start: 2025-11-20T00:00:00\n    end: 2025-11-21T00:00:00\n"
                     "    to_above: 0.7\n")
    with pytest.raises(SpecError, match="indicator 'GDP' is unknown"):
        loads_claims("claims:\n  - id: a\n    kind: first_print\n    indicator: GDP\n"
                     "    period: 2025-09\n    value: 1\n")
    with pytest.raises(SpecError, match="within_end"):
        loads_claims("claims:\n  - id: a\n    kind: duration\n    event: shutdown_2025\n"
                     "    within_start: 2025-07-01\n")


def test_duration_closed_form() -> None:
    res = audit(loads_claims("""claims:
  - id: d44
    kind: duration
    event: shutdown_2025
    value: 44
    tolerance: 0
  - id: q3
    kind: duration
    event: shutdown_2025
    within_start: 2025-07-01
    within_end: 2025-09-30
  - id: q4
    kind: duration
    event: shutdown_2025
    value: 43
    within_start: 2025-10-01
    within_end: 2025-12-31
""", known=[]), data={})
    # 1 Oct - 12 Nov 2025 = 31 + 12 = 43 days, in Q4
    assert [v.verdict.value for v in res.verdicts] == ["refuted", "refuted", "confirmed"]
    assert res.verdicts[0].measured == 43


@pytest.mark.realdata
def test_first_print_probability_and_stablecoin_real(raw_dir: Path) -> None:
    with open(raw_dir / "challenger_job_cuts_monthly_2025_2026.csv", encoding="utf-8") as fh:
        cuts = {r["ref_period"]: float(r["value_as_published"].replace(",", ""))
                for r in csv.DictReader(fh)}
    mom = (cuts["2026-01"] / cuts["2025-12"] - 1) * 100
    yoy = (cuts["2026-01"] / cuts["2025-01"] - 1) * 100
    with open(raw_dir / "stablecoin_mcap_daily_2015_2025.csv", encoding="utf-8") as fh:
        last = list(csv.DictReader(fh))[-1]
    total = sum(float(last[k]) for k in ("USDT", "USDC"))
    res = audit(loads_claims(f"""claims:
  - id: mom
    kind: first_print
    indicator: CHALLENGER
    period: 2026-01
    measure: mom_pct
    value: 205
    tolerance: 0.5
  - id: yoy
    kind: first_print
    indicator: Job Cuts Report
    period: 2026-01
    measure: yoy_pct
    value: 118
    tolerance: 0.5
  - id: early
    kind: first_print
    indicator: PAYEMS
    period: 2025-09
    measure: change
    value: 119000
    tolerance: 500
    asof: 2025-11-19
  - id: odds
    kind: probability_move
    start: 2025-11-20T00:00:00
    end: 2025-11-20T23:59:59
    from_below: 0.4
    to_above: 0.7
  - id: stable
    kind: stablecoin_supply
    date: 2025-11-13
    value: {total}
    tolerance: 1
  - id: cpi-oct
    kind: first_print
    indicator: CPI
    period: 2025-10
    value: 324.8
"""))
    v = {x.id: x for x in res.verdicts}
    assert v["mom"].measured == pytest.approx(mom) and v["mom"].verdict.value == "confirmed"
    assert v["yoy"].measured == pytest.approx(yoy) and v["yoy"].verdict.value == "confirmed"
    # +119k is right, but the report was not public on 19 Nov: refuted, with the reason
    assert v["early"].measured == 119000 and v["early"].verdict.value == "refuted"
    assert "not yet public on 2025-11-19" in v["early"].note
    # within 20 Nov alone the odds never passed 70 % (that happened on 21 Nov)
    assert v["odds"].verdict.value == "refuted"
    assert v["stable"].measured == pytest.approx(total)
    assert v["cpi-oct"].verdict.value == "not_checkable"
    assert "never published" in v["cpi-oct"].note


def test_event_date_against_the_catalyst_calendar() -> None:
    res = audit(loads_claims("""claims:
  - {id: nv, kind: event_date, event: Nvidia, date: 2025-11-20}
  - {id: wi, kind: event_date, event: Williams, date: 2025-11-21, weekday: Friday}
  - {id: wd, kind: event_date, event: Williams, date: 2025-11-21, weekday: Monday}
  - {id: no, kind: event_date, event: Nobody speaks, date: 2025-11-21}
""", known=[]), data={})
    v = {x.id: x for x in res.verdicts}
    # the shipped calendar dates Nvidia's report 19 Nov (after the close); 21 Nov 2025 was a
    # Friday (2025-11-17 was a Monday)
    assert v["nv"].verdict.value == "refuted" and v["nv"].evidence["date"] == "2025-11-19"
    assert v["wi"].verdict.value == "confirmed"
    assert v["wd"].verdict.value == "refuted"
    assert v["no"].verdict.value == "not_checkable" and "catalyst calendar" in v["no"].note


def test_model_quantity_greater_than_another(monkeypatch: pytest.MonkeyPatch) -> None:
    from crashlens.audit import checks

    class _Res:
        def __init__(self) -> None:
            self.assumptions = {"beta_window": 60}

        def to_dict(self) -> dict:
            return {"betas": {"PLTR": {"beta": 0.55}, "NDX": {"beta": 0.27},
                              "GOOG": {"beta": float("nan")}}}

    monkeypatch.setattr(checks, "_run_model", lambda c, cache: (_Res(), "stub"))
    cf = loads_claims("""claims:
  - {id: hi, kind: model_output, model: contagion, date: 2025-11-21,
     quantity: betas.PLTR.beta, greater_than: betas.NDX.beta}
  - {id: lo, kind: model_output, model: contagion, date: 2025-11-21,
     quantity: betas.NDX.beta, greater_than: betas.PLTR.beta}
  - {id: nan, kind: model_output, model: contagion, date: 2025-11-21,
     quantity: betas.PLTR.beta, greater_than: betas.GOOG.beta}
  - {id: miss, kind: model_output, model: contagion, date: 2025-11-21,
     quantity: betas.XYZ.beta, greater_than: betas.NDX.beta}
""", known=[])
    res = audit(cf)
    v = {x.id: x for x in res.verdicts}
    assert v["hi"].verdict.value == "confirmed" and v["hi"].evidence["versus_value"] == 0.27
    assert v["lo"].verdict.value == "refuted"
    assert v["nan"].verdict.value == "not_checkable" and "not a number" in v["nan"].note
    assert v["miss"].verdict.value == "not_checkable" and "stopped at 'XYZ'" in v["miss"].note
    assert "60-day betas" in v["hi"].note


_CPI_OCT = """claims:
  - id: cpi-oct
    kind: first_print
    indicator: CPI
    period: 2025-10
    value: 324.8
"""


@pytest.mark.realdata
def test_first_print_never_published_verdict_real(raw_dir: Path) -> None:
    from crashlens.macro import first_prints as fp

    v = audit(loads_claims(_CPI_OCT, known=[]), data={}).verdicts[0]
    assert v.verdict.value == "not_checkable"
    assert v.note == (f"{fp.FIRST_RELEASES_FILE}: CPI 2025-10 was never published: never "
                      "published (cancelled by the 2025 shutdown); the file's value is a "
                      "carry-forward, not data")


def test_first_print_other_data_error_is_not_never_published(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from crashlens.errors import DataError
    from crashlens.macro import first_prints as fp

    # the message says "was never published" but the type is a plain DataError (e.g. a broken
    # file): the verdict shows that error, not the cancelled-release explanation
    def broken(indicator: str, period: str) -> None:
        raise DataError(f"CPI {period} was never published: bad row", path="rel.csv", row=7)

    monkeypatch.setattr(fp, "first_print", broken)
    v = audit(loads_claims(_CPI_OCT, known=[]), data={}).verdicts[0]
    assert v.verdict.value == "not_checkable"
    assert "rel.csv, row 7: CPI 2025-10 was never published: bad row" in v.note
    assert "cancelled by the 2025 shutdown" not in v.note
