"""Drafting claims from a note (crashlens.audit.draft, `crashlens audit draft`)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from crashlens.audit import draft as dr
from crashlens.audit import load_claims
from crashlens.cli.main import main
from crashlens.errors import DataError, ParameterError

DATA = Path(__file__).parent / "data"
NOTES = (Path(os.environ["CRASHLENS_DATA"]).resolve().parents[1] / "notes"
         if os.environ.get("CRASHLENS_DATA") else Path("/nonexistent"))


def run(args: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["crashlens", *args])
    with pytest.raises(SystemExit) as ei:
        main()
    out = capsys.readouterr()
    return int(ei.value.code or 0), out.out, out.err


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("CTA名义持仓量约1650亿美元。", 165e9, "usd"),
    ("美国挑战者企业1月裁员10.8万人。", 108_000, "persons"),
    ("就业数仅0.53万。", 5_300, ""),
    ("长达44天的政府关门。", 44, "days"),
    ("实际抛售初始阶段约$400-$500亿。", 40e9, "usd"),   # the range's first number takes 亿
    ("标普500指数跌破6725点。", 6725, "pt"),
    ("美联储12月降息25bp。", 25, "bp"),
    ("比特币跌破$81,000。", 81_000, "usd"),
    ("失业率攀升至4.4%。", 4.4, "pct"),
])
def test_chinese_numbers_and_units(text: str, value: float, unit: str) -> None:
    got = dr.draft(text, lang="zh")
    assert got, text
    assert got[0].value == pytest.approx(value) and got[0].unit == unit


def test_dates_headings_and_names_are_not_claims() -> None:
    text = ("2.2 6725点:算法的死亡开关\n"
            "2025年11月17日至21日这一周,标普500指数下跌。\n"
            "谷歌于2025年11月18日正式发布的 Gemini 3 模型。\n"
            "表 1:CTA策略仓位\n"
            "利润率被硬件成本侵蚀 20\n")
    got = dr.draft(text, lang="zh")
    assert [(c.value, c.unit) for c in got] == [(6725, "pt")]
    one = dr.draft("随着比特币价格在11月20-21日跌破 $90,000。", lang="zh")
    assert [c.value for c in one] == [90_000]        # 20-21日 is a date range, not numbers
    assert one[0].date is None                       # no year anywhere in the text


def test_default_year_and_series_nearest_before_the_number() -> None:
    text = ("2025年的市场。11月20日补发的9月就业报告显示,新增就业11.9万人,失业率攀升至4.4%。"
            "比特币跌破9万美元。")
    got = dr.draft(text, lang="zh")
    by_raw = {c.raw: c for c in got}
    assert by_raw["11.9万人"].date == "2025-11-20"
    assert by_raw["11.9万人"].series == "PAYEMS" and by_raw["4.4%"].series == "UNRATE"
    assert by_raw["9万美元"].value == 90_000 and by_raw["9万美元"].series == "BTC"
    assert by_raw["11.9万人"].kind == "first_print"


def test_english_note_recall_precision() -> None:
    drafts = dr.draft_file(DATA / "english_note.txt")
    values = {(round(c.value, 1), c.unit) for c in drafts}
    for expected in [(6600, ""), (2, "pct"), (81000, "usd"), (30, "pct"), (126000, "usd"),
                     (119000, ""), (4.4, "pct"), (43, "days"), (40, "pct"), (70, "pct"),
                     (108400, ""), (205, "pct")]:
        assert expected in values, expected
    # dates and years are not claims
    assert not {17.0, 21.0, 2025.0, 2026.0} & {c.value for c in drafts}
    s = dr.score(drafts, load_claims(DATA / "english_note.yaml"))
    assert s["recall"] >= 0.8 and s["value_recall"] >= 0.8
    assert s["precision"] >= 0.8 and s["kind_accuracy"] >= 0.8


@pytest.mark.skipif(not NOTES.is_dir(), reason="needs shared/notes")
@pytest.mark.parametrize(("note", "claims"), [("000_b00d84820b1f0765.txt", "2025-11-selloff"),
                                              ("001_61fd00ef75a20ada.txt", "2026-02-selloff")])
def test_recall_on_both_notes(note: str, claims: str) -> None:
    drafts = dr.draft_file(NOTES / note)
    s = dr.score(drafts, load_claims(claims))
    assert s["numeric_claims"] >= 7
    assert s["recall"] >= 0.8, s
    assert s["kind_accuracy"] >= 0.5, s


def test_yaml_and_json_shapes() -> None:
    drafts = dr.draft("The S&P 500 fell 2% to 6,600 on Nov 20, 2025.", lang="en")
    js = dr.to_json_dict(drafts)
    assert set(js["claims"][0]) == {"text", "value", "unit", "series", "kind", "date"}
    assert [c["value"] for c in js["claims"]] == [2.0, 6600.0]
    assert js["claims"][0]["date"] == "2025-11-20"
    import yaml

    doc = yaml.safe_load(dr.to_yaml(drafts, name="x"))
    assert all(c["draft"] is True for c in doc["claims"])


@pytest.mark.parametrize(("content", "needle"), [
    (b"", "the note is empty"),
    (b"   \n\n", "the note is empty"),
    ("标普500".encode("gbk") + b"\xff\xfe\xfd", "not UTF-8 text"),
    (b"abc\x00def", "binary file"),
])
def test_bad_notes_one_line_errors(tmp_path: Path, content: bytes, needle: str) -> None:
    p = tmp_path / "note.txt"
    p.write_bytes(content)
    with pytest.raises(DataError, match=needle) as exc:
        dr.read_note(p)
    assert "\n" not in str(exc.value) and "note.txt" in str(exc.value)


def test_huge_note_is_refused_before_reading(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    with open(p, "wb") as fh:
        fh.truncate(10_000_000)
    with pytest.raises(DataError, match="limit"):
        dr.read_note(p)
    with pytest.raises(ParameterError, match="lang"):
        dr.draft("x 5%", lang="fr")


def test_utf16_note_is_read(tmp_path: Path) -> None:
    p = tmp_path / "u16.txt"
    p.write_bytes("比特币跌破9万美元。".encode("utf-16"))
    assert dr.draft_file(p)[0].value == 90_000


def test_cli_draft_json_and_errors(tmp_path: Path, capsys, monkeypatch) -> None:
    rc, out, _ = run(["audit", "draft", str(DATA / "english_note.txt"), "--json"], capsys,
                     monkeypatch)
    assert rc == 0
    doc = json.loads(out)
    assert 119000.0 in [c["value"] for c in doc["claims"]]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfa\xc3")
    rc, _, err = run(["audit", "draft", str(bad)], capsys, monkeypatch)
    assert rc == 2 and "not UTF-8" in err and "Traceback" not in err
    rc, _, err = run(["audit", "draft", str(DATA / "english_note.txt"), "--lang", "fr"],
                     capsys, monkeypatch)
    assert rc == 2 and "--lang" in err


def test_a_draft_file_is_not_an_audit_file(tmp_path: Path, capsys, monkeypatch) -> None:
    p = tmp_path / "d.yaml"
    p.write_text(dr.to_yaml(dr.draft("比特币跌破9万美元。", lang="zh")), encoding="utf-8")
    rc, _, err = run(["audit", str(p)], capsys, monkeypatch)
    assert rc == 2 and "d.yaml" in err and "Traceback" not in err


@pytest.mark.parametrize(("name", "code"), [
    ("标普500", "SPX"), ("纳斯达克", "NDX"), ("比特币", "BTC"), ("英伟达", "NVDA"),
    ("谷歌", "GOOG"), ("黄金", "GOLD"), ("白银", "SILVER"), ("日经225", "N225"),
    ("恐慌指数", "VIX"), ("非农", "PAYEMS"), ("失业率", "UNRATE"), ("美联储", "FED"),
])
def test_names_in_chinese(name: str, code: str) -> None:
    got = dr.draft(f"昨日{name}跌破12.5%。", lang="zh")
    assert [(c.series, c.value) for c in got] == [(code, 12.5)]


@pytest.mark.parametrize(("text", "code", "value"), [
    ("The S&P 500 fell 2.5% on Monday.", "SPX", 2.5),
    ("Nvidia fell 3.1% after earnings.", "NVDA", 3.1),
    ("Bitcoin dropped 7.5% overnight.", "BTC", 7.5), ("Gold rose 1.5% to a record.", "GOLD", 1.5),
])
def test_names_in_english(text: str, code: str, value: float) -> None:
    got = dr.draft(text, lang="en")
    assert got[0].series == code and got[0].kind in ("move_over_window", "record_in_window")
    # the number of the sentence, in percent (the draft leaves the sign to its reviewer)
    assert got[0].value == value and got[0].unit == "pct"
