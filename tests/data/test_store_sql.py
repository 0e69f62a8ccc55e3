"""DuckDB for real: one connection per store, filters and panels in SQL, read-only user SQL.

References are independent of the SQL path: cells of the raw files read with the ``csv``
module, and the pandas panel (``pd.concat`` of the cached ``Store.read`` frames) that
``data.panel`` replaced.
"""

from __future__ import annotations

import csv
import multiprocessing
import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest

import crashlens.data as data
from crashlens.data.store import Store
from crashlens.errors import DataError, ParameterError, StoreError, UnknownSeriesError

pytestmark = pytest.mark.realdata

#: Ten series of every kind (price, value, funding, cot, monthly macro) and several calendars.
PANEL = ("SPX", "btc", "GOLD", "UST10Y", "COT_ES", "FUNDING_BTC", "VIX", "NVDA", "HY_OAS", "CPI")
SMALL = ("sp500_daily_ohlc.csv", "vix_daily.csv", "dxy_daily.csv")


def csv_close(path: Path, date: str, column: str, date_column: str) -> float:
    """A cell of a raw file, read with the plain csv module."""
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row[date_column] == date:
                return float(row[column])
    raise AssertionError(f"{date} not in {path}")


def pandas_panel(names: tuple[str, ...], start: str | None, end: str | None) -> pd.DataFrame:
    """The panel as it was built before: one cached read per series, joined in pandas."""
    return pd.concat([data.close(n, start, end) for n in names], axis=1, sort=True)


