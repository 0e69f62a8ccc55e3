"""Notes of the report layer (codes ``report.*``): what a section says about its own parts.

A section that leaves out one of its parts (a chart of levels over time, the replay of the
window, a series it could not read) says why with one of these notes, built with
:func:`crashlens.notes.wrap`: an engine error that carries a :class:`~crashlens.notes.Note`
renders in the report's language, any other stays its English text.
"""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    "report.cta_levels_failed": (
        "CTA levels over time: {error}",
        "CTA 触发位随时间变化：{error}"),
    "report.crypto_levels_failed": (
        "crypto levels over time: {error}",
        "加密货币价格与未平仓合约随时间变化：{error}"),
    "report.crypto_replay_failed": (
        "crypto replay of the window: {error}",
        "窗口期加密货币强平回放：{error}"),
    "report.no_observation_in_window": ("no observation before or inside the window",
                                        "窗口之前或窗口内没有观测值"),
    "report.series_unreadable": ("{series}: {error}", "{series} 无法读取：{error}"),
    "report.series_stale": ("{series}: last observation {day} is stale",
                            "{series}：最新观测值为 {day}，已过时"),
    "report.plot_failed": ("{chart}: {error}", "图表 {chart}：{error}"),
})

__all__ = ["MESSAGES"]
