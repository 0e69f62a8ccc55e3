"""The Source core: the active source, its coercions, frames checked on the way in, cuts."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

import crashlens as cl
from crashlens.data.source import CutSource, FramesSource, StoreSource, reads_source, using
from crashlens.errors import DataError, ParameterError, UnknownSeriesError

DAYS = pd.bdate_range("2025-01-02", periods=60)


def _spx() -> pd.DataFrame:
    close = 6000.0 * np.exp(np.cumsum(np.full(len(DAYS), 0.001)))
    return pd.DataFrame({"Open": close, "High": close * 1.01, "Low": close * 0.99,
                         "Close": close}, index=DAYS)


def _frames() -> FramesSource:
    return FramesSource({"spx": _spx(), "VIX": pd.Series(18.0, index=DAYS)})


def test_frames_are_read_through_the_data_api_inside_using() -> None:
    src = _frames()
    with cl.data.using(src):
        assert cl.data.names() == ["SPX", "VIX"]
        spx = cl.data.get("SPX", "2025-01-10", "2025-01-20")
        # columns of the price kind, lower case; volume absent in the input -> NaN
        assert list(spx.columns) == ["open", "high", "low", "close", "volume"]
        assert spx["volume"].isna().all()
        assert spx.index[0] == pd.Timestamp("2025-01-10")
        assert spx.index[-1] == pd.Timestamp("2025-01-20")
        # a Series is the close of a price series; panel is the outer join of closes
        pan = cl.data.panel(["SPX", "VIX"])
        assert pan["VIX"].eq(18.0).all() and len(pan) == len(DAYS)
        assert pan["SPX"].iloc[-1] == pytest.approx(6000.0 * np.exp(0.001 * len(DAYS)))
        assert not cl.data.is_synthetic() and cl.data.files_dir() is None
        with pytest.raises(UnknownSeriesError, match="BTC"):
            cl.data.close("BTC")
    assert isinstance(cl.data.source.active(), StoreSource)


def test_using_nests_and_is_per_thread() -> None:
    outer, inner = _frames(), FramesSource({"VIX": pd.Series(30.0, index=DAYS)})
    seen: list[list[str]] = []
    with using(outer):
        with using(inner):
            assert cl.data.names() == ["VIX"]
        assert cl.data.names() == ["SPX", "VIX"]
        # a new thread does not inherit the caller's source (contextvars are per thread)
        t = threading.Thread(target=lambda: seen.append(
            [type(cl.data.source.active()).__name__]))
        t.start()
        t.join()
    assert seen == [["StoreSource"]]


def test_cut_source_hides_later_rows() -> None:
    cut = _frames().cut("2025-02-03")
    assert isinstance(cut, CutSource)
    with using(cut):
        assert cl.data.close("SPX").index[-1] == pd.Timestamp("2025-02-03")
        assert cl.data.close("SPX", end="2025-03-31").index[-1] == pd.Timestamp("2025-02-03")
        assert cl.data.panel(["SPX", "VIX"]).index[-1] == pd.Timestamp("2025-02-03")
    assert cut.fingerprint() != _frames().fingerprint()
    assert _frames().fingerprint() == _frames().fingerprint()


def test_reads_source_sets_and_restores_the_source() -> None:
    @reads_source
    def engine(*, source: object = None) -> list[str]:
        return cl.data.names()

    assert engine(source={"VIX": pd.Series(20.0, index=DAYS)}) == ["VIX"]
    assert isinstance(cl.data.source.active(), StoreSource)
    with pytest.raises(TypeError, match="keyword-only 'source'"):
        reads_source(lambda source=None: None)


@pytest.mark.parametrize(("frames", "message"), [
    ({"NOPE": pd.Series(1.0, index=DAYS)}, "unknown series"),
    ({"SPX": pd.Series(1.0, index=["x", "y"])}, "index is not dates"),
    ({"SPX": pd.DataFrame({"open": [1.0]}, index=DAYS[:1])}, "no 'close' column"),
    ({"SPX": pd.Series([1.0, 2.0], index=[DAYS[0], DAYS[0]])}, "appears twice"),
    ({"SPX": pd.Series(["1", "abc"], index=DAYS[:2])}, "'abc' on 2025-01-03 is not a number"),
    ({"VIX": pd.Series([-5.0], index=DAYS[:1])}, "VIX"),
])
def test_bad_frames_are_refused_in_one_line(frames: dict, message: str) -> None:
    with pytest.raises(DataError, match=message) as err:
        FramesSource(frames)
    assert "\n" not in str(err.value)


def test_as_source_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ParameterError, match="got int"):
        cl.data.as_source(3)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="no series"):
        FramesSource({})


ENGINES = [
    "cta.positioning", "cta.history", "cta.calibrate", "options.gamma_profile",
    "options.gamma_history", "crypto.leverage", "crypto.leverage_history", "crypto.replay",
    "crypto.stablecoins", "systemic.contagion", "systemic.fragility", "episodes.anatomy",
    "episodes.analogs", "episodes.catalysts", "episodes.library", "macro.lens",
    "scenarios.run", "scenarios.scorecard", "audit.audit", "engine.batch_cta",
]


@pytest.mark.parametrize("dotted", ENGINES)
def test_every_engine_takes_a_keyword_only_source(dotted: str) -> None:
    import importlib
    import inspect

    pkg, name = dotted.split(".")
    fn = getattr(importlib.import_module(f"crashlens.{pkg}"), name)
    param = inspect.signature(fn).parameters["source"]
    assert param.kind is inspect.Parameter.KEYWORD_ONLY and param.default is None
    assert hasattr(fn, "__wrapped__"), f"{dotted} is not decorated with @reads_source"
    assert "source :" in (inspect.getdoc(fn) or ""), f"{dotted} does not document source"


def test_the_registry_calls_engines_that_take_a_source() -> None:
    import inspect

    from crashlens.report import engines

    for eng in engines.ENGINES.values():
        assert "source" in inspect.signature(eng.function()).parameters, eng.name
