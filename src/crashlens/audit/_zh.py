"""Chinese wording of the audit's own notes (the Chinese report's Note column).

The notes are written by :mod:`crashlens.audit.checks` and :mod:`crashlens.audit.checks_pit`;
keeping their translations here keeps each wording next to its one source. Unknown notes are
returned unchanged (the report then tries the engines' common patterns).
"""

from __future__ import annotations

import re

_D = r"\d{4}-\d{2}-\d{2}"

PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^model '(?P<m>[^']+)': outputs depend on the model's parameters \(AUM, "
                r"horizons, leverage distribution\.\.\.\): compare the order of magnitude, not "
                r"the digits$"),
     "模型“{m}”：输出取决于模型参数（AUM、期限、杠杆分布等）：应比较数量级，而非具体数字"),
    (re.compile(r"^model '(?P<m>\d+)-day betas': betas from a rolling window of daily returns; "
                r"another window gives other numbers$"),
     "模型“{m} 日贝塔”：贝塔来自日收益率的滚动窗口；换一个窗口结果不同"),
    (re.compile(rf"^not yet public on (?P<d>{_D})$"), "{d} 时尚未公布"),
    (re.compile(rf"^released (?P<a>{_D}), not (?P<b>{_D})$"), "公布日为 {a}，而非 {b}"),
    (re.compile(rf"^released (?P<a>{_D}), not (?P<b>{_D}); not yet public on (?P<c>{_D})$"),
     "公布日为 {a}，而非 {b}；{c} 时尚未公布"),
    (re.compile(rf"^the file ends (?P<d>{_D}): value (?P<n>\d+) days before the claim's date$"),
     "数据文件止于 {d}：所用数值比观点日期早 {n} 天"),
    (re.compile(r"^(?P<s>\S+) data start (?P<d>\S+), after (?P<x>\S+): needs history back to "
                r"(?P<y>\S+)$"),
     "{s} 数据始于 {d}，晚于 {x}：需要追溯至 {y} 的历史数据"),
    (re.compile(r"^(?P<x>.+) was never published: never published \(cancelled by the 2025 "
                r"shutdown\); the file's value is a carry-forward, not data$"),
     "{x} 从未公布（因2025年政府关门取消）；文件中的数值是沿用上月的占位值，并非数据"),
    (re.compile(r"^no event matching '(?P<e>.+)' in the catalyst calendar \((?P<f>\S+)\); add "
                r"it with its public date$"),
     "催化事件日历（{f}）中没有与“{e}”匹配的事件；请按公开日期添加"),
]


def note_zh(note: str) -> str:
    """The Chinese wording of an audit note, or the note unchanged.

    A :class:`~crashlens.notes.Note` (what the checks write now) renders its own Chinese text;
    the patterns below still cover notes that reached the caller as plain text.
    """
    from crashlens.notes import Note

    if isinstance(note, Note):
        return note.text("zh")
    for pattern, out in PATTERNS:
        m = pattern.match(note)
        if m:
            return out.format(**m.groupdict())
    return note


__all__ = ["PATTERNS", "note_zh"]
