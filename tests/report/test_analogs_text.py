"""Analogs section: state features in reading units; episode names translated in Chinese."""

from __future__ import annotations

from crashlens.report.i18n import Translator
from crashlens.report.sections.analogs import _state_value, episode_name


def test_state_values_in_reading_units() -> None:
    assert _state_value("dd_depth", -0.042, "en") == "−4.2%"
    assert _state_value("rv_10d", 0.167, "en") == "16.7%"
    assert _state_value("hy_oas_chg20", 0.31, "en") == "+31 bp"  # pp -> bp
    assert _state_value("curve_2s10s", 0.55, "zh") == "+55个基点"
    assert _state_value("vix", 23.43, "en") == "23.4"


def test_episode_names() -> None:
    zh = Translator("zh")
    assert episode_name(zh, "2018-02", "Feb 2018 Volmageddon", "zh") == "2018年2月波动率崩盘"
    assert episode_name(zh, "SPX-1998-07-17", "SPX drawdown from 1998-07-17",
                        "zh") == "标普500自1998年7月17日起的回撤"
    assert episode_name(zh, "new-key", "Some new episode", "zh") == "Some new episode"
    assert episode_name(Translator("en"), "2018-02", "Feb 2018 Volmageddon",
                        "en") == "Feb 2018 Volmageddon"
