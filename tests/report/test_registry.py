"""The engine registry refuses a parameter an engine does not take instead of dropping it."""

from __future__ import annotations

import pandas as pd
import pytest

from crashlens.errors import ParameterError
from crashlens.report import engines


@pytest.mark.parametrize("name, fn", [("crypto", "leverage"), ("analogs", "analogs"),
                                      ("macro", "lens")])
def test_assets_refused_where_meaningless(name, fn):
    req = engines.Request(asof=pd.Timestamp("2025-11-21"), assets=("SPX",))
    with pytest.raises(ParameterError, match=rf"^assets: the {fn}\(\) engine takes no 'assets'"):
        engines.call(name, req)


def test_to_json_detail_is_one_signature():
    class Stub:
        def to_dict(self, detail: bool = False) -> dict:
            return {"detail": detail}

    assert engines.to_json(Stub(), True) == {"detail": True}
    assert engines.to_json(Stub()) == {"detail": False}


def test_every_registered_engine_is_the_package_function():
    """Each entry holds the engine's public function itself: no lookup by module name."""
    from crashlens import audit, crypto, cta, episodes, macro, options, scenarios, systemic

    expected = {
        "cta": cta.positioning, "gex": options.gamma_profile, "crypto": crypto.leverage,
        "contagion": systemic.contagion, "fragility": systemic.fragility,
        "anatomy": episodes.anatomy, "analogs": episodes.analogs,
        "catalysts": episodes.catalysts, "macro": macro.lens, "scenarios": scenarios.run,
        "audit": audit.audit,
    }
    assert set(engines.ENGINES) == set(expected)
    for name, fn in expected.items():
        eng = engines.get_engine(name)
        assert eng.function() is fn, name
        assert not hasattr(eng, "module") and not hasattr(eng, "functions")


def test_unknown_engine_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unknown engine 'nope'"):
        engines.call("nope", engines.Request())


def test_call_runs_the_public_function_under_the_request_source(monkeypatch):
    """The registry calls the package's function; the request's source is active inside."""
    from crashlens import data, systemic
    from crashlens.data import FramesSource

    seen = []

    def fake(asof, **kwargs):
        seen.append((asof, data.active(), kwargs))
        return "result"

    monkeypatch.setattr(systemic, "fragility", fake)
    idx = pd.bdate_range("2025-11-03", periods=15)
    mine = FramesSource({"SPX": pd.Series(range(6000, 6015), index=idx, dtype=float)},
                        label="mine")
    asof = pd.Timestamp("2025-11-21")
    assert engines.call("fragility", engines.Request(asof=asof, source=mine)) == "result"
    assert seen == [(asof, mine, {})]
    before = data.active()
    engines.call("fragility", engines.Request(asof=asof, assets=("SPX", "VIX")))
    assert seen[-1] == (asof, before, {"universe": ("SPX", "VIX")})
    assert data.active() is before  # the request's source was active only inside the call
