"""Chain parsers: the real CBOE quotedata export (checked with plain csv) and bad inputs."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from crashlens.data.schema import CHAIN_COLUMNS
from crashlens.errors import DataError, ParameterError
from crashlens.options.chains import (
    chain_from_frame,
    read_chain,
    settlement_times,
    years_to_expiry,
)

HEADER = ("Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,"
          "Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest")
PREAMBLE = ['', 'SPDR S&P 500 ETF Trust,Last: 658.05,Change:  -3.05',
            '"Date: September 25, 2025 at 9:05 PM EDT",Bid: 657.81,Ask: 657.83,Size: 1*4,'
            '"Volume: 89,468,957"']
ROWS = [
    "Wed Oct 01 2025,SPY251001C00650000,9.5,0,9.4,9.6,100,0.15,0.6,0.03,1000,650.00,"
    "SPY251001P00650000,2.5,0,2.4,2.6,200,0.17,-0.4,0.03,2000",
    "Wed Oct 01 2025,SPY251001C00660000,3.5,0,3.4,3.6,50,0.14,0.45,0.04,3000,660.00,"
    "SPY251001P00660000,5.5,0,5.4,5.6,70,0.16,-0.55,0.04,500",
    "Fri Oct 17 2025,SPY251017C00670000,4.0,0,3.9,4.1,10,0.13,0.35,0.02,700,670.00,"
    "SPY251017P00670000,15,0,14.9,15.2,5,0.15,-0.65,0.02,0",
]


def write_qd(tmp_path, preamble=PREAMBLE, header=HEADER, rows=ROWS, name="quotedata.csv"):
    path = tmp_path / name
    path.write_text("\n".join([*preamble, header, *rows]) + "\n")
    return path


def test_small_quotedata(tmp_path):
    ch = read_chain(write_qd(tmp_path))
    assert list(ch.frame.columns) == list(CHAIN_COLUMNS)
    assert ch.underlying == "SPY" and ch.spot == 658.05
    assert ch.quote_time == pd.Timestamp("2025-09-25 21:05")
    assert len(ch) == 6
    f = ch.frame
    put660 = f[(f.strike == 660) & (f.option_type == "P")].iloc[0]
    assert put660.open_interest == 500 and put660.iv == 0.16 and put660.volume == 70
    assert put660.expiry == pd.Timestamp("2025-10-01 16:00")  # SPY: PM settled
    assert put660.bid == 5.4 and put660.ask == 5.6 and put660.last == 5.5
    assert (f.multiplier == 100).all()


def test_header_lines_moved_are_found(tmp_path):
    # no blank first line, an extra line of junk: the header is searched, not hard-coded
    pre = [PREAMBLE[1], "some banner text", PREAMBLE[2]]
    ch = read_chain(write_qd(tmp_path, preamble=pre))
    assert len(ch) == 6 and ch.spot == 658.05


@pytest.mark.parametrize("mutate, match", [
    (lambda h, r: (h.replace("Expiration Date", "Expiry Date"), r), "header line"),
    (lambda h, r: (h.replace(",Strike,", ",K,"), r), "header"),
    (lambda h, r: (h.replace("Open Interest", "OI"), r), "Open Interest"),
    (lambda h, r: (h, [r[0].replace(",1000,", ",abc,")]), "row 5.*Open Interest|abc"),
    (lambda h, r: (h, [r[0].replace(",1000,", ",-5,")]), ">= 0"),
    (lambda h, r: (h, [r[0].replace("Wed Oct 01 2025", "Octember 1")]), "expiration date"),
    (lambda h, r: (h, [r[0] + ",extra"]), "fields"),
    (lambda h, r: (h, []), "empty"),
    (lambda h, r: (h, [r[0].replace(",650.00,", ",,")]), "strike"),
])
def test_bad_quotedata(tmp_path, mutate, match):
    header, rows = mutate(HEADER, list(ROWS))
    with pytest.raises(DataError, match=match) as info:
        read_chain(write_qd(tmp_path, header=header, rows=rows), format="quotedata")
    assert "quotedata.csv" in str(info.value)


def test_non_numeric_cell_names_row_and_column(tmp_path):
    rows = [ROWS[0], ROWS[1].replace(",0.16,", ",x16,")]
    with pytest.raises(DataError) as info:
        read_chain(write_qd(tmp_path, rows=rows))
    msg = str(info.value)
    assert "row 6" in msg and "'iv'" in msg and "x16" in msg


def test_missing_preamble_spot_is_reported(tmp_path):
    ch = read_chain(write_qd(tmp_path, preamble=[PREAMBLE[2]]))
    assert ch.spot is None and any("Last:" in w for w in ch.warnings)
    ch2 = read_chain(write_qd(tmp_path, preamble=[PREAMBLE[2]]), spot=650.0)
    assert ch2.spot == 650.0


def test_missing_file():
    with pytest.raises(DataError, match="no such"):
        read_chain("/nonexistent/quotedata.csv")


def test_settlement_am_pm():
    d = pd.Series(pd.to_datetime(["2025-10-17", "2025-10-17", "2025-10-17"]))
    out = settlement_times(d, pd.Series(["SPX", "SPXW", "SPY"]))
    assert list(out) == [pd.Timestamp("2025-10-17 09:30"), pd.Timestamp("2025-10-17 16:00"),
                         pd.Timestamp("2025-10-17 16:00")]
    assert settlement_times(d, "SPY", "am").iloc[0].hour == 9
    with pytest.raises(ParameterError, match="settlement"):
        settlement_times(d, "SPY", "noon")


def test_years_to_expiry_minutes_and_floor():
    asof = pd.Timestamp("2025-10-17 15:30")
    exp = pd.to_datetime(["2025-10-17 16:00:00", "2025-10-17 15:30:10", "2025-10-17 09:30:00",
                          "2025-10-18 16:00:00"])
    t = years_to_expiry(exp, asof, min_minutes=1.0)
    assert t[0] == pytest.approx(30 / 525600)
    assert t[1] == pytest.approx(1 / 525600)  # 10 s left -> floored at one minute
    assert t[2] < 0  # settled this morning: expired
    assert t[3] == pytest.approx((24 * 60 + 30) / 525600)


def test_generic_csv_and_parquet(tmp_path):
    df = pd.DataFrame({
        "Expiration": ["2025-10-17", "2025-10-17"], "Strike": [100, 100], "Type": ["call", "put"],
        "OI": [10, 20], "implied_volatility": [20.0, 22.0], "Underlying": ["SPX", "SPX"],
        "root": ["SPX", "SPXW"], "underlying_price": [101.0, 101.0],
        "quote_time": ["2025-10-16 16:15", "2025-10-16 16:15"],
    })
    df.to_csv(tmp_path / "c.csv", index=False)
    df.to_parquet(tmp_path / "c.parquet")
    for name in ("c.csv", "c.parquet"):
        ch = read_chain(tmp_path / name)
        assert ch.spot == 101.0 and ch.underlying == "SPX"
        assert ch.quote_time == pd.Timestamp("2025-10-16 16:15")
        f = ch.frame
        assert list(f.option_type) == ["C", "P"]
        np.testing.assert_allclose(f.iv, [0.20, 0.22])  # percent detected
        assert list(f.expiry) == [pd.Timestamp("2025-10-17 09:30"), pd.Timestamp("2025-10-17 16:00")]
        assert any("percent" in w for w in ch.warnings)


def test_generic_bad_inputs(tmp_path):
    base = dict(expiry=["2025-10-17"], strike=[100.0], option_type=["C"], open_interest=[1.0])
    with pytest.raises(DataError, match="open_interest"):
        chain_from_frame(pd.DataFrame({k: v for k, v in base.items() if k != "open_interest"}))
    with pytest.raises(DataError, match="empty"):
        chain_from_frame(pd.DataFrame({k: [] for k in base}))
    with pytest.raises(DataError, match="option type"):
        chain_from_frame(pd.DataFrame({**base, "option_type": ["X"]}))
    with pytest.raises(DataError, match=">= 0"):
        chain_from_frame(pd.DataFrame({**base, "open_interest": [-1.0]}))
    with pytest.raises(ParameterError, match="spot"):
        chain_from_frame(pd.DataFrame(base), spot=-1.0)


@pytest.mark.realdata
def test_real_spy_quotedata_against_plain_csv(spy_chain_path):
    with open(spy_chain_path, newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == [] and lines[3][0] == "Expiration Date"
    body = [r for r in lines[4:] if r]
    call_oi = sum(float(r[10]) for r in body)
    put_oi = sum(float(r[21]) for r in body)
    call_vol = sum(float(r[6]) for r in body)
    ch = read_chain(spy_chain_path)
    f = ch.frame
    assert ch.underlying == "SPY" and ch.spot == 658.05
    assert ch.quote_time == pd.Timestamp("2025-09-25 21:05")
    assert len(f) == 2 * len(body) == 3716
    assert f.loc[f.option_type == "C", "open_interest"].sum() == call_oi
    assert f.loc[f.option_type == "P", "open_interest"].sum() == put_oi
    assert f.loc[f.option_type == "C", "volume"].sum() == call_vol
    assert f.expiry.min() == pd.Timestamp("2025-10-01 16:00")
    assert f.expiry.max() == pd.Timestamp("2025-10-31 16:00")
    assert f.expiry.nunique() == 11
    first = f[(f.strike == 500) & (f.expiry == f.expiry.min())]
    assert first.set_index("option_type").loc["C", "iv"] == 0.6659
    assert first.set_index("option_type").loc["P", "open_interest"] == 16


def test_older_quotedata_layout_without_iv(tmp_path):
    # older CBOE exports: "Vol" / "Open Int" columns and no IV, Delta, Gamma
    header = ("Expiration Date,Calls,Last Sale,Net,Bid,Ask,Vol,Open Int,Strike,Puts,Last Sale,Net,"
              "Bid,Ask,Vol,Open Int")
    rows = ["Fri Oct 17 2025,SPY251017C00660000,8.1,0,8.0,8.2,10,500,660.00,"
            "SPY251017P00660000,9.9,0,9.8,10.0,20,700"]
    ch = read_chain(write_qd(tmp_path, header=header, rows=rows))
    f = ch.frame.set_index("option_type")
    assert f.loc["C", "open_interest"] == 500 and f.loc["P", "volume"] == 20
    assert f["iv"].isna().all()
    from crashlens.options import gex

    res = gex(ch)  # IVs solved from the mids
    assert any("IV solved" in w for w in res.warnings)
    assert len(res.contracts) == 2 and (res.contracts["iv_used"] > 0).all()


def test_generic_csv_errors_name_the_line(tmp_path):
    path = tmp_path / "chain.csv"
    path.write_text("expiry,strike,type,oi\n2025-10-17,100,C,5\n2025-10-17,105,P,lots\n")
    with pytest.raises(DataError) as info:
        read_chain(path)
    msg = str(info.value)
    assert "chain.csv" in msg and "row 3" in msg and "open_interest" in msg and "lots" in msg


SPANISH_PREAMBLE = ['', 'SPDR S&P 500 ETF Trust,Last: 673.47,Change:  10.84',
                    '"Date: 20 de noviembre de 2025, 9:52 GMT-5",Bid: 673.47,Ask: 673.48,'
                    'Size: 40*240,Volume: 4.732.682']


def test_spanish_locale_quotedata(tmp_path):
    ch = read_chain(write_qd(tmp_path, preamble=SPANISH_PREAMBLE))
    # 9:52 at UTC-5 is 14:52 UTC, which is 9:52 in New York in November (EST)
    assert ch.quote_time == pd.Timestamp("2025-11-20 09:52") and ch.spot == 673.47
    summer = ['', SPANISH_PREAMBLE[1], '"Date: 5 de agosto de 2025, 13:38 GMT-5",Bid: 1']
    # in August New York is on EDT (UTC-4): 13:38 at UTC-5 is 14:38 ET
    assert read_chain(write_qd(tmp_path, preamble=summer)).quote_time == pd.Timestamp(
        "2025-08-05 14:38")
    bad = ['', SPANISH_PREAMBLE[1], '"Date: 20 de brumario de 2025, 9:52 GMT-5",Bid: 1']
    with pytest.raises(DataError, match="brumario"):
        read_chain(write_qd(tmp_path, preamble=bad))


@pytest.mark.realdata
@pytest.mark.parametrize("stamp, spot, quoted, n_expiries", [
    ("20251120", 673.47, "2025-11-20 09:52", 33),
    ("20260205", 679.34, "2026-02-05 13:38", 12),
])
def test_real_spanish_locale_chains_against_plain_csv(stamp, spot, quoted, n_expiries):
    import os
    from pathlib import Path

    path = Path(os.environ["CRASHLENS_DATA"]) / f"spy_options_chain_{stamp}_quotedata.csv"
    if not path.is_file():
        pytest.skip(f"{path.name} not in CRASHLENS_DATA")
    with open(path, newline="") as fh:
        body = [r for r in list(csv.reader(fh))[4:] if r]
    ch = read_chain(path)
    f = ch.frame
    assert ch.spot == spot and ch.quote_time == pd.Timestamp(quoted)
    assert len(f) == 2 * len(body)
    assert f.loc[f.option_type == "C", "open_interest"].sum() == sum(float(r[10]) for r in body)
    assert f.loc[f.option_type == "P", "open_interest"].sum() == sum(float(r[21]) for r in body)
    assert f.expiry.nunique() == n_expiries
