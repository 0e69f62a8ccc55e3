"""Store: idempotent, atomic (an ingest really killed half-way), bad inputs never corrupt it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import crashlens.data as data
from crashlens.data.store import Store
from crashlens.errors import DataError, UnknownSeriesError

pytestmark = pytest.mark.realdata

FILES = ("sp500_daily_ohlc.csv", "vix_daily.csv", "dxy_daily.csv", "cross_asset_daily_2024plus.csv")


@pytest.fixture
def small_raw(raw_dir: Path, tmp_path: Path) -> Path:
    """A data folder holding a few real raw files (copied to a temp dir, never the repo)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for f in FILES:
        shutil.copy2(raw_dir / f, folder / f)
    return folder


def test_ingest_is_idempotent(small_raw: Path, isolated_home: Path) -> None:
    first = data.ingest(small_raw)
    assert not first.up_to_date
    second = data.ingest(small_raw)
    assert second.up_to_date and second.version == first.version
    assert Store(isolated_home).names() == sorted(Store(isolated_home).names())
    # series whose files are absent are skipped with a reason, not silently empty
    assert any(s.startswith("NVDA: no source file") for s in first.skipped)


def test_partial_folder_serves_what_it_has(small_raw: Path, isolated_home: Path) -> None:
    data.ingest(small_raw)
    st = Store(isolated_home)
    assert "SPX" in st.names() and "NVDA" not in st.names()
    assert st.read("SPX", None, None)["close"].notna().all()


def test_bad_file_fails_ingest_and_keeps_previous_store(small_raw: Path, isolated_home: Path
                                                        ) -> None:
    good = data.ingest(small_raw)
    bad = small_raw / "vix_daily.csv"
    lines = bad.read_text().splitlines()
    lines[5] = lines[5].replace(lines[5].split(",")[4], "oops")
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"vix_daily.csv, row 6, column 'CLOSE': 'oops' is not a number"):
        data.ingest(small_raw)
    st = Store(isolated_home)
    assert st.version == good.version
    assert round(st.read("VIX", "2025-11-20", "2025-11-20")["close"].iloc[0], 2) == 26.42
    assert len(list((isolated_home / "store" / "versions").iterdir())) == 1
    skipped = data.ingest(small_raw, skip_bad=True)
    assert any(s.startswith("VIX:") and "oops" in s for s in skipped.skipped)


def test_killed_ingest_leaves_previous_store_usable(small_raw: Path, isolated_home: Path) -> None:
    good = data.ingest(small_raw)
    with open(small_raw / "dxy_daily.csv", "a") as fh:  # content changed (a blank line): the
        fh.write("\n")                                   # next ingest must rebuild
    env = dict(os.environ, CRASHLENS_DATA=str(small_raw), CRASHLENS_HOME=str(isolated_home),
               CRASHLENS_INGEST_THROTTLE_S="0.5")
    proc = subprocess.Popen([sys.executable, "-m", "crashlens.cli.main", "data", "ingest"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    versions = isolated_home / "store" / "versions"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            partial = [d for d in versions.iterdir() if d.name != good.version]
            if partial and len(list((partial[0] / "series").glob("*.parquet"))) >= 2:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the ingest never started writing")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    st = Store(isolated_home)
    assert st.version == good.version
    assert round(st.read("SPX", "2020-03-23", "2020-03-23")["close"].iloc[0], 2) == 2237.40
    # the dead ingest's half-written version is still on disk until the next ingest cleans it
    assert len(list(versions.iterdir())) == 2
    fresh = data.ingest(small_raw)
    assert not fresh.up_to_date
    assert [d.name for d in versions.iterdir()] == [fresh.version]


def test_unknown_series_suggests_names(small_raw: Path, isolated_home: Path) -> None:
    with pytest.raises(UnknownSeriesError, match=r"unknown series 'SPXX'; did you mean SPX"):
        data.get("SPXX")


def test_data_dir_pointing_at_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CRASHLENS_DATA", str(tmp_path / "missing"))
    data._ready.clear()
    with pytest.raises(DataError, match="CRASHLENS_DATA points at nothing"):
        data.get("SPX")


def test_folder_without_catalog_files(tmp_path: Path, isolated_home: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no catalog file found"):
        data.ingest(tmp_path / "empty")


def test_start_after_end(small_raw: Path, isolated_home: Path) -> None:
    from crashlens.errors import ParameterError

    with pytest.raises(ParameterError, match="start 2025-11-21 is after end 2025-11-01"):
        data.get("SPX", "2025-11-21", "2025-11-01")