@pytest.fixture
def small_store(raw_dir: Path, tmp_path: Path, isolated_home: Path,
                monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store of a few real raw files (a temp copy) in an empty home, the configured data."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for f in SMALL:
        shutil.copy2(raw_dir / f, folder / f)
    monkeypatch.setenv("CRASHLENS_DATA", str(folder))  # data.store() finds it up to date
    data.ingest(folder)
    return Store(isolated_home)


@pytest.mark.parametrize(("start", "end"), [(None, None), ("2025-01-01", "2025-11-21"),
                                            ("2026-01-01", None), (None, "1990-01-05"),
                                            ("2025-11-22", "2025-11-23")])
def test_sql_panel_equals_the_pandas_panel(raw_dir: Path, start: str | None,
                                           end: str | None) -> None:
    """Same dates, values, NaNs, dtypes and column order, exactly (weekend window included)."""
    got = data.panel(list(PANEL), start, end)
    pd.testing.assert_frame_equal(got, pandas_panel(PANEL, start, end), check_exact=True)
    assert list(got.columns) == [n.upper() for n in PANEL]


def test_panel_values_match_the_raw_files(raw_dir: Path) -> None:
    """Cells of the SQL panel are the raw files' values; a date one series lacks is NaN."""
    got = data.panel(["SPX", "VIX", "BTC"], "2025-11-17", "2025-11-23")
    day = pd.Timestamp("2025-11-20")
    assert got.loc[day, "SPX"] == pytest.approx(
        csv_close(raw_dir / "sp500_daily_ohlc.csv", "2025-11-20", "Close", "Date"), rel=1e-7)
    assert got.loc[day, "VIX"] == pytest.approx(
        csv_close(raw_dir / "vix_daily.csv", "2025-11-20", "CLOSE", "DATE"), rel=1e-7)
    assert got.loc[day, "BTC"] == pytest.approx(
        csv_close(raw_dir / "btc_usd_ohlcv_daily_2024plus.csv", "2025-11-20", "Close", "Date"),
        rel=1e-7)
    saturday = pd.Timestamp("2025-11-22")  # bitcoin trades, the S&P 500 does not
    assert pd.isna(got.loc[saturday, "SPX"]) and got.loc[saturday, "BTC"] > 0
    assert got.index.min() == pd.Timestamp("2025-11-17")
    assert got.index.max() == pd.Timestamp("2025-11-23")


def test_panel_bad_input(raw_dir: Path) -> None:
    with pytest.raises(UnknownSeriesError, match="NOPE"):
        data.panel(["SPX", "NOPE"])
    with pytest.raises(ParameterError, match="after end"):
        data.panel(["SPX"], "2025-11-21", "2025-11-01")
    with pytest.raises(ParameterError, match="at least one"):
        data.panel([])


def test_query_pushes_filters_into_sql_and_equals_read(small_store: Store) -> None:
    """``Store.query`` (filters in SQL) returns exactly what the cached ``Store.read`` does."""
    lo, hi = pd.Timestamp("2020-03-16"), pd.Timestamp("2020-03-23")
    for fields in (None, ["close"], ["high", "low"]):
        pd.testing.assert_frame_equal(small_store.query("SPX", lo, hi, fields),
                                      small_store.read("SPX", lo, hi, fields), check_exact=True)
    got = small_store.query("SPX", lo, hi, ["close"])
    assert list(got.columns) == ["close"] and len(got) == 6  # 16..23 March 2020: 6 sessions
    with pytest.raises(DataError, match=r"series SPX has no field\(s\) nope; fields are open"):
        small_store.query("SPX", lo, hi, ["nope"])
    with pytest.raises(DataError, match=r"no field\(s\) nope"):
        small_store.panel([("SPX", "nope")])
    with pytest.raises(StoreError, match="series NVDA is not in the store"):
        small_store.query("NVDA")


def test_one_connection_reused_and_renewed_with_the_version(small_store: Store, raw_dir: Path,
                                                            tmp_path: Path) -> None:
    """Every read goes through the same connection until an ingest swaps the version."""
    small_store.read("SPX")
    with small_store.connection() as first:
        pass
    small_store.query("VIX")
    small_store.panel([("SPX", "close"), ("VIX", "close")])
    small_store.table("catalog")
    with small_store.connection() as again:
        assert again is first
    folder = tmp_path / "raw2"
    folder.mkdir()
    for f in SMALL:
        shutil.copy2(raw_dir / f, folder / f)
    with open(folder / "vix_daily.csv", "a") as fh:
        fh.write("\n")  # new contents: a new version
    old = small_store.version
    small_store.ingest(folder)
    assert small_store.version != old
    expected = csv_close(raw_dir / "vix_daily.csv", "2025-11-20", "CLOSE", "DATE")
    assert small_store.query("VIX", "2025-11-20", "2025-11-20")["close"].iloc[0] == \
        pytest.approx(expected, rel=1e-7)
    with small_store.connection() as renewed:
        assert renewed is not first


def test_threads_share_the_store(small_store: Store) -> None:
    """Eight threads reading, querying and joining at once get the serial answers."""
    windows = [(pd.Timestamp(f"{y}-01-01"), pd.Timestamp(f"{y}-12-31")) for y in range(2000, 2024)]
    serial = {w: small_store.query("SPX", *w, ["close"]) for w in windows}
    panels = {w: small_store.panel([("SPX", "close"), ("VIX", "close")], *w) for w in windows}
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i, w in enumerate(windows):
                if (i + k) % 3 == 0:
                    pd.testing.assert_frame_equal(small_store.query("SPX", *w, ["close"]),
                                                  serial[w])
                elif (i + k) % 3 == 1:
                    pd.testing.assert_frame_equal(small_store.read("SPX", *w, ["close"]),
                                                  serial[w])
                else:
                    pd.testing.assert_frame_equal(
                        small_store.panel([("SPX", "close"), ("VIX", "close")], *w), panels[w])
        except BaseException as exc:  # collected: an assert in a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def _child_read_inherited(_: int) -> float:
    return float(data.store().query("SPX", "2020-03-23", "2020-03-23")["close"].iloc[0])


def test_forked_child_opens_its_own_connection(small_store: Store, raw_dir: Path) -> None:
    """A process forked after the parent opened its connection reads correctly on its own."""
    expected = csv_close(raw_dir / "sp500_daily_ohlc.csv", "2020-03-23", "Close", "Date")
    st = data.store()
    st.query("SPX")  # the parent's connection is open when the child is forked
    with multiprocessing.get_context("fork").Pool(1) as pool:
        got = pool.map(_child_read_inherited, [0])[0]
    assert got == pytest.approx(expected, rel=1e-7)
    assert st.query("SPX", "2020-03-23", "2020-03-23")["close"].iloc[0] == pytest.approx(
        expected, rel=1e-7)  # and the parent's connection still works


# -- crashlens.data.sql ---------------------------------------------------------------------------

def test_sql_reads_series_views(small_store: Store, raw_dir: Path) -> None:
    got = data.sql("SELECT date, close FROM SPX WHERE date >= '2020-03-16' AND date <= "
                   "'2020-03-23' ORDER BY date")
    assert list(got.columns) == ["date", "close"] and len(got) == 6
    assert got["close"].iloc[-1] == pytest.approx(
        csv_close(raw_dir / "sp500_daily_ohlc.csv", "2020-03-23", "Close", "Date"), rel=1e-7)
    # parameters, a WITH query and a join of two series (lower-case names work too)
    joined = data.sql("WITH s AS (SELECT date, close FROM spx WHERE date = ?) "
                      "SELECT s.close AS spx, v.close AS vix FROM s JOIN vix v USING (date)",
                      ["2020-03-16"])
    assert joined["spx"].iloc[0] == pytest.approx(
        csv_close(raw_dir / "sp500_daily_ohlc.csv", "2020-03-16", "Close", "Date"), rel=1e-7)
    assert joined["vix"].iloc[0] == pytest.approx(
        csv_close(raw_dir / "vix_daily.csv", "2020-03-16", "CLOSE", "DATE"), rel=1e-7)
    rows = data.sql("SELECT rows FROM catalog WHERE name = 'VIX'")["rows"].iloc[0]
    with (raw_dir / "vix_daily.csv").open() as fh:
        assert rows == sum(1 for line in fh if line.strip()) - 1  # one row per data line


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT * FROM NOPE", r"^SQL: Catalog Error: Table with name NOPE does not exist!"),
    ("SELECT nope FROM SPX", r"^SQL: Binder Error: .*\"nope\" not found"),
    ("SELEC * FROM SPX", r"^SQL: Parser Error: syntax error at or near \"SELEC\"$"),
    ("", r"^SQL query is empty"),
    ("SELECT 1; SELECT 2", r"^SQL: one statement expected, got 2$"),
    ("DROP VIEW SPX", r"only SELECT .* not DROP"),
    ("CREATE TABLE t AS SELECT * FROM SPX", r"only SELECT .* not CREATE"),
    ("INSERT INTO catalog SELECT * FROM catalog", r"only SELECT .* not INSERT"),
    ("DELETE FROM catalog", r"only SELECT .* not DELETE"),
    ("COPY SPX TO 'out.csv'", r"only SELECT .* not COPY"),
    ("ATTACH 'other.duckdb'", r"only SELECT .* not ATTACH"),
    ("SET enable_external_access = true", r"only SELECT .* not SET"),
    ("SELECT * FROM read_csv('/etc/hostname')", r"Permission Error"),
])
def test_sql_bad_or_writing_queries_are_one_line_errors(small_store: Store, query: str,
                                                        message: str) -> None:
    """Bad SQL, unknown series and anything but a SELECT: one-line DataError, store untouched."""
    before = small_store.problems(full=True), small_store.version
    with pytest.raises(DataError, match=message) as info:
        data.sql(query)
    assert "\n" not in str(info.value)
    assert (small_store.problems(full=True), small_store.version) == before


def test_sql_on_a_read_only_connection(small_store: Store) -> None:
    """Even a statement smuggled past the check cannot write: the connection is read-only."""
    import duckdb

    with small_store.connection() as con, pytest.raises(duckdb.Error, match="read-only"):
        con.execute("CREATE TABLE t AS SELECT 1")
