"""The forensic report: sections computed from the engines, rendered to HTML/PDF in en/zh.

Typical use::

    from crashlens.report import build_report, write_report
    rep = build_report(event="2025-11", lang="en")
    write_report(rep, Path("reports/crashlens-2025-11-en.html"))
"""

from __future__ import annotations

from crashlens.report.builder import (
    Rendered,
    ReportResult,
    build_report,
    find_chromium,
    html_to_pdf,
    latest_date,
    render,
    render_html,
    render_section,
    run_section,
    write_report,
)
from crashlens.report.events import EVENTS, Event, resolve
from crashlens.report.i18n import TEXT, Translator

__all__ = ["EVENTS", "TEXT", "Event", "Rendered", "ReportResult", "Translator", "build_report",
           "find_chromium", "html_to_pdf", "latest_date", "render", "render_html",
           "render_section", "resolve", "run_section", "write_report"]
