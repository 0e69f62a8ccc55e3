"""The PDF reads well: static charts without toolbars, tables and charts inside the A4 width,
a main body of at most 20 pages, provenance, assumptions and long tables in an appendix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crashlens.report import builder, render_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
#: A4 (210 mm at 96 dpi = 794 px) less the 10 mm print margins on each side.
A4_CONTENT_PX = 718
MAX_BODY_PAGES = 20

pytestmark = [pytest.mark.realdata, pytest.mark.slow]
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="Debian Chromium is not installed (apt-get install "
                                           "chromium); print layout tests skipped")


@pytest.fixture(scope="module")
def full_report(raw_dir):
    from crashlens.report import build_report

    return build_report(event="2025-11", lang="en")


@pytest.fixture(scope="module")
def print_html(full_report, tmp_path_factory):
    path = tmp_path_factory.mktemp("print") / "report.html"
    path.write_text(render_html(full_report, print_mode=True), encoding="utf-8")
    return path


def test_print_html_is_static_and_ends_with_the_appendix(full_report, print_html):
    html = print_html.read_text(encoding="utf-8")
    configs = re.findall(r'\{"staticPlot": true, "displayModeBar": false[^}]*\}', html)
    n_charts = sum(len(s.charts) for s in full_report.sections)
    assert n_charts > 10 and len(configs) == n_charts
    assert '"displaylogo": false' not in html  # the interactive config is not used
    body, _, appendix = html.partition('id="appendix"')
    # every assumptions block and the provenance live after the appendix heading
    assert "<details" not in body and 'id="sec-provenance"' in appendix
    long = [tb for s in full_report.sections for tb in s.tables
            if len(tb.rows) > builder.PRINT_MAX_ROWS]
    assert long and all(f'id="{tb.ident}"' in appendix and f'id="{tb.ident}"' not in body
                        for tb in long if tb.ident)
    # the interactive page keeps toolbars and every table in place
    screen = render_html(full_report)
    assert '"staticPlot": true' not in screen and 'id="appendix"' not in screen


@needs_chromium
def test_tables_and_charts_fit_the_page(print_html):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": A4_CONTENT_PX, "height": 1000})
            page.emulate_media(media="print")
            page.goto(print_html.as_uri(), timeout=300_000)
            over = page.evaluate("""(limit) => [...document.querySelectorAll(
                'table.data, .plotly-graph-div, ol.argument')]
                .filter(e => e.getBoundingClientRect().right > limit + 1)
                .map(e => (e.id || e.className) + ':' + Math.round(
                    e.getBoundingClientRect().right))""", A4_CONTENT_PX)
            modebars = page.evaluate(
                "() => [...document.querySelectorAll('.modebar')].filter("
                "e => e.offsetParent !== null).length")
        finally:
            browser.close()
    assert over == [] and modebars == 0


@needs_chromium
def test_pdf_main_body_is_short(full_report, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    paths = builder.write_report(full_report, tmp_path / "r.html", pdf=True)
    reader = pypdf.PdfReader(str(paths[1]))
    first_appendix = next(i for i, p in enumerate(reader.pages)
                          if "Appendix: long tables" in (p.extract_text() or ""))
    assert 5 <= first_appendix <= MAX_BODY_PAGES
