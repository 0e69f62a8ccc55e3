"""A report section's error, omission or warning reaches the client without server paths.

The section's notice quotes its error (a DataError names the file at fault by absolute path);
``/api/section/{ident}`` and ``/api/report`` cut paths to the file name as the API's 422 and
the monitor do (``public_message``). The expected texts are the English templates of
``state.error`` / ``state.omitted`` filled by hand.
"""

from __future__ import annotations

import pytest

import crashlens.report.sections.cta as cta_section
from crashlens.errors import DataError, InsufficientDataError
from crashlens.report.context import SectionOutput

RAW = "/work/shared/data/raw/sp500_daily_ohlc.csv"


@pytest.fixture()
def fresh_sessions():
    from crashlens.api import sessions

    sessions.clear()
    yield sessions
    sessions.clear()


def _raise(exc: Exception):
    def build(ctx):
        raise exc

    return build


def test_section_error_path_is_cut_to_the_file_name(client, fresh_sessions, monkeypatch):
    monkeypatch.setattr(cta_section, "build", _raise(
        DataError("'abc' is not a number", path=RAW, row=5, column="Close")))
    r = client.get("/api/section/cta", params={"asof": "2025-11-21"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "error"
    expected = ("This section could not be computed: sp500_daily_ohlc.csv, row 5, "
                "column 'Close': 'abc' is not a number")
    assert body["section"]["notice"] == expected
    assert "sp500_daily_ohlc.csv, row 5" in body["html"]
    assert "/work/" not in r.text and "data/raw" not in r.text
    # the cached output keeps the path: the CLI's report (a local file) still names it
    ctx = fresh_sessions.session(None, "2025-11-21", "en")
    assert RAW in fresh_sessions.section(ctx, "cta").notice


def test_omitted_section_and_warnings_are_cut_too(client, fresh_sessions, monkeypatch):
    monkeypatch.setattr(cta_section, "build", _raise(
        InsufficientDataError(f"{RAW}: 12 rows before 2025-11-21, 260 needed")))
    r = client.get("/api/section/cta", params={"asof": "2025-11-21", "lang": "en"})
    assert r.json()["section"]["notice"] == (
        "Left out for this date: sp500_daily_ohlc.csv: 12 rows before 2025-11-21, 260 needed")
    assert "/work/" not in r.text

    def with_warning(ctx):
        return SectionOutput("cta", "CTA", paragraphs=["fine"],
                             warnings=["odds skipped: /srv/data/fed/odds.csv, row 3: bad"])

    fresh_sessions.clear()
    monkeypatch.setattr(cta_section, "build", with_warning)
    r = client.get("/api/section/cta", params={"asof": "2025-11-21"})
    assert r.json()["section"]["warnings"] == ["odds skipped: odds.csv, row 3: bad"]
    assert "/srv/" not in r.text and "odds.csv, row 3" in r.json()["html"]


def test_api_report_cuts_section_paths(client, fresh_sessions, monkeypatch):
    import pandas as pd

    from crashlens.report.builder import ReportResult

    day = pd.Timestamp("2025-11-21")
    bad = SectionOutput("cta", "CTA", status="error",
                        notice=f"This section could not be computed: {RAW}: no rows",
                        warnings=[f"{RAW}: stale"])
    rep = ReportResult(asof=day, start=day, lang="en", event=None, synthetic=False,
                       sections=(bad,), warnings=(f"{RAW}: stale",))
    monkeypatch.setattr(fresh_sessions, "report", lambda event, asof, lang: rep)
    r = client.get("/api/report", params={"asof": "2025-11-21"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["sections"][0]["notice"] == (
        "This section could not be computed: sp500_daily_ohlc.csv: no rows")
    assert body["sections"][0]["warnings"] == body["warnings"] == ["sp500_daily_ohlc.csv: stale"]
    assert "/work/" not in r.text
