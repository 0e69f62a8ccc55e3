"""A bug is a 500 with an error id (logged with its traceback); a user error stays 422/404.

Issue 12, part 4: the API used to turn every exception into a 422, so a bug looked like bad
input and the fuzz test's "never a 5xx" could not fail. These tests inject a bug (an engine,
a report section, the monitor raising ``RuntimeError``) and check the answer and the log.
"""

from __future__ import annotations

import dataclasses
import logging
import re

import pytest

from crashlens.errors import DataError
from crashlens.report import engines

ID = re.compile(r"^[0-9a-f]{12}$")


def _raise(exc: Exception):
    def adapter(fn, req):
        raise exc

    return adapter


def _bug_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records
            if r.name == "crashlens.api.app" and r.levelno == logging.ERROR]


def test_injected_engine_bug_is_500_with_an_id_in_the_log(client, fake_engines, monkeypatch,
                                                          caplog):
    eng = engines.ENGINES["fragility"]
    monkeypatch.setitem(engines.ENGINES, "fragility", dataclasses.replace(
        eng, adapter=_raise(RuntimeError("engine bug 7f3a"))))
    with caplog.at_level(logging.ERROR, logger="crashlens.api.app"):
        r = client.get("/api/fragility")
    assert r.status_code == 500, r.text
    body = r.json()
    error_id = body["error_id"]
    assert ID.match(error_id)
    assert body["detail"] == (f"internal error (id {error_id}); the server log has the "
                              "details")
    assert r.headers["X-Error-Id"] == error_id
    # the bug's own message stays in the server log, not in the answer
    assert "engine bug 7f3a" not in r.text
    records = _bug_records(caplog)
    assert len(records) == 1
    rec = records[0]
    assert rec.error_id == error_id  # type: ignore[attr-defined]
    assert error_id in rec.getMessage() and "/api/fragility" in rec.getMessage()
    assert rec.exc_info is not None and rec.exc_info[0] is RuntimeError
    assert "engine bug 7f3a" in caplog.text and "Traceback" in caplog.text


def test_each_bug_gets_its_own_id(client, fake_engines, monkeypatch, caplog):
    eng = engines.ENGINES["cta"]
    monkeypatch.setitem(engines.ENGINES, "cta", dataclasses.replace(
        eng, adapter=_raise(KeyError("signal"))))
    with caplog.at_level(logging.ERROR, logger="crashlens.api.app"):
        ids = [client.get("/api/cta", params={"asof": d}).json()["error_id"]
               for d in ("2025-11-20", "2025-11-21")]
    assert ids[0] != ids[1]
    assert [r.error_id for r in _bug_records(caplog)] == ids  # type: ignore[attr-defined]


def test_user_error_from_an_engine_stays_422_and_logs_no_error(client, fake_engines,
                                                                monkeypatch, caplog):
    eng = engines.ENGINES["fragility"]
    monkeypatch.setitem(engines.ENGINES, "fragility", dataclasses.replace(
        eng, adapter=_raise(DataError("no turbulence data", path="/srv/data/x.csv", row=4))))
    with caplog.at_level(logging.ERROR, logger="crashlens.api.app"):
        r = client.get("/api/fragility")
    assert r.status_code == 422
    assert r.json() == {"detail": "x.csv, row 4: no turbulence data"}  # server path cut
    assert not _bug_records(caplog)


def test_bug_in_the_monitor_is_500(client, fake_engines, monkeypatch, caplog):
    from crashlens.api import monitor as mon

    def broken(name, req):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(mon.sessions, "engine_result", broken)
    monkeypatch.setattr(mon.sessions, "newest", lambda: __import__("pandas").Timestamp(
        "2025-11-21"))
    with caplog.at_level(logging.ERROR, logger="crashlens.api.app"):
        r = client.get("/api/monitor")
    assert r.status_code == 500
    assert [rec.error_id for rec in _bug_records(caplog)] == [  # type: ignore[attr-defined]
        r.json()["error_id"]]


def test_user_error_in_the_monitor_is_a_card_notice(client, fake_engines, monkeypatch):
    from crashlens.api import monitor as mon

    def no_data(name, req):
        raise DataError(f"no data for {name}", path=f"/srv/data/{name}.csv")

    monkeypatch.setattr(mon.sessions, "engine_result", no_data)
    monkeypatch.setattr(mon.sessions, "newest", lambda: __import__("pandas").Timestamp(
        "2025-11-21"))
    r = client.get("/api/monitor")
    assert r.status_code == 200
    cards = r.json()
    assert cards["fragility"]["available"] is False
    assert "no data for fragility" in cards["fragility"]["notice"]
    assert "fragility.csv" in cards["fragility"]["notice"]  # the file, not the server's folders
    assert "/srv" not in r.text


@pytest.mark.realdata
def test_bug_in_a_report_section_is_500_on_the_dashboard(client, monkeypatch, caplog):
    """A section raising a non-crashlens exception is not an "error" section any more."""
    import crashlens.report.sections.anatomy as anatomy
    from crashlens.api import sessions

    sessions.clear()

    def build(ctx):
        raise AttributeError("'NoneType' object has no attribute 'frame'")

    monkeypatch.setattr(anatomy, "build", build)
    with caplog.at_level(logging.ERROR, logger="crashlens.api.app"):
        r = client.get("/api/section/anatomy", params={"event": "2025-11"})
    sessions.clear()
    assert r.status_code == 500, r.text
    rec, = _bug_records(caplog)
    assert rec.error_id == r.json()["error_id"]  # type: ignore[attr-defined]
    # the traceback says which section was being built
    assert "report section 'anatomy'" in caplog.text
