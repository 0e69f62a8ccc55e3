"""Per-date report sessions for the dashboard: sections computed lazily, results cached.

Sections of one (dates, language) session share a :class:`~crashlens.report.context.
ReportContext`; engine results are shared between the languages of the same dates.

Concurrency (per request, no global lock around computation):

* :data:`LOCK` guards the cache dictionaries only and is never held while computing;
* each cache key (a session, an engine request, a report) is computed once: concurrent
  requests for the *same* key wait on that key's lock (one of :data:`N_STRIPES` striped
  locks), requests for other keys run at the same time (the store opens one DuckDB connection
  per read, so reads are independent);
* full report builds, the heavy requests, run in a bounded pool of :data:`REPORT_WORKERS`
  threads, so a burst of report requests cannot take every server thread: a cached
  ``/api/cta`` answers while four reports are building.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pandas as pd

from crashlens import data as cldata
from crashlens.report import engines
from crashlens.report.builder import ReportResult, build_report, latest_date, run_section
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.events import EVENTS, covering, resolve
from crashlens.report.i18n import Translator, check_lang
from crashlens.report.sections import LATE, ORDER

#: Guards the cache dictionaries (never held while computing).
LOCK = threading.RLock()
MAX_SESSIONS = 8
MAX_RESULTS = 64
#: Striped per-key locks: the same key is computed once, different keys concurrently.
N_STRIPES = 64
_STRIPES = tuple(threading.RLock() for _ in range(N_STRIPES))
#: Threads building full reports at once (``CRASHLENS_REPORT_WORKERS``, default 2).
REPORT_WORKERS = max(1, int(os.environ.get("CRASHLENS_REPORT_WORKERS", "2") or 2))
_heavy = ThreadPoolExecutor(max_workers=REPORT_WORKERS, thread_name_prefix="crashlens-report")


def key_lock(key: Any) -> threading.RLock:
    """The lock that serialises the computation of one cache key."""
    return _STRIPES[hash(key) % N_STRIPES]

_sessions: OrderedDict[tuple[Any, ...], ReportContext] = OrderedDict()
_shared: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_results: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_reports: OrderedDict[tuple[Any, ...], ReportResult] = OrderedDict()


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any, cap: int) -> Any:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > cap:
        cache.popitem(last=False)
    return value


def clear() -> None:
    """Forget every cached session and result (tests; after a re-ingest)."""
    with LOCK:
        _sessions.clear()
        _shared.clear()
        _results.clear()
        _reports.clear()


_latest: dict[str, pd.Timestamp] = {}


def newest() -> pd.Timestamp:
    """Newest S&P 500 date in the store, cached per store fingerprint."""
    fp = str((cldata.store().manifest() or {}).get("fingerprint"))
    with LOCK:
        if fp in _latest:
            return _latest[fp]
    with key_lock(("newest", fp)):
        with LOCK:
            if fp in _latest:
                return _latest[fp]
        value = latest_date()
        with LOCK:
            _latest.clear()
            _latest[fp] = value
        return value


def dates(event: str | None, asof: str | None) -> tuple[pd.Timestamp, pd.Timestamp, str | None]:
    """Resolve an event / as-of date against the store's newest date."""
    return resolve(event, asof, latest=newest())


def session(event: str | None, asof: str | None, lang: str) -> ReportContext:
    """The (cached) report context of these dates and language."""
    check_lang(lang)
    a, start, key = dates(event, asof)
    skey = (a, start, key, lang)
    with LOCK:
        ctx = _sessions.get(skey)
        if ctx is None:
            shared = _shared.get((a, start))
            if shared is None:
                shared = _remember(_shared, (a, start), {}, MAX_SESSIONS)
            # the event whose files (scenarios, claims, catalysts) apply, as in the report
            attached = EVENTS[key] if key is not None else covering(a)
            ctx = ReportContext(asof=a, start=start, end=a, lang=lang, event=key,
                                synthetic=cldata.is_synthetic(), t=Translator(lang),
                                cache=shared, attached=attached)
            _remember(_sessions, skey, ctx, MAX_SESSIONS)
        return ctx


def section(ctx: ReportContext, ident: str) -> SectionOutput:
    """Compute (once) one section of a session; late sections first compute the others."""
    with key_lock(("session", id(ctx))):  # sections of one session share its context
        if ident in LATE:
            for other in ORDER:
                if other not in LATE and other not in ctx.outputs:
                    run_section(ctx, other)
            if ident == "provenance" and "summary" not in ctx.outputs:
                run_section(ctx, "summary")
        if ident not in ctx.outputs:
            run_section(ctx, ident)
        return ctx.outputs[ident]


def engine_result(name: str, req: engines.Request) -> Any:
    """Cached engine call (same result object as the CLI would compute)."""
    key = (name, req)
    with LOCK:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]
    with key_lock(key):
        with LOCK:  # computed by another request while this one waited
            if key in _results:
                return _results[key]
        res = engines.call(name, req)
        with LOCK:
            return _remember(_results, key, res, MAX_RESULTS)


def report(event: str | None, asof: str | None, lang: str) -> ReportResult:
    """Cached full report (what ``crashlens report --json`` prints)."""
    check_lang(lang)
    a, start, key = dates(event, asof)
    rkey = (a, start, key, lang)
    with LOCK:
        if rkey in _reports:
            return _reports[rkey]
    with key_lock(("report", rkey)):
        with LOCK:
            if rkey in _reports:
                return _reports[rkey]
        # the build runs in the bounded pool; this request thread only waits for it (in a
        # copy of its context, so the source active here is the one the report reads)
        rep = _heavy.submit(contextvars.copy_context().run, build_report, event=event,
                            asof=None if event else a, lang=lang).result()
        with LOCK:
            return _remember(_reports, rkey, rep, MAX_SESSIONS)
