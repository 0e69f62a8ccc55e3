"""Prediction-market FOMC odds and the futures calculator (crashlens.macro.fed_odds)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from crashlens.errors import DataError, ParameterError
from crashlens.macro import fed_odds as fo


def _file(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    p = tmp_path / "odds.csv"
    lines = ["timestamp_ms,timestamp_et,poly_mid,kalshi_mid"]
    lines += [f"0,{t},{a},{b}" for t, a, b in rows]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_p_cut_and_asof_truncation(tmp_path: Path) -> None:
    p = _file(tmp_path, [("2025-11-20 10:00:00", "0.6", "0.62"),
                         ("2025-11-20 23:30:00", "0.7", "0.7"),
                         ("2025-11-21 09:00:00", "0.3", "0.35")])
    odds = fo.load_fed_odds(p)
    assert odds.p_cut("poly").tolist() == pytest.approx([0.4, 0.3, 0.7])
    day = odds.asof("2025-11-20")          # a bare date: the whole day is known
    assert len(day.frame) == 2 and day.p_cut("kalshi").iloc[-1] == pytest.approx(0.3)
    early = odds.asof("2025-11-20 12:00")
    assert len(early.frame) == 1
    hike = fo.load_fed_odds(p, p_hike=0.05)
    assert hike.p_cut().iloc[0] == pytest.approx(0.35)
    assert hike.assumptions["p_hike"] == 0.05
    assert isinstance(odds.plot_odds(), go.Figure)
    assert odds.to_dict()["frame"][0]["time_et"] == "2025-11-20T10:00:00"


@pytest.mark.parametrize(("rows", "needle"), [
    ([("2025-11-20 10:00:00", "1.4", "0.5")], "row 2, column 'poly_mid'"),
    ([("later", "0.4", "0.5")], "row 2, column 'timestamp_et'"),
])
def test_bad_input_names_row(tmp_path: Path, rows: list, needle: str) -> None:
    with pytest.raises(DataError, match=needle):
        fo.load_fed_odds(_file(tmp_path, rows))


def test_bad_parameters(tmp_path: Path) -> None:
    p = _file(tmp_path, [("2025-11-20 10:00:00", "0.6", "0.62")])
    with pytest.raises(ParameterError, match="p_hike"):
        fo.load_fed_odds(p, p_hike=2)
    with pytest.raises(ParameterError, match="market"):
        fo.load_fed_odds(p).p_cut("cme")
    with pytest.raises(ParameterError, match="asof"):
        fo.load_fed_odds(p).asof("2025-02-30")
    with pytest.raises(DataError, match="no such file"):
        fo.load_fed_odds(tmp_path / "none.csv")


def test_meeting_probabilities_closed_form() -> None:
    # A meeting on 10 Dec (31-day month); no meeting in November, so November's contract gives
    # the rate before: r0 = 100 - 96.00 = 4.00 %. Price December so that the rate after is
    # 3.875 %, half a 25 bp cut: F_dec = (10 r0 + 21 r1) / 31.
    r0, r1 = 4.00, 3.875
    f_dec = (10 * r0 + 21 * r1) / 31
    out = fo.meeting_probabilities(["2025-12-10"], {"2025-11": 96.0, "2025-12": 100 - f_dec},
                                   current_rate=4.0, current_range=(3.75, 4.0))
    row = out.iloc[0]
    assert row["rate_after"] == pytest.approx(r1)
    assert row["p_cut"] == pytest.approx(0.5) and row["p_hold"] == pytest.approx(0.5)
    assert row["p_hike"] == 0
    assert row["expected_upper"] == pytest.approx(4.0 - 0.125)


@pytest.mark.realdata
def test_williams_day_real(raw_dir: Path) -> None:
    with open(raw_dir / fo.FED_ODDS_FILE, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["timestamp_et"].startswith("2025-11-2")]
    day20 = [1 - float(r["poly_mid"]) for r in rows if r["timestamp_et"][:10] == "2025-11-20"]
    day21 = [1 - float(r["poly_mid"]) for r in rows if r["timestamp_et"][:10] == "2025-11-21"]
    odds = fo.load_fed_odds()
    s20 = odds.asof("2025-11-20").p_cut()
    assert s20.index[-1] < pd.Timestamp("2025-11-21")
    assert s20.loc["2025-11-20"].min() == pytest.approx(min(day20))
    assert odds.asof("2025-11-21").p_cut().loc["2025-11-21"].max() == pytest.approx(max(day21))
    assert min(day20) < 0.40 and max(day21) > 0.70
