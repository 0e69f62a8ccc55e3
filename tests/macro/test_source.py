"""The macro lens and the file readers read through ``source=``.

Frames of the store's own series cut at the as-of date give the same lens as the store; files
read by name (first prints, prediction-market odds) come from the source's folder of raw files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from crashlens import data
from crashlens.errors import DataError, UnknownSeriesError
from crashlens.macro import fed_odds, first_prints, lens, vacuum_table

pytestmark = pytest.mark.realdata

ASOF = pd.Timestamp("2025-11-21")


def _frames(asof: pd.Timestamp, drop: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    out = {n: data.get(n, None, asof) for n in data.names() if n not in drop}
    return {n: f for n, f in out.items() if len(f)}


def _col(raw_dir: Path, file: str, col: str) -> pd.Series:
    df = pd.read_csv(raw_dir / file, usecols=["date", col]).dropna()
    return pd.Series(df[col].to_numpy(float), index=pd.to_datetime(df["date"]))


def test_lens_on_frames_equals_the_store(raw_dir: Path) -> None:
    src = data.FramesSource(_frames(ASOF), files=raw_dir, label="store frames")
    a, b = lens(ASOF), lens(ASOF, source=src)
    d2 = _col(raw_dir, "us_rates_daily.csv", "DGS2")[:ASOF].iloc[-1]
    assert a.rates["ust2y"] == pytest.approx(d2) and b.rates["ust2y"] == a.rates["ust2y"]
    assert b.rates == a.rates and b.policy == a.policy and b.implied_path == a.implied_path
    assert b.labour == a.labour and b.inflation == a.inflation
    pd.testing.assert_frame_equal(a.vacuum, b.vacuum)
    assert list(b.warnings) == list(a.warnings)
    pd.testing.assert_frame_equal(vacuum_table(ASOF), vacuum_table(ASOF, source=src))


def test_a_source_without_a_needed_series_is_refused_naming_it() -> None:
    src = data.FramesSource(_frames(ASOF, drop=("EFFR",)), label="no EFFR")
    with pytest.raises(UnknownSeriesError) as err:
        lens(ASOF, source=src)
    assert "EFFR" in str(err.value) and "no EFFR" in str(err.value)
    assert "\n" not in str(err.value)


def test_files_read_by_name_come_from_the_source(raw_dir: Path, tmp_path: Path) -> None:
    spx = {"SPX": data.get("SPX", None, ASOF)}
    # the raw folder: the same first prints as the store's configuration
    same = data.FramesSource(spx, files=raw_dir)
    pd.testing.assert_frame_equal(first_prints.known_at(ASOF),
                                  first_prints.known_at(ASOF, source=same))
    assert first_prints.first_print("PAYEMS", "2025-09", source=same) == \
        first_prints.first_print("PAYEMS", "2025-09")
    odds = fed_odds.load_fed_odds(source=same).asof("2025-11-21")
    assert odds.frame.equals(fed_odds.load_fed_odds().asof("2025-11-21").frame)
    # another folder: its own file (one September payrolls print of 150,000 released 11-20)
    (tmp_path / first_prints.FIRST_RELEASES_FILE).write_text(
        "indicator,ref_period,value_as_published,first_seen_commit_time,vintage_no\n"
        "Total Nonfarm Employment,2025-09,\"150,000\",2025-11-20T14:00:00+00:00,1\n",
        encoding="utf-8")
    mine = data.FramesSource(spx, files=tmp_path)
    got = first_prints.known_at(ASOF, source=mine)
    assert got["value"].tolist() == [150_000.0]
    # PAYEMS 2025-09 is on the official calendar: released 2025-11-20
    assert got["release_date"].tolist() == [pd.Timestamp("2025-11-20")]
    # frames without a folder: one line naming the file and what to do
    bare = data.FramesSource(spx, label="bare frames")
    for run in (lambda: first_prints.known_at(ASOF, source=bare),
                lambda: fed_odds.load_fed_odds(source=bare)):
        with pytest.raises(DataError) as err:
            run()
        text = str(err.value)
        assert "needs a folder of raw files" in text and "bare frames" in text
        assert "\n" not in text
