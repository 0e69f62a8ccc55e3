"""Messages of the macro lens (English, Chinese): see :mod:`crashlens.notes`.

The data-vacuum warning lists, per release, the reference months that are missing or late; the
words "missing"/"late" sit between every series and its months, so the list is passed rendered
in both languages (``items`` English, ``items_zh`` Chinese) and each template shows its own
(``{x:.0}`` prints nothing: the other language's list is only there to keep the fields equal).
"""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    "macro.synthetic": (
        "SYNTHETIC DATA: the store holds the synthetic demo market",
        "合成数据：数据库中为合成演示市场"),
    "macro.data_vacuum": (
        "data vacuum: {items}{items_zh:.0}",
        "数据真空：{items_zh}{items:.0}"),
    "macro.inflation_analog_unavailable": (
        "inflation analog unavailable: {error}",
        "通胀类比不可用：{error}"),
})
