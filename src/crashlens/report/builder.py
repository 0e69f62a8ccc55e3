"""Build the forensic report: run every section under guard, then render HTML (and PDF).

Typical use::

    from crashlens.report import build_report, render_html
    rep = build_report(event="2025-11", lang="zh")
    html = render_html(rep)
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import importlib
import json
import logging
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from crashlens import __version__, notes
from crashlens import data as cldata
from crashlens._atomic import write_atomic
from crashlens._result import Result, json_safe
from crashlens.data.source import Source, SourceLike, WrappedSource
from crashlens.errors import CrashlensError, InsufficientDataError, ParameterError
from crashlens.report import fmt
from crashlens.report.charts import plotly_js, to_div, to_json
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.events import Event, covering, registry, resolve
from crashlens.report.figtext import localise_dates
from crashlens.report.i18n import TEXT, Translator, check_lang
from crashlens.report.sections import LATE, ORDER

log = logging.getLogger(__name__)

#: Longest engine error message shown in a section (the JSON API has the whole message).
MAX_NOTICE = 400
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run")


@dataclasses.dataclass(frozen=True)
class ReportResult(Result):
    """A built report: its inputs and the output of every section (in reading order).

    ``to_dict()`` is what ``crashlens report --json`` prints and ``/api/report`` returns.
    """

    asof: pd.Timestamp
    start: pd.Timestamp
    lang: str
    event: str | None
    synthetic: bool
    sections: tuple[SectionOutput, ...] = ()
    seconds: float = 0.0
    attached: Event | None = None
    retrospective: bool = False

    def attached_line(self) -> str:
        """One line naming the event whose files the report uses, or saying there is none."""
        t = Translator(self.lang)
        if self.attached is None:
            return t("report.no_event", date=fmt.date(self.asof, self.lang))
        files = fmt.join((f"{t('event_file.' + k)} {v.rsplit('/', 1)[-1]}"
                          for k, v in self.attached.files().items()), self.lang)
        return t("report.attached", event=self.attached.name(self.lang), files=files)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe form: inputs plus each section's ``to_dict()``.

        Timings are left out so the same inputs always give the same JSON (CLI and API).
        """
        return {
            "asof": json_safe(self.asof), "start": json_safe(self.start), "end":
            json_safe(self.asof), "lang": self.lang, "event": self.event,
            "synthetic": self.synthetic, "version": __version__,
            "attached": ({"key": self.attached.key, **self.attached.files()}
                         if self.attached is not None else None),
            "attached_line": self.attached_line(), "retrospective": self.retrospective,
            "sections": [s.to_dict() for s in self.sections],
            "assumptions": json_safe(self.assumptions), "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        """One line per section with its status."""
        head = f"crashlens report as of {self.asof.date()} ({self.lang})"
        if self.synthetic:
            head += " [SYNTHETIC DATA]"
        lines = [head]
        for s in self.sections:
            extra = f" - {s.notice}" if s.notice else ""
            lines.append(f"  {s.ident:<11} {s.status:<11} {s.seconds:6.2f}s{extra}")
        return "\n".join(lines)

    def section(self, ident: str) -> SectionOutput:
        """The output of one section by id."""
        for s in self.sections:
            if s.ident == ident:
                return s
        raise KeyError(ident)


def latest_date() -> pd.Timestamp:
    """Newest S&P 500 date of the active source (the default as-of date)."""
    return pd.Timestamp(cldata.close("SPX").index.max())


def make_context(event: str | None = None, asof: Any = None, lang: str = "en", *,
                 window: tuple[Any, Any] | None = None, events: Any = None,
                 retrospective: bool = False, source: SourceLike = None) -> ReportContext:
    """Resolve the inputs and return a fresh :class:`ReportContext`.

    ``events`` adds a user's events (a file or a mapping of :class:`Event`) to the shipped ones;
    the attached event is the named one, else the one covering the as-of date. ``source`` is
    where the sections read (default: the active source, normally the store); the default
    as-of date is its newest S&P 500 date.
    """
    t = Translator(check_lang(lang))
    src = cldata.as_source(source)
    with cldata.using(src):
        reg = registry(events)
        a, start, key = resolve(event, asof, latest=latest_date(), window=window, events=reg)
        synthetic = cldata.is_synthetic()
    attached = reg[key] if key is not None else covering(a, reg.values())
    return ReportContext(asof=a, start=start, end=a, lang=lang, event=key,
                         synthetic=synthetic, t=t, attached=attached,
                         retrospective=retrospective, source=src)


class RecordingSource(WrappedSource):
    """A source that notes the name of every series read through it (for the provenance).

    The report runs each section with this wrapper of its source active, so the series read
    by the engines (through :func:`crashlens.data.get`, ``close`` and ``panel``) are listed
    with those the sections read themselves. Everything else is the wrapped source's (and
    :func:`crashlens.data.source.is_store` sees the store through it).

    Parameters
    ----------
    inner : Source
        The source read.
    used : set of str
        Catalog names read are added here.
    """

    def __init__(self, inner: Source, used: set[str]) -> None:
        super().__init__(inner)
        self.used = used

    def read(self, name: str, start: pd.Timestamp | None = None,
             end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
             ) -> pd.DataFrame:
        """Rows of one series (see :meth:`crashlens.data.Source.read`), noted as used."""
        self.used.add(str(name))
        return self.inner.read(name, start, end, fields)

    def panel(self, columns: Sequence[tuple[str, str]], start: pd.Timestamp | None = None,
              end: pd.Timestamp | None = None) -> pd.DataFrame:
        """Several series side by side (see :meth:`crashlens.data.Source.panel`), noted."""
        self.used.update(str(name) for name, _ in columns)
        return self.inner.panel(columns, start, end)


@contextlib.contextmanager
def record_reads(ctx: ReportContext) -> Iterator[Source]:
    """Run the block with the report's source active, noting in ``ctx.used`` every series read.

    The source is ``ctx.source``, else the one active now (normally the store). A context
    variable, so reports built at the same time in other threads are not mixed up.
    """
    src = ctx.source if ctx.source is not None else cldata.active()
    with cldata.using(RecordingSource(src, ctx.used)) as active:
        yield active


def run_section(ctx: ReportContext, ident: str) -> SectionOutput:
    """Build one section; user errors become an "error" section, a bug is raised.

    Too little history (:class:`InsufficientDataError`) leaves the section out with its
    reason; any other :class:`CrashlensError` (bad data, bad parameter) gives an "error"
    section and the rest of the report goes on. Any other exception is a bug in crashlens: it
    propagates (a note names the section and the as-of date), so ``crashlens report`` prints
    "internal error" and exits 1 and the API answers 500 with an error id, instead of a
    report that hides it.
    """
    if ident not in ORDER:
        raise ParameterError(f"unknown section '{ident}' (known: {', '.join(ORDER)})")
    title = ctx.t(f"section.{ident}")
    t0 = time.perf_counter()
    try:
        module = importlib.import_module(f"crashlens.report.sections.{ident}")
        with record_reads(ctx):
            out: SectionOutput = module.build(ctx)
        for chart in out.charts:
            localise_dates(chart.figure, ctx.lang)
        out.warnings = [notes.text(w, ctx.lang) for w in out.warnings]
    except InsufficientDataError as exc:
        # too little history for this date: the section is left out, with the reason
        out = SectionOutput(ident, title, status="omitted",
                            notice=ctx.t("state.omitted",
                                         message=notes.text(notes.reason(exc),
                                                            ctx.lang)[:MAX_NOTICE]))
    except CrashlensError as exc:
        msg = notes.text(notes.reason(exc), ctx.lang)  # an error raised with a note: its language
        if len(msg) > MAX_NOTICE:
            msg = msg[:MAX_NOTICE].rstrip() + " …"
        out = SectionOutput(ident, title, status="error",
                            notice=ctx.t("state.error", message=msg))
    except Exception as exc:  # a bug: visible, never an "error" section (issue 12, part 4)
        exc.add_note(f"while building report section '{ident}' as of {ctx.asof.date()}")
        raise
    out.seconds = time.perf_counter() - t0
    ctx.outputs[ident] = out
    return out


def build_report(event: str | None = None, asof: Any = None, lang: str = "en", *,
                 sections: Sequence[str] | None = None,
                 on_section: Callable[[str], None] | None = None,
                 window: tuple[Any, Any] | None = None, events: Any = None,
                 retrospective: bool = False, source: SourceLike = None) -> ReportResult:
    """Build the report.

    Parameters
    ----------
    event : str, optional
        Named event (``"2025-11"``, ``"2026-02"``); mutually exclusive with ``asof``.
    asof : str or Timestamp, optional
        As-of date (default: newest data of the source).
    lang : {"en", "zh"}
        Language of every text.
    sections : sequence of str, optional
        Restrict to these section ids (the summary and provenance are still built last).
    on_section : callable, optional
        Called with each section id after it is built (progress bars).
    window : (start, end), optional
        Explicit window; the report is as of ``end`` (with ``event``: replaces its window).
    events : str, Path or mapping, optional
        A user's events file (or mapping) added to the shipped events.
    retrospective : bool, default False
        Add ex-post material graded with data after the as-of date (labelled as such).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Every section runs with it active.

    Returns
    -------
    ReportResult
    """
    t0 = time.perf_counter()
    ctx = make_context(event, asof, lang, window=window, events=events,
                       retrospective=retrospective, source=source)
    wanted = list(ORDER) if sections is None else [s for s in ORDER if s in set(sections)]
    for s in set(sections or ()) - set(ORDER):
        raise ParameterError(f"unknown section '{s}' (known: {', '.join(ORDER)})")
    for ident in [s for s in wanted if s not in LATE] + [s for s in LATE if s in wanted]:
        run_section(ctx, ident)
        if on_section is not None:
            on_section(ident)
    outs = tuple(ctx.outputs[s] for s in wanted)
    return ReportResult(asof=ctx.asof, start=ctx.start, lang=lang, event=ctx.event,
                        synthetic=ctx.synthetic, sections=outs,
                        seconds=time.perf_counter() - t0, attached=ctx.attached,
                        retrospective=ctx.retrospective,
                        warnings=tuple(w for o in outs for w in o.warnings))


#: Longest table kept in the PDF's main body; longer ones move to the appendix.
PRINT_MAX_ROWS = 12
#: Height of a chart in the PDF, in CSS pixels (a third of an A4 page).
PRINT_CHART_HEIGHT = 290


@functools.cache  # one environment: its templates are compiled once per process
def _env() -> Environment:
    env = Environment(loader=PackageLoader("crashlens.report", "templates"),
                      autoescape=select_autoescape(["html", "j2", "html.j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.tests["length_above"] = lambda rows, n: len(rows) > n
    from crashlens.report.sections.provenance import param_text

    env.filters["param"] = lambda v, key="": param_text(v, "en", str(key))
    return env


def _chart_html(report: ReportResult, print_mode: bool = False) -> dict[str, Any]:
    out = {}
    for s in report.sections:
        for i, c in enumerate(s.charts):
            out[f"{s.ident}:{i}"] = to_div(c.figure, c.ident or f"chart-{s.ident}-{i}",
                                           static_height=PRINT_CHART_HEIGHT if print_mode
                                           else None)
    return out


def render_html(report: ReportResult, *, inline_js: bool = True,
                print_mode: bool = False, js_slot: str = "") -> str:
    """Render a self-contained HTML page (plotly.js inlined once unless ``inline_js=False``).

    ``print_mode`` renders the PDF's layout: static charts without toolbars, tables longer
    than :data:`PRINT_MAX_ROWS` and every section's assumptions and warnings in an appendix
    (with the provenance), so the main body stays short.
    """
    t = Translator(report.lang)
    ev = report.attached if report.event else None
    tmpl = _env().get_template("report.html.j2")
    return tmpl.render(
        r=report, t=t, fmt=fmt, lang=report.lang, charts=_chart_html(report, print_mode),
        print_rows=PRINT_MAX_ROWS,
        event_name=ev.name(report.lang) if ev else "",
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        plotly_js=plotly_js() if inline_js else js_slot, version=__version__,
        print_mode=print_mode, titles={s.ident: s.title for s in report.sections},
    )


def render_section(section: SectionOutput, lang: str, synthetic: bool, *,
                   charts_as: str = "html") -> tuple[str, list[dict[str, Any]]]:
    """Render one section's HTML fragment (the dashboard's unit of update).

    With ``charts_as="json"`` the charts are empty ``<div>`` placeholders and the figures come
    back as plotly JSON (``[{"id": div_id, "figure": {...}}]``) for ``Plotly.newPlot``.
    """
    tmpl = _env().get_template("section.html.j2")
    charts: dict[str, Any] = {}
    figures: list[dict[str, Any]] = []
    for i, c in enumerate(section.charts):
        div_id = c.ident or f"chart-{section.ident}-{i}"
        if charts_as == "json":
            charts[f"{section.ident}:{i}"] = Markup(
                f'<div id="{escape(div_id)}" class="plotly-chart" data-chart="{escape(div_id)}">'
                "</div>")
            figures.append({"id": div_id, "figure": json.loads(to_json(c.figure))})
        else:
            charts[f"{section.ident}:{i}"] = to_div(c.figure, div_id)
    html = tmpl.render(s=section, t=Translator(lang), fmt=fmt, lang=lang, charts=charts,
                       synthetic=synthetic)
    return html, figures


def find_chromium() -> str | None:
    """Path of a Chromium binary, or None."""
    for cand in CHROMIUM_CANDIDATES:
        path = shutil.which(cand)
        if path:
            return path
    return None


def html_to_pdf(html_path: Path, pdf_path: Path, *, timeout: float = 120.0) -> Path:
    """Print an HTML file to PDF with headless Chromium (CJK needs a CJK font installed).

    Raises
    ------
    CrashlensError
        When Chromium is not installed or fails.
    """
    exe = find_chromium()
    if exe is None:
        raise CrashlensError("--pdf needs Chromium (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="crashlens-chromium-") as prof:
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={prof}", "--no-pdf-header-footer",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=15000",
               f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired as exc:
            raise CrashlensError(f"Chromium timed out after {timeout:.0f}s printing "
                                 f"{html_path}") from exc
    if proc.returncode != 0 or not pdf_path.exists():
        tail = (proc.stderr or "").strip().splitlines()[-1:] or [""]
        raise CrashlensError(f"Chromium could not print {html_path} to PDF: {tail[0]}")
    return pdf_path


def write_report(report: ReportResult | Rendered, out: Path, *, pdf: bool = False) -> list[Path]:
    """Write the HTML (atomically) and optionally the PDF beside it; return the paths.

    ``report`` is a built report or its :class:`Rendered` pages (a cached report).
    """
    pages = report if isinstance(report, Rendered) else render(report, pdf=pdf)
    out = Path(out)
    write_atomic(out, pages.html(), encoding="utf-8")
    paths = [out]
    if pdf:
        if pages.print_body is None:
            raise CrashlensError("this rendering has no print layout; rebuild with pdf=True")
        with tempfile.TemporaryDirectory(prefix="crashlens-print-") as folder:
            printable = Path(folder) / out.name
            printable.write_text(pages.html(printable=True), encoding="utf-8")
            paths.append(html_to_pdf(printable, out.with_suffix(".pdf")))
    return paths


@dataclasses.dataclass(frozen=True)
class Rendered:
    """A report rendered to HTML, without plotly.js (added when written).

    With what the CLI prints about it, this is the form the report cache keeps
    (:mod:`crashlens.report.cache`).

    Attributes
    ----------
    body : str
        The screen page without the plotly.js bundle.
    print_body : str or None
        The print layout (for ``--pdf``), when rendered.
    data : dict
        ``ReportResult.to_dict()`` (what ``--json`` prints).
    attached_line : str
        The one line naming the event files used.
    errors : tuple of (str, str)
        ``(section id, notice)`` of the sections that failed.
    synthetic : bool
        Whether the store held the synthetic market.
    """

    body: str
    print_body: str | None
    data: dict[str, Any]
    attached_line: str
    errors: tuple[tuple[str, str], ...]
    synthetic: bool

    def html(self, *, printable: bool = False) -> str:
        """The self-contained page: the body with plotly.js inlined once."""
        body = self.print_body if printable else self.body
        assert body is not None
        return body.replace(_PLOTLY_SLOT, plotly_js(), 1)


#: Where the plotly.js bundle goes in a rendered body (replaced when the page is written).
_PLOTLY_SLOT = "/*crashlens:plotly.js*/"


def render(report: ReportResult, *, pdf: bool = True) -> Rendered:
    """Render ``report`` for writing (and caching): screen page, print layout, JSON."""
    def body(print_mode: bool) -> str:
        return render_html(report, inline_js=False, print_mode=print_mode,
                           js_slot=_PLOTLY_SLOT)

    return Rendered(
        body=body(False), print_body=body(True) if pdf else None,
        data=report.to_dict(),
        attached_line=report.attached_line(),
        errors=tuple((s.ident, s.notice) for s in report.sections if s.status == "error"),
        synthetic=report.synthetic)


__all__ = ["TEXT", "RecordingSource", "Rendered", "ReportResult", "build_report",
           "find_chromium", "html_to_pdf", "latest_date", "make_context", "record_reads",
           "render", "render_html", "render_section", "run_section", "write_report"]
