"""The shipped claims files on the real data, checked against values read from the raw CSVs."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import crashlens.audit as au
from crashlens.audit import VerdictKind

pytestmark = pytest.mark.realdata
ROOT = Path(__file__).resolve().parents[2]


def rows(raw: Path, name: str) -> list[dict[str, str]]:
    with (raw / name).open(newline="") as fh:
        return list(csv.DictReader(fh))


def closes(raw: Path, name: str, col: str = "Close", date: str = "Date") -> dict[str, float]:
    return {r[date]: float(r[col]) for r in rows(raw, name) if r[col] not in ("", None)}


@pytest.fixture(scope="module")
def nov(raw_dir: Path) -> dict[str, au.Verdict]:
    res = au.audit(ROOT / "claims" / "2025-11-selloff.yaml")
    assert not res.synthetic
    return {v.id: v for v in res.verdicts}


@pytest.mark.slow
def test_spx_moving_averages(raw_dir: Path, nov: dict[str, au.Verdict]) -> None:
    spx = closes(raw_dir, "sp500_daily_ohlc.csv")
    dates = sorted(d for d in spx if d <= "2025-11-20")
    sma20 = sum(spx[d] for d in dates[-20:]) / 20
    assert sma20 == pytest.approx(6772.6, abs=0.05)  # SOURCES.md cross-check
    v = nov["spx-below-20dma"]
    assert v.verdict is VerdictKind.CONFIRMED
    assert v.measured == pytest.approx(sma20, rel=1e-9)
    assert v.evidence["close"] == pytest.approx(spx["2025-11-20"])
    d17 = sorted(d for d in spx if d <= "2025-11-17")
    sma50 = sum(spx[d] for d in d17[-50:]) / 50
    assert spx["2025-11-17"] < sma50
    assert nov["spx-below-50dma"].verdict is VerdictKind.CONFIRMED
    assert nov["spx-below-50dma"].measured == pytest.approx(sma50, rel=1e-9)
    week = [spx[d] for d in spx if "2025-11-17" <= d <= "2025-11-21"]
    assert nov["spx-below-6600"].measured == pytest.approx(min(week))
    assert nov["spx-below-6600"].verdict is VerdictKind.CONFIRMED


@pytest.mark.slow
def test_bitcoin_claims(raw_dir: Path, nov: dict[str, au.Verdict]) -> None:
    btc = rows(raw_dir, "btc_usd_ohlcv_daily_2024plus.csv")
    low = min(float(r["Low"]) for r in btc if "2025-11-20" <= r["Date"] <= "2025-11-21")
    high = max(float(r["High"]) for r in btc if "2025-10-01" <= r["Date"] <= "2025-10-31")
    close21 = next(float(r["Close"]) for r in btc if r["Date"] == "2025-11-21")
    assert low == pytest.approx(80660, abs=1)     # SOURCES.md
    assert high == pytest.approx(126198, abs=1)   # SOURCES.md
    assert nov["btc-low-81k"].measured == pytest.approx(low)
    assert nov["btc-october-high-126k"].measured == pytest.approx(high)
    assert nov["btc-30pct-below-high"].measured == pytest.approx((1 - close21 / high) * 100)
    for cid in ("btc-below-90k", "btc-low-81k", "btc-october-high-126k",
                "btc-30pct-below-high"):
        assert nov[cid].verdict is VerdictKind.CONFIRMED, cid


@pytest.mark.slow
def test_equity_and_macro_claims(raw_dir: Path, nov: dict[str, au.Verdict]) -> None:
    ndx = closes(raw_dir, "nasdaq100_daily_ohlc.csv")
    assert nov["ndx-fell-hard"].measured == pytest.approx(
        (ndx["2025-11-21"] / ndx["2025-11-14"] - 1) * 100)
    nvda = closes(raw_dir, "stock_NVDA_daily.csv", "close", "date")
    assert nov["nvda-fell-after-earnings"].measured == pytest.approx(
        (nvda["2025-11-20"] / nvda["2025-11-19"] - 1) * 100)
    goog = closes(raw_dir, "stock_GOOG_daily.csv", "close", "date")
    prior = max(v for d, v in goog.items() if d < "2025-11-17")
    assert nov["goog-new-highs"].evidence["previous_record"] == pytest.approx(prior)
    assert nov["goog-new-highs"].verdict is VerdictKind.CONFIRMED
    infl = {r["date"]: r["CPI"] for r in rows(raw_dir, "us_inflation.csv")}
    assert infl.get("2025-10-01", "") == "" and infl["2025-11-01"] != ""
    assert nov["october-cpi-not-published"].verdict is VerdictKind.CONFIRMED
    labor = {r["date"]: r for r in rows(raw_dir, "us_labor.csv")}
    change = float(labor["2025-09-01"]["PAYEMS"]) - float(labor["2025-08-01"]["PAYEMS"])
    v = nov["september-payrolls-119k"]
    # the latest vintage (us_labor.csv) has revised September away from +119k; the claim is
    # about the report as first printed, which the first-releases file holds
    assert change != pytest.approx(119.0, abs=0.5)
    assert v.measured == 119_000 and v.verdict is VerdictKind.CONFIRMED
    assert v.evidence["release_date"] == "2025-11-20"
    assert nov["september-unemployment-4.4"].measured == float(labor["2025-09-01"]["UNRATE"])
    assert nov["september-unemployment-4.4"].verdict is VerdictKind.CONFIRMED
    trig = nov["spx-below-cta-short-trigger"]
    if trig.verdict is not VerdictKind.NOT_CHECKABLE:  # the CTA engine is another issue's
        spx = closes(raw_dir, "sp500_daily_ohlc.csv")
        assert trig.measured == pytest.approx(spx["2025-11-20"])
        assert trig.verdict is (VerdictKind.CONFIRMED if spx["2025-11-20"]
                                < trig.evidence["model_value"] else VerdictKind.REFUTED)
    cta = nov["cta-selling-390bn"]
    assert cta.verdict in (VerdictKind.CONFIRMED, VerdictKind.REFUTED, VerdictKind.NOT_CHECKABLE)
    if cta.verdict is not VerdictKind.NOT_CHECKABLE:
        assert cta.measured is not None and cta.measured < 0  # a down-big tape means selling
        within = abs(cta.measured - (-390e9)) <= 0.5 * 390e9
        assert cta.verdict is (VerdictKind.CONFIRMED if within else VerdictKind.REFUTED)


def test_february_claims(raw_dir: Path) -> None:
    res = au.audit("2026-02-selloff")  # the packaged copy, by name
    v = {x.id: x for x in res.verdicts}
    silver = closes(raw_dir, "silver_futures_daily_ohlc.csv")
    assert v["silver-crash-end-jan"].measured == pytest.approx(
        (silver["2026-01-30"] / silver["2026-01-29"] - 1) * 100)
    gold = closes(raw_dir, "gold_futures_daily_ohlc.csv")
    prior = max(x for d, x in gold.items() if d < "2026-01-20")
    assert v["gold-record-late-jan"].evidence["previous_record"] == pytest.approx(prior)
    # Challenger's January is now a first print (108,435 in the releases file) ...
    assert v["january-layoffs-108k"].verdict is VerdictKind.CONFIRMED
    assert v["january-layoffs-108k"].measured == 108_435
    # ... while its history before 2025 is still missing, and named
    assert v["january-layoffs-highest-since-2009"].verdict is VerdictKind.NOT_CHECKABLE
    assert "Challenger" in v["january-layoffs-highest-since-2009"].note
    assert res.counts["not_checkable"] >= 1


def test_packaged_claims_identical_to_repo() -> None:
    for name in ("2025-11-selloff.yaml", "2026-02-selloff.yaml"):
        assert (ROOT / "claims" / name).read_bytes() == (au.EXAMPLES / name).read_bytes()


@pytest.mark.slow
def test_cli_audit_json(raw_dir: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "crashlens.cli.main", "audit",
                          str(ROOT / "claims" / "2026-02-selloff.yaml"), "--json"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    verdicts = {x["id"]: x for x in payload["verdicts"]}
    assert payload["counts"]["confirmed"] == sum(
        x["verdict"] == "confirmed" for x in payload["verdicts"])
    layoffs = verdicts["january-layoffs-108k"]
    assert layoffs["verdict"] == "confirmed" and layoffs["measured"] == 108_435
    assert verdicts["record-market-cap-loss"]["verdict"] == "refuted"
    assert {x["verdict"] for x in payload["verdicts"]} <= {"confirmed", "refuted",
                                                           "not_checkable"}
