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
    "macro.inflation_analog_unavailable": (
        "inflation analog unavailable: {error}",
        "通胀类比不可用：{error}"),
})
