"""Case 8 of issue #17: inputs that gave tracebacks now give one line and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.reliability.conftest import one_line_error, run_cli

pytestmark = pytest.mark.realdata


@pytest.mark.parametrize(("window", "message"), [
    ("[a, b]", "event_window must be whole numbers of sessions, got 'a'"),
    ("[-1, .inf]", "event_window must be whole numbers of sessions, got inf"),
    ("[-1.5, 3]", "event_window must be whole numbers of sessions, got -1.5"),
])
def test_catalysts_bad_event_window(tmp_path: Path, raw_dir: Path, window: str,
                                    message: str) -> None:
    events = tmp_path / "events.yaml"
    events.write_text(f"event_window: {window}\nassets: [SPX]\nevents:\n"
                      "  - date: 2025-11-20\n    name: x\n")
    proc = run_cli("catalysts", "--events", str(events), home=tmp_path / "home", data=raw_dir,
                   timeout=300)
    assert one_line_error(proc).endswith(message)


def test_cta_history_from_after_asof(tmp_path: Path, raw_dir: Path) -> None:
    proc = run_cli("cta", "--asof", "2025-11-01", "--history-from", "2025-11-21",
                   home=tmp_path / "home", data=raw_dir, timeout=300)
    assert "2025-11-21 is after" in one_line_error(proc)
