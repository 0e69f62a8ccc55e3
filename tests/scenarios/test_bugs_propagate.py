"""Scenario flow adapters: another engine lacking data gives ``available: False`` with the
reason; a bug in it propagates (issue 12, part 4: no ``except Exception`` / ``ImportError``
escape hatches)."""

from __future__ import annotations

import types

import pandas as pd
import pytest

import crashlens.crypto as crypto
import crashlens.cta.engine as cta_engine
import crashlens.options as options
from crashlens.errors import DataError, InsufficientDataError
from crashlens.scenarios import _flows

CTX = types.SimpleNamespace(asof=pd.Timestamp("2025-11-21"), horizon_days=21)
MOVES = {"A": {"SPX": -0.05, "BTC": -0.2}}


def _raising(exc: Exception):
    def fn(*args, **kwargs):
        raise exc

    return fn


def test_user_errors_make_a_flow_unavailable(monkeypatch) -> None:
    monkeypatch.setattr(cta_engine, "build_book", _raising(
        InsufficientDataError("no CTA asset has 260 sessions")))
    monkeypatch.setattr(options, "gex", _raising(DataError("no strikes", path="chain.csv")))
    monkeypatch.setattr(crypto, "leverage", _raising(
        InsufficientDataError("no BTC funding before 2019-09-10")))
    assert _flows.cta_flows(MOVES, CTX, None) == {
        "available": False, "note": "CTA engine failed: no CTA asset has 260 sessions"}
    assert _flows.dealer_flows(MOVES, CTX, chain="chain.csv") == {
        "available": False, "note": "dealer gamma engine failed: chain.csv: no strikes"}
    assert _flows.crypto_liquidations(MOVES, CTX, None) == {
        "available": False, "note": "crypto engine failed: no BTC funding before 2019-09-10"}


def test_bugs_propagate(monkeypatch) -> None:
    monkeypatch.setattr(cta_engine, "build_book", _raising(IndexError("index -1 is out of "
                                                                      "bounds")))
    monkeypatch.setattr(options, "gex", _raising(AttributeError("no attribute 'profile'")))
    monkeypatch.setattr(crypto, "leverage", _raising(KeyError("price")))
    with pytest.raises(IndexError):
        _flows.cta_flows(MOVES, CTX, None)
    with pytest.raises(AttributeError):
        _flows.dealer_flows(MOVES, CTX, chain="chain.csv")
    with pytest.raises(KeyError):
        _flows.crypto_liquidations(MOVES, CTX, None)
