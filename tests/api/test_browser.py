"""The dashboard in a real browser: Playwright driving Debian's Chromium against a live server.

The numbers the page renders are compared with the API's JSON for the same inputs.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from crashlens.report import fmt

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser, pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian Chromium is not installed at /usr/bin/chromium "
                              "(apt-get install chromium); browser tests skipped"),
]
LOAD_MS = 300_000


@pytest.fixture(scope="module")
def server():
    from crashlens.api import sessions
    from crashlens.api.live import live_server

    sessions.clear()
    with live_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    p = browser.new_page(viewport={"width": 1280, "height": 900})
    yield p
    p.close()


def _api_spx_change(base, **params):
    r = httpx.get(f"{base}/api/section/anatomy", params=params, timeout=300)
    assert r.status_code == 200, r.text
    assets = r.json()["section"]["data"]["assets"]
    return next(a for a in assets if a["name"] == "SPX")["change"]


def _shown_spx_change(page):
    row = page.locator("#anatomy-moves tbody tr").first
    return row.locator("td").nth(2).inner_text().strip()


def _wait_loaded(page):
    page.wait_for_selector("body[data-loaded]", timeout=LOAD_MS)


def test_dashboard_renders_api_numbers_then_follows_date_and_language(server, page):
    page.goto(f"{server}/?event=2025-11&lang=en")
    # the loading indicator is shown while sections compute
    page.wait_for_selector('.slot[data-state="loading"] .spinner', timeout=10_000)
    _wait_loaded(page)
    expected = _api_spx_change(server, event="2025-11", lang="en")
    assert _shown_spx_change(page) == fmt.pct(expected, 1, "en", sign=True)
    assert page.locator("#sec-anatomy h2").inner_text() == "Sell-off anatomy"
    assert page.locator("#sec-anatomy .js-plotly-plot").count() >= 1  # interactive charts

    # change the date: the sections reload for the new as-of date
    page.fill("#asof", "2026-02-05")
    page.dispatch_event("#asof", "change")
    page.click("#apply")
    page.wait_for_function("!document.body.dataset.loaded", timeout=10_000)
    _wait_loaded(page)
    expected2 = _api_spx_change(server, asof="2026-02-05", lang="en")
    assert _shown_spx_change(page) == fmt.pct(expected2, 1, "en", sign=True)
    assert "2026-02-05" in page.url

    # change the language: titles and number formats follow
    page.select_option("#lang", "zh")
    page.wait_for_function("!document.body.dataset.loaded", timeout=10_000)
    _wait_loaded(page)
    assert page.locator("#sec-anatomy h2").inner_text() == "抛售剖析"
    assert _shown_spx_change(page) == fmt.pct(expected2, 1, "zh", sign=True)
    assert "2026年2月5日" in page.locator("#sec-anatomy").inner_text()


def test_monitor_view_matches_api(server, page):
    page.goto(f"{server}/monitor?lang=en")
    _wait_loaded(page)
    m = httpx.get(f"{server}/api/monitor", params={"lang": "en"}, timeout=300).json()
    shown = page.get_by_test_id("fragility-value").inner_text()
    assert shown == (m["fragility"]["text"] if m["fragility"]["available"] else "—")
    regime = page.get_by_test_id("gamma-regime").inner_text()
    assert regime == (m["gamma"]["text"] if m["gamma"]["available"] else "—")
    if m["cta"]["available"]:
        rows = page.get_by_test_id("cta-distance").locator("tr")
        assert rows.count() == len(m["cta"]["triggers"])
        first = rows.first.locator("td")
        key = next(iter(m["cta"]["triggers"]))
        assert first.nth(0).inner_text() == m["cta"]["labels"][key]
        assert first.nth(2).inner_text() == m["cta"]["text"][key]


def test_report_file_renders_offline(browser, tmp_path):
    """The HTML report draws its charts with every network request blocked."""
    from crashlens.report import build_report, write_report

    rep = build_report(event="2025-11", lang="zh", sections=["summary", "anatomy"])
    path = write_report(rep, tmp_path / "r.html")[0]
    page = browser.new_page()
    requests = []

    def block(route):
        requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", block)
    page.goto(path.as_uri())
    page.wait_for_selector("#sec-anatomy .js-plotly-plot .main-svg", timeout=30_000)
    assert page.locator(".js-plotly-plot").count() == len(rep.section("anatomy").charts)
    assert all(u.startswith("file://") for u in requests), requests
    assert page.locator("#sec-anatomy h2").inner_text() == "抛售剖析"
    page.close()


@pytest.mark.skipif(not os.environ.get("CRASHLENS_SCREENSHOT_DIR"),
                    reason="set CRASHLENS_SCREENSHOT_DIR to keep a screenshot")
def test_screenshot(server, page):
    page.goto(f"{server}/?event=2025-11&lang=en")
    _wait_loaded(page)
    page.screenshot(path=str(Path(os.environ["CRASHLENS_SCREENSHOT_DIR"]) / "dashboard.png"))
