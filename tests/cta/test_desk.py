"""Desk readings and the calibration of the ``desk`` preset (issue 13, parts 1-2)."""

from __future__ import annotations

import dataclasses
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crashlens.cta import CTAParams, calibrate, positioning, preset_report, read_readings
from crashlens.cta.desk import REQUIRED
from crashlens.errors import DataError, InsufficientDataError, ParameterError

from .conftest import random_walk

HEADER = ",".join([*REQUIRED, "date_confidence", "global_length_bn", "global_pct",
                   "flows_1m_down"])
READINGS_NAME = "cta_desk_readings_2018_2025h1.csv"


def _readings(raw_dir: Path) -> Path:
    """The desk readings beside the raw data folder (``shared/data/desk``)."""
    return raw_dir.parent / "desk" / READINGS_NAME


def _write(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    p = tmp_path / "readings.csv"
    p.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return p


# --------------------------------------------------------------------------- parsing
def test_asof_rule(tmp_path: Path) -> None:
    p = _write(tmp_path, [
        "GS,2024-12-16,,2024-12-13,5954,5706,5222,high,129,75,-169",
        "GS,2022-11-10,,2022-11-10 (intraday),3804,,,medium,,,",
        "GS,2025-03-03,,unclear,6031,5897,,high,137,78,-46",
        "GS,,2025-01-17..2025-01-22,unclear,5959,5795,5314,low,~70,43,",
        "GS,,2025-04 (approx.),unclear,,,,low,>70,,",
    ])
    got = read_readings(p).frame.set_index("line")
    assert got.loc[2, "asof"] == pd.Timestamp("2024-12-13")          # asof_close
    assert got.loc[3, "asof"] == pd.Timestamp("2022-11-09")          # intraday: previous close
    assert got.loc[4, "asof"] == pd.Timestamp("2025-03-02")          # day before publication
    assert got.loc[5, "asof"] == pd.Timestamp("2025-01-16")          # day before the window
    assert got.loc[6, "asof"] == pd.Timestamp("2025-03-31")
    assert got.loc[5, "global_length_bn"] == 70.0                    # '~70' kept
    assert math.isnan(got.loc[6, "global_length_bn"])                # '>70' is a bound
    assert got.loc[2, "short"] == 5954 and math.isnan(got.loc[4, "long"])
    assert list(read_readings(p).frame["line"]) == [3, 2, 5, 4, 6]   # ordered by as-of date


def test_bad_readings(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"row 1: missing column\(s\) spx_long"):
        read_readings(_write(tmp_path, ["GS,2024-12-16,,2024-12-13,1,2"],
                             header="bank,publish_date,date_window,asof_close,spx_short,"
                                    "spx_medium"))
    with pytest.raises(DataError, match=r"row 3, column 'publish_date': '2025-02-30' is not"):
        read_readings(_write(tmp_path, ["GS,2024-12-16,,2024-12-13,1,2,3,high,,,",
                                        "GS,2025-02-30,,unclear,1,2,3,high,,,"]))
    with pytest.raises(DataError, match=r"row 2, column 'asof_close': 'last friday'"):
        read_readings(_write(tmp_path, ["GS,2024-12-16,,last friday,1,2,3,high,,,"]))
    with pytest.raises(DataError, match=r"row 2, column 'spx_medium': 'abc' is not a number"):
        read_readings(_write(tmp_path, ["GS,2024-12-16,,2024-12-13,5954,abc,3,high,,,"]))
    with pytest.raises(DataError, match=r"row 2, column 'spx_short': '~5954' is not a number"):
        read_readings(_write(tmp_path, ["GS,2024-12-16,,2024-12-13,~5954,1,3,high,,,"]))
    with pytest.raises(DataError, match="row 2: no date"):
        read_readings(_write(tmp_path, ["GS,,,,5954,1,3,high,,,"]))
    with pytest.raises(DataError, match="readings file not found"):
        read_readings(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="no readings"):
        read_readings(_write(tmp_path, []))


# --------------------------------------------------------------------------- calibration
def _synthetic_readings(tmp_path: Path, prices: pd.Series, n: int = 14) -> Path:
    """Readings whose pivots are known signals' flip levels, computed with pandas alone.

    short = EMA(40) of today (price-vs-EMA flips where tomorrow's close equals it), medium =
    the mean of the last 119 closes (price vs SMA(120) with tomorrow's close included), long =
    EMA(300).
    """
    ema40 = prices.ewm(span=40, adjust=False).mean()
    sma = prices.rolling(119).mean()
    ema300 = prices.ewm(span=300, adjust=False).mean()
    days = prices.index[-n * 30::30][:n]
    rows = []
    for i, d in enumerate(days):
        rows.append(f"GS,,,{d.date()},{ema40[d]:.6f},{sma[d]:.6f},{ema300[d]:.6f},high,"
                    f"{50 + 5 * i},{40 + 3 * i},-100")
    rows.append("GS,2031-01-06,,2031-01-03,100,100,100,high,,,")   # after the data
    return _write(tmp_path, rows)


def test_calibration_recovers_known_signals(tmp_path: Path) -> None:
    prices = random_walk(2600, seed=7, drift=0.0005).rename("SPX")
    base = CTAParams.preset("generic").replace(universe=("SPX",))
    res = calibrate(_synthetic_readings(tmp_path, prices), prices=prices, base=base,
                    min_train=4, vol_variants=(("ewma", 60.0),))
    assert res.params.model == "desk"
    assert res.params.blend is not None
    assert [c[:4] for c in res.params.blend] == [("short", "ewmac", 40, 1.0),
                                                 ("medium", "ma_cross", 120, 1.0),
                                                 ("long", "ewmac", 300, 1.0)]
    assert sum(c[4] for c in res.params.blend) == pytest.approx(1.0, abs=1e-3)
    for g in ("short", "medium", "long"):
        d = res.scores["pivots"][g]
        assert d["cv_n"] == 10 and d["cv_max"] < 1e-6 and d["in_max"] < 1e-6, g
    assert any("after the data" in w for w in res.warnings)
    fig = res.plot_pivots()
    desk_marks = [t for t in fig.data if t.name == "desk short"]
    assert len(desk_marks) == 1 and len(desk_marks[0].x) == 14
    # the engine with the fitted preset quotes the same pivots as the readings
    last = res.residuals.dropna(subset=["desk_short"]).iloc[-1]
    pos = positioning(last["asof"], prices=prices, params=res.params, mc=False)
    trig = pos.assets["SPX"]["triggers"]
    assert trig["short"] == pytest.approx(last["desk_short"], rel=1e-6)
    assert trig["medium"] == pytest.approx(last["desk_medium"], rel=1e-6)
    # AUM: least squares through the origin of desk length on model length per USD
    x = res.residuals["model_equity_length_usd"] / res.params.aum
    y = res.residuals["desk_global_length_usd"]
    ok = x.notna() & y.notna()
    assert res.params.aum == pytest.approx(float((x[ok] * y[ok]).sum() / (x[ok] ** 2).sum()))


def _percentile_pandas(s: pd.Series, day: pd.Timestamp, years: int) -> float:
    """Share of the trailing ``years`` x 365 days' values <= the value on ``day``."""
    win = s[(s.index > day - pd.Timedelta(days=365 * years)) & (s.index <= day)]
    return float((win <= s[day]).mean())


def test_position_fit_recovers_a_known_weighting(tmp_path: Path) -> None:
    """Desk percentiles made by one sizing (groups 1:2:3, positions with a 10-day half-life,
    EWMA 30 vol, 3-year window, built with the engine's own blend and smoothing) are matched
    exactly by that variant and no other."""
    from crashlens.cta.engine import build_book

    prices = random_walk(2600, seed=11, drift=0.0003).rename("SPX")
    base = CTAParams.preset("generic").replace(universe=("SPX",))
    truth = base.replace(blend=(("short", "ewmac", 40, 1.0, 1.0),
                                ("medium", "ma_cross", 120, 1.0, 2.0),
                                ("long", "ewmac", 300, 1.0, 3.0)), vol_com=30.0, aum=1.0,
                       position_halflife=10.0)
    book = build_book(prices.index[-1], None, prices=prices.to_frame(), params=truth,
                      start=prices.index[600])
    position = pd.Series(book.weights[0], index=book.dates)
    ema40 = prices.ewm(span=40, adjust=False).mean()
    sma = prices.rolling(119).mean()
    ema300 = prices.ewm(span=300, adjust=False).mean()
    days = prices.index[-14 * 30::30]
    rows = [f"GS,,,{d.date()},{ema40[d]:.6f},{sma[d]:.6f},{ema300[d]:.6f},high,,"
            f"{100 * _percentile_pandas(position, d, 3):.8f}," for d in days]
    res = calibrate(_write(tmp_path, rows), prices=prices, base=base, min_train=4,
                    vol_variants=(("ewma", 16.0), ("ewma", 30.0), ("rolling", 63.0)),
                    percentile_years=(1, 3))
    assert res.params.blend is not None
    assert [c[4] for c in res.params.blend] == pytest.approx([1 / 6, 2 / 6, 3 / 6], abs=1e-15)
    assert res.params.vol_com == 30.0 and res.params.headline_percentile_years == 3
    assert res.params.position_halflife == 10.0
    pct = res.scores["percentile"]
    assert pct["mae"] < 1e-7 and pct["cv_mae"] < 1e-7 and pct["cv_n"] == 10
    assert res.scores["variants"]["n"] == 3 * 25 * 4 * 2
    # the percentile chart plots the desk's levels and the in-sample / CV model levels
    fig = {t.name: t for t in res.plot_percentile().data}
    desk_y = [100 * float(v) for v in fig["desk global_pct"].y if v is not None]
    want = [float(r.split(",")[-2]) for r in rows]
    assert desk_y == pytest.approx(want, rel=1e-9)
    assert list(fig["model at the reading (in sample)"].y) == pytest.approx(
        [w / 100 for w in want], abs=1e-7)
    # the daily line is the same percentile on every day (pandas, from the engine's book)
    daily = res.percentile_history
    sample = daily.index[::97]
    assert daily[sample].to_numpy() == pytest.approx(
        [_percentile_pandas(position, d, 3) for d in sample], abs=1e-12)
    assert daily.index[0] >= days[0] - pd.Timedelta(days=31) and daily.index[-1] == days[-1]
    # the runner-up differs: the fit did discriminate
    assert res.scores["variants"]["best"][1]["mae"] > 1e-3


def test_position_fit_keeps_flows_of_the_desks_size(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The closest percentile is skipped when its flows are not the desks' size."""
    from crashlens.cta import fit_position as fp

    prices = random_walk(2600, seed=7, drift=0.0005).rename("SPX")
    base = CTAParams.preset("generic").replace(universe=("SPX",))
    path = _synthetic_readings(tmp_path, prices)
    real_flow_fit = fp._Search.flow_fit
    calls: list[tuple[float, float, float]] = []

    def flow_fit(self, v, mask, aum):  # type: ignore[no-untyped-def]
        got = real_flow_fit(self, v, mask, aum)
        calls.append(v.weights)
        # the first variant checked is 'too small'; every other one is the desks' size
        return dataclasses.replace(got, ratio=0.3 if len(calls) == 1 else 1.0)

    monkeypatch.setattr(fp._Search, "flow_fit", flow_fit)
    free = calibrate(path, prices=prices, base=base, min_train=4, vol_variants=(("ewma", 60.0),))
    ranked = [(v["weights"], v["years"]) for v in free.scores["variants"]["best"]]

    def chosen(res):  # type: ignore[no-untyped-def]
        return res.scores["percentile"]["weights"], res.scores["percentile"]["years"]

    assert chosen(free) == ranked[1] != ranked[0]

    monkeypatch.setattr(fp._Search, "flow_fit", lambda self, v, mask, aum: dataclasses.replace(
        real_flow_fit(self, v, mask, aum), ratio=5.0))
    none = calibrate(path, prices=prices, base=base, min_train=4, vol_variants=(("ewma", 60.0),))
    assert chosen(none) == ranked[0]
    assert none.scores["flows"]["check"] == "out_of_band"
    assert free.scores["flows"]["check"] == "in_band"
    assert any(w.code == "cta.flows_out_of_band" for w in none.warnings)


def test_calibration_with_pivots_only(tmp_path: Path) -> None:
    """A file with the required columns only fits the pivots and keeps the base's scale."""
    prices = random_walk(2600, seed=7, drift=0.0005).rename("SPX")
    ema = prices.ewm(span=60, adjust=False).mean()
    sma = prices.rolling(199).mean()
    days = prices.index[-600::60]
    rows = [f"Nomura,,,{d.date()},{ema[d]:.6f},{sma[d]:.6f},{sma[d]:.6f}" for d in days]
    path = _write(tmp_path, rows, header=",".join(REQUIRED))
    base = CTAParams.preset("generic").replace(universe=("SPX",))
    res = calibrate(path, prices=prices, base=base, min_train=3,
                    vol_variants=(("ewma", 60.0),))
    assert res.params.blend is not None
    assert [c[:3] for c in res.params.blend] == [("short", "ewmac", 60),
                                                 ("medium", "ma_cross", 200),
                                                 ("long", "ma_cross", 200)]
    assert res.params.aum == base.aum and res.params.vol_com == base.vol_com
    assert any("not fitted" in w for w in res.warnings)
    # a group no reading quotes cannot be fitted
    rows = [f"Nomura,,,{d.date()},{ema[d]:.6f},," for d in days]
    with pytest.raises(InsufficientDataError, match=r"a medium pivot \(spx_medium\)"):
        calibrate(_write(tmp_path, rows, header=",".join(REQUIRED)), prices=prices,
                  base=base, min_train=3)


def test_calibration_bad_parameters(tmp_path: Path) -> None:
    prices = random_walk(2600, seed=7).rename("SPX")
    path = _synthetic_readings(tmp_path, prices)
    base = CTAParams.preset("generic").replace(universe=("SPX",))
    with pytest.raises(ParameterError, match="min_train=1"):
        calibrate(path, prices=prices, base=base, min_train=1)
    with pytest.raises(ParameterError, match="unknown estimator 'garch'"):
        calibrate(path, prices=prices, base=base, vol_variants=(("garch", 1.0),))
    with pytest.raises(InsufficientDataError, match="needs at least 31"):
        calibrate(path, prices=prices, base=base, min_train=30)
    with pytest.raises(ParameterError, match="vol_variants: give at least one"):
        calibrate(path, prices=prices, base=base, vol_variants=())
    for bad in (((1, 0, 1),), ((1, 2),), ((1, float("nan"), 1),), ()):
        with pytest.raises(ParameterError, match=r"group_weights=.*positive weights"):
            calibrate(path, prices=prices, base=base, group_weights=bad)
    for bad in ((1, 2, 3), (("1", 2, 3),), ((True, 1, 1),), ((1, -2, 1),),
                ((1, float("inf"), 1),)):
        with pytest.raises(ParameterError, match=r"group_weights=.*positive weights"):
            calibrate(path, prices=prices, base=base, group_weights=bad)  # type: ignore[arg-type]
    for bad_h in ((-1.0,), (float("inf"),), (float("nan"),), ("5",), (2000.0,), ()):
        with pytest.raises(ParameterError, match=r"halflives=.*>= 0 trading days"):
            calibrate(path, prices=prices, base=base, halflives=bad_h)  # type: ignore[arg-type]


def test_preset_round_trip() -> None:
    desk = CTAParams.preset("desk")
    assert CTAParams.from_json_dict(desk.to_json_dict()) == desk
    assert desk.model == "desk" and desk.blend is not None
    assert CTAParams.preset("generic") == CTAParams()
    with pytest.raises(ParameterError, match="unknown preset"):
        CTAParams.preset("nomura")
    with pytest.raises(ParameterError, match="unknown parameter"):
        CTAParams.from_json_dict({"horizon": [1]})
    with pytest.raises(ParameterError, match="blend"):
        CTAParams(blend=(("mid", "ewmac", 40, 1.0, 1.0),))
    with pytest.raises(ParameterError, match="fast"):
        CTAParams(blend=(("short", "ewmac", 40, 40.0, 1.0),))


# --------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def refit(raw_dir: Path):
    readings = _readings(raw_dir)
    if not readings.is_file():
        pytest.skip("desk readings not available")
    t0 = time.perf_counter()
    res = calibrate(readings)
    return res, time.perf_counter() - t0


@pytest.mark.realdata
def test_refit_reproduces_the_shipped_preset(refit) -> None:
    res, _ = refit
    shipped = CTAParams.preset("desk")
    assert res.params.blend == shipped.blend
    assert res.params.vol_estimator == shipped.vol_estimator
    assert res.params.vol_com == shipped.vol_com
    assert res.params.aum == pytest.approx(shipped.aum, rel=1e-9)
    report = preset_report("desk")
    for g in ("short", "medium", "long"):
        assert report["scores"]["pivots"][g]["cv_median"] == pytest.approx(
            res.scores["pivots"][g]["cv_median"], rel=1e-9)


@pytest.mark.realdata
def test_done_when_numbers_on_the_calibration_set(refit) -> None:
    """Issue 13 'Done when': CV median |error| <= 0.8 % per pivot, none over 3 %; Spearman of
    the equity percentile >= 0.6; median 1m down-tape flow ratio in 0.67-1.5."""
    res, _ = refit
    for g in ("short", "medium", "long"):
        d = res.scores["pivots"][g]
        assert d["cv_n"] >= 8, g
        assert d["cv_median"] <= 0.008, g
        assert d["cv_max"] <= 0.03, g
    # the CV errors are the residual table's, recomputed here from the desk levels
    r = res.residuals
    for g in ("short", "medium", "long"):
        e = (r[f"cv_{g}"] / r[f"desk_{g}"] - 1).abs().dropna()
        assert float(np.median(e)) == pytest.approx(res.scores["pivots"][g]["cv_median"])
    assert res.scores["percentile"]["spearman"] >= 0.6
    assert 0.67 <= res.scores["flows"]["ratio_1m_down_median"] <= 1.5


@pytest.mark.realdata
def test_desk_short_pivot_is_the_ema_of_the_raw_closes(spx_close: pd.Series) -> None:
    """The preset's short pivot is EMA(h) of the S&P closes (pandas on the raw CSV)."""
    desk = CTAParams.preset("desk")
    assert desk.blend is not None
    short = next(c for c in desk.blend if c[0] == "short")
    assert short[1] == "ewmac" and short[3] == 1.0
    asof = "2024-12-13"
    ema = spx_close.ewm(span=short[2], adjust=False).mean()
    res = positioning(asof, ["SPX"], mc=False)
    assert res.assets["SPX"]["triggers"]["short"] == pytest.approx(float(ema[asof]), rel=1e-6)
    assert res.assumptions["model"] == "desk"


@pytest.mark.realdata
def test_2025_11_14_short_pivot_vs_the_note(raw_dir: Path) -> None:
    """Out of sample (after the calibration set): the note's short-term trigger was 6725."""
    res = positioning("2025-11-14", ["SPX"], mc=False)
    assert res.assets["SPX"]["triggers"]["short"] == pytest.approx(6725, rel=0.01)


@pytest.mark.realdata
@pytest.mark.xfail(strict=True, reason="known miss, see docs/cta.md: the model's global "
                   "equity percentile on 2025-11-14 is 0.80, the note says 94-100 %")
def test_2025_11_14_equity_percentile_vs_the_note(raw_dir: Path) -> None:
    res = positioning("2025-11-14", ["SPX"], mc=False)
    years = CTAParams.preset("desk").headline_percentile_years
    assert res.total["sectors"]["equity"]["percentile"][f"{years}y"] >= 0.85


# --------------------------------------------------------------------------- CLI
def _cli_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
               *args: str) -> str:
    from crashlens.cli import main as cli_main

    monkeypatch.setattr("sys.argv", ["crashlens", *args])
    with pytest.raises(SystemExit) as exc:
        cli_main.main()
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err
    return err


def test_cli_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path, ["GS,2024-12-16,,2024-12-13,5954,abc,3,high,,,"])
    err = _cli_error(monkeypatch, capsys, "cta", "calibrate", "--readings", str(bad))
    assert "row 2, column 'spx_medium'" in err
    err = _cli_error(monkeypatch, capsys, "cta", "--model", "nomura", "--json")
    assert "unknown preset" in err


