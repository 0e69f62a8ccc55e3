"""FolderSource: the user's own CSV/Parquet files, by file name or through a crashlens.yaml.

Export-like files are written in tmp_path from the store's real series (never copied from the
raw folder) in the habits of Bloomberg / Refinitiv / Excel exports; what FolderSource reads
back must equal the store's frames. Every bad input is one line naming the file and the line,
row or column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crashlens as cl
from crashlens.data.folder import FolderSource
from crashlens.errors import DataError, UnknownSeriesError

pytestmark = pytest.mark.realdata

START = "2015-01-01"
WIDE = {"SPX": "SPX Index", "VIX": "VIX Index", "UST10Y": "USGG10YR Index"}


@pytest.fixture(scope="module")
def closes(raw_dir: Path) -> pd.DataFrame:
    """The store's SPX, VIX and UST10Y closes since 2015 (the reference)."""
    with cl.data.using(cl.data.source.default()):
        return cl.data.panel(list(WIDE), start=START)


def _num(x: float, thousands: str = ",", decimal: str = ".") -> str:
    """A number as an export writes it: shortest exact digits, thousands grouped."""
    if np.isnan(x):
        return "#N/A N/A"
    text = format(float(x), ",")  # '6,602.99': exact (shortest repr), grouped
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def _bloomberg(folder: Path, closes: pd.DataFrame, *, sep: str = ",", decimal: str = ".",
               thousands: str = ",", name: str = "bloomberg_export.csv") -> Path:
    """A wide export: BOM, 'Dates' in DD/MM/YYYY, newest first, #N/A N/A for no value."""
    rows = [sep.join(["Dates", *WIDE.values()])]
    for day, row in closes.iloc[::-1].iterrows():
        cells = [_num(row[c], thousands, decimal) for c in WIDE]
        cells = [f'"{c}"' if sep in c else c for c in cells]
        rows.append(sep.join([day.strftime("%d/%m/%Y"), *cells]))
    path = folder / name
    path.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


MAPPING = """\
series:
  SPX: {file: bloomberg_export.csv, date: Dates, close: "SPX Index", date_format: "%d/%m/%Y"}
  VIX: {file: bloomberg_export.csv, date: Dates, close: "VIX Index"}
  UST10Y: {file: bloomberg_export.csv, date: Dates, value: "USGG10YR Index"}
"""


def _expect_equal(src: FolderSource, closes: pd.DataFrame) -> None:
    for name in WIDE:
        got = src.read(name)[cl.data.source.close_column(cl.data.spec(name))]
        want = closes[name].dropna()
        assert got.index.equals(want.index), name
        np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())


def test_bloomberg_wide_export_through_yaml_equals_the_store(tmp_path: Path,
                                                             closes: pd.DataFrame) -> None:
    _bloomberg(tmp_path, closes)
    (tmp_path / "crashlens.yaml").write_text(MAPPING)
    src = FolderSource(tmp_path)
    assert src.names() == ["SPX", "UST10Y", "VIX"]
    _expect_equal(src, closes)
    # a price series read from closes only: open/high/low/volume are gaps, not zeros
    spx = src.read("SPX")
    assert list(spx.columns) == ["open", "high", "low", "close", "volume"]
    assert spx[["open", "high", "low", "volume"]].isna().all().all()
    # the data API reads it inside using(); the 2025-11-20 reversal close is the store's
    with cl.data.using(src):
        assert cl.data.close("SPX", "2025-11-20", "2025-11-20").iloc[0] == \
            closes.loc["2025-11-20", "SPX"]
        assert cl.data.files_dir() == tmp_path.resolve()


