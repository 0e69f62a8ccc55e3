"""Global trend-follower universe: the JGB loader's quirks and the catalog entries (part 4)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from crashlens.data.loaders.global_markets import era_to_date, load_jgb
from crashlens.errors import DataError

TITLE = "国債金利情報,,,(単位 : %)\n"
HEADER = "基準日,1年,10年,40年\n"


def _write(tmp_path: Path, body: str, encoding: str = "shift_jis") -> Path:
    p = tmp_path / "jgb.csv"
    p.write_bytes((TITLE + HEADER + body).encode(encoding))
    return p


@pytest.mark.parametrize(("era", "iso"), [
    ("R8.6.30", "2026-06-30"), ("R1.5.1", "2019-05-01"), ("H31.4.30", "2019-04-30"),
    ("H1.1.8", "1989-01-08"), ("S64.1.7", "1989-01-07"), ("S49.9.24", "1974-09-24"),
])
def test_era_dates(era: str, iso: str) -> None:
    # era year 1 = 2019 (Reiwa), 1989 (Heisei), 1926 (Showa)
    assert era_to_date(era) == pd.Timestamp(iso)


@pytest.mark.parametrize("bad", ["2026-06-30", "X8.6.30", "R8.13.1", "R0.1.1", "R8.2.30"])
def test_bad_era_dates(bad: str) -> None:
    with pytest.raises(ValueError):
        era_to_date(bad)


def test_jgb_file(tmp_path: Path) -> None:
    p = _write(tmp_path, "S61.7.4,4.1,-,-\nH31.4.26,-0.15,-0.04,0.5\nR1.5.7,-0.16,-0.05,0.49\n")
    got = load_jgb(p, tenor="10Y")
    assert list(got.frame.index) == [pd.Timestamp("2019-04-26"), pd.Timestamp("2019-05-07")]
    assert list(got.frame["value"]) == [-0.04, -0.05]
    assert "1 days without a 10年 yield" in got.notes[0]


def test_jgb_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"row 4, column '基準日'.*era date"):
        load_jgb(_write(tmp_path, "R1.5.7,1,2,3\n2019-05-08,1,2,3\n"))
    with pytest.raises(DataError, match=r"row 3, column '10年'.*'abc' is not a yield"):
        load_jgb(_write(tmp_path, "R1.5.7,1,abc,3\n"))
    with pytest.raises(DataError, match="no tenor column '7年'"):
        load_jgb(_write(tmp_path, "R1.5.7,1,2,3\n"), tenor="7Y")
    with pytest.raises(DataError, match=r"row 4.*duplicated date 2019-05-07"):
        load_jgb(_write(tmp_path, "R1.5.7,1,2,3\nR1.5.7,1,2,3\n"))
    with pytest.raises(DataError, match="not Shift-JIS"):
        p = tmp_path / "x.csv"
        p.write_bytes(b"\x82\xa0\xff\xfe\x80\x81")
        load_jgb(p)
    with pytest.raises(DataError, match="no header line"):
        load_jgb(_plain(tmp_path))


def _plain(tmp_path: Path) -> Path:
    p = tmp_path / "plain.csv"
    p.write_text("date,value\n2020-01-01,1\n", encoding="utf-8")
    return p


def _csv_close(path: Path, day: str, *, date_col: str = "Date", close_col: str = "Close"
               ) -> float:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            if row[date_col][:10] == day:
                return float(row[close_col])
    raise AssertionError(f"{day} not in {path}")


@pytest.mark.realdata
def test_real_files_through_the_catalog(raw_dir: Path) -> None:
    from crashlens import data

    day = "2025-11-20"
    cases = {
        "DAX": ("index_dax_daily.csv", "Date", "Close"),
        "FTSE": ("index_ftse100_daily.csv", "Date", "Close"),
        "CAC": ("index_cac40_daily.csv", "Date", "Close"),
        "ESTX50": ("index_eurostoxx50_daily.csv", "Date", "Close"),
        "NIKKEI": ("index_nikkei225_daily_2021plus.csv", "Date", "Close"),   # time-zoned
        "HSI": ("index_hangseng_daily_2013plus.csv", "date", "close"),      # BOM, lower case
        "ZN": ("futures_ust10y_note_daily.csv", "Date", "Close"),
        "GBPUSD": ("fx_gbpusd_daily.csv", "Date", "Close"),
        "COPPER": ("futures_copper_daily.csv", "Date", "Close"),
    }
    for name, (file, dcol, ccol) in cases.items():
        got = data.close(name, start=day, end=day)
        assert float(got.iloc[0]) == pytest.approx(
            _csv_close(raw_dir / file, day, date_col=dcol, close_col=ccol), rel=1e-9), name
    # the splices: the long Nikkei / Hang Seng files before 2021 / 2013, then the recent ones
    assert float(data.close("NIKKEI", start="1990-01-04", end="1990-01-04").iloc[0]) == \
        pytest.approx(_csv_close(raw_dir / "index_nikkei225_daily_1965_2024.csv", "1990-01-04"))
    assert float(data.close("HSI", start="2025-11-20", end="2025-11-20").iloc[0]) == \
        pytest.approx(25835.57)          # SOURCES.md
    assert float(data.close("NIKKEI", start=day, end=day).iloc[0]) == pytest.approx(49823.94,
                                                                                    abs=0.01)


@pytest.mark.realdata
def test_real_jgb_and_bund(raw_dir: Path) -> None:
    from crashlens import data

    # the last line of the Ministry's file, decoded by hand: R8.6.30 = 2026-06-30, 10Y 2.69
    lines = (raw_dir / "jgb_yields_mof_daily.csv").read_bytes().decode("shift_jis").splitlines()
    header = lines[1].split(",")
    last = lines[-1].split(",")
    assert last[0] == "R8.6.30"
    ten = float(last[header.index("10年")])
    got = data.close("JGB10Y", start="2026-06-30", end="2026-06-30")
    assert float(got.iloc[0]) == pytest.approx(ten)
    assert data.close("BUND10Y").index[-1] == pd.Timestamp("2025-09-01")
    assert float(data.close("BUND10Y", start="2025-09-01").iloc[-1]) == pytest.approx(2.7464)


@pytest.mark.realdata
def test_desk_book_on_the_global_universe(raw_dir: Path) -> None:
    from crashlens.cta import GLOBAL_UNIVERSE, positioning

    res = positioning("2025-11-14", mc=False)
    assert res.assumptions["universe"].keys() <= set(GLOBAL_UNIVERSE)
    # the Bund file ends 2025-09-01: stale on 2025-11-14, left out with a warning
    assert "BUND10Y" not in res.assets
    assert any(w.startswith("BUND10Y: as-of date 2025-11-14 is 74 days after") for w in
               res.warnings)
    # JGB10Y is a bond position whose price is reported back as the MoF yield of that day
    lines = (raw_dir / "jgb_yields_mof_daily.csv").read_bytes().decode("shift_jis").splitlines()
    header = lines[1].split(",")
    row = next(ln.split(",") for ln in lines if ln.startswith("R7.11.14,"))  # Reiwa 7 = 2025
    assert res.assets["JGB10Y"]["price"] == pytest.approx(float(row[header.index("10年")]),
                                                          abs=1e-9)
    assert res.assets["ZN"]["price"] == pytest.approx(
        _csv_close(raw_dir / "futures_ust10y_note_daily.csv", "2025-11-14"), rel=1e-12)
    equity = [n for n, u in res.assumptions["universe"].items() if u["sector"] == "equity"]
    assert set(equity) == {"SPX", "NDX", "ESTX50", "DAX", "FTSE", "CAC", "NIKKEI", "HSI"}
    view = res.total["desk_view"]
    assert view["equity_global"]["notional_usd"] == pytest.approx(
        sum(res.assets[n]["notional_usd"] for n in equity))
    assert view["equity_us"]["notional_usd"] == pytest.approx(
        res.assets["SPX"]["notional_usd"] + res.assets["NDX"]["notional_usd"])
    # no market above the per-market cap (0.5x AUM)
    aum = res.total["aum_usd"]
    assert all(abs(b["notional_usd"]) <= 0.5 * aum * (1 + 1e-12) for b in res.assets.values())
