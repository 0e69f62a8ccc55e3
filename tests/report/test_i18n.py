from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from crashlens.errors import ParameterError
from crashlens.report.i18n import TEXT, Translator
from crashlens.report.sections import ORDER

CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def test_both_languages_have_the_same_fields():
    for key, (en, zh) in TEXT.items():
        assert en and zh, key
        assert _fields(en) == _fields(zh), key


def test_section_titles_are_translated():
    for sid in ORDER:
        en, zh = TEXT[f"section.{sid}"]
        assert not CJK.search(en)
        assert CJK.search(zh), sid


def test_every_key_used_in_templates_and_code_exists():
    root = Path(__file__).resolve().parents[2] / "src" / "crashlens"
    used: set[str] = set()
    pat = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.\-]+)["']""")
    for path in list((root / "report").rglob("*.py")) + list((root / "report").rglob("*.j2")):
        used |= set(pat.findall(path.read_text(encoding="utf-8")))
    for path in (root / "api").rglob("*.*"):
        if path.suffix in {".py", ".j2", ".html", ".js"}:
            used |= set(pat.findall(path.read_text(encoding="utf-8")))
    missing = {k for k in used if k not in TEXT and not k.startswith(("section.", "ma.",
                                                                      "role."))}
    assert not missing


def test_unknown_language_is_a_parameter_error():
    with pytest.raises(ParameterError, match="fr"):
        Translator("fr")


def test_asset_names_fall_back_to_catalog_name():
    t = Translator("zh")
    assert t.asset("SPX") == "标普500"
    assert t.asset("OI_BTC") == "OI_BTC"


def test_every_chain_status_but_current_has_a_summary_sentence():
    # the summary builds its key from the status ("arg.gamma_<status>"): a key removed as
    # "unused" by a text search would crash the summary on a date with a stale chain
    import typing

    from crashlens.options.profile import ChainStatus
    from crashlens.report.i18n import TEXT

    for status in typing.get_args(ChainStatus):
        if status != "current":
            assert f"arg.gamma_{status}" in TEXT, status