def test_semicolon_decimal_comma_export_and_parquet(tmp_path: Path,
                                                    closes: pd.DataFrame) -> None:
    _bloomberg(tmp_path, closes, sep=";", decimal=",", thousands=".", name="eikon.csv")
    ust = closes["UST10Y"].dropna().rename("USGG10YR").rename_axis("date").reset_index()
    ust.to_parquet(tmp_path / "rates.parquet")
    (tmp_path / "map.yaml").write_text(
        "defaults: {file: eikon.csv, date: Dates}\n"
        "series:\n"
        "  SPX: {close: SPX Index}\n"
        "  VIX: {close: 3}\n"                      # a column by its number
        "  UST10Y: {file: rates.parquet, date: date, value: USGG10YR}\n")
    src = FolderSource(tmp_path / "map.yaml")      # the mapping file: its folder
    _expect_equal(src, closes)


def test_files_named_after_series_close_not_adj_close(tmp_path: Path,
                                                      closes: pd.DataFrame) -> None:
    spx = closes["SPX"].dropna()
    yahoo = pd.DataFrame({"Date": spx.index.strftime("%Y-%m-%d"), "Open": spx, "High": spx,
                          "Low": spx, "Close": spx, "Adj Close": spx * 0.9, "Volume": 1e9})
    yahoo.to_csv(tmp_path / "spx.csv", index=False)
    vix = closes["VIX"].dropna()
    pd.DataFrame({"Adj Close": vix.to_numpy()}, index=vix.index.rename("timestamp")).to_csv(
        tmp_path / "VIX.csv")
    pd.DataFrame({"when": closes.index.strftime("%m/%d/%Y"),
                  "yield": closes["UST10Y"].to_numpy()}).to_csv(tmp_path / "Ust10y.CSV",
                                                               index=False)
    (tmp_path / "spy_options_chain_quotedata.csv").write_text("not a series\n")
    src = FolderSource(tmp_path)
    assert src.names() == ["SPX", "UST10Y", "VIX"]
    _expect_equal(src, closes)  # Close (not Adj Close); Adj Close alone; the single column
    assert src.read("SPX")["volume"].eq(1e9).all()


def test_lazy_cached_and_reread_when_the_file_changes(tmp_path: Path,
                                                      closes: pd.DataFrame) -> None:
    path = tmp_path / "SPX.csv"
    spx = closes["SPX"].dropna()
    spx.loc[:"2025-11-20"].rename("close").to_csv(path)
    src = FolderSource(tmp_path)
    fp = src.fingerprint()
    assert src.read("SPX").index[-1] == pd.Timestamp("2025-11-20")
    assert src.read("SPX") is not src.read("SPX")  # callers get copies of the cached frame
    spx.loc[:"2025-11-21"].rename("close").to_csv(path)
    import os

    os.utime(path, ns=(1, 2))  # a different mtime whatever the clock's resolution
    assert src.read("SPX").index[-1] == pd.Timestamp("2025-11-21")
    assert src.fingerprint() != fp


def test_point_in_time_cut(tmp_path: Path, closes: pd.DataFrame) -> None:
    closes["SPX"].dropna().rename("close").to_csv(tmp_path / "SPX.csv")
    cut = FolderSource(tmp_path).cut("2025-11-21")
    assert cut.read("SPX").index[-1] == pd.Timestamp("2025-11-21")


# -- bad input: one line naming the file and the line, row or column ---------------------------

def _one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    msg = str(exc.value)
    assert "\n" not in msg
    return msg


def _small(folder: Path, body: str, name: str = "export.csv") -> Path:
    path = folder / name
    path.write_text(body)
    return path


GOOD = "Dates,SPX Index\n2025-11-19,6642.16\n2025-11-20,6538.76\n2025-11-21,6602.99\n"


def _mapped(folder: Path, mapping: str, body: str = GOOD) -> FolderSource:
    _small(folder, body)
    (folder / "crashlens.yaml").write_text(mapping)
    return FolderSource(folder)


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(DataError) as exc:
        _mapped(tmp_path, "series:\n  SPX: {file: export.csv, close: 'SPX Index'\n  VIX: x\n")
    msg = _one_line(exc)
    assert msg.startswith(f"{tmp_path.resolve() / 'crashlens.yaml'}, line 3: YAML syntax")


