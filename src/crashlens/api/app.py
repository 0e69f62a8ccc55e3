"""FastAPI application: engine endpoints mirroring the CLI, the report, and the dashboard.

Errors: bad dates, unknown assets/events/examples and engine input errors (every
:class:`~crashlens.errors.CrashlensError`) answer 422 with a one-line ``detail``; an engine
missing from this build answers 404. Any other exception is a bug: the answer is 500 with an
error id (``{"detail": "internal error (id ...)", "error_id": ...}``, header ``X-Error-Id``)
and the traceback is logged at error level with the same id (:class:`InternalErrors`). No
endpoint takes a file
path: example files are chosen by name from the shipped examples, and ``/reports/{name}`` only
serves plain file names inside the reports folder. No answer reveals server paths: every JSON,
HTML and text body has the paths under known roots (the data folder, ``CRASHLENS_HOME``, the
package, the working folder, the home folder) written relative to them, e.g.
``$CRASHLENS_DATA/spy_options_chain_20251120_quotedata.csv`` (:mod:`crashlens.api.paths`); and
in error texts any absolute path is cut to its file name (:func:`public_message`), in a 422's
``detail`` and in a report section's notice and warnings (``/api/section``, ``/api/report``).

Only requests whose ``Host`` header is trusted are answered (400 otherwise): a page on another
site cannot reach a dashboard on 127.0.0.1 through DNS rebinding. The trusted names are
loopback ones (:data:`DEFAULT_TRUSTED_HOSTS`), plus the ``--host`` the server binds and any in
``CRASHLENS_TRUSTED_HOSTS`` (comma-separated).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crashlens import __version__
from crashlens._result import json_safe
from crashlens.api import sessions
from crashlens.api.monitor import monitor
from crashlens.api.paths import PublicPaths
from crashlens.errors import CrashlensError, ParameterError
from crashlens.report import engines
from crashlens.report.context import SectionOutput
from crashlens.report.events import EVENTS
from crashlens.report.i18n import Translator
from crashlens.report.sections import ORDER

log = logging.getLogger(__name__)

Lang = Literal["en", "zh"]
SectionId = Literal["summary", "anatomy", "cta", "gamma", "crypto", "systemic", "macro",
                    "catalysts", "analogs", "scenarios", "audit", "provenance"]
assert set(SectionId.__args__) == set(ORDER)  # type: ignore[attr-defined]

NAME_RE = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
REPORT_FILE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,120}\.(html|pdf|png)$")
MAX_ASSETS = 40

AsofQ = Annotated[str | None, Query(description="As-of date YYYY-MM-DD (default: newest data).",
                                    max_length=32)]
EventQ = Annotated[str | None, Query(description="Named event: 2025-11 or 2026-02.",
                                     max_length=32)]
AssetsQ = Annotated[str | None, Query(description="Comma-separated catalog names.",
                                      max_length=400)]
LangQ = Annotated[Lang, Query(description="Language of texts: en or zh.")]
ExampleQ = Annotated[str | None, Query(description="Name of a shipped example file (no path).",
                                       max_length=64)]
AumQ = Annotated[float | None, Query(description="Effective trend AUM in USD (CTA).")]
DetailQ = Annotated[bool, Query(description="Detailed to_dict where the engine offers one.")]

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Engine not available in this build"},
    422: {"description": "Bad input (date, asset, event, parameter) with a message"},
    500: {"description": "A bug: 'internal error (id ...)'; the server log has the traceback "
                         "under that id"},
}


#: Host names answered by default: loopback, and Starlette's test client ("testserver",
#: a name no DNS resolves, so no page can make a browser send it).
DEFAULT_TRUSTED_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "[::1]",
                                          "testserver")

_ABS_PATH = re.compile(r"(?<![\w.])/(?:[^\s/'\",;:()\[\]]+/)+([^\s/'\",;:()\[\]]*)")


def public_message(message: str) -> str:
    """An error message safe to send to a client: absolute paths cut to their last part.

    ``/work/shared/data/raw/sp500_daily_ohlc.csv, row 5: ...`` becomes
    ``sp500_daily_ohlc.csv, row 5: ...``; the server's folders stay private.
    """
    return _ABS_PATH.sub(lambda m: m.group(1) or "<path>", message)


def _public_section(out: SectionOutput) -> SectionOutput:
    """A copy of a section whose notice and warnings went through :func:`public_message`.

    A section that failed carries its error's text (a :class:`~crashlens.errors.DataError`
    names the file at fault with its absolute path) in ``notice``; a warning may wrap an
    error the same way. The cached output is left as built (the CLI's report shows paths).
    """
    return dataclasses.replace(out, notice=public_message(out.notice),
                               warnings=[public_message(w) for w in out.warnings])


def trusted_hosts(extra: Sequence[str] = ()) -> list[str]:
    """The Host header values the API answers (defaults, ``extra``, the environment)."""
    env = [h.strip() for h in os.environ.get("CRASHLENS_TRUSTED_HOSTS", "").split(",")
           if h.strip()]
    names = [*DEFAULT_TRUSTED_HOSTS, *extra, *env]
    # an IPv6 literal arrives bracketed in the Host header ("[fe80::1]:8050")
    names += [f"[{h}]" for h in names if ":" in h and not h.startswith("[")]
    return list(dict.fromkeys(names))


def reports_dir() -> Path:
    """Folder served under ``/reports`` (``CRASHLENS_REPORTS``, default ``./reports``)."""
    return Path(os.environ.get("CRASHLENS_REPORTS", "reports")).resolve()


def _assets(value: str | None) -> tuple[str, ...] | None:
    if value is None or not value.strip():
        return None
    from crashlens.data import spec

    names = [v.strip() for v in value.split(",") if v.strip()]
    if len(names) > MAX_ASSETS:
        raise ParameterError(f"assets: at most {MAX_ASSETS} names")
    return tuple(spec(n).name for n in names)


def _request(asof: str | None, event: str | None = None, assets: str | None = None,
             aum: float | None = None, detail: bool = False,
             example: str | None = None) -> engines.Request:
    a = start = None
    if event is not None or asof is not None:
        a, start, _ = sessions.dates(event, asof)
    if aum is not None and (not math.isfinite(aum) or aum < 0):
        raise ParameterError(f"aum: {aum!r} must be a finite, non-negative amount in USD")
    if example is not None and not NAME_RE.match(example):
        raise ParameterError("example: a name of letters, digits, '-' or '_' (no path)")
    return engines.Request(asof=a, start=start if event is not None else None,
                           assets=_assets(assets), aum=aum, detail=detail, example=example)


class InternalErrors:
    """ASGI middleware: an exception that is not a user error answers 500 with an error id.

    User errors (:class:`CrashlensError`, validation, :class:`HTTPException`) are answered by
    the app's own handlers inside this middleware and never reach it. Anything else is a bug:
    it is logged once at error level with its traceback and a fresh id (``extra={"error_id":
    id}`` on the record, the id in the message), and the client gets ``500 {"detail": "internal
    error (id ...)", "error_id"}``, so a user can quote the id and the operator find the
    traceback. Starlette's own ``exception_handler(Exception)`` would re-raise after answering,
    logging the traceback a second time without the id; hence this small middleware.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; answer a bug with 500 and its id unless the answer has started."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as exc:  # a bug: answered as a 500 with an id, never swallowed
            error_id = uuid.uuid4().hex[:12]
            log.error("internal error %s on %s %s", error_id, scope.get("method", "?"),
                      scope.get("path", "?"), exc_info=exc, extra={"error_id": error_id})
            if started:  # the response is under way: nothing more can be sent
                raise
            response = JSONResponse(
                {"detail": f"internal error (id {error_id}); the server log has the details",
                 "error_id": error_id},
                status_code=500, headers={"X-Error-Id": error_id})
            await response(scope, receive, send)


def _engine_json(name: str, req: engines.Request) -> JSONResponse:
    res = sessions.engine_result(name, req)
    return JSONResponse(json_safe(engines.to_json(res, req.detail, name)))


def create_app(hosts: Sequence[str] = ()) -> FastAPI:
    """Build the FastAPI application.

    Parameters
    ----------
    hosts : sequence of str
        Host header values to trust besides :data:`DEFAULT_TRUSTED_HOSTS` and
        ``CRASHLENS_TRUSTED_HOSTS`` (``crashlens serve`` adds its ``--host``).
    """
    app = FastAPI(title="crashlens", version=__version__,
                  description="Market-structure forensics of sell-offs: the same JSON as the "
                  "CLI's --json, the forensic report and a live dashboard.")
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=trusted_hosts(hosts))
    app.add_middleware(InternalErrors)
    # outermost: the 500 answers and every endpoint's body pass through it
    app.add_middleware(PublicPaths)

    @app.exception_handler(CrashlensError)
    async def _crashlens_error(_req: Request, exc: CrashlensError) -> JSONResponse:
        return JSONResponse({"detail": public_message(str(exc))}, status_code=422)

    def add_engine(name: str) -> None:
        eng = engines.ENGINES[name]

        def endpoint(asof: AsofQ = None, event: EventQ = None, assets: AssetsQ = None,
                     aum: AumQ = None, detail: DetailQ = False,
                     example: ExampleQ = None) -> JSONResponse:
            return _engine_json(name, _request(asof, event, assets, aum, detail, example))

        endpoint.__name__ = f"api_{name}"
        endpoint.__doc__ = eng.summary
        app.get(f"/api/{name}", responses=ERRORS, summary=eng.summary,
                tags=["engines"])(endpoint)

    for name in engines.ENGINES:
        add_engine(name)

    @app.get("/api/report", responses=ERRORS, tags=["report"])
    def api_report(event: EventQ = None, asof: AsofQ = None, lang: LangQ = "en") -> JSONResponse:
        """The whole report as JSON: what ``crashlens report --json`` prints, server paths cut."""
        rep = sessions.report(event, asof, lang)
        rep = dataclasses.replace(rep, sections=tuple(map(_public_section, rep.sections)),
                                  warnings=tuple(public_message(w) for w in rep.warnings))
        return JSONResponse(json_safe(rep.to_dict()))

    @app.get("/api/sections", tags=["dashboard"])
    def api_sections(lang: LangQ = "en") -> JSONResponse:
        """Section ids and titles in reading order."""
        t = Translator(lang)
        return JSONResponse([{"id": s, "title": t(f"section.{s}")} for s in ORDER])

    @app.get("/api/section/{ident}", responses=ERRORS, tags=["dashboard"])
    def api_section(ident: SectionId, event: EventQ = None, asof: AsofQ = None,
                    lang: LangQ = "en") -> JSONResponse:
        """One report section: HTML fragment, plotly figures and its data."""
        from crashlens.report.builder import render_section

        ctx = sessions.session(event, asof, lang)
        out = _public_section(sessions.section(ctx, ident))
        html, figures = render_section(out, lang, ctx.synthetic, charts_as="json")
        return JSONResponse(json_safe({"id": ident, "status": out.status, "title": out.title,
                                       "asof": ctx.asof, "lang": lang,
                                       "synthetic": ctx.synthetic, "html": html,
                                       "figures": figures, "section": out.to_dict()}))

    @app.get("/api/monitor", responses=ERRORS, tags=["dashboard"])
    def api_monitor(lang: LangQ = "en") -> JSONResponse:
        """Fragility composite, CTA trigger distances and gamma regime on the newest data."""
        return JSONResponse(monitor(lang))

    @app.get("/api/meta", tags=["dashboard"])
    def api_meta() -> JSONResponse:
        """Store coverage, named events, languages and which engines this build has."""
        from crashlens import data as cldata

        latest = sessions.newest()  # cached; no lock held while computing
        synthetic = cldata.is_synthetic()
        return JSONResponse({
            "version": __version__, "latest": latest.date().isoformat(), "earliest":
            "1990-01-02", "synthetic": synthetic, "languages": ["en", "zh"],
            "events": {k: {"asof": e.asof, "start": e.start, "name_en": e.name_en,
                           "name_zh": e.name_zh} for k, e in EVENTS.items()},
            "engines": dict.fromkeys(engines.ENGINES, True),  # every engine is built
        })

    @app.get("/reports/{name}", tags=["files"], responses={404: {"description": "No such "
                                                                 "report file"}})
    def report_file(name: str) -> FileResponse:
        """A generated report file by plain name (no folders: no path traversal)."""
        if not REPORT_FILE_RE.match(name) or ".." in name:
            raise HTTPException(404, "no such report file")
        root = reports_dir()
        path = (root / name).resolve()
        if path.parent != root or not path.is_file():
            raise HTTPException(404, "no such report file")
        return FileResponse(path)

    @app.get("/static/plotly.js", include_in_schema=False)
    def plotly_bundle() -> Response:
        from crashlens.report.charts import plotly_js

        return Response(plotly_js(), media_type="application/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    def page(view: str, lang: str) -> HTMLResponse:
        from crashlens.api.dashboard import render_dashboard

        return HTMLResponse(render_dashboard(view, lang))

    @app.get("/", include_in_schema=False)
    def dashboard(lang: LangQ = "en") -> HTMLResponse:
        return page("report", lang)

    @app.get("/monitor", include_in_schema=False)
    def monitor_page(lang: LangQ = "en") -> HTMLResponse:
        return page("monitor", lang)

    return app


__all__ = ["InternalErrors", "create_app", "reports_dir"]
