from __future__ import annotations

import csv
import re

import pytest

from crashlens.report import render_html

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def _raw_close(raw_dir, day):
    with open(raw_dir / "sp500_daily_ohlc.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Date"].startswith(day):
                return float(row["Close"])
    raise AssertionError(day)


def test_spx_window_move_equals_raw_csv(raw_dir, report_2025_11_en):
    # window 17-21 Nov 2025, measured from the last close before it (Fri 14 Nov)
    expected = _raw_close(raw_dir, "2025-11-21") / _raw_close(raw_dir, "2025-11-14") - 1
    spx = next(a for a in report_2025_11_en.section("anatomy").data["assets"]
               if a["name"] == "SPX")
    assert spx["change"] == pytest.approx(expected, rel=1e-9)
    html = render_html(report_2025_11_en, inline_js=False)
    shown = f"{100 * expected:+.1f}%".replace("-", "\u2212")
    assert shown in html


def test_html_is_self_contained_and_has_no_long_floats(report_2025_11_en):
    html = render_html(report_2025_11_en)
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=\"http", html)
    text = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    assert not re.search(r"\d\.\d{7,}", text)
    assert report_2025_11_en.synthetic is False
    assert "SYNTHETIC" not in text


def test_chinese_report_is_translated(report_2025_11_zh):
    html = render_html(report_2025_11_zh, inline_js=False)
    assert "抛售剖析" in html and "2025年11月21日" in html
    assert "Sell-off anatomy" not in html


def test_provenance_lists_source_files(report_2025_11_en):
    prov = report_2025_11_en.section("provenance")
    assert "SPX" in prov.data["series"]
    flat = " ".join(" ".join(r) for tb in prov.tables for r in tb.rows)
    assert "sp500_daily_ohlc.csv" in flat
