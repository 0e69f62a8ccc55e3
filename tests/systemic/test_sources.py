"""systemic engines on a source= of frames: the same numbers as on the store.

The frames are the store's own series (``cl.data.get``) cut at the as-of date, so equal
results show that contagion and fragility read every series through the source, not the store
directly, and that nothing after the as-of date entered the store run either.
"""

from __future__ import annotations

import pandas as pd
import pytest

import crashlens as cl
from crashlens.errors import CrashlensError
from crashlens.systemic import (
    DEFAULT_BASKET,
    DEFAULT_EQUITIES,
    DEFAULT_SPILLOVER,
    DEFAULT_UNIVERSE,
    contagion,
    fragility,
)
from crashlens.systemic.crowding import DEFAULT_MARKETS

pytestmark = pytest.mark.realdata

ASOF = "2025-11-21"


def _frames(names, asof=ASOF, label="frames"):
    """The store's series ``names`` up to ``asof`` as a FramesSource (no row after it)."""
    frames = {n: cl.data.get(n, end=asof) for n in dict.fromkeys(names)}
    assert all(f.index.max() <= pd.Timestamp(asof) for f in frames.values())
    return cl.data.FramesSource(frames, label=label)


def test_contagion_on_frames_equals_the_store():
    on_store = contagion(ASOF)
    names = [*DEFAULT_EQUITIES, "BTC", "SPX", *DEFAULT_SPILLOVER, *DEFAULT_BASKET, "VIX"]
    on_frames = contagion(ASOF, source=_frames(names))
    assert on_frames.asof == on_store.asof == pd.Timestamp(ASOF)
    assert set(on_frames.betas) == set(on_store.betas) == set(DEFAULT_EQUITIES)
    for a in DEFAULT_EQUITIES:
        assert on_frames.betas[a]["beta"] == pytest.approx(on_store.betas[a]["beta"], rel=1e-12)
        assert on_frames.betas[a]["correlation"] == pytest.approx(
            on_store.betas[a]["correlation"], rel=1e-12)
    assert on_frames.spillover["total"] == pytest.approx(on_store.spillover["total"], rel=1e-12)
    assert on_frames.covar["delta_covar"] == pytest.approx(on_store.covar["delta_covar"],
                                                           rel=1e-12)
    assert on_frames.transmitters == on_store.transmitters
    assert list(on_frames.warnings) == list(on_store.warnings)


def test_fragility_on_frames_equals_the_store():
    on_store = fragility(ASOF)
    cot = [f"COT_{m}" for m in DEFAULT_MARKETS]
    names = [*DEFAULT_UNIVERSE, "SPX", "VIX", "VIX3M", *[c for c in cot if c in cl.data.names()]]
    on_frames = fragility(ASOF, source=_frames(names))
    assert on_frames.asof == on_store.asof
    for key in ("composite", "absorption_ratio", "absorption_shift", "turbulence",
                "avg_correlation"):
        assert getattr(on_frames, key) == pytest.approx(getattr(on_store, key), rel=1e-12), key
    assert on_frames.crowding["score"] == pytest.approx(on_store.crowding["score"], rel=1e-12)
    assert list(on_frames.warnings) == list(on_store.warnings)


def test_fragility_without_cot_says_which_markets_have_no_crowding():
    names = [*DEFAULT_UNIVERSE, "SPX", "VIX", "VIX3M"]
    res = fragility(ASOF, source=_frames(names, label="my frames"))
    absent = [w for w in res.warnings if getattr(w, "code", "") == "systemic.cot_absent_source"]
    assert [w.params["series"] for w in absent] == [f"COT_{m}" for m in DEFAULT_MARKETS]
    assert absent[0] == "COT_ES: not in the source (my frames); no crowding for it"
    assert absent[0].text("zh") == "COT_ES：数据源（my frames）中没有；不计算其拥挤度"
    # the crowding component is then missing and the others carry the composite
    assert res.crowding["score"] is None and res.components["crowding"]["score"] is None
    scores = {c: v["score"] for c, v in res.components.items() if v["score"] is not None}
    w = {c: res.components[c]["weight"] for c in scores}
    assert res.composite == pytest.approx(sum(scores[c] * w[c] for c in scores)
                                          / sum(w.values()), rel=1e-12)
    assert any(getattr(x, "code", "") == "systemic.components_missing" for x in res.warnings)


def test_a_source_with_few_series_names_the_missing_one_in_one_line():
    few = _frames(["SPX", "BTC", "VIX"])
    with pytest.raises(CrashlensError) as err:
        contagion(ASOF, source=few)
    msg = str(err.value)
    assert "\n" not in msg and "'COIN'" in msg and "frames" in msg
    with pytest.raises(CrashlensError) as err:
        fragility(ASOF, source=few)
    assert "\n" not in str(err.value) and "'NDX'" in str(err.value)
    # a universe the source holds runs on it
    res = contagion(ASOF, source=_frames(["SPX", "BTC", "NDX", "GOLD", "VIX", "COIN"]),
                    equities=("NDX",), spillover_universe=("SPX", "BTC", "GOLD"),
                    basket=("COIN",))
    assert set(res.betas) == {"NDX"} and res.source == "BTC"


def test_the_old_source_keyword_still_names_the_transmitter():
    kw = {"equities": ("NDX",), "spillover_universe": ("SPX", "NDX", "BTC", "GOLD"),
          "basket": ("NVDA",)}
    with pytest.warns(DeprecationWarning, match="transmitter="):
        by_alias = contagion(ASOF, source="eth", **kw)
    by_name = contagion(ASOF, transmitter="ETH", **kw)
    assert by_alias.source == by_name.source == "ETH"
    assert by_alias.betas["NDX"]["beta"] == by_name.betas["NDX"]["beta"]
    assert by_alias.covar["delta_covar"] == by_name.covar["delta_covar"]
