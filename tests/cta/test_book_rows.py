"""The book is always the whole universe: ``assets`` only selects rows (issue 13, part 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crashlens.cta import CTAParams, history, positioning

from .conftest import random_walk

GENERIC = CTAParams.preset("generic")


def _frame() -> pd.DataFrame:
    return pd.concat({"A": random_walk(700, seed=1), "B": random_walk(700, seed=2, vol=0.02),
                      "C": random_walk(700, seed=3, drift=0.001)}, axis=1)


def _same(x: dict, y: dict) -> None:
    for key in ("notional_usd", "position_pct", "weight", "usd_per_1pct"):
        assert x[key] == y[key], key
    assert x["triggers"] == y["triggers"]
    assert x["flows_usd"] == y["flows_usd"]
    assert x["percentile"] == y["percentile"]


def test_rows_do_not_change_the_numbers() -> None:
    df = _frame()
    full = positioning(None, prices=df, params=GENERIC, mc=False)
    one = positioning(None, ["A"], prices=df, params=GENERIC, mc=False)
    two = positioning(None, ["C", "A"], prices=df, params=GENERIC, mc=False)
    assert list(one.assets) == ["A"]
    assert list(two.assets) == ["C", "A"]            # the order asked for
    _same(one.assets["A"], full.assets["A"])
    _same(two.assets["A"], full.assets["A"])
    # the totals are the whole book's whatever rows are shown
    assert one.total["notional_usd"] == full.total["notional_usd"]
    # ...and the whole book matters: A alone in its own book is sized differently
    alone = positioning(None, prices=df[["A"]], params=GENERIC, mc=False)
    assert alone.assets["A"]["notional_usd"] != pytest.approx(full.assets["A"]["notional_usd"])


def test_history_rows_do_not_change_the_numbers() -> None:
    df = _frame()
    full = history("2002-06-03", prices=df, params=GENERIC).to_frame()
    one = history("2002-06-03", assets=["B"], prices=df, params=GENERIC).to_frame()
    assert set(one["asset"]) == {"B"}
    mine = full[full["asset"] == "B"].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.reset_index(drop=True), mine)


@pytest.mark.realdata
def test_spx_same_for_any_list(raw_dir) -> None:
    """Issue 13: on 2025-11-12 SPX was $45bn / $75bn / $148bn depending on the list."""
    lists = [None, ["SPX", "NDX"], ["SPX"], ["BTC", "SPX", "GOLD"]]
    got = [positioning("2025-11-12", a, params=GENERIC, mc=False) for a in lists]
    ref = got[0].assets["SPX"]
    for res in got[1:]:
        _same(res.assets["SPX"], ref)
        assert res.total["notional_usd"] == got[0].total["notional_usd"]
    assert np.isfinite(ref["notional_usd"])
