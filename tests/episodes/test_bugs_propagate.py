"""Analogs with the CTA feature: too little CTA history is a warning, a CTA bug propagates
(issue 12, part 4: the ``except (ImportError, AttributeError, KeyError, ...)`` is gone)."""

from __future__ import annotations

import pytest

import crashlens.episodes as ep
from crashlens import cta
from crashlens.errors import InsufficientDataError

pytestmark = pytest.mark.realdata

ASOF = "2025-11-21"


@pytest.fixture(scope="module")
def lib() -> ep.LibraryResult:
    return ep.library()


def _raising(exc: Exception):
    def history(*args, **kwargs):
        raise exc

    return history


def test_cta_without_history_is_a_warning(lib, monkeypatch) -> None:
    monkeypatch.setattr(cta, "history", _raising(
        InsufficientDataError("SPX: 12 sessions, need 260")))
    r = ep.analogs(ASOF, include_cta=True, library_result=lib)
    assert ("CTA positioning unavailable for the state vector: SPX: 12 sessions, need 260"
            in r.warnings)
    assert "cta_spx_signal" not in set(r.state["feature"])


@pytest.mark.parametrize("exc", [AttributeError("'NoneType' object has no attribute 'frame'"),
                                 KeyError("signal"), ImportError("cannot import name 'x'")])
def test_cta_bug_propagates(lib, monkeypatch, exc) -> None:
    monkeypatch.setattr(cta, "history", _raising(exc))
    with pytest.raises(type(exc)):
        ep.analogs(ASOF, include_cta=True, library_result=lib)
