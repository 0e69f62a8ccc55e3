"""FolderSource re-reads its crashlens.yaml after the file was edited (size or mtime).

Small hand-written CSVs in tmp_path: the expected values are the ones written in the files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crashlens._yaml import SpecError
from crashlens.data import folder as folder_mod
from crashlens.data.folder import FolderSource
from crashlens.errors import DataError

DAYS = ["2025-01-02", "2025-01-03", "2025-01-06"]


def _csv(path: Path, header: str, rows: list[str]) -> None:
    path.write_text(header + "\n" + "\n".join(f"{d},{r}" for d, r in zip(DAYS, rows, strict=True))
                    + "\n", encoding="utf-8")


def _map(folder: Path, body: str, bump_ns: int) -> Path:
    """Write the mapping, then move its mtime forward (a same-size edit within the clock tick)."""
    m = folder / "crashlens.yaml"
    before = m.stat().st_mtime_ns if m.exists() else 0
    m.write_text(body, encoding="utf-8")
    t = max(before, m.stat().st_mtime_ns) + bump_ns
    os.utime(m, ns=(t, t))
    return m


def _closes(src: FolderSource, name: str = "VIX") -> list[float]:
    return src.read(name)["close"].tolist()


@pytest.fixture
def two_files(tmp_path: Path) -> Path:
    _csv(tmp_path / "a.csv", "date,close", ["20.5", "21", "22.25"])
    _csv(tmp_path / "b.csv", "date,close", ["30", "31.5", "32"])
    _csv(tmp_path / "wide.csv", "date,x,y", ["15,40", "16,41", "17,42"])
    return tmp_path


def test_mapping_edited_to_another_file_is_read_again(two_files: Path) -> None:
    _map(two_files, "series:\n  VIX: {file: a.csv}\n", 0)
    src = FolderSource(two_files)
    assert _closes(src) == [20.5, 21.0, 22.25]
    fp = src.fingerprint()
    _map(two_files, "series:\n  VIX: {file: b.csv}\n", 10**9)
    assert _closes(src) == [30.0, 31.5, 32.0]
    assert src.file_of("VIX") == (two_files / "b.csv").resolve()
    assert src.fingerprint() != fp


def test_same_file_other_column_same_size_mapping(two_files: Path) -> None:
    # 'close: x' -> 'close: y': same size, same data file; only the mtime tells the edit, and
    # the cached frame of VIX (same file, same stat) must not be served for the new entry
    _map(two_files, "series:\n  VIX: {file: wide.csv, close: x}\n", 0)
    src = FolderSource(two_files)
    assert _closes(src) == [15.0, 16.0, 17.0]
    m = _map(two_files, "series:\n  VIX: {file: wide.csv, close: y}\n", 10**9)
    assert m.stat().st_size == len("series:\n  VIX: {file: wide.csv, close: x}\n")
    assert _closes(src) == [40.0, 41.0, 42.0]


def test_edited_mapping_that_is_invalid_raises_then_recovers(two_files: Path) -> None:
    _map(two_files, "series:\n  VIX: {file: a.csv}\n", 0)
    src = FolderSource(two_files)
    assert _closes(src) == [20.5, 21.0, 22.25]
    _map(two_files, "series:\n  VIX: {file: gone.csv}\n", 10**9)
    with pytest.raises(SpecError, match=r"crashlens.yaml.*line 2.*'gone.csv' not found"):
        src.read("VIX")  # the old mapping is not used silently
    _map(two_files, "series:\n  VIX: {file: b.csv}\n", 2 * 10**9)
    assert _closes(src) == [30.0, 31.5, 32.0]


def test_unchanged_mapping_one_stat_per_read_and_no_reparse(
        two_files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    m = _map(two_files, "series:\n  VIX: {file: a.csv}\n", 0).resolve()
    src = FolderSource(two_files)
    stats: list[Path] = []
    parses: list[Path] = []
    real_stamp, real_load = folder_mod._stamp, folder_mod._load_mapping

    def stamp(path: Path) -> tuple[int, int]:
        stats.append(path)
        return real_stamp(path)

    def load(path: Path, folder: Path) -> dict:
        parses.append(path)
        return real_load(path, folder)

    monkeypatch.setattr(folder_mod, "_stamp", stamp)
    monkeypatch.setattr(folder_mod, "_load_mapping", load)
    for _ in range(3):
        assert _closes(src) == [20.5, 21.0, 22.25]
    assert stats.count(m) == 3 and parses == []
    _map(two_files, "series:\n  VIX: {file: b.csv}\n", 10**9)
    assert _closes(src) == [30.0, 31.5, 32.0]
    assert _closes(src) == [30.0, 31.5, 32.0]
    assert stats.count(m) == 5 and parses == [m]


def test_removed_mapping_is_a_one_line_error(two_files: Path) -> None:
    m = _map(two_files, "series:\n  VIX: {file: a.csv}\n", 0)
    src = FolderSource(two_files)
    m.unlink()
    with pytest.raises(DataError, match=r"crashlens.yaml: no such file"):
        src.read("VIX")
