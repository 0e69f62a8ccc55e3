"""First prints and point-in-time macro releases (crashlens.macro.first_prints)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from crashlens.errors import DataError, NeverPublishedError, ParameterError
from crashlens.macro import first_prints as fp

HEADER = ("indicator,ref_period,value_as_published,first_seen_commit_time,commit,"
          "index_lastUpdated_field,vintage_no\n")


def _write(tmp_path: Path, rows: str, name: str = "rel.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + rows, encoding="utf-8")
    return p


@pytest.mark.parametrize(("raw", "unit", "value"), [
    ("159,626,000", "persons", 159_626_000.0),
    ("134.4M", "persons", 134_400_000.0),
    ("7.2M", "persons", 7_200_000.0),
    ("$722B", "USD bn", 722.0),
    ("20,621.8", "USD bn", 20_621.8),
    ("324.800", "index", 324.8),
])
def test_parse_value_units(raw: str, unit: str, value: float) -> None:
    got, issue = fp.parse_value(raw, unit)
    assert issue == ""
    assert got == pytest.approx(value)


@pytest.mark.parametrize("raw", ["*TBD 6/11", "3.3%", "n/a", ""])
def test_parse_value_not_data(raw: str) -> None:
    got, issue = fp.parse_value(raw, "index")
    assert math.isnan(got) and issue


def test_change_within_one_vintage_and_release_dates(tmp_path: Path) -> None:
    # Mar first printed 1000 on 04-03, revised to 990 with the Apr print on 05-08:
    # the Apr change is 1050 - 990 = 60 (same vintage), not 1050 - 1000.
    p = _write(tmp_path, (
        'Total Nonfarm Employment,2026-03,"1,000",2026-04-03T10:00:00-04:00,a,,1\n'
        'Total Nonfarm Employment,2026-03,990,2026-05-08T10:00:00-04:00,b,,2\n'
        'Total Nonfarm Employment,2026-04,"1,050",2026-05-10T10:00:00-04:00,b,'
        '2026-05-08T14:00:00Z,1\n'))
    first = fp.first_print("PAYEMS", "2026-04", path=p)
    assert first.value == 1050 and first.change == 60
    assert first.release_date == pd.Timestamp("2026-05-08")  # lastUpdated beats the commit
    assert first.release_source == "site lastUpdated"
    # as of 05-07 only Mar's first print is known; the later revision is never shown
    k = fp.known_at("2026-05-07", path=p, vintage="latest")
    assert list(k["period"]) == ["2026-03"] and k["value"].iloc[0] == 1000
    k2 = fp.known_at("2026-05-08", path=p, vintage="latest")
    assert dict(zip(k2["period"], k2["value"], strict=True)) == {"2026-03": 990, "2026-04": 1050}
    k3 = fp.known_at("2026-05-08", path=p, vintage="first")
    assert dict(zip(k3["period"], k3["value"], strict=True)) == {"2026-03": 1000, "2026-04": 1050}


def test_placeholder_first_vintage_gives_the_next_usable(tmp_path: Path) -> None:
    p = _write(tmp_path, ("CPI,2025-05,*TBD 6/11,2025-06-02T19:54:49-07:00,a,,1\n"
                          "CPI,2025-05,321.5,2025-06-23T14:25:09-07:00,b,,2\n"))
    got = fp.first_print("CPI", "2025-05", path=p)
    assert got.value == 321.5 and got.vintage == 2
    assert got.release_date == pd.Timestamp("2025-06-23")  # commit day in New York


@pytest.mark.parametrize(("rows", "needle"), [
    ("Nonsense,2025-05,1,2025-06-02T19:54:49-07:00,a,,1\n", "row 2, column 'indicator'"),
    ("CPI,2025-13,1,2025-06-02T19:54:49-07:00,a,,1\n", "row 2, column 'ref_period'"),
    ("CPI,2025-05,1,yesterday,a,,1\n", "row 2, column 'first_seen_commit_time'"),
    ("CPI,2025-05,1,2025-06-02T19:54:49-07:00,a,,first\n", "row 2, column 'vintage_no'"),
])
def test_bad_rows_name_file_row_column(tmp_path: Path, rows: str, needle: str) -> None:
    p = _write(tmp_path, rows)
    with pytest.raises(DataError, match=r"rel\.csv") as exc:
        fp.read_releases(p)
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_missing_column_and_file(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("indicator,ref_period\nCPI,2025-01\n", encoding="utf-8")
    with pytest.raises(DataError, match="column 'value_as_published'"):
        fp.read_releases(p)
    with pytest.raises(DataError, match="no such file"):
        fp.read_releases(tmp_path / "none.csv")
    with pytest.raises(ParameterError, match="indicator 'GDP' is unknown"):
        fp.indicator_code("GDP")
    with pytest.raises(ParameterError, match="period: '2025-9'"):
        fp.first_print("CPI", "2025-9", path=p)


def test_shutdown_durations_closed_form() -> None:
    # 1 Oct .. 12 Nov 2025: 31 days of October + 12 of November; 22 Dec 2018 .. 25 Jan 2019:
    # 10 + 25.
    assert fp.SHUTDOWN_2025.duration_days == 31 + 12
    assert fp.SHUTDOWN_2018.duration_days == 10 + 25


def test_shutdown_delays_closed_form() -> None:
    d = fp.shutdown_delays().set_index(["indicator", "period"])
    # September jobs: due Fri 3 Oct 2025, out Thu 20 Nov: 28 + 20 = 48 days late
    assert d.loc[("PAYEMS", "2025-09"), "delay_days"] == 28 + 20
    # September CPI: due 15 Oct, out 24 Oct
    assert d.loc[("CPI", "2025-09"), "delay_days"] == 9
    oct_cpi = d.loc[("CPI", "2025-10")]
    assert oct_cpi["status"] == "cancelled" and pd.isna(oct_cpi["released"])
    assert set(d["status"]) == {"delayed", "cancelled"}


def _plain_rows(raw_dir: Path, name: str) -> list[dict[str, str]]:
    with open(raw_dir / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.realdata
def test_september_payrolls_first_print_real(raw_dir: Path) -> None:
    rows = _plain_rows(raw_dir, fp.FIRST_RELEASES_FILE)
    # hand check with plain csv: the commit that first carried Sep 2025 also revised Aug
    sep = next(r for r in rows if r["indicator"] == "Total Nonfarm Employment"
               and r["ref_period"] == "2025-09" and r["vintage_no"] == "1")
    aug = next(r for r in rows if r["indicator"] == "Total Nonfarm Employment"
               and r["ref_period"] == "2025-08" and r["commit"] == sep["commit"])
    expected = int(sep["value_as_published"].replace(",", "")) - int(
        aug["value_as_published"].replace(",", ""))
    assert expected == 119_000
    got = fp.first_print("PAYEMS", "2025-09")
    assert got.change == expected
    assert got.release_date == pd.Timestamp("2025-11-20")
    assert "PAYEMS" not in set(fp.known_at("2025-11-19").query("period == '2025-09'")[
        "indicator"])
    assert "PAYEMS" in set(fp.known_at("2025-11-20").query("period == '2025-09'")["indicator"])


@pytest.mark.realdata
def test_october_cpi_was_never_published_real(raw_dir: Path) -> None:
    with pytest.raises(DataError, match="CPI 2025-10 was never published"):
        fp.first_print("CPI", "2025-10")
    k = fp.known_at("2026-01-31", indicators=["CPI"])
    assert "2025-10" not in set(k["period"]) and "2025-11" in set(k["period"])


@pytest.mark.realdata
def test_challenger_january_2026_real(raw_dir: Path) -> None:
    rows = {r["ref_period"]: float(r["value_as_published"].replace(",", ""))
            for r in _plain_rows(raw_dir, fp.CHALLENGER_FILE) if r["vintage_no"] == "1"}
    ch = fp.challenger_job_cuts()
    assert ch.loc["2026-01", "cuts"] == rows["2026-01"] == 108_435
    assert ch.loc["2026-01", "mom_pct"] == pytest.approx(
        (rows["2026-01"] / rows["2025-12"] - 1) * 100)
    assert ch.loc["2026-01", "yoy_pct"] == pytest.approx(
        (rows["2026-01"] / rows["2025-01"] - 1) * 100)
    assert ch.loc["2026-01", "release_date"] == pd.Timestamp("2026-02-06")


def test_a_cancelled_release_raises_its_own_type(tmp_path: Path) -> None:
    # CPI 2025-10 is None in OFFICIAL_RELEASES: the file's row is a carry-forward of September
    p = _write(tmp_path, "CPI,2025-10,324.8,2025-11-13T10:00:00-05:00,a,,1\n"
                         "CPI,2025-05,*TBD 6/11,2025-06-02T19:54:49-07:00,b,,1\n")
    with pytest.raises(NeverPublishedError) as info:
        fp.first_print("CPI", "2025-10", path=p)
    assert isinstance(info.value, DataError)
    assert (info.value.indicator, info.value.period, info.value.path) == ("CPI", "2025-10", str(p))
    assert str(info.value) == (f"{p}: CPI 2025-10 was never published: never published "
                               "(cancelled by the 2025 shutdown); the file's value is a "
                               "carry-forward, not data")
    # a month with only a placeholder is a data problem, not a cancelled release
    with pytest.raises(DataError, match="CPI 2025-05: no usable value") as other:
        fp.first_print("CPI", "2025-05", path=p)
    assert not isinstance(other.value, NeverPublishedError)
