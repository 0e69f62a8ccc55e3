"""Implied policy path (closed form) and the FedWatch-style calculator (hand computations)."""

from __future__ import annotations

import calendar

import numpy as np
import pytest

import crashlens.macro as macro
from crashlens.errors import ParameterError


def test_implied_path_closed_form() -> None:
    got = macro.implied_path(3.88, 3.90, 3.51)
    assert got["cuts_priced_2y"] == pytest.approx((3.88 - 3.51) / 0.25)
    assert got["avg_3m_2y"] == pytest.approx((2 * 3.51 - 0.25 * 3.90) / 1.75)
    assert got["spread_2y_funds_bp"] == pytest.approx(-37.0)
    tp = macro.implied_path(3.88, 3.90, 3.51, term_premium_bp=20)
    assert tp["cuts_priced_2y"] == pytest.approx((3.88 - 3.31) / 0.25)


def test_fedwatch_single_meeting_hand_computation() -> None:
    # Dec-2025 meeting on the 10th of a 31-day month; 70 % odds of a 25 bp cut
    r0 = 3.88
    r1 = r0 - 0.25 * 0.7
    avg = (10 / 31) * r0 + (21 / 31) * r1
    res = macro.fedwatch({"2025-12": 100 - avg}, current_rate=r0, current_range=(3.75, 4.0),
                         meetings=["2025-12-10"])
    row = res.to_frame().iloc[0]
    assert row["p_cut"] == pytest.approx(0.7)
    assert row["p_hold"] == pytest.approx(0.3)
    assert row["rate_after"] == pytest.approx(r1)
    d = res.distribution
    assert d.loc[np.isclose(d["upper"], 3.75), "probability"].iloc[0] == pytest.approx(0.7)
    assert "P(cut)" in res.summary()


def test_fedwatch_late_meeting_uses_next_month_and_chains() -> None:
    # Jan-2026 meeting on the 28th (3 days left): the post-meeting rate comes from February
    # (no meeting); the March meeting (18th of 31) starts from it.
    r_dec = 3.63
    feb = 3.63 - 0.25 * 0.2          # 20 % odds of a January cut
    mar_after = feb - 0.25 * 1.5     # 1.5 steps priced at the March meeting
    mar_avg = (18 / 31) * feb + (13 / 31) * mar_after
    jan_avg = (28 / 31) * r_dec + (3 / 31) * feb
    res = macro.fedwatch({"2026-01": 100 - jan_avg, "2026-02": 100 - feb,
                          "2026-03": 100 - mar_avg},
                         current_rate=r_dec, current_range=(3.5, 3.75),
                         meetings=["2026-01-28", "2026-03-18"])
    t = res.to_frame()
    assert t.iloc[0]["rate_after"] == pytest.approx(feb)
    assert t.iloc[0]["p_cut"] == pytest.approx(0.2)
    assert t.iloc[1]["rate_before"] == pytest.approx(feb)
    assert t.iloc[1]["rate_after"] == pytest.approx(mar_after)
    # 1.5 steps: 50 % one cut, 50 % two cuts at March
    assert t.iloc[1]["p_cut"] == pytest.approx(1.0)
    dist = res.distribution[res.distribution["meeting"] == t.index[1]]
    assert dist["probability"].sum() == pytest.approx(1.0)
    # expected cumulative steps = -(0.2 + 1.5)
    assert t.iloc[1]["expected_upper"] == pytest.approx(3.75 - 0.25 * 1.7)
    assert calendar.monthrange(2026, 3)[1] == 31


def test_fedwatch_bad_inputs() -> None:
    with pytest.raises(ParameterError, match="not a month"):
        macro.fedwatch({"Dec": 96.0}, current_rate=3.9, current_range=(3.75, 4.0))
    with pytest.raises(ParameterError, match="price"):
        macro.fedwatch({"2025-12": 150.0}, current_rate=3.9, current_range=(3.75, 4.0))
    with pytest.raises(ParameterError, match="no FOMC meeting"):
        macro.fedwatch({"2025-11": 96.0}, current_rate=3.9, current_range=(3.75, 4.0))
    with pytest.raises(ParameterError, match="above upper"):
        macro.fedwatch({"2025-12": 96.0}, current_rate=3.9, current_range=(4.0, 3.75))
