from __future__ import annotations

import re

import pytest

from crashlens.report import build_report, find_chromium, render_html, write_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def synthetic_report(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("CRASHLENS_DATA", "")
    mp.setenv("CRASHLENS_HOME", str(tmp_path_factory.mktemp("home")))
    try:
        yield build_report(event="2025-11", lang="zh",
                           sections=["summary", "anatomy", "provenance"])
    finally:
        mp.undo()


def test_every_section_is_stamped_synthetic(synthetic_report):
    assert synthetic_report.synthetic is True
    html = render_html(synthetic_report, inline_js=False)
    sections = re.findall(r'<section class="section[^"]*" id="sec-(\w+)"', html)
    assert sections == ["summary", "anatomy", "provenance"]
    assert html.count('data-testid="synthetic-stamp"') == len(sections)
    assert 'data-testid="synthetic-banner"' in html and "合成数据" in html
    assert synthetic_report.to_dict()["synthetic"] is True


@pytest.mark.skipif(find_chromium() is None, reason="Chromium not installed: PDF skipped")
def test_pdf_is_written(synthetic_report, tmp_path):
    paths = write_report(synthetic_report, tmp_path / "r.html", pdf=True)
    pdf = paths[1].read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 2
    if b"NotoSansCJK" not in pdf:
        pytest.skip("no CJK font installed (fonts-noto-cjk): glyph check skipped")
