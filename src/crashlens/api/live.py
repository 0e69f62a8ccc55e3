"""A live server on loopback in a background thread, and dashboard screenshots via Chromium.

Used by ``crashlens serve --screenshot`` (``make report``) and the browser tests.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from crashlens.errors import CrashlensError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def live_server(port: int | None = None, timeout: float = 30.0) -> Iterator[str]:
    """Run the app under uvicorn in a thread; yield its base URL; stop it on exit."""
    import uvicorn

    from crashlens.api import create_app

    port = port or free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    t0 = time.monotonic()
    while not server.started:
        if not thread.is_alive() or time.monotonic() - t0 > timeout:
            raise CrashlensError(f"the server did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def chromium_path() -> str | None:
    """Debian's Chromium if installed."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


def screenshot(out: Path, *, path: str = "/?event=2025-11&lang=en", width: int = 1280,
               height: int = 1600, full_page: bool = False,
               timeout_s: float = 240.0) -> Path:
    """Load the dashboard in headless Chromium, wait for every section, save a PNG.

    Raises
    ------
    CrashlensError
        Chromium or Playwright missing, or the page did not finish loading in time.
    """
    exe = chromium_path()
    if exe is None:
        raise CrashlensError("a dashboard screenshot needs Chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dev dependency
        raise CrashlensError("a dashboard screenshot needs the playwright package") from exc
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with live_server() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + path)
            page.wait_for_selector("body[data-loaded]", timeout=timeout_s * 1000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(out), full_page=full_page)
        finally:
            browser.close()
    return out
