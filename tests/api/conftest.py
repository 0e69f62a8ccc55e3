from __future__ import annotations

import dataclasses
import os

import pytest

from crashlens._result import Result


@dataclasses.dataclass(frozen=True)
class FakeResult(Result):
    asof: object = None
    value: float = 1.25
    assets: tuple = ()


def _fake_adapter(fn, req):
    return fn(req)


@pytest.fixture()
def fake_engines(monkeypatch):
    """Replace every engine by an instant fake that echoes its request (validation tests)."""
    from crashlens.api import sessions
    from crashlens.report import engines

    calls = []

    def fake(req):
        calls.append(req)
        return FakeResult(asof=req.asof, assets=req.assets or (),
                          assumptions={"fake": True})

    for name, eng in list(engines.ENGINES.items()):
        # serialize=None: an engine's own serializer (gex reads ``prof.result``) does not
        # apply to the fake result
        monkeypatch.setitem(engines.ENGINES, name, dataclasses.replace(
            eng, adapter=_fake_adapter, serialize=None))
        monkeypatch.setattr(engines.Engine, "function", lambda self: fake)
    sessions.clear()
    yield calls
    sessions.clear()


@pytest.fixture()
def client():
    from fastapi.testclient import TestClient

    from crashlens.api import create_app

    with TestClient(create_app()) as c:
        yield c


@pytest.fixture(scope="session")
def realdata():
    if not os.environ.get("CRASHLENS_DATA"):
        pytest.skip("CRASHLENS_DATA is unset: real-data tests skipped")
