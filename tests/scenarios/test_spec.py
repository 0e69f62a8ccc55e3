from __future__ import annotations

from pathlib import Path

import pytest

import crashlens.scenarios as sc
from crashlens.scenarios import SpecError

GOOD = """\
name: t
asof: 2025-11-21
horizon: 2026-03-31
scenarios:
  - id: A
    probability: 0.5
    conditions:
      - {kind: policy_cut, bp: 25, by: 2025-12-31}
      - {kind: level, series: UST10Y, above: 4.6, by: 2026-03-31}
      - "hyperscaler capex cut"
    shocks:
      SPX: "-5%"
      UST10Y: "+30bp"
  - id: B
    probability: 0.5
    shocks: {NDX: "-20%"}
"""


def err(text: str) -> SpecError:
    with pytest.raises(SpecError) as ei:
        sc.loads(text, source="spec.yaml")
    return ei.value


def test_good_spec_parses() -> None:
    spec = sc.loads(GOOD)
    a = spec.scenario("A")
    assert a.shocks["SPX"] == sc.Move(-5.0, "pct")
    assert a.shocks["UST10Y"] == sc.Move(30.0, "bp")
    assert [c.kind for c in a.conditions] == ["policy_cut", "level", "text"]
    assert spec.warnings == ()


def test_unknown_asset_names_line() -> None:
    e = err(GOOD.replace("SPX:", "SPXX:"))
    assert e.line == 12
    assert "line 12" in str(e) and "SPXX" in str(e) and "did you mean SPX" in str(e)


def test_unknown_series_in_condition_names_line() -> None:
    e = err(GOOD.replace("series: UST10Y", "series: US10Y"))
    assert e.line == 9 and "US10Y" in str(e)


def test_bad_date_names_line() -> None:
    e = err(GOOD.replace("2025-12-31", "2025-13-45"))
    assert e.line == 8 and "date" in str(e)


def test_bad_top_level_date_names_line() -> None:
    e = err(GOOD.replace("asof: 2025-11-21", "asof: yesterday"))
    assert e.line == 2


def test_negative_probability_names_line() -> None:
    e = err(GOOD.replace("probability: 0.5\n    shocks", "probability: -0.5\n    shocks"))
    assert e.line == 15 and "probability" in str(e)


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    e = err(text)
    assert e.line == 1 and "empty" in str(e)


def test_empty_file_on_disk(tmp_path: Path) -> None:
    p = tmp_path / "empty.yaml"
    p.write_text("")
    with pytest.raises(SpecError, match=r"empty\.yaml, line 1: the file is empty"):
        sc.load(p)


def test_syntax_error_names_line() -> None:
    e = err("name: x\nscenarios:\n  - id: A\n    probability: [0.5\n")
    assert e.line is not None and e.line >= 4


def test_move_without_unit() -> None:
    e = err(GOOD.replace('"-5%"', "-5"))
    assert e.line == 12 and "unit" in str(e)


def test_duplicate_key_names_line() -> None:
    e = err(GOOD.replace('      UST10Y: "+30bp"', '      UST10Y: "+30bp"\n      SPX: "-1%"'))
    assert e.line == 14 and "duplicate" in str(e)


def test_unknown_key_and_missing_field() -> None:
    assert err(GOOD.replace("name: t", "name: t\nfoo: 1")).line == 2
    e = err(GOOD.replace("  - id: B\n    probability: 0.5\n", "  - id: B\n"))
    assert e.line == 14 and "probability" in str(e)


def test_condition_needs_exactly_one_deadline() -> None:
    e = err(GOOD.replace(", by: 2026-03-31}", "}"))
    assert e.line == 9 and "exactly one" in str(e)


def test_probabilities_normalised_with_warning() -> None:
    spec = sc.loads(GOOD.replace("probability: 0.5\n    shocks", "probability: 1.5\n    shocks"))
    assert spec.probabilities == pytest.approx([0.25, 0.75])
    assert "normalised" in spec.warnings[0]


def test_zero_probabilities_refused() -> None:
    e = err(GOOD.replace("probability: 0.5", "probability: 0"))
    assert "sum to 0" in str(e)


def test_duplicate_ids_and_horizon_order() -> None:
    assert "duplicate scenario id" in str(err(GOOD.replace("id: B", "id: A")))
    assert "not after" in str(err(GOOD.replace("horizon: 2026-03-31", "horizon: 2025-01-01")))


def test_shipped_example_packaged_copy_identical() -> None:
    root = Path(__file__).resolve().parents[2]
    repo = root / "scenarios" / "2026q1.yaml"
    assert repo.read_bytes() == (sc.EXAMPLES / "2026q1.yaml").read_bytes()
    spec = sc.load("2026q1")
    assert spec.ids == ["A", "B", "C"]
    assert spec.probabilities == pytest.approx([0.45, 0.30, 0.25])
    assert spec.scenario("C").shocks["NVDA"] == sc.Move(-50.0, "pct")


def test_load_accepts_a_mapping() -> None:
    spec = sc.load({"scenarios": [{"id": "A", "probability": 2, "shocks": {"SPX": "-5%"}}]})
    assert spec.probabilities == [1.0] and spec.warnings
    with pytest.raises(SpecError, match="unknown asset"):
        sc.load({"scenarios": [{"id": "A", "probability": 1, "shocks": {"XXX": "-5%"}}]})
