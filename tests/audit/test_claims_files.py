"""The shipped claims files of the two notes: coverage, structure, and verdicts on real data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crashlens.audit import EXAMPLES, audit, load_claims
from crashlens.audit.claims import ClaimsFile, ModelOutput, TextClaim

FILES = ("2025-11-selloff", "2026-02-selloff")


def _all() -> list:
    return [c for f in FILES for c in load_claims(f).claims]


def test_coverage_and_not_checkable_share() -> None:
    claims = _all()
    assert len(claims) >= 45
    text = [c for c in claims if isinstance(c, TextClaim)]
    assert len(text) / len(claims) <= 0.20
    # every not-checkable claim names the data it would need
    assert all(len(c.data_needed) > 20 for c in text)


def test_every_claim_quotes_the_note_with_a_gloss_and_a_section() -> None:
    for c in _all():
        assert c.quote and any("\u4e00" <= ch <= "\u9fff" for ch in c.quote), c.id
        assert c.text and c.section and c.section_zh, c.id
        if c.tolerance is not None or c.tolerance_pct is not None:
            assert c.tolerance_why, c.id


def test_model_claims_name_no_fixed_preset() -> None:
    # model claims follow the engines' current defaults (the verdict names the model used)
    models = [c for c in _all() if isinstance(c, ModelOutput)]
    assert {c.model for c in models} == {"cta", "crypto_replay", "contagion"}
    assert all(c.preset is None for c in models)
    big = next(c for c in models if c.id == "cta-selling-390bn")
    assert big.value == -390e9 and big.tolerance_pct == 50


def _without_models(name: str) -> ClaimsFile:
    cf = load_claims(name)
    return cf.model_copy(update={"claims": [c for c in cf.claims
                                            if not isinstance(c, ModelOutput)]})


@pytest.mark.realdata
def test_2026_02_verdicts_real(raw_dir: Path) -> None:
    res = audit(_without_models("2026-02-selloff"))
    v = {x.id: x for x in res.verdicts}
    with open(raw_dir / "challenger_job_cuts_monthly_2025_2026.csv", encoding="utf-8") as fh:
        cuts = {r["ref_period"]: float(r["value_as_published"].replace(",", ""))
                for r in csv.DictReader(fh)}
    assert v["january-layoffs-108k"].measured == cuts["2026-01"]
    assert v["january-layoffs-mom-205"].measured == pytest.approx(
        (cuts["2026-01"] / cuts["2025-12"] - 1) * 100)
    confirmed = {"january-layoffs-108k", "january-layoffs-mom-205", "january-layoffs-yoy-118",
                 "gold-record-late-jan", "silver-record-late-jan", "spx-record-late-jan",
                 "silver-crash-end-jan", "btc-below-70k", "vs-2008-vix", "vs-2020-slower",
                 "fed-hiked-in-2018", "circuit-breaker-2020-mar-9",
                 "circuit-breaker-2020-mar-12"}
    assert {k for k in confirmed if v[k].verdict.value != "confirmed"} == set()
    assert v["record-market-cap-loss"].verdict.value == "refuted"
    nc = [x for x in res.verdicts if x.verdict.value == "not_checkable"]
    assert all(x.note for x in nc)


@pytest.mark.realdata
def test_2025_11_verdicts_real(raw_dir: Path) -> None:
    res = audit(_without_models("2025-11-selloff"))
    v = {x.id: x for x in res.verdicts}
    # the note's 44 days and 'third quarter' are both wrong: 1 Oct - 12 Nov is 43 days, Q4
    assert v["shutdown-44-days"].verdict.value == "refuted"
    assert v["shutdown-44-days"].measured == 43
    assert v["shutdown-in-q3"].verdict.value == "refuted"
    # Nvidia reported after the close on 19 Nov, not on 20 Nov
    assert v["nvda-earnings-nov-20"].verdict.value == "refuted"
    for k in ("september-payrolls-119k", "september-jobs-released-nov-20",
              "williams-cut-odds-40-to-70", "spx-below-6725", "btc-below-90k",
              "october-cpi-not-published", "goog-new-highs", "fed-cut-25bp-december"):
        assert v[k].verdict.value == "confirmed", (k, v[k].measured_text, v[k].note)
    assert v["september-payrolls-119k"].measured == 119000


def test_claims_folder_is_the_examples_folder() -> None:
    assert {p.stem for p in EXAMPLES.glob("*.yaml")} >= set(FILES)