@pytest.mark.realdata
def test_cli_model_generic_and_calibrate_json(raw_dir: Path, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from crashlens.cli.main import app

    out = CliRunner().invoke(app, ["cta", "--asof", "2025-11-20", "--assets", "SPX",
                                   "--model", "generic", "--no-mc", "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    ref = positioning("2025-11-20", ["SPX"], params=CTAParams.preset("generic"), mc=False)
    assert d["assets"]["SPX"]["triggers"]["short"] == pytest.approx(
        ref.assets["SPX"]["triggers"]["short"])
    assert d["assumptions"]["model"] == "generic"
    readings = _readings(raw_dir)
    if readings.is_file():
        dest = tmp_path / "desk.json"
        chart = tmp_path / "pivots.html"
        out = CliRunner().invoke(app, ["cta", "calibrate", "--readings", str(readings),
                                       "--out", str(dest), "--chart", str(chart), "--json"])
        assert out.exit_code == 0, out.output
        d = json.loads(out.stdout)
        assert set(d["scores"]["pivots"]) == {"short", "medium", "long"}
        shipped = json.loads(Path(__file__).parents[2].joinpath(
            "src/crashlens/cta/presets/desk.json").read_text(encoding="utf-8"))
        assert json.loads(dest.read_text(encoding="utf-8"))["params"] == shipped["params"]
        html = chart.read_text(encoding="utf-8")
        assert "desk short" in html and "desk global_pct" in html
