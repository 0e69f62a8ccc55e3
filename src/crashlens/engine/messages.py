"""Messages of the batch engine (English, Chinese): see :mod:`crashlens.notes`.

``error`` is the one-line message of the engine error that stopped a partition or a file (its
own text). A warning of the engine run on one chain file is passed rendered in both languages
(``warning`` English, ``warning_zh`` its Chinese text) and each template shows its own
(``{x:.0}`` prints nothing: the other language's text is only there to keep the fields equal).
"""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    "engine.cta_block_no_rows": (
        "{start}..{end}: {error}; no rows",
        "{start}..{end}：{error}；无数据行"),
    "engine.cta_block_left_out": (
        "{start}..{end}: {error}; {asset} left out of this block's book",
        "{start}..{end}：{error}；{asset} 未计入该区间的组合"),
    "engine.chain_error": (
        "{file}: {error}",
        "期权链文件 {file}：{error}"),
    "engine.chain_warning": (
        "{file}: {warning}{warning_zh:.0}",
        "期权链文件 {file}：{warning_zh}{warning:.0}"),
})
