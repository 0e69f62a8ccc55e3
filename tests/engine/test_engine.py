"""Engines: ordering-independent results, errors, bad configuration."""

from __future__ import annotations

import operator
import time

import pytest

from crashlens.engine import DaskEngine, LocalEngine, make_engine
from crashlens.errors import CrashlensError, ParameterError, ProviderError


def _collect(engine, fn, items):
    out = dict(engine.run(fn, items))
    return [out[i] for i in range(len(items))]


def test_local_in_process_yields_every_item_once():
    with LocalEngine() as eng:
        got = list(eng.run(operator.neg, [1, 2, 3]))
    assert got == [(0, -1), (1, -2), (2, -3)]
    assert eng.describe() == {"engine": "local", "workers": 1, "processes": False}


def test_local_process_pool_same_results():
    items = list(range(7))
    with LocalEngine(processes=2) as eng:
        assert _collect(eng, operator.neg, items) == [-i for i in items]
        assert eng.n_workers == 2


def test_local_error_propagates():
    got = []
    with LocalEngine() as eng, pytest.raises(ZeroDivisionError):
        for item in eng.run(lambda x: 1 / x, [1, 0, 2]):
            got.append(item)
    assert got == [(0, 1.0)]


def test_empty_items():
    assert list(LocalEngine().run(operator.neg, [])) == []


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2"])
def test_local_bad_process_count(bad):
    with pytest.raises(ParameterError, match="processes"):
        LocalEngine(bad)


def test_make_engine_choices():
    assert isinstance(make_engine(), LocalEngine)
    with pytest.raises(ParameterError, match="exclusive"):
        make_engine(scheduler="tcp://127.0.0.1:8786", dask_local=2)
    with pytest.raises(ParameterError, match="dask-local"):
        make_engine(dask_local=0)


@pytest.mark.parametrize("address", ["localhost", "127.0.0.1:8786", "http://x:1", "tcp://", ""])
def test_malformed_scheduler_address(address):
    with pytest.raises(ParameterError, match="tcp://host:port"):
        DaskEngine(address)


def test_unreachable_scheduler_is_a_provider_error():
    t0 = time.perf_counter()
    with pytest.raises(ProviderError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        DaskEngine("tcp://127.0.0.1:9", timeout=1)
    assert time.perf_counter() - t0 < 30
    assert issubclass(ProviderError, CrashlensError)


@pytest.mark.parametrize("processes", [0, 2])
def test_shared_inputs_reach_every_call(processes):
    with LocalEngine(processes) as eng:
        assert _collect(eng, round, [1.234, 5.678]) == [1, 6]
        got = dict(eng.run(round, [1.234, 5.678], shared={"ndigits": 1}))
    assert got == {0: 1.2, 1: 5.7}
