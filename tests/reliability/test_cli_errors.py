"""Case 8 of issue #17: inputs that gave tracebacks now give one line and exit status 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.reliability.conftest import one_line_error, run_cli

pytestmark = pytest.mark.realdata


def _events(tmp_path: Path, window: str) -> Path:
    events = tmp_path / "events.yaml"
    events.write_text(f"event_window: {window}\nassets: [SPX]\nevents:\n"
                      "  - date: 2025-11-20\n    name: x\n")
    return events


def test_catalysts_bad_event_window_cli(tmp_path: Path, raw_dir: Path) -> None:
    """The issue's case, in a real process: 'event_window: [a, b]' was a ValueError traceback."""
    proc = run_cli("catalysts", "--events", str(_events(tmp_path, "[a, b]")),
                   home=tmp_path / "home", data=raw_dir, timeout=300)
    assert one_line_error(proc).endswith(
        "event_window must be whole numbers of sessions, got 'a'")


@pytest.mark.parametrize(("window", "message"), [
    ("[-1, .inf]", "event_window must be whole numbers of sessions, got inf"),
    ("[-1.5, 3]", "event_window must be whole numbers of sessions, got -1.5"),
    ("[null, 3]", "event_window must be whole numbers of sessions, got None"),
])
def test_catalysts_bad_event_window(tmp_path: Path, raw_dir: Path, window: str,
                                    message: str) -> None:
    from crashlens import episodes
    from crashlens.errors import ParameterError

    with pytest.raises(ParameterError) as err:
        episodes.catalysts(_events(tmp_path, window))
    assert str(err.value) == message


def test_cta_history_from_after_asof(tmp_path: Path, raw_dir: Path) -> None:
    # the session's store (already ingested): the dates are refused before any computation
    proc = run_cli("cta", "--asof", "2025-11-01", "--history-from", "2025-11-21",
                   home=Path(os.environ["CRASHLENS_HOME"]), data=raw_dir, timeout=300)
    assert "2025-11-21 is after" in one_line_error(proc)
