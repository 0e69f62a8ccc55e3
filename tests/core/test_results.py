"""Result conventions shared by every engine: FrameResult, frame summaries, plots, watermark."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from crashlens._plots import SYNTHETIC_WATERMARK, stamp_synthetic
from crashlens._result import FrameResult, frame_summary
from crashlens.errors import ParameterError


@dataclasses.dataclass(frozen=True)
class _Daily(FrameResult):
    pass


def _frame() -> pd.DataFrame:
    idx = pd.DatetimeIndex(["2025-11-19", "2025-11-20", "2025-11-21"], name="date")
    return pd.DataFrame({"close": [100.0, 95.5, 91234.5], "gap": [1.0, np.nan, np.nan],
                         "regime": ["calm", "calm", "stress"]}, index=idx)


def test_frame_result_dict_is_strict_json():
    res = _Daily(frame=_frame(), synthetic=True, assumptions={"window": 21},
                 warnings=("one",))
    d = res.to_dict()
    text = json.dumps(d, allow_nan=False)  # raises on NaN
    back = json.loads(text)
    assert back["frame"][2] == {"date": "2025-11-21", "close": 91234.5, "gap": None,
                                "regime": "stress"}
    assert back["synthetic"] is True and back["assumptions"] == {"window": 21}
    assert back["warnings"] == ["one"]
    assert res.to_frame().equals(_frame()) and res.to_frame() is not res.frame


def test_frame_summary_lines():
    lines = frame_summary("T", _frame())
    assert lines == ["T: 3 rows, 2025-11-19 .. 2025-11-21", "  close: 91,234.5", "  gap: n/a",
                     "  regime: stress"]
    assert frame_summary("T", _frame().iloc[:0]) == ["T: no rows"]
    s = _Daily(frame=_frame(), synthetic=True, warnings=("stale",)).summary()
    assert s.splitlines()[0] == "_Daily [SYNTHETIC DATA]: 3 rows, 2025-11-19 .. 2025-11-21"
    assert s.splitlines()[-1] == "  warning: stale"


def test_stamp_synthetic():
    fig = stamp_synthetic(go.Figure(), True)
    assert [a.text for a in fig.layout.annotations] == [SYNTHETIC_WATERMARK]
    assert stamp_synthetic(go.Figure(), False).layout.annotations == ()


def test_cta_sensitivity_plot():
    from crashlens.cta.result import CTASensitivity

    frame = pd.DataFrame({"variant": ["base", "base", "slow", "slow"],
                          "asset": ["SPX", "GOLD", "SPX", "GOLD"],
                          "position_pct": [0.5, -0.2, 0.4, -0.1]})
    fig = CTASensitivity(frame=frame).plot_sensitivity()
    assert [t.name for t in fig.data] == ["base", "slow"]
    assert list(fig.data[1].y) == [0.4, -0.1] and list(fig.data[1].x) == ["SPX", "GOLD"]
    with pytest.raises(ParameterError, match="column: 'nope' is not one of"):
        CTASensitivity(frame=frame).plot_sensitivity("nope")


def test_fedwatch_plot_odds():
    from crashlens.macro.rates import fedwatch

    # one meeting mid-month: futures price 96.00 (4.00 % average) with 4.25 % before it
    res = fedwatch({"2025-12": 96.0, "2026-01": 96.0}, current_rate=4.25,
                   current_range=(4.0, 4.25), meetings=["2025-12-16"])
    fig = res.plot_odds()
    assert [t.name for t in fig.data] == ["cut", "hold", "hike"]
    total = sum(t.y[0] for t in fig.data)
    assert math.isclose(total, 1.0, abs_tol=1e-9)
    assert fig.data[0].x == ("2025-12-16",)


def test_zero_dte_summary_and_plot():
    from crashlens.options.zero_dte import ZeroDteResult

    b = pd.DataFrame({"bucket": ["0DTE", "1-7d"], "gex_usd_per_1pct": [2e9, -1e9],
                      "abs_gex_share": [2 / 3, 1 / 3], "open_interest": [10.0, 20.0]})
    res = ZeroDteResult(True, 0.4, None, b)
    lines = res.summary().splitlines()
    assert lines[0] == ("0DTE: same-day expiry listed, share of contracts 40.0%, of premium "
                        "n/a")
    assert lines[1].split() == ["0DTE", "GEX", "+2.00", "bn", "USD", "per", "1", "%,",
                                "66.7%", "of", "|GEX|"]
    fig = res.plot_buckets()
    assert list(fig.data[0].y) == [2.0, -1.0]


def test_contagion_history_summary():
    from crashlens.systemic.results import ContagionHistory

    idx = pd.DatetimeIndex(["2025-11-20", "2025-11-21"])
    betas = pd.DataFrame({"COIN": [1.5, 1.25]}, index=idx)
    spill = pd.DataFrame({"total": [40.0, 38.5]}, index=idx)
    s = ContagionHistory(source="BTC", betas=betas, correlations=betas * 0.5,
                         spillover=spill).summary()
    assert s.splitlines() == ["Rolling betas to BTC: 2 rows, 2025-11-20 .. 2025-11-21",
                              "  COIN: 1.25",
                              "Rolling spillover index (%): 2 rows, 2025-11-20 .. 2025-11-21",
                              "  total: 38.5"]