def test_unknown_series_name_suggests(tmp_path: Path) -> None:
    with pytest.raises(DataError) as exc:
        _mapped(tmp_path, "series:\n  SPX: {file: export.csv, close: SPX Index}\n"
                          "  SPX500: {file: export.csv, close: SPX Index}\n")
    msg = _one_line(exc)
    assert "crashlens.yaml, line 3: unknown series 'SPX500'; did you mean SPX" in msg


def test_unknown_key_suggests(tmp_path: Path) -> None:
    with pytest.raises(DataError) as exc:
        _mapped(tmp_path, "series:\n  SPX:\n    file: export.csv\n    clsoe: SPX Index\n")
    assert "crashlens.yaml, line 4: SPX: unknown key 'clsoe'; did you mean 'close'?" in \
        _one_line(exc)


def test_mapping_pointing_at_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as exc:
        _mapped(tmp_path, "series:\n  SPX: {file: bbg.csv, close: SPX Index}\n")
    assert (f"crashlens.yaml, line 2: SPX: file 'bbg.csv' not found in {tmp_path.resolve()}"
            in _one_line(exc))


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    src = _mapped(tmp_path, "series:\n  SPX: {file: export.csv, close: SPX Indx}\n")
    with pytest.raises(DataError) as exc:
        src.read("SPX")
    msg = _one_line(exc)
    assert msg.startswith(f"{tmp_path.resolve() / 'export.csv'}, column 'SPX Indx': SPX close:"
                          " no such column (the header has 'Dates', 'SPX Index')")
    assert "(mapping: crashlens.yaml line 2)" in msg


@pytest.mark.parametrize(("body", "where", "what"), [
    (GOOD.replace("2025-11-20", "2025-11-32"), "row 3, column 'Dates'",
     "'2025-11-32' is not a date"),
    (GOOD.replace("6538.76", '"6,538.7x"'), "row 3, column 'SPX Index'",
     "'6,538.7x' is not a number"),
    (GOOD.replace("6538.76", "#VALUE!"), "row 3, column 'SPX Index'",
     "'#VALUE!' is not a number"),
    (GOOD.replace("2025-11-21", "2025-11-19"), "row 4, column 'Dates'",
     "date 2025-11-19 appears twice (rows 2 and 4)"),
    (GOOD + "2025-11-24\n", "row 5", "the row has 1 fields, the header has 2"),
    ("", "", "the file is empty"),
    ("Dates,SPX Index\n", "", "the file has a header but no data rows"),
])
def test_bad_rows_name_file_row_and_column(tmp_path: Path, body: str, where: str,
                                           what: str) -> None:
    src = _mapped(tmp_path, "series:\n  SPX: {file: export.csv, close: SPX Index}\n", body)
    with pytest.raises(DataError) as exc:
        src.read("SPX")
    prefix = str(tmp_path.resolve() / "export.csv") + (f", {where}" if where else "")
    assert _one_line(exc) == f"{prefix}: {what}"


def test_missing_values_are_gaps(tmp_path: Path) -> None:
    body = ("Dates,SPX Index\n2025-11-18,#N/A N/A\n2025-11-19,6642.16\n2025-11-20, \n"
            "2025-11-21,#N/A\n")
    src = _mapped(tmp_path, "series:\n  SPX: {file: export.csv, close: SPX Index}\n", body)
    assert src.read("SPX")["close"].to_dict() == {pd.Timestamp("2025-11-19"): 6642.16}


def test_dates_read_day_or_month_first_from_the_file(tmp_path: Path) -> None:
    day_first = "Dates,SPX Index\n20/11/2025,6538.76\n03/11/2025,6851.97\n"
    src = _mapped(tmp_path, "series:\n  SPX: {file: export.csv, close: SPX Index}\n", day_first)
    assert list(src.read("SPX").index) == [pd.Timestamp("2025-11-03"),
                                           pd.Timestamp("2025-11-20")]
    ambiguous = "Dates,SPX Index\n10/11/2025,6832.43\n11/11/2025,6846.61\n"
    _small(tmp_path, ambiguous)
    with pytest.raises(DataError) as exc:
        FolderSource(tmp_path).read("SPX")
    assert "row 2, column 'Dates': every date reads day first or month first" in \
        _one_line(exc)


