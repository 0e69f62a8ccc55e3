"""A model claim whose engine lacks data is "not checkable"; an engine bug propagates
(issue 12, part 4: no ``except Exception`` turning bugs into verdicts)."""

from __future__ import annotations

import datetime as dt

import pytest

from crashlens import cta
from crashlens.audit import checks
from crashlens.audit.claims import ModelOutput
from crashlens.errors import InsufficientDataError


def _claim() -> ModelOutput:
    return ModelOutput(kind="model_output", id="c1", model="cta", date=dt.date(2025, 11, 21),
                       quantity="assets.SPX.notional_usd", value=1e9)


def _raising(exc: Exception):
    def positioning(*args, **kwargs):
        raise exc

    return positioning


def test_engine_without_data_makes_the_claim_not_checkable(monkeypatch) -> None:
    monkeypatch.setattr(cta, "positioning", _raising(
        InsufficientDataError("SPX needs 260 sessions before 2025-11-21")))
    v = checks.check(_claim(), src=None, cache={})
    assert v.verdict is checks.VerdictKind.NOT_CHECKABLE
    assert v.note == "the cta engine failed: SPX needs 260 sessions before 2025-11-21"


def test_engine_bug_is_raised_not_a_verdict(monkeypatch) -> None:
    monkeypatch.setattr(cta, "positioning", _raising(KeyError("notional_usd")))
    with pytest.raises(KeyError, match="notional_usd"):
        checks.check(_claim(), src=None, cache={})
