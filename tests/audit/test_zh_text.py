"""Optional Chinese wording in claims files (``text_zh``, ``source_zh``), backward compatible."""

from __future__ import annotations

from crashlens.audit.claims import load_claims, loads_claims


def test_zh_fields_optional() -> None:
    cf = loads_claims("name: n\nsource: s\nclaims:\n  - id: a\n    kind: text\n    text: t\n")
    assert cf.source_zh == "" and cf.claims[0].text_zh == ""


def test_zh_fields_read() -> None:
    cf = loads_claims("name: n\nsource: s\nsource_zh: 来源\nclaims:\n  - id: a\n    kind: text\n"
                      "    text: t\n    text_zh: 中文\n")
    assert cf.source_zh == "来源" and cf.claims[0].text_zh == "中文"


def test_shipped_examples_have_chinese_texts() -> None:
    for name in ("2025-11-selloff", "2026-02-selloff"):
        cf = load_claims(name)
        assert cf.source_zh
        assert all(c.text_zh for c in cf.claims), name
