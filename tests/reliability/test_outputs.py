"""Cases 8 and 11 of issue #17: outputs are written only as regular files at the output path.

``report --out /dev/full`` once replaced the device node with the report (the atomic rename
did not check the target); a read-only folder or a path under a file gave a traceback.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from tests.reliability.conftest import one_line_error, run_cli

from crashlens._atomic import OutputError, check_output_path, write_atomic


def _is_char_device(path: str) -> bool:
    return stat.S_ISCHR(os.lstat(path).st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_report_out_dev_full_keeps_the_device(tmp_path: Path) -> None:
    assert _is_char_device("/dev/full")
    proc = run_cli("report", "--event", "2025-11", "--out", "/dev/full", "--quiet",
                   home=tmp_path / "home")
    msg = one_line_error(proc)
    assert msg == ("error: /dev/full: cannot write (it is a device; crashlens writes only "
                   "regular files)")
    assert _is_char_device("/dev/full")  # still the device, not a report
    assert not list(Path("/dev").glob(".full.*"))


def test_report_out_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    proc = run_cli("report", "--event", "2025-11", "--out", str(blocker / "r.html"), "--quiet",
                   home=tmp_path / "home")
    assert "a parent of this path is a file" in one_line_error(proc)
    assert blocker.read_text() == "x"
    with pytest.raises(OutputError, match="a parent of this path is a file"):
        write_atomic(blocker / "sub" / "r.html", "x")


def test_unwritable_folder(tmp_path: Path) -> None:
    """/proc refuses new files even to root: a real unwritable folder on any Linux machine."""
    if not Path("/proc/self").exists():
        pytest.skip("needs /proc")
    with pytest.raises(OutputError, match=r"^/proc/crashlens-report.html: cannot write"):
        write_atomic("/proc/crashlens-report.html", "x")
    assert not Path("/proc/crashlens-report.html").exists()


def test_write_atomic_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only folder (simulated: the tests may run as root) is one error, no temp file."""
    def denied(*_a: object, **_k: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(OutputError, match=r"out.html: cannot write \(Permission denied\)"):
        write_atomic(tmp_path / "out.html", "<html/>")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_check_output_path_read_only_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    with pytest.raises(OutputError, match="is not writable"):
        check_output_path(ro / "r.html")


def test_write_atomic_replaces_a_symlink_not_its_target(tmp_path: Path) -> None:
    """Nothing is written outside the output path: a link at the target is replaced."""
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    link = tmp_path / "out" / "report.html"
    link.parent.mkdir()
    link.symlink_to(outside)
    write_atomic(link, "new")
    assert outside.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text() == "new"


def test_write_atomic_fifo_and_folder_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="it is a FIFO"):
        write_atomic(fifo, "x")  # would block forever on open() for writing
    with pytest.raises(OutputError, match="it is a folder"):
        write_atomic(tmp_path, "x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_write_atomic_keeps_old_content_on_failure(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure mid-write (disk full) leaves the previous file whole and no temp file."""
    target = tmp_path / "r.html"
    write_atomic(target, "old")

    def full(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match=r"No space left on device"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
