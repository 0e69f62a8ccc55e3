"""``crashlens report``: the forensic report as one self-contained HTML file (PDF optional)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from crashlens.cli._common import AsOf, DataOpt, dump_json, err_console, progress, reads_data
from crashlens.errors import ParameterError


def default_out(event: str | None, asof: str | None, lang: str) -> Path:
    """``reports/crashlens-<event or asof or latest>-<lang>.html``."""
    tag = event or asof or "latest"
    return Path("reports") / f"crashlens-{tag}-{lang}.html"


EventOpt = Annotated[str | None, typer.Option(
    "--event", help="Named event: 2025-11 (as of 2025-11-21) or 2026-02 (as of 2026-02-05), "
    "or one from --events.")]
WindowOpt = Annotated[tuple[str, str] | None, typer.Option(
    "--window", help="Window START END (ISO dates): the report is as of END; with --event it "
    "replaces the event's window.")]
EventsOpt = Annotated[Path | None, typer.Option(
    "--events", help="Your own events file (YAML, same keys as the shipped events.yaml).")]
NoCacheOpt = Annotated[bool, typer.Option(
    "--no-cache", help="Rebuild even when the same report (same request, data and code) was "
    "built before.")]
RetroOpt = Annotated[bool, typer.Option(
    "--retrospective", help="Add the ex-post scenario scorecard, graded with data after the "
    "as-of date (labelled as written after the fact).")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language: en or zh.")]
OutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Output HTML file (default reports/crashlens-<event>-<lang>.html).")]
PdfOpt = Annotated[bool, typer.Option("--pdf", help="Also print a PDF with headless Chromium.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the report's JSON; write nothing.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""

    @app.command("report")
    @reads_data
    def report(event: EventOpt = None, asof: AsOf = None, lang: LangOpt = "en",
               out: OutOpt = None, pdf: PdfOpt = False, as_json: JsonOpt = False,
               quiet: QuietOpt = False, window: WindowOpt = None, events: EventsOpt = None,
               retrospective: RetroOpt = False, no_cache: NoCacheOpt = False,
               data_path: DataOpt = None) -> None:
        """Write the forensic report (every section computed from data; en or zh)."""
        from crashlens.report import build_report, render, write_report
        from crashlens.report import cache as report_cache
        from crashlens.report.i18n import check_lang
        from crashlens.report.sections import ORDER

        check_lang(lang)
        if out is not None and out.is_dir():
            raise ParameterError(f"--out: {out} is a folder; give a file name ending in .html")
        if out is not None and not as_json:
            from crashlens._atomic import check_output_path

            check_output_path(out)  # /dev/full, a read-only folder, a path under a file: now
        # --data: the folder's source is active here (reads_data); the cache key and the
        # report read it (the key includes its fingerprint, so no store report is served)
        from crashlens import data

        src = data.active() if data_path is not None else None
        k = None if no_cache else report_cache.key(
            event=event, asof=asof, lang=lang, window=window, retrospective=retrospective,
            events=str(events) if events is not None else None, source=src)
        pages = report_cache.load(k) if k is not None else None
        t0 = time.perf_counter()
        if pages is None:
            with progress("building report", total=len(ORDER),
                          quiet=quiet or as_json) as advance:
                rep = build_report(event=event, asof=asof, lang=lang,
                                   on_section=lambda _s: advance(), window=window,
                                   events=events, retrospective=retrospective, source=src)
            pages = render(rep)  # screen and print layouts, so a later --pdf is a hit too
            if k is not None and not pages.errors:
                report_cache.store(k, pages)
        if as_json:
            dump_json(pages.data)
            return
        target = out or default_out(event, asof or (window[1] if window else None), lang)
        paths = write_report(pages, target, pdf=pdf)
        for ident, notice in pages.errors:
            err_console.print(f"warning: section {ident}: {notice}", highlight=False,
                              markup=False)
        err_console.print(pages.attached_line, highlight=False, markup=False)
        stamp = " [SYNTHETIC DATA]" if pages.synthetic else ""
        for p in paths:
            typer.echo(f"wrote {p}{stamp} ({time.perf_counter() - t0:.1f}s)")
