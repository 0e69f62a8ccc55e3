"""Messages of the batch engine (English, Chinese): see :mod:`crashlens.notes`.

``error`` is the one-line message of the engine error that stopped a partition or a file (its
own text). A warning of the engine run on one chain file is passed as it is (a Note renders in
the language of the whole).
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
        "{file}: {warning}",
        "期权链文件 {file}：{warning}"),
})