def test_implausible_value_is_refused(tmp_path: Path) -> None:
    src = _mapped(tmp_path, "series:\n  SPX: {file: export.csv, close: SPX Index}\n",
                  GOOD.replace("6538.76", "-6538.76"))
    with pytest.raises(DataError) as exc:
        src.read("SPX")
    assert _one_line(exc) == (f"{tmp_path.resolve() / 'export.csv'}, row 3, column 'SPX Index':"
                              " -6538.76 is outside the plausible range [0.1, 1e+06] of SPX "
                              "close (index points)")


def test_unknown_series_and_two_files_for_one(tmp_path: Path) -> None:
    _small(tmp_path, GOOD.replace("SPX Index", "close"), "SPX.csv")
    src = FolderSource(tmp_path)
    with pytest.raises(UnknownSeriesError, match=r"unknown series in .*'SPXX'; did you mean SPX"):
        src.read("SPXX")
    _small(tmp_path, GOOD.replace("SPX Index", "close"), "spx.txt")
    with pytest.raises(DataError) as exc:
        FolderSource(tmp_path).names()
    assert "two files hold SPX: SPX.csv and spx.txt; keep one" in _one_line(exc)


def test_workbook_and_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "SPX.csv").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataError) as exc:
        FolderSource(tmp_path).read("SPX")
    assert "an Excel workbook (or a zip), not a CSV: save it as CSV" in _one_line(exc)
    with pytest.raises(DataError, match="no such folder"):
        FolderSource(tmp_path / "nope")


def test_parquet_index_utf16_tab_export_and_a_two_line_header(tmp_path: Path,
                                                              closes: pd.DataFrame) -> None:
    # Parquet with the dates as a (tz-aware) index and the close named after the series
    spx = closes["SPX"].dropna()
    frame = pd.DataFrame({"SPX": spx.to_numpy()},
                         index=spx.index.tz_localize("UTC").rename("Date"))
    frame.to_parquet(tmp_path / "spx.pq")
    # Excel "Unicode text": UTF-16 with BOM, tab-delimited
    vix = closes["VIX"].dropna()
    text = "Date\tVIX\r\n" + "".join(f"{d:%Y-%m-%d}\t{v!r}\r\n" for d, v in vix.items())
    (tmp_path / "vix_export.txt").write_bytes(text.encode("utf-16"))
    # a BDH export with a title line and a ticker line above a header repeating PX_LAST
    ust = closes["UST10Y"].dropna()
    rows = ["Rates export,,", ",USGG10YR Index,USGG2YR Index", "Dates,PX_LAST,PX_LAST"]
    rows += [f"{d:%Y-%m-%d},{v!r},#N/A N/A" for d, v in ust.items()]
    (tmp_path / "rates.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "crashlens.yaml").write_text(
        "series:\n"
        "  VIX: vix_export.txt\n"
        "  UST10Y: {file: rates.csv, skip_rows: 2, value: 2}\n")
    src = FolderSource(tmp_path)
    assert src.names() == ["SPX", "UST10Y", "VIX"]
    assert src.file_of("SPX").name == "spx.pq"
    _expect_equal(src, closes)
    import pickle

    again = pickle.loads(pickle.dumps(src))  # worker processes get the folder, not its cache
    assert again.read("VIX").equals(src.read("VIX"))
    # PX_LAST by name is ambiguous there: one line asking for the column number
    (tmp_path / "crashlens.yaml").write_text(
        "series:\n  UST10Y: {file: rates.csv, skip_rows: 2, value: PX_LAST}\n")
    with pytest.raises(DataError) as exc:
        FolderSource(tmp_path).read("UST10Y")
    assert "2 columns are named 'PX_LAST'; refer to one by its number (1 = first)" in \
        _one_line(exc)
