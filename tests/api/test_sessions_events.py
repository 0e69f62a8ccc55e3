"""The dashboard's sessions attach the same event files as the report."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.realdata


def test_dashboard_session_attaches_the_event_files(raw_dir):
    from crashlens.api import sessions
    from crashlens.report.events import EVENTS

    ctx = sessions.session("2025-11", None, "en")
    assert ctx.attached is EVENTS["2025-11"]
    assert sessions.section(ctx, "scenarios").status == "ok"
    far = sessions.session(None, "2020-03-16", "en")
    assert far.attached is None
    out = sessions.section(far, "audit")
    assert out.status == "omitted" and "no event covers 2020-03-16" in out.notice
