"""Event study: a hand computation on a real event, roll rules and malformed catalyst files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crashlens.episodes as ep
from crashlens.episodes.events import day_zero
from crashlens.errors import DataError, InsufficientDataError

from .conftest import raw_close

KNOWN = {n: None for n in ("SPX", "NVDA", "GOOG", "BTC", "SMH")}


def _yaml(body: str) -> str:
    return "market: SPX\nassets: [SPX, NVDA]\nevents:\n" + body


def _hand_nvda_earnings(raw_dir: Path) -> tuple[float, float, pd.Series, float]:
    """Market model of NVDA around day 0 = 2025-11-20, from the plain CSV files."""
    spx = raw_close(raw_dir, "sp500_daily_ohlc.csv")
    nvda = raw_close(raw_dir, "stock_NVDA_daily.csv", "date", "close")
    df = pd.DataFrame({"m": spx, "a": nvda}).dropna().pct_change().dropna()
    dates = list(df.index)
    i0 = dates.index(pd.Timestamp("2025-11-20"))
    est = df.iloc[i0 - 1 - 10 - 120:i0 - 1 - 10]
    beta, alpha = np.polyfit(est["m"], est["a"], 1)
    resid = est["a"] - alpha - beta * est["m"]
    s = math.sqrt((resid ** 2).sum() / (len(est) - 2))
    ev = df.iloc[i0 - 1:i0 + 4]
    return float(alpha), float(beta), ev["a"] - alpha - beta * ev["m"], s


@pytest.mark.realdata
def test_nvidia_earnings_matches_hand_computation(raw_dir: Path) -> None:
    text = _yaml("  - date: 2025-11-19\n    name: NVDA earnings\n    timing: after_close\n")
    res = ep.catalysts(ep.parse_events(text), assets=["NVDA"])
    alpha, beta, ar, s = _hand_nvda_earnings(raw_dir)
    row = res.to_frame().loc[(0, "NVDA")]
    assert pd.Timestamp(row["day0"]) == pd.Timestamp("2025-11-20")
    assert row["beta"] == pytest.approx(beta, rel=1e-8)
    assert row["alpha"] == pytest.approx(alpha, rel=1e-6, abs=1e-12)
    assert row["ar0"] == pytest.approx(ar.iloc[1], rel=1e-8)
    assert row["t_ar0"] == pytest.approx(ar.iloc[1] / s, rel=1e-8)
    assert row["car"] == pytest.approx(ar.sum(), rel=1e-8)
    assert row["t_car"] == pytest.approx(ar.sum() / (s * math.sqrt(5)), rel=1e-8)
    assert row["n_est"] == 120


@pytest.mark.realdata
def test_shipped_file_runs_with_baskets() -> None:
    res = ep.catalysts(ep.shipped_events_path())
    days = set(pd.to_datetime(res.events["date"]).dt.date.astype(str))
    assert {"2025-10-10", "2025-11-18", "2025-11-19", "2025-11-20", "2025-11-21",
            "2026-01-30", "2026-02-05"} <= days
    # Nvidia reported after the close: day 0 is the next session
    nv = res.events[res.events["name"].str.contains("Nvidia")].iloc[0]
    assert pd.Timestamp(nv["day0"]) == pd.Timestamp("2025-11-20")
    assert len(res.baskets) == 2 * len(res.events)
    assert not res.basket_paths.empty
    json.dumps(res.to_dict(), allow_nan=False)
    text = res.summary()
    assert "Silver crash" in text
    # baskets are printed under their event, by name, never as "event 0 .. 7"
    assert "event 0" not in text and "event 7" not in text
    assert text.count("AI hardware (NVDA, SMH) vs vertically integrated (GOOG)") == 8
    assert max(len(line) for line in text.splitlines()) <= 80
    assert res.plot_car(0).data and res.plot_baskets().data


@pytest.mark.realdata
def test_weekend_event_rolls_with_warning() -> None:
    text = _yaml("  - date: 2025-11-22\n    name: Saturday news\n")
    res = ep.catalysts(ep.parse_events(text))
    assert pd.Timestamp(res.events["day0"].iloc[0]) == pd.Timestamp("2025-11-24")
    assert any("rolled" in w for w in res.warnings)
    res_p = ep.catalysts(ep.parse_events(text), roll="preceding")
    assert pd.Timestamp(res_p.events["day0"].iloc[0]) == pd.Timestamp("2025-11-21")


@pytest.mark.realdata
def test_asof_truncates_windows_without_lookahead() -> None:
    res = ep.catalysts(asof="2025-11-21")
    t = res.to_frame()
    # Williams spoke on the as-of day: its window is cut to sessions -1..0
    will = res.events[res.events["name"].str.contains("Williams")]["event"].iloc[0]
    assert t.loc[(will, "SPX"), "window_end"] == 0
    ab = res.abnormal
    assert pd.to_datetime(ab["date"]).max() <= pd.Timestamp("2025-11-21")
    assert any("truncated" in w for w in res.warnings)
    assert any("Silver crash" in w and "after the as-of date" in w for w in res.warnings)


def test_day_zero_rules_on_a_calendar_with_a_holiday() -> None:
    # Thanksgiving 2025-11-27 is not a session
    dates = pd.DatetimeIndex(["2025-11-25", "2025-11-26", "2025-11-28", "2025-12-01"])
    ev = ep.CatalystEvent(date=pd.Timestamp("2025-11-27"), name="holiday")
    assert day_zero(dates, ev, "following") == 2
    assert day_zero(dates, ev, "preceding") == 1
    after = ep.CatalystEvent(date=pd.Timestamp("2025-11-26"), name="x",
                             timing=ep.Timing.AFTER_CLOSE)
    assert day_zero(dates, after, "following") == 2
    sat = ep.CatalystEvent(date=pd.Timestamp("2025-11-29"), name="sat")
    assert day_zero(dates, sat, "following") == 3


@pytest.mark.parametrize(("body", "line", "match"), [
    ("  - date: 2025-11-19\n    name: ok\n  - date: 2025-02-30\n    name: bad\n", 6,
     "not a date"),
    ("  - date: 2025-11-19\n    name: x\n    assets: [NVDA, NVDAX]\n", 6, "unknown asset 'NVDAX'"),
    ("  - date: 2025-11-19\n    timing: overnight\n", 5, "timing 'overnight'"),
    ("  - date: 2025-11-19\n    colour: red\n", 5, "unknown key"),
    ("  - date: 2025-11-19\nbaskets:\n  - name: b\n    long: [NVDA]\n    short: [ZZZ]\n", 8,
     "unknown asset 'ZZZ'"),
    ("  - name: no date\n", 4, "missing 'date'"),
])
def test_bad_yaml_names_the_line(body: str, line: int, match: str) -> None:
    with pytest.raises(DataError, match=match) as exc:
        ep.parse_events(_yaml(body), path="cat.yaml", known_assets=KNOWN)
    assert exc.value.row == line
    assert f"row {line}" in str(exc.value) and "cat.yaml" in str(exc.value)


def test_bad_top_level_and_syntax() -> None:
    with pytest.raises(DataError, match="unknown asset 'XYZ'") as exc:
        ep.parse_events("assets: [XYZ]\nevents:\n  - date: 2025-01-02\n", known_assets=KNOWN)
    assert exc.value.row == 1
    with pytest.raises(DataError, match="invalid YAML") as exc:
        ep.parse_events("events: [\n  - date: 2025-01-02\n", known_assets=KNOWN)
    with pytest.raises(DataError, match="'events'"):
        ep.parse_events("market: SPX\n", known_assets=KNOWN)
    with pytest.raises(DataError, match="not found"):
        ep.load_events("/nonexistent/catalysts.yaml")


def test_shipped_file_parses_offline() -> None:
    known = {n: None for n in (
        "SPX", "NDX", "SMH", "NVDA", "GOOG", "MSFT", "META", "AMZN", "TSLA", "COIN", "MSTR",
        "PLTR", "BTC", "GOLD", "SILVER", "TLT", "DXY")}
    text = ep.shipped_events_path().read_text()
    f = ep.parse_events(text, known_assets=known)
    assert len(f.events) == 8 and len(f.baskets) == 2
    assert f.events[2].timing is ep.Timing.AFTER_CLOSE


@pytest.mark.realdata
def test_asset_and_basket_without_data_are_skipped_with_warnings() -> None:
    text = ("assets: [SPX, PLTR]\nbaskets:\n  - name: pltr vs spx\n    long: [PLTR]\n"
            "    short: [SPX]\nevents:\n  - date: 2024-08-05\n    name: yen carry\n")
    res = ep.catalysts(ep.parse_events(text))
    assert list(res.table["asset"]) == ["SPX"]
    assert any("PLTR has 0 of 120" in w for w in res.warnings)
    assert any("basket 'pltr vs spx'" in w for w in res.warnings)
    assert res.baskets.empty


def test_optional_chinese_event_name() -> None:
    text = "assets: [SPX]\nevents:\n  - date: 2025-11-19\n    name: x\n    name_zh: 中文\n"
    f = ep.parse_events(text, known_assets=KNOWN)
    assert f.events[0].name_zh == "中文"
    g = ep.parse_events("assets: [SPX]\nevents:\n  - date: 2025-11-19\n    name: x\n",
                        known_assets=KNOWN)
    assert g.events[0].name_zh == ""


@pytest.mark.realdata
def test_nvidia_leads_its_own_earnings_block(raw_dir: Path) -> None:
    res = ep.catalysts(ep.shipped_events_path())
    nv = int(res.events.loc[res.events["name"].str.contains("Nvidia"), "event"].iloc[0])
    sub = res.table[res.table["event"] == nv]
    # the company first, then its sector, then the comparison list
    assert list(sub["asset"].iloc[:2]) == ["NVDA", "SMH"]
    assert list(sub["role"].iloc[:2]) == ["event", "event"]
    assert set(sub["role"].iloc[2:]) == {"comparison"}
    _, _, ar, _ = _hand_nvda_earnings(raw_dir)
    assert sub["car"].iloc[0] == pytest.approx(ar.sum(), rel=1e-8)
    # its block in the text starts with NVDA, and the same-day jobs report is flagged
    block = res.summary().split("Nvidia Q3 FY2026 earnings")[1].splitlines()
    assert "same day 0 as Delayed September jobs report" in block[1]
    assert block[2].split()[:2] == ["event", "NVDA"]
    # the crypto event leads with BTC, the silver crash with SILVER
    first = res.table.groupby("event")["asset"].first()
    names = res.events.set_index("event")["name"]
    assert first[int(names[names == "Bitcoin below 70,000"].index[0])] == "BTC"
    assert first[int(names[names == "Silver crash"].index[0])] == "SILVER"


@pytest.mark.realdata
def test_event_window_past_the_data_is_refused_naming_the_event() -> None:
    text = _yaml("  - date: 2025-11-19\n    name: ok\n  - date: 2031-01-06\n"
                 "    name: Future summit\n")
    with pytest.raises(InsufficientDataError, match=r"Future summit.*does not fit the SPX data"):
        ep.catalysts(ep.parse_events(text))
    old = _yaml("  - date: 1927-12-30\n    name: Too early\n")
    with pytest.raises(InsufficientDataError, match=r"Too early.*estimation window"):
        ep.catalysts(ep.parse_events(old))
    # known only later: with an as-of date before it, the event is skipped, not refused
    res = ep.catalysts(ep.parse_events(text), asof="2025-12-31")
    assert any("Future summit" in w and "after the as-of date" in w for w in res.warnings)
