"""Cases 3, 5 and 6 of issue #17 with real processes: missing files, concurrent ingests, damage.

Expected prices are read from the pristine raw files with the plain ``csv`` module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.reliability.conftest import csv_value, one_line_error, run_cli

import crashlens.data as data
from crashlens.data.store import Store
from crashlens.errors import DataError

pytestmark = pytest.mark.realdata


def test_deleted_file_that_fed_the_store_is_an_error(small_raw: Path, isolated_home: Path
                                                     ) -> None:
    """Case 3: deleting stock_NVDA_daily.csv must not silently drop NVDA from the store."""
    good = data.ingest(small_raw)
    assert "NVDA" in Store(isolated_home).names()
    (small_raw / "stock_NVDA_daily.csv").unlink()
    proc = run_cli("data", "ingest", home=isolated_home, data=small_raw)
    msg = one_line_error(proc)
    assert "stock_NVDA_daily.csv: file not found, but the live store was built from it" in msg
    assert Store(isolated_home).version == good.version
    # --skip-bad rebuilds without it and says which series lost what
    report = data.ingest(small_raw, skip_bad=True)
    assert "NVDA: its file(s) stock_NVDA_daily.csv are missing" in report.skipped
    assert "NVDA" not in Store(isolated_home).names()


def test_deleted_extension_file_keeps_spx_last_day(small_raw: Path, isolated_home: Path,
                                                   raw_dir: Path) -> None:
    """Case 3: deleting sp500_daily_ohlcv_2016plus.csv (SPX's extension) is an error too."""
    data.ingest(small_raw)
    last = Store(isolated_home).read("SPX").index.max()
    assert str(last.date()) == "2026-08-21"
    expected = csv_value(raw_dir / "sp500_daily_ohlcv_2016plus.csv", "2026-08-21", "close")
    (small_raw / "sp500_daily_ohlcv_2016plus.csv").unlink()
    with pytest.raises(DataError, match=r"sp500_daily_ohlcv_2016plus\.csv: file not found, but"):
        data.ingest(small_raw)
    spx = Store(isolated_home).read("SPX", "2026-08-21", "2026-08-21")
    assert spx["close"].iloc[0] == pytest.approx(expected)
    report = data.ingest(small_raw, skip_bad=True)
    assert ("SPX: built without missing file(s) sp500_daily_ohlcv_2016plus.csv"
            in report.skipped)


def test_edit_keeping_size_and_mtime_is_seen(small_raw: Path, isolated_home: Path) -> None:
    """The up-to-date check hashes contents: an edit with the same size and mtime re-ingests."""
    data.ingest(small_raw)
    path = small_raw / "vix_daily.csv"
    st = path.stat()
    raw = path.read_bytes()  # bytes: the file's line endings are kept as they are
    start = raw.index(b"\n2025-11-20,") + 1
    row = raw[start:raw.index(b"\n", start)].rstrip(b"\r")
    close = row.split(b",")[4]
    digit = b"1" if close[:1] != b"1" else b"2"
    changed = row[: -len(close)] + digit + close[1:]
    path.write_bytes(raw.replace(row, changed))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    again = data.ingest(small_raw)
    assert not again.up_to_date
    new_close = Store(isolated_home).read("VIX", "2025-11-20", "2025-11-20")["close"].iloc[0]
    assert new_close == pytest.approx(float(changed.split(b",")[4]))


def test_concurrent_ingests_all_succeed(small_raw: Path, isolated_home: Path,
                                        raw_dir: Path) -> None:
    """Case 5: three real processes ingesting at once all exit 0; one healthy version remains."""
    env = dict(os.environ, CRASHLENS_HOME=str(isolated_home), CRASHLENS_DATA=str(small_raw),
               CRASHLENS_NO_PROGRESS="1", CRASHLENS_INGEST_THROTTLE_S="0.02")
    procs = [subprocess.Popen([sys.executable, "-m", "crashlens.cli.main", "data", "ingest",
                               *(["--force"] if i == 0 else [])],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [o[1][-500:] for o in outs]
    # the ones that waited for the lock found the store already built
    assert sum("already up to date" in o[0] for o in outs) >= 1
    st = Store(isolated_home)
    assert st.problems(full=True) == []
    assert [d.name for d in (isolated_home / "store" / "versions").iterdir()] == [st.version]
    expected = csv_value(raw_dir / "sp500_daily_ohlc.csv", "2020-03-23", "Close")
    assert st.read("SPX", "2020-03-23", "2020-03-23")["close"].iloc[0] == pytest.approx(expected)


def _series_file(home: Path, name: str) -> Path:
    st = Store(home)
    return home / "store" / "versions" / str(st.version) / "series" / f"{name}.parquet"


def test_truncated_series_file_is_repaired(small_raw: Path, isolated_home: Path,
                                           raw_dir: Path) -> None:
    """Case 6: a truncated Parquet file is detected; ingest rebuilds (not 'up to date')."""
    data.ingest(small_raw)
    path = _series_file(isolated_home, "SPX")
    os.truncate(path, path.stat().st_size // 2)
    st = Store(isolated_home)
    assert st.version is None and st.problems() and "truncated" in st.problems()[0]
    proc = run_cli("data", "show", "SPX", "--start", "2020-03-23", "--end", "2020-03-23",
                   "--json", home=isolated_home, data=small_raw)
    assert proc.returncode == 0, proc.stderr
    expected = csv_value(raw_dir / "sp500_daily_ohlc.csv", "2020-03-23", "Close")
    assert json.loads(proc.stdout)[0]["close"] == pytest.approx(expected)
    assert Store(isolated_home).problems(full=True) == []


def test_truncated_series_file_ingest_rebuilds(small_raw: Path, isolated_home: Path) -> None:
    first = data.ingest(small_raw)
    path = _series_file(isolated_home, "VIX")
    os.truncate(path, path.stat().st_size - 10)
    again = data.ingest(small_raw)
    assert not again.up_to_date and again.version != first.version


def test_bit_flip_caught_by_full_check(small_raw: Path, isolated_home: Path) -> None:
    """A same-size corruption passes the cheap open check but not ingest's full check."""
    first = data.ingest(small_raw)
    path = _series_file(isolated_home, "VIX")
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    assert Store(isolated_home).problems(full=True)
    again = data.ingest(small_raw)
    assert not again.up_to_date and again.version != first.version


def test_invalid_manifest_does_not_break_ingest(small_raw: Path, isolated_home: Path) -> None:
    """Case 6: an invalid manifest.json: 'data ingest --force' and 'data ingest' rebuild."""
    data.ingest(small_raw)
    manifest = isolated_home / "store" / "versions" / str(Store(isolated_home).version)
    (manifest / "manifest.json").write_text("{not json")
    proc = run_cli("data", "ingest", "--force", home=isolated_home, data=small_raw)
    assert proc.returncode == 0 and "ingested" in proc.stdout, proc.stderr
    manifest = isolated_home / "store" / "versions" / str(Store(isolated_home).version)
    (manifest / "manifest.json").write_text("[]")
    assert not data.ingest(small_raw).up_to_date
    assert Store(isolated_home).problems(full=True) == []


def test_damaged_store_message_without_data(small_raw: Path, isolated_home: Path) -> None:
    """Reading a damaged store in a process that cannot rebuild it says so in one line."""
    data.ingest(small_raw)
    path = _series_file(isolated_home, "SPX")
    st = Store(isolated_home)
    st.read("VIX")  # the store is open and healthy...
    os.truncate(path, 100)  # ...then damaged behind its back
    st._healthy.clear()
    from crashlens.errors import StoreError

    with pytest.raises(StoreError, match=r"damaged .*run 'crashlens data ingest'"):
        st.read("SPX")


@pytest.mark.parametrize("after_series", [1, 6])
def test_ingest_killed_holding_the_lock(small_raw: Path, isolated_home: Path, raw_dir: Path,
                                        after_series: int) -> None:
    """A SIGKILLed ingest (holding the lock, mid-version) leaves the previous store whole, and
    the kernel frees its lock: the next ingest runs at once instead of waiting 900 s."""
    import signal
    import time

    good = data.ingest(small_raw)
    with open(small_raw / "vix_daily.csv", "a") as fh:
        fh.write("\n")  # contents changed: the next ingest rebuilds
    env = dict(os.environ, CRASHLENS_DATA=str(small_raw), CRASHLENS_HOME=str(isolated_home),
               CRASHLENS_NO_PROGRESS="1", CRASHLENS_INGEST_THROTTLE_S="0.3")
    proc = subprocess.Popen([sys.executable, "-m", "crashlens.cli.main", "data", "ingest"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    versions = isolated_home / "store" / "versions"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            partial = [d for d in versions.iterdir() if d.name != good.version]
            if partial and len(list((partial[0] / "series").glob("*.parquet"))) >= after_series:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the ingest never started writing")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    st = Store(isolated_home)
    assert st.version == good.version and st.problems(full=True) == []
    expected = csv_value(raw_dir / "sp500_daily_ohlc.csv", "2020-03-23", "Close")
    assert st.read("SPX", "2020-03-23", "2020-03-23")["close"].iloc[0] == pytest.approx(expected)
    t0 = time.monotonic()
    fresh = Store(isolated_home).ingest(small_raw)
    assert not fresh.up_to_date and time.monotonic() - t0 < 120
    assert [d.name for d in versions.iterdir()] == [fresh.version]


@pytest.mark.parametrize("bad", [1e300, float("inf")])
def test_pulled_values_are_checked_too(small_raw: Path, isolated_home: Path, bad: float) -> None:
    """'data pull' merges fetched frames with Store.upsert: the same rules as raw files."""
    import pandas as pd

    good = data.ingest(small_raw)
    st = Store(isolated_home)
    frame = st.read("SPX", "2025-11-17", "2025-11-21")
    frame.loc[pd.Timestamp("2025-11-20"), "close"] = bad
    with pytest.raises(DataError, match=r"yahoo:\^GSPC, row 2025-11-20, column 'close': "):
        st.upsert({"SPX": (frame, "yahoo:^GSPC")})
    assert Store(isolated_home).version == good.version
    frame.loc[pd.Timestamp("2025-11-20"), "close"] = 6538.76
    assert st.upsert({"SPX": (frame, "yahoo:^GSPC")}) != good.version
