"""Warnings as codes: every code has both texts, every code the source emits is registered."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pandas as pd
import pytest

from crashlens import notes
from crashlens.notes import Note

SRC = Path(notes.__file__).parent
#: ``Note("code"`` in the source, wherever it is written.
_EMITTED = re.compile(r"""\bNote\(\s*["']([a-z0-9_.]+)["']""")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _emitted_codes() -> dict[str, str]:
    out = {}
    for path in SRC.rglob("*.py"):
        for code in _EMITTED.findall(path.read_text(encoding="utf-8")):
            out.setdefault(code, str(path.relative_to(SRC)))
    return out


def test_every_emitted_code_is_registered() -> None:
    catalog = notes.load_catalogs()
    missing = {c: f for c, f in _emitted_codes().items() if c not in catalog}
    assert not missing, f"codes without a message: {missing}"


def test_every_code_has_english_and_chinese() -> None:
    for code, msg in notes.load_catalogs().items():
        assert msg.en.strip() and not _CJK.search(msg.en), code
        # Chinese words, or only fields and punctuation ("{where}：{message}"), never English
        words = re.sub(r"\{[^}]*\}", "", msg.zh)
        assert _CJK.search(words) or not re.search(r"[A-Za-z]{2,}", words), \
            f"{code}: the Chinese text has no Chinese"
        assert code.split(".")[0] in notes.PACKAGES, f"{code}: prefix is not a package"


def test_note_is_its_english_text_with_code_and_params() -> None:
    n = Note("data.stale_series", series="OI_BTC", end=pd.Timestamp("2025-11-14"), days=7,
             asof="2025-11-21")
    assert n == ("OI_BTC ends 2025-11-14, 7 days before the as-of date 2025-11-21: its value "
                 "is as of 2025-11-14, not current")
    assert n.code == "data.stale_series" and n.params["end"] == "2025-11-14"
    assert n.text("zh") == ("OI_BTC 数据截至 2025-11-14，比截至日 2025-11-21 早 7 天：所示数值为 "
                            "2025-11-14 的值，并非最新")
    assert json.loads(json.dumps([n])) == [str(n)]
    back = pickle.loads(pickle.dumps(n))
    assert isinstance(back, Note) and back.code == n.code and back.text("zh") == n.text("zh")


def test_money_and_percent_specs_follow_the_language() -> None:
    notes.register({"data.test_specs": ("{x:usd} is {p:pct}", "{x:usd}占{p:pct}")})
    n = Note("data.test_specs", x=2.5e9, p=0.125)
    assert str(n) == "$2.5bn is 12.5%"
    assert n.text("zh") == "25.0亿美元占12.5%"


def test_a_catalog_with_mismatched_fields_is_refused() -> None:
    with pytest.raises(ValueError, match="fields differ"):
        notes.register({"data.test_bad": ("{a} and {b}", "{a}")})
    with pytest.raises(ValueError, match="registered twice"):
        notes.register({"data.stale_series": ("other", "其他")})


def test_plain_strings_pass_through_text() -> None:
    assert notes.text("plain", "zh") == "plain"


def test_nested_notes_render_in_the_language_of_the_whole() -> None:
    items = (Note("macro.vacuum_missing", series="CPI", months="2025-10-01"),
             Note("macro.vacuum_late", series="UNRATE", months="2025-10-01, 2025-11-01"))
    n = Note("macro.data_vacuum", items=items)
    assert n == "data vacuum: CPI missing 2025-10-01; UNRATE late 2025-10-01, 2025-11-01"
    assert n.text("zh") == "数据真空：CPI 缺失（2025-10-01）；UNRATE 延迟（2025-10-01, 2025-11-01）"
    wrapped = Note("engine.chain_warning", file="spy.csv", warning=items[0])
    assert wrapped.text("zh") == "期权链文件 spy.csv：CPI 缺失（2025-10-01）"
    # a record survives JSON and comes back with its nested notes
    back = Note.from_dict(json.loads(json.dumps(n.to_dict())))
    assert back == n and back.text("zh") == n.text("zh")
    assert isinstance(back.params["items"][1], Note)
