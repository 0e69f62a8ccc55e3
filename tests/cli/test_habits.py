"""Command-line habits: dates, lists, ``data list`` / ``data show`` output."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crashlens.cli._common import normalise_argv, plain_column, split_names, unambiguous_date
from crashlens.errors import ParameterError


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="80")
    return subprocess.run([sys.executable, "-m", "crashlens.cli.main", *args],
                          capture_output=True, text=True, env=env)


# ---- dates ---------------------------------------------------------------------------------

def test_ambiguous_numeric_dates_are_refused_naming_both_readings() -> None:
    with pytest.raises(ParameterError) as exc:
        unambiguous_date("02/01/2026", "--start")
    msg = str(exc.value)
    assert "--start" in msg and "2026-01-02" in msg and "2026-02-01" in msg
    with pytest.raises(ParameterError, match="day first it is 2025-11-21, month first not a"):
        unambiguous_date("21/11/2025", "--asof")
    assert unambiguous_date("21/11/2025", "--asof", dayfirst=True) == "2025-11-21"
    assert unambiguous_date("02.01.2026", "--asof", dayfirst=True) == "2026-01-02"
    with pytest.raises(ParameterError, match="not a date read day first"):
        unambiguous_date("11/21/2025", "--asof", dayfirst=True)
    # ISO and month names are unambiguous and pass unchanged
    for ok in ("2025-11-21", "2025-11-21 15:30", "21 Nov 2025", "2025/11/21"):
        assert unambiguous_date(ok, "--asof") == ok


def test_cli_refuses_then_accepts_with_dayfirst() -> None:
    out = run("data", "show", "SPX", "--start", "21/11/2025")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "Traceback" not in out.stderr
    assert "'21/11/2025' is ambiguous: day first it is 2025-11-21" in out.stderr
    assert "--dayfirst" in out.stderr


@pytest.mark.realdata
def test_dayfirst_anywhere_reads_day_first(raw_dir: Path) -> None:
    out = run("data", "show", "SPX", "--start", "21/11/2025", "--end", "25/11/2025",
              "--dayfirst")
    assert out.returncode == 0, out.stderr
    dates = [ln.split()[0] for ln in out.stdout.splitlines()[3:] if ln.strip()]
    assert dates == ["2025-11-21", "2025-11-24", "2025-11-25"]


# ---- lists ---------------------------------------------------------------------------------

def test_lists_by_commas_or_spaces() -> None:
    assert split_names("SPX,NDX") == ["SPX", "NDX"]
    assert split_names("SPX NDX") == ["SPX", "NDX"]
    assert split_names(" SPX, NDX ,BTC") == ["SPX", "NDX", "BTC"]
    assert split_names(None) is None
    for empty in (",", "", " , "):
        with pytest.raises(ParameterError, match=r"--assets: .* is an empty list"):
            split_names(empty)
    argv = ["anatomy", "--start", "2025-11-17", "--assets", "SPX", "NDX", "--end",
            "2025-11-21"]
    assert normalise_argv(argv) == ["anatomy", "--start", "2025-11-17", "--assets", "SPX,NDX",
                                    "--end", "2025-11-21"]
    assert normalise_argv(["cta", "--assets=SPX", "NDX"]) == ["cta", "--assets", "SPX,NDX"]
    # a file argument after the list is not swallowed; --dayfirst moves to the root
    assert normalise_argv(["scenarios", "--universe", "SPX", "VIX", "scenarios/2026q1.yaml",
                           "--dayfirst"]) == ["--dayfirst", "scenarios", "--universe",
                                              "SPX,VIX", "scenarios/2026q1.yaml"]


def test_empty_list_is_an_error_on_the_command_line() -> None:
    out = run("anatomy", "--start", "2025-11-17", "--end", "2025-11-21", "--assets", ",")
    assert out.returncode == 2
    assert "--assets: ',' is an empty list" in out.stderr


@pytest.mark.realdata
def test_assets_separated_by_spaces(raw_dir: Path) -> None:
    out = run("anatomy", "--start", "2025-11-17", "--end", "2025-11-21", "--assets", "SPX",
              "NDX")
    assert out.returncode == 0, out.stderr
    ranked = [ln.split()[0] for ln in out.stdout.splitlines()[3:5]]
    assert ranked == ["NDX", "SPX"]  # NDX σ-move about -0.9, SPX about -0.7


# ---- numbers -------------------------------------------------------------------------------

def test_plain_column_never_uses_e_notation() -> None:
    import pandas as pd

    assert plain_column(pd.Series([3.55e10, 1.0])) == ["35,500,000,000", "1"]
    assert plain_column(pd.Series([6602.99, 12.5])) == ["6,602.99", "12.50"]
    assert plain_column(pd.Series([0.0001, float("nan")])) == ["0.000100", ""]


# ---- data list / data show -----------------------------------------------------------------

@pytest.mark.realdata
def test_data_list_fits_80_columns_with_licence(raw_dir: Path) -> None:
    out = run("data", "list")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    header = lines[1].split()
    assert header == ["name", "kind", "f", "first", "last", "rows", "src", "lic"]
    spx = next(ln.split() for ln in lines if ln.startswith("SPX "))
    # first date and row count of the S&P 500 from the plain CSV (a close on every row)
    with open(raw_dir / "sp500_daily_ohlc.csv", newline="") as fh:
        dates = [r["Date"] for r in csv.DictReader(fh) if r["Close"]]
    assert spx[3] == min(dates)[:10]
    lic = spx[7]
    legend = lines[lines.index("lic (licence):") + 1:]
    assert any(ln.split()[0] == lic for ln in legend)
    assert "src (source files):" in lines


@pytest.mark.realdata
def test_data_show_prints_the_last_20_rows(raw_dir: Path) -> None:
    with open(raw_dir / "sp500_daily_ohlc.csv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Close"] and r["Date"] <= "2025-11-21"]
    out = run("data", "show", "SPX", "--end", "2025-11-21")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("SPX: last 20 of ")
    body = [ln.split() for ln in lines[3:] if ln.strip()]
    assert len(body) == 20
    assert body[-1][0] == "2025-11-21"
    assert body[-1][4] == f"{float(rows[-1]['Close']):,.2f}"  # 6,602.99
    assert "e+" not in out.stdout
    tail = run("data", "show", "SPX", "--end", "2025-11-21", "--tail", "3")
    assert [ln.split()[0] for ln in tail.stdout.splitlines()[3:]] == [
        r["Date"][:10] for r in rows[-3:]]
    every = run("data", "show", "SPX", "--start", "2025-11-17", "--end", "2025-11-21", "--all")
    assert every.stdout.splitlines()[0] == "SPX: all 5 rows"
    bad = run("data", "show", "SPX", "--tail", "0")
    assert bad.returncode == 2 and "--tail" in bad.stderr
