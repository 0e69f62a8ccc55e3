"""Cases 1, 4 and 8 of issue #17: nothing wrong ever enters the store.

Each bad file is a copy of a real raw file with one defect; the ingest must fail with one line
naming the file, the row and the column, and the live store must keep the right value (read
from the pristine file with the plain ``csv`` module).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.reliability.conftest import csv_value, one_line_error, run_cli

import crashlens.data as data
from crashlens.data.store import Store
from crashlens.errors import DataError

pytestmark = pytest.mark.realdata

SPX_FILE = "sp500_daily_ohlc.csv"


def _edit_line(path: Path, date: str, edit) -> int:  # type: ignore[no-untyped-def]
    """Replace the line of ``date`` by ``edit(line)``; return its 1-based line number."""
    lines = path.read_text().splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(date):
            lines[i] = edit(line)
            path.write_text("".join(lines))
            return i + 1
    raise AssertionError(date)


def test_last_line_cut_inside_a_number_is_refused(small_raw: Path, isolated_home: Path,
                                                  raw_dir: Path) -> None:
    """Case 1: ``truncate -s -14`` leaves '...,75' (all fields present) - never stored as 75."""
    good = data.ingest(small_raw)
    expected = csv_value(raw_dir / SPX_FILE, "2026-07-13", "Close")
    assert round(expected, 2) == 7539.37
    path = small_raw / SPX_FILE
    os.truncate(path, path.stat().st_size - 14)
    assert path.read_bytes().endswith(b",75")
    n_lines = path.read_bytes().count(b"\n") + 1
    with pytest.raises(DataError, match=rf"{SPX_FILE}, row {n_lines}: file looks truncated"):
        data.ingest(small_raw)
    st = Store(isolated_home)
    assert st.version == good.version
    assert st.read("SPX", "2026-07-13", "2026-07-13")["close"].iloc[0] == pytest.approx(expected)
    proc = run_cli("data", "ingest", home=isolated_home, data=small_raw)
    assert "truncated" in one_line_error(proc)


def _inf(line: str) -> str:
    return line.rsplit(",", 1)[0] + ",inf\n"


@pytest.mark.parametrize(("token", "message"), [
    ("inf", "'inf' is not a finite number"),
    ("Infinity", "'Infinity' is not a finite number"),
    ("1e400", "'1e400' is not a finite number"),
    ("NaN", "'NaN' is not a number"),
    ("null", "'null' is not a number"),
])
def test_non_finite_and_spelled_out_missing_cells(small_raw: Path, isolated_home: Path,
                                                  token: str, message: str) -> None:
    """Case 4: inf / Infinity / 1e400 / NaN cells are errors, not values nor holidays."""
    row = _edit_line(small_raw / "vix_daily.csv", "2025-11-20",
                     lambda ln: ln.rsplit(",", 1)[0] + f",{token}\n")
    with pytest.raises(DataError) as err:
        data.ingest(small_raw)
    assert str(err.value) == (f"{small_raw / 'vix_daily.csv'}, row {row}, column 'CLOSE': "
                              f"{message}")


def test_short_row_mid_file_is_not_a_holiday(small_raw: Path, isolated_home: Path) -> None:
    """Case 4: a row with fewer fields than the header names its line."""
    row = _edit_line(small_raw / "vix_daily.csv", "2020-03-16",
                     lambda ln: ",".join(ln.split(",")[:3]) + "\n")
    with pytest.raises(DataError, match=rf"vix_daily.csv, row {row}: row has 3 fields, the "
                                        r"header has 5"):
        data.ingest(small_raw)


def test_implausible_price_and_yield(small_raw: Path, isolated_home: Path) -> None:
    """Case 4: a 1e300 price and a 410 % yield are outside the catalog's plausible ranges."""
    path = small_raw / SPX_FILE
    _edit_line(path, "2020-03-23", lambda ln: ",".join(ln.split(",")[:4]) + ",1e300\n")
    with pytest.raises(DataError, match=r"sp500_daily_ohlc.csv, row 2020-03-23, column 'close': "
                                        r"1e\+300 is outside the plausible range \[0.1, 1e\+06\] "
                                        r"of SPX \(index points\)"):
        data.ingest(small_raw)
    skipped = data.ingest(small_raw, skip_bad=True).skipped  # the other series still ingest
    assert any(s.startswith("SPX:") and "1e+300" in s for s in skipped)


def test_implausible_yield(small_raw: Path, isolated_home: Path) -> None:
    """Case 4: a 410 % yield is outside the catalog's range for percent series."""
    rates = small_raw / "us_rates_daily.csv"
    header = rates.read_text().splitlines()[0].split(",")
    col = header.index("DGS10")

    def yield_410(line: str) -> str:
        cells = line.rstrip("\n").split(",")
        cells[col] = "410"
        return ",".join(cells) + "\n"

    _edit_line(rates, "2025-11-20", yield_410)
    with pytest.raises(DataError, match=r"us_rates_daily.csv, row 2025-11-20, column 'value': "
                                        r"410 is outside the plausible range \[-10, 50\] of "
                                        r"UST10Y \(percent\)"):
        data.ingest(small_raw)


def test_every_catalog_series_declares_a_sane_range() -> None:
    """Every series has a range; the real extremes documented in the catalog fall inside it."""
    from crashlens.data.catalog import CATALOG

    for name, spec in CATALOG.items():
        low, high = spec.plausible_range
        assert low < high, name
        assert high <= 1e13, name  # 1e300 can never pass
    # hand-checked extremes: SPX closed at 4.40 on 1932-06-01, fed funds averaged 19.1 % in 1981
    assert CATALOG["SPX"].plausible_range[0] < 4.40
    assert CATALOG["FEDFUNDS"].plausible_range[1] > 19.1


def test_date_far_in_the_future(small_raw: Path, isolated_home: Path) -> None:
    """Case 8: a date of 2300-01-01 is one line naming the row, not an OutOfBounds traceback."""
    with open(small_raw / "vix_daily.csv", "a") as fh:
        fh.write("2300-01-01,20,21,19,20\n")
    n = (small_raw / "vix_daily.csv").read_text().count("\n")
    proc = run_cli("data", "ingest", home=isolated_home, data=small_raw)
    assert one_line_error(proc).endswith(
        f"vix_daily.csv, row {n}, column 'DATE': date '2300-01-01' is in the future")


def test_unreadable_file(small_raw: Path, isolated_home: Path,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Case 8: a file the user may not read is one line (simulated: the tests may run as root)."""
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "vix_daily.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(DataError, match=r"vix_daily.csv: cannot read file \(Permission denied\)"):
        data.ingest(small_raw)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_cli(small_raw: Path, isolated_home: Path) -> None:
    """Case 8 in a real process, when the tests do not run as root."""
    (small_raw / "vix_daily.csv").chmod(0)
    proc = run_cli("data", "ingest", home=isolated_home, data=small_raw)
    assert "Permission denied" in one_line_error(proc)
