"""Episodes warnings are notes: a code, the English text as before and a Chinese text."""

from __future__ import annotations

import pytest

from crashlens.episodes import analogs, anatomy, catalysts, library
from crashlens.notes import Note

pytestmark = pytest.mark.realdata


def _by_code(warnings: tuple[str, ...]) -> dict[str, Note]:
    assert all(isinstance(w, Note) for w in warnings), warnings
    return {w.code: w for w in warnings if isinstance(w, Note)}


def test_anatomy_and_analogs_notes_on_a_real_week(raw_dir) -> None:
    # 2025-11-17..21: five S&P 500 sessions, so five window returns for the correlations
    got = _by_code(anatomy("2025-11-17", "2025-11-21").warnings)
    n = got["episodes.corr_noisy"]
    assert n == "correlation over 5 window returns is noisy (fewer than 10)"
    assert n.text("zh") == "仅基于 5 个窗口收益计算的相关性噪声较大（少于 10 个）"
    one = _by_code(anatomy("2025-11-21", "2025-11-21").warnings)["episodes.corr_noisy_one"]
    assert one == "correlation over 1 window return is noisy (fewer than 10)"
    got = _by_code(analogs("2025-11-21").warnings)
    assert got["episodes.cta_not_in_state"].text("zh").startswith("状态向量不含 CTA 持仓")


def test_library_notes(raw_dir) -> None:
    # VIX starts in 1990: the 1987 crash has no VIX between its peak and trough
    got = _by_code(library().warnings)
    n = got["episodes.episode_no_vix"]
    assert n == "episode 1987: no VIX data between peak and trough"
    assert n.text("zh") == "事件 1987：峰值与谷底之间没有 VIX 数据"


def test_catalyst_notes_name_the_event_and_its_line(raw_dir) -> None:
    warnings = [w for w in catalysts(asof="2025-11-21").warnings if isinstance(w, Note)]
    assert len(warnings) == len(catalysts(asof="2025-11-21").warnings)
    # Nvidia reported after the close on Wed 2025-11-19: day 0 is Thu 20, the window -1..+3
    # is cut at Fri 21 (sessions -1..1)
    nvda = next(w for w in warnings if "Nvidia" in w)
    assert nvda.code == "episodes.event_truncated"
    assert nvda == ("event 'Nvidia Q3 FY2026 earnings' (2025-11-19, line 35): event window "
                    "truncated at the as-of date 2025-11-21: CAR over sessions -1..1")
    assert nvda.text("zh") == ("事件“Nvidia Q3 FY2026 earnings”（2025-11-19，第 35 行）：事件窗口在"
                               "截至日 2025-11-21 截断，累计异常收益按第 -1 至 1 个交易日计算")
    later = [w for w in warnings if w.code == "episodes.event_after_asof"]
    assert [w.params["event"] for w in later] == [
        "Silver crash", "Early-Feb 2026 layoffs data", "Bitcoin below 70,000"]
    assert later[0].text("zh") == "事件“Silver crash”（2026-01-30，第 53 行）：晚于截至日 2025-11-21，已跳过"
