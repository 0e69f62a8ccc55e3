"""Messages of the macro lens (English, Chinese): see :mod:`crashlens.notes`.

The data-vacuum warning lists, per release, the reference months that are missing or late: a
tuple of ``macro.vacuum_missing`` / ``macro.vacuum_late`` notes, joined in each language.
"""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    "macro.synthetic": (
        "SYNTHETIC DATA: the store holds the synthetic demo market",
        "合成数据：数据库中为合成演示市场"),
    "macro.data_vacuum": (
        "data vacuum: {items}",
        "数据真空：{items}"),
    "macro.vacuum_missing": ("{series} missing {months}", "{series} 缺失（{months}）"),
    "macro.vacuum_late": ("{series} late {months}", "{series} 延迟（{months}）"),
    "macro.no_cpi_recent_peak": (
        "no CPI inflation data in the recent peak search window {lo}..{hi}",
        "近期通胀峰值搜索窗口 {lo}..{hi} 内没有 CPI 通胀数据"),
    "macro.no_cpi_past_peak": (
        "no CPI inflation data in the {what} peak search window {lo}..{hi}",
        "{what} 通胀峰值搜索窗口 {lo}..{hi} 内没有 CPI 通胀数据"),
    "macro.no_inflation_path": (
        "no 1970s inflation analog as of {asof}",
        "截至 {asof} 无 1970 年代通胀类比"),
    "macro.inflation_analog_unavailable": (
        "inflation analog unavailable: {error}",
        "通胀类比不可用：{error}"),
})
