"""Episode library statistics against hand computations on the raw CSV files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import crashlens.episodes as ep
from crashlens.errors import ParameterError

from .conftest import raw_close

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def lib() -> ep.LibraryResult:
    return ep.library()


def _window_mdd(s: pd.Series, lo: str, hi: str) -> tuple[pd.Timestamp, pd.Timestamp, float]:
    w = s[(s.index >= lo) & (s.index <= hi)]
    best = (w.index[0], w.index[0], 0.0)
    peak_d, peak_v = w.index[0], w.iloc[0]
    for d, v in w.items():
        if v > peak_v:
            peak_d, peak_v = d, v
        if v / peak_v - 1 < best[2]:
            best = (peak_d, d, v / peak_v - 1)
    return best


@pytest.mark.parametrize(("key", "lo", "hi"), [
    ("2020", "2020-02-01", "2020-04-30"),
    ("2008", "2007-07-01", "2009-06-30"),
    ("2018-Q4", "2018-09-01", "2018-12-31"),
    ("2025-11", "2025-10-15", "2025-12-15"),
])
def test_named_episode_matches_csv(lib: ep.LibraryResult, spx_raw: pd.Series,
                                   vix_raw: pd.Series, key: str, lo: str, hi: str) -> None:
    peak, trough, dd = _window_mdd(spx_raw, lo, hi)
    row = lib.get(key)
    assert pd.Timestamp(row["peak_date"]) == peak
    assert pd.Timestamp(row["trough_date"]) == trough
    assert row["drawdown"] == pytest.approx(dd, rel=1e-9)
    sessions = ((spx_raw.index > peak) & (spx_raw.index <= trough)).sum()
    assert row["duration_days"] == sessions
    after = spx_raw[spx_raw.index > trough]
    rec = after[after >= spx_raw[peak]].index[0]
    assert pd.Timestamp(row["recovery_date"]) == rec
    vix = vix_raw[(vix_raw.index >= peak) & (vix_raw.index <= trough)]
    assert row["vix_peak"] == pytest.approx(vix.max())


def test_cross_asset_gold_in_2020(lib: ep.LibraryResult, raw_dir: Path) -> None:
    gold = raw_close(raw_dir, "gold_futures_daily_ohlc.csv")
    row = lib.get("2020")
    p0 = gold[gold.index <= row["peak_date"]].iloc[-1]
    p1 = gold[gold.index <= row["trough_date"]].iloc[-1]
    assert row["cross_asset"]["GOLD"] == pytest.approx(p1 / p0 - 1, rel=1e-9)


def _detections(lib: ep.LibraryResult) -> pd.DataFrame:
    """Rows produced by the detection rule: detected ones and those merged into a name."""
    e = lib.episodes
    return e[(e["kind"] == "detected") | (e["detected_key"] != "")].sort_values("peak_date")


def test_detected_episodes_cover_known_bear_markets(lib: ep.LibraryResult,
                                                    spx_raw: pd.Series) -> None:
    det = _detections(lib)
    assert (det["drawdown"] <= -0.10).all()
    peaks = set(pd.to_datetime(det["peak_date"]).dt.date.astype(str))
    assert {"2007-10-09", "2020-02-19", "2022-01-03", "2018-09-20"} <= peaks
    # every recovered episode recovers at the first close >= its peak close
    for _, r in det[det["recovered"]].iterrows():
        seg = spx_raw[(spx_raw.index > r["trough_date"]) & (spx_raw.index < r["recovery_date"])]
        assert (seg < r["peak_level"]).all()


def test_detected_episodes_equal_pandas_underwater_spells(lib: ep.LibraryResult,
                                                         spx_raw: pd.Series) -> None:
    # independent rule with full recovery: group closes by "new high" spells (pandas)
    s = spx_raw[spx_raw.index >= "1950-01-01"]
    spell = (s >= s.cummax()).cumsum()
    expected = []
    for _, g in s.groupby(spell):
        dd = g / g.iloc[0] - 1
        if dd.min() <= -0.10:
            expected.append((g.index[0], dd.idxmin()))
    det = _detections(lib)
    got = list(zip(pd.to_datetime(det["peak_date"]), pd.to_datetime(det["trough_date"]),
                   strict=True))
    assert got == expected


def test_every_named_episode_present(lib: ep.LibraryResult) -> None:
    keys = set(lib.episodes["key"])
    assert {e.key for e in ep.NAMED_EPISODES} <= keys
    assert "SPX" in lib.summary()
    assert lib.plot_timeline().data


def test_bad_parameters() -> None:
    with pytest.raises(ParameterError, match="threshold"):
        ep.library(threshold=1.5)
    with pytest.raises(ParameterError, match="recovery"):
        ep.library(recovery=0)
    bad = ep.NamedEpisode("x", "x", "2020-05-01", "2020-01-01")
    with pytest.raises(ParameterError, match="after"):
        ep.library(named=[bad], include_detected=False)


def test_one_row_per_episode(lib: ep.LibraryResult, spx_raw: pd.Series) -> None:
    e = lib.episodes
    # no sell-off listed twice (named window and detected drawdown of the same episode)
    assert not e["peak_date"].duplicated().any()
    assert not e["trough_date"].duplicated().any()
    assert (e["key"] == "2008").sum() == 1 and not (e["key"] == "SPX-2007-10-09").any()
    row = lib.get("2008")
    assert row["detected_key"] == "SPX-2007-10-09" and row["name"].startswith("2008")
    # the detected dates, checked on the plain CSV: the running peak before the fall and
    # the lowest close before the old peak is regained
    s = spx_raw[spx_raw.index >= "2007-01-01"]
    peak = pd.Timestamp("2007-10-09")
    assert s[s.index <= "2008-12-31"].idxmax() == peak
    after = s[s.index > peak]
    rec = after[after >= s[peak]].index[0]
    trough = after[after.index < rec].idxmin()
    assert pd.Timestamp(row["trough_date"]) == trough == pd.Timestamp("2009-03-09")
    assert row["drawdown"] == pytest.approx(s[trough] / s[peak] - 1, rel=1e-12)
    assert pd.Timestamp(row["recovery_date"]) == rec
    text = lib.summary()
    assert sum(line.split()[0] == "2008" for line in text.splitlines()[2:] if line.split()) == 1
    # a named window without a 10 % fall stays named, with its own in-window dates
    assert lib.get("2025-11")["detected_key"] == ""
