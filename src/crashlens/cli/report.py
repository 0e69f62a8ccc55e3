"""``crashlens report``: the forensic report as one self-contained HTML file (PDF optional)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crashlens.cli._common import AsOf, emit, err_console, progress
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
    def report(event: EventOpt = None, asof: AsOf = None, lang: LangOpt = "en",
               out: OutOpt = None, pdf: PdfOpt = False, as_json: JsonOpt = False,
               quiet: QuietOpt = False, window: WindowOpt = None, events: EventsOpt = None,
               retrospective: RetroOpt = False) -> None:
        """Write the forensic report (every section computed from data; en or zh)."""
        from crashlens.report import build_report, write_report
        from crashlens.report.i18n import check_lang
        from crashlens.report.sections import ORDER

        check_lang(lang)
        if out is not None and out.is_dir():
            raise ParameterError(f"--out: {out} is a folder; give a file name ending in .html")
        if out is not None and not as_json:
            from crashlens._atomic import check_output_path

            check_output_path(out)  # /dev/full, a read-only folder, a path under a file: now
        with progress("building report", total=len(ORDER), quiet=quiet or as_json) as advance:
            rep = build_report(event=event, asof=asof, lang=lang,
                               on_section=lambda _s: advance(), window=window,
                               events=events, retrospective=retrospective)
        if as_json:
            emit(rep, True)
            return
        target = out or default_out(event, asof or (window[1] if window else None), lang)
        paths = write_report(rep, target, pdf=pdf)
        for s in rep.sections:
            if s.status == "error":
                err_console.print(f"warning: section {s.ident}: {s.notice}", highlight=False,
                                  markup=False)
        err_console.print(rep.attached_line(), highlight=False, markup=False)
        stamp = " [SYNTHETIC DATA]" if rep.synthetic else ""
        for p in paths:
            typer.echo(f"wrote {p}{stamp} ({rep.seconds:.1f}s)")
