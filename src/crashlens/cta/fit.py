"""Calibration of the CTA model to published desk readings (issue 13; METHODOLOGY §1.4).

What is fitted, on the readings only (never on later notes):

* **Pivot groups.** Each of the short / medium / long groups is one trend signal whose flip
  level is the quoted pivot: a price-vs-EMA signal (Carver EWMAC with fast span 1, flip level
  ``EMA_h`` of today) or a price-vs-SMA signal (MA crossover with fast window 1, flip level
  the mean of the last ``h - 1`` closes). For each group the family and horizon ``h`` with the
  smallest median absolute relative error to the desk's S&P 500 pivots is chosen from a grid
  (ties: the smaller mean error). The triggers stay the prices at which the model's own
  signals flip: nothing is fitted to the levels beyond choosing the signal.
* **Dollar scale.** The effective AUM is the least-squares slope through the origin of the
  desk's global equity length (USD bn) on the model's equity-sector notional per dollar of
  AUM. Other sleeves share it (the readings give equity figures only).
* **Position: group weights, position half-life, vol estimator, percentile window**
  (:mod:`crashlens.cta.fit_position`). The pivots depend on none of them, so the pivots
  cannot identify them. The variants are ranked by how close the model's global equity
  percentile is to the desks' ``global_pct`` (mean absolute difference; ties: Spearman), and
  the closest whose flows are the desks' size (median 1-month down-tape ratio in 2/3-3/2)
  is kept. The desks publish a level ("90th percentile"), so the level is fitted, not only
  the ranking.

Validation is a **time-series cross-validation** (expanding window): for every reading from
the ``min_train + 1``-th on, a choice is re-made on the readings strictly earlier than it and
the reading is predicted with it. For the pivots that is the whole pivot fit. For the
percentile it is the position rule, on the pivot signals fitted on all readings. For the
equity length it is the AUM, for the variant chosen on all readings.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crashlens._result import Result, json_safe
from crashlens.cta.desk import PIVOTS, DeskReadings, read_readings, snap_asof
from crashlens.cta.fit_position import (
    GROUP_WEIGHTS,
    GROUPS,
    POSITION_HALFLIVES,
    VOL_VARIANTS,
    fit_position,
    normalised,
    vol_kw,
)
from crashlens.cta.params import GLOBAL_UNIVERSE, CTAParams, SignalFamily, valid_halflife
from crashlens.cta.signals import Component, fit_asset
from crashlens.cta.triggers import component_trigger
from crashlens.cta.universe import clean_prices
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import InsufficientDataError, ParameterError

#: Horizon range (trading days) searched for each pivot group.
GROUP_RANGES: dict[str, tuple[int, int]] = {"short": (5, 84), "medium": (42, 252),
                                            "long": (126, 504)}
#: Horizon grid (trading days).
HORIZON_GRID: tuple[int, ...] = tuple(range(5, 505, 5))
#: Families searched, each with fast window/span 1 (price versus its average).
FAMILIES: tuple[SignalFamily, ...] = (SignalFamily.EWMAC, SignalFamily.MA_CROSS)
#: Per-market notional cap (fraction of AUM) of the desk preset's base: not fitted (the
#: readings are equity figures); it keeps the JGB proxy, whose vol was pinned under yield-curve
#: control, from carrying 1-4x the AUM (it does not change any equity figure).
MAX_ASSET_LEVERAGE = 0.5


def _family_label(fam: SignalFamily) -> str:
    return "price_vs_ema" if fam is SignalFamily.EWMAC else "price_vs_sma"


@dataclasses.dataclass(frozen=True)
class DeskCalibration(Result):
    """The fitted ``desk`` parameters, their cross-validated errors and residuals.

    Attributes
    ----------
    params : CTAParams
        The fitted preset (``model="desk"``).
    scores : dict
        Headline numbers: per pivot group the CV median / max absolute error (fraction of
        the desk level) and counts; in-sample errors; Spearman of the equity percentile; the
        median model/desk ratio of 1-month down-tape global equity flows; the AUM.
    residuals : DataFrame
        One row per reading: desk pivots, the preset's pivots (in sample), the CV prediction
        (out of sample) and their relative errors; desk and model percentile and length.
    pivot_history : DataFrame
        The preset's S&P 500 pivots and close on every day from the first reading on.
    selection : DataFrame
        Per group, the chosen signal of every CV fold (stability of the choice).
    percentile_history : Series
        The preset's global equity percentile (headline window) on every day from 30 days
        before the first positioning reading to the last, each day from the data up to it
        (the preset itself is fitted on all readings: in sample).
    """

    params: CTAParams
    scores: dict[str, Any]
    residuals: pd.DataFrame = dataclasses.field(repr=False)
    pivot_history: pd.DataFrame = dataclasses.field(repr=False)
    selection: pd.DataFrame = dataclasses.field(repr=False)
    percentile_history: pd.Series = dataclasses.field(
        repr=False, default_factory=lambda: pd.Series(dtype=float))

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """Scores, the fitted parameters, the residual table, assumptions and warnings."""
        return {
            "scores": json_safe(self.scores),
            "params": self.params.to_json_dict(),
            "residuals": json_safe(self.residuals.to_dict(orient="records")),
            "selection": json_safe(self.selection.to_dict(orient="records")),
            "assumptions": json_safe(dict(self.assumptions)),
            "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """The per-reading residual table."""
        return self.residuals

    def to_preset(self) -> dict[str, Any]:
        """The JSON shipped as ``crashlens/cta/presets/desk.json`` (params + fit report)."""
        return {"params": self.params.to_json_dict(),
                "report": json_safe({"scores": self.scores,
                                     "residuals": self.residuals.to_dict(orient="records"),
                                     "selection": self.selection.to_dict(orient="records"),
                                     "assumptions": dict(self.assumptions),
                                     "warnings": list(self.warnings)})}

    def write_preset(self, path: str | Path) -> Path:
        """Write :meth:`to_preset` as indented JSON (atomically, regular files only)."""
        from crashlens._atomic import write_atomic

        return write_atomic(path, json.dumps(self.to_preset(), indent=1, sort_keys=False)
                            + "\n")

    def summary(self) -> str:
        """CV errors per pivot, percentile rank correlation, flow ratio, fitted signals."""
        s = self.scores
        lines = [f"CTA calibration to desk readings ({s['n_readings']} readings used, "
                 f"time-series CV with min_train={self.assumptions.get('min_train')})"]
        for g in GROUPS:
            d = s["pivots"][g]
            lines.append(
                f"  {g:6s} pivot: {d['signal']:>18s}  CV median |err| {_pct(d['cv_median'])}"
                f"  max {_pct(d['cv_max'])}  (n={d['cv_n']});  in-sample median "
                f"{_pct(d['in_median'])} max {_pct(d['in_max'])}")
        p = s["percentile"]
        lines.append(f"  equity percentile vs desk global_pct: mean |diff| {_num(p['mae'])}, "
                     f"Spearman {_num(p['spearman'])} (n={p['n']}); CV mean |diff| "
                     f"{_num(p['cv_mae'])}, Spearman {_num(p['cv_spearman'])} "
                     f"(n={p['cv_n']})")
        lines.append(f"    group weights short/medium/long {p['weights']}, position "
                     f"half-life {p['halflife']:g} days, vol {s['vol']}, {p['years']}y window "
                     f"({s['variants']['n']} variants compared)")
        lines.append(f"  AUM (effective, fitted on equity length): "
                     f"${s['aum_usd'] / 1e9:,.0f}bn;  1m down-tape flow model/desk median "
                     f"ratio {_num(s['flows']['ratio_1m_down_median'])} "
                     f"(n={s['flows']['n']})")
        lines.append("  per reading: desk pivot / model (in sample) / CV error %")
        r = self.residuals
        for rec in r[r[[f"desk_{g}" for g in GROUPS]].notna().any(axis=1)].to_dict("records"):
            cells = []
            for g in GROUPS:
                d, m, e = rec[f"desk_{g}"], rec[f"model_{g}"], rec[f"cv_err_{g}"]
                cells.append("-".center(22) if not math.isfinite(d) else
                             f"{d:7.0f} {m:7.0f} {_signed(e):>6}")
            lines.append(f"  row {rec['line']:>3} {pd.Timestamp(rec['asof']).date()}  "
                         + " | ".join(cells))
        lines.extend(f"  ! {w}" for w in self.warnings)
        return "\n".join(lines)

    def plot_pivots(self) -> go.Figure:
        """The preset's S&P 500 pivots over time (lines) against the desks' (markers)."""
        h = self.pivot_history
        fig = go.Figure(go.Scatter(x=h.index, y=h["close"], name="S&P 500",
                                   line={"color": "black", "width": 1}))
        colours = {"short": "#1f77b4", "medium": "#ff7f0e", "long": "#2ca02c"}
        r = self.residuals
        for g in GROUPS:
            fig.add_trace(go.Scatter(x=h.index, y=h[g], name=f"model {g}",
                                     line={"color": colours[g], "width": 1.2}))
            sel = r[f"desk_{g}"].notna()
            fig.add_trace(go.Scatter(x=r.loc[sel, "asof"], y=r.loc[sel, f"desk_{g}"],
                                     mode="markers", name=f"desk {g}",
                                     marker={"color": colours[g], "symbol": "diamond",
                                             "size": 8}))
        fig.update_layout(title="S&P 500 CTA pivots: desk preset vs published desk levels",
                          yaxis_title="index points")
        return fig

    def plot_percentile(self) -> go.Figure:
        """Global equity percentile at each reading: desk, the preset (in sample), and CV."""
        r = self.residuals
        if "desk_global_pct" not in r:
            r = r.assign(desk_global_pct=math.nan, model_equity_pct=math.nan,
                         cv_equity_pct=math.nan)
        r = r[r["desk_global_pct"].notna() | r["model_equity_pct"].notna()]
        p = self.scores["percentile"]
        h = self.percentile_history
        fig = go.Figure(go.Scatter(x=h.index, y=h.to_numpy(), name="model, daily (in sample)",
                                   line={"color": "#1f77b4", "width": 1}))
        for col, name, style in (
                ("desk_global_pct", "desk global_pct", {"mode": "markers", "marker": {
                    "color": "black", "symbol": "diamond", "size": 9}}),
                ("model_equity_pct", "model at the reading (in sample)", {
                    "mode": "markers", "marker": {"color": "#1f77b4", "size": 6}}),
                ("cv_equity_pct", "model (CV: rule fitted on earlier readings)", {
                    "mode": "markers", "marker": {"color": "#ff7f0e", "size": 8}})):
            fig.add_trace(go.Scatter(x=r["asof"], y=r[col], name=name, **style))
        fig.update_layout(
            title=f"Global equity positioning percentile: desk preset vs desks "
                  f"(mean |diff| {_num(p['mae'])}, CV {_num(p['cv_mae'])})",
            yaxis={"title": f"percentile ({p['years']}-year window)", "range": [0, 1],
                   "tickformat": ".0%"})
        return fig


def _number(x: object) -> bool:
    """A finite real number (not a bool or a string)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _positive_triple(gw: object) -> bool:
    """A (short, medium, long) sequence of positive finite numbers."""
    return (isinstance(gw, Sequence) and not isinstance(gw, str) and len(gw) == len(GROUPS)
            and all(_number(w) and w > 0 for w in gw))


def _pct(x: float) -> str:
    return "   n/a" if x is None or not math.isfinite(x) else f"{100 * x:5.2f}%"


def _signed(x: float) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{100 * x:+.2f}"


def _num(x: float) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.2f}"


def _candidates() -> list[Component]:
    return [Component(fam, h, 1.0, "short", 1.0) for fam in FAMILIES for h in HORIZON_GRID]


def candidate_levels(prices: pd.Series, asofs: Sequence[pd.Timestamp],
                     base: CTAParams) -> tuple[list[Component], np.ndarray]:
    """Flip level of every candidate signal on each date, with the engine's own code.

    Returns
    -------
    parts : list of Component
    levels : ndarray, shape (C, R)
        Price of tomorrow's close flipping each candidate as of each date (NaN before the
        candidate's history is long enough).
    """
    parts = _candidates()
    blend = tuple(("short", p.family.value, p.horizon, 1.0, 1.0) for p in parts)
    model = fit_asset(str(prices.name), prices, base.replace(blend=blend))
    levels = np.full((len(parts), len(asofs)), np.nan)
    for r, d in enumerate(asofs):
        t = model.index_of(pd.Timestamp(d))
        for c, part in enumerate(model.parts):
            if t + 1 - part.horizon >= 0:
                levels[c, r] = component_trigger(model, t, part)
    return parts, levels


def _choose(err: np.ndarray, parts: list[Component], group: str, rows: np.ndarray) -> int:
    """Index of the candidate with the smallest median (then mean) error on ``rows``."""
    lo, hi = GROUP_RANGES[group]
    best, key = -1, (math.inf, math.inf)
    for c, part in enumerate(parts):
        if not lo <= part.horizon <= hi:
            continue
        e = err[c, rows]
        if not np.isfinite(e).all():
            continue
        k = (float(np.median(e)), float(np.mean(e)))
        if k < key:
            best, key = c, k
    return best


@reads_source
def calibrate(readings: str | Path | DeskReadings, *, asset: str = "SPX",
              prices: pd.Series | pd.DataFrame | None = None,
              base: CTAParams | None = None,
              min_train: int = 5, percentile_years: Sequence[int] = (1, 3, 5),
              vol_variants: Sequence[tuple[str, float]] = VOL_VARIANTS,
              group_weights: Sequence[tuple[float, float, float]] = GROUP_WEIGHTS,
              halflives: Sequence[float] = POSITION_HALFLIVES,
              source: SourceLike = None) -> DeskCalibration:
    """Fit the ``desk`` preset to published desk readings, with time-series cross-validation.

    Parameters
    ----------
    readings : path or DeskReadings
        The readings CSV (``shared/data/desk/README.md`` layout).
    asset : str
        Catalog name whose pivots the readings quote (the S&P 500).
    prices : Series or DataFrame, optional
        Closes instead of the catalog: a DataFrame is the whole book (one column per asset,
        including ``asset``); a Series is ``asset`` alone (a book of one).
    base : CTAParams, optional
        Everything not fitted (default: the generic parameters on
        :data:`~crashlens.cta.params.GLOBAL_UNIVERSE` with :data:`MAX_ASSET_LEVERAGE`).
    min_train : int
        Readings needed before the first out-of-sample prediction (>= 2).
    percentile_years : sequence of int
        Windows (calendar years) of the equity percentile tried against the desks' (they
        never state theirs).
    vol_variants : sequence of (estimator, parameter)
        Vol estimators compared: ``("ewma", com)`` or ``("rolling", window)``.
    group_weights : sequence of (short, medium, long)
        Relative group weights compared (positive).
    halflives : sequence of float
        Position half-lives compared (:attr:`CTAParams.position_halflife`, trading days).
        With ``vol_variants`` and ``percentile_years`` these form the variants; the rule of
        :mod:`crashlens.cta.fit_position` keeps one (closest percentile level to the desks'
        ``global_pct`` whose flows are the desks' size). The pivots depend on none of them.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    DeskCalibration

    Raises
    ------
    DataError
        Malformed readings file (names the row and column).
    ParameterError
        ``min_train < 2``, an unknown vol estimator.
    InsufficientDataError
        Fewer than ``min_train + 1`` readings with a pivot inside the data. (Readings without
        positioning or flow figures still fit the pivots; the dollar scale, vol and percentile
        window then stay the base's, with a warning.)
    """
    from crashlens import data

    if min_train < 2:
        raise ParameterError(f"min_train={min_train}: need at least 2 readings to fit")
    for est, _ in vol_variants:
        if est not in ("ewma", "rolling"):
            raise ParameterError(f"vol_variants: unknown estimator {est!r} (ewma, rolling)")
    if not vol_variants:
        raise ParameterError("vol_variants: give at least one vol estimator")
    if not group_weights or not all(_positive_triple(gw) for gw in group_weights):
        raise ParameterError(f"group_weights={tuple(group_weights)!r}: give (short, medium, "
                             "long) triples of positive weights")
    if not halflives or not all(valid_halflife(h) for h in halflives):
        raise ParameterError(f"halflives={tuple(halflives)!r}: give half-lives >= 0 trading "
                             "days (at most 1000)")
    base = base or CTAParams.preset("generic").replace(universe=GLOBAL_UNIVERSE,
                                                       max_asset_leverage=MAX_ASSET_LEVERAGE)
    if not percentile_years or any(y not in base.percentile_years for y in percentile_years):
        raise ParameterError(f"percentile_years={tuple(percentile_years)}: each must be one "
                             f"of {base.percentile_years}")
    desk = readings if isinstance(readings, DeskReadings) else read_readings(readings)
    warnings: list[str] = list(desk.notes)
    if prices is None:
        raw = data.close(asset)
    elif isinstance(prices, pd.DataFrame):
        if asset not in prices:
            raise ParameterError(f"prices has no column '{asset}' (the asset the readings "
                                 "quote)")
        raw = prices[asset]
    else:
        raw = prices
    # gaps are reported only where they matter: from the longest lookback before the readings
    since = desk.frame["asof"].min() - pd.Timedelta(days=int(base.max_horizon * 1.5)
                                                     + 366 * max(percentile_years))
    px = clean_prices(asset, raw.rename(asset), base, warnings, gap_since=since)
    frame, skipped = snap_asof(desk.frame, pd.DatetimeIndex(px.index))
    warnings.extend(skipped)
    frame = frame[frame[list(GROUPS)].notna().any(axis=1)].reset_index(drop=True)
    if len(frame) < min_train + 1:
        raise InsufficientDataError(
            f"{len(frame)} readings with an S&P 500 pivot inside the data; calibration with "
            f"min_train={min_train} needs at least {min_train + 1}")
    asofs = list(frame["asof"])
    parts, levels = candidate_levels(px, asofs, base)
    resid = pd.DataFrame({"line": frame["line"], "bank": frame["bank"],
                          "note_date": frame["note_date"], "asof": frame["asof"],
                          "close": px.reindex(frame["asof"]).to_numpy()})
    pivot_scores: dict[str, dict[str, Any]] = {}
    blend = []
    selection = []
    for g in GROUPS:
        desk_lv = frame[g].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            err = np.abs(levels / desk_lv[None, :] - 1.0)
        have = np.nonzero(np.isfinite(desk_lv))[0]
        if have.size == 0:
            raise InsufficientDataError(f"no reading gives a {g} pivot ({PIVOTS[g]}) inside "
                                        "the data: that group cannot be fitted")
        cv_pred = np.full(len(frame), np.nan)
        for j, r in enumerate(have):
            if j < min_train:
                continue
            train = have[:j][frame["asof"].to_numpy()[have[:j]] < frame["asof"].iloc[r]]
            if train.size < min_train:
                continue
            c = _choose(err, parts, g, train)
            cv_pred[r] = levels[c, r]
            selection.append({"group": g, "predicts_line": int(frame["line"].iloc[r]),
                              "n_train": int(train.size),
                              "signal": f"{_family_label(parts[c].family)}_{parts[c].horizon}"})
        c = _choose(err, parts, g, have)
        if c < 0:
            raise InsufficientDataError(f"no {g} pivot candidate has history for every reading")
        blend.append((g, parts[c].family.value, parts[c].horizon, 1.0, 1.0))
        insample = levels[c]
        cv_err = np.abs(cv_pred / desk_lv - 1.0)
        in_err = np.abs(insample / desk_lv - 1.0)
        resid[f"desk_{g}"] = desk_lv
        resid[f"model_{g}"] = np.where(np.isfinite(desk_lv), insample, np.nan)
        resid[f"cv_{g}"] = cv_pred
        resid[f"cv_err_{g}"] = cv_pred / desk_lv - 1.0
        cv_ok = cv_err[np.isfinite(cv_err)]
        in_ok = in_err[np.isfinite(in_err)]
        pivot_scores[g] = {
            "signal": f"{_family_label(parts[c].family)}_{parts[c].horizon}",
            "n": int(have.size), "cv_n": int(cv_ok.size),
            "cv_median": float(np.median(cv_ok)) if cv_ok.size else math.nan,
            "cv_max": float(np.max(cv_ok)) if cv_ok.size else math.nan,
            "in_median": float(np.median(in_ok)), "in_max": float(np.max(in_ok)),
        }
    fitted = base.replace(blend=tuple(blend), model="desk")
    # a caller's closes are the whole book (a Series: the quoted asset alone)
    book_prices = None if prices is None else (
        prices.rename(asset).to_frame() if isinstance(prices, pd.Series) else prices)
    scale = fit_position(fitted, desk.frame, pd.DatetimeIndex(px.index), book_prices,
                         percentile_years, vol_variants, group_weights, halflives, min_train,
                         warnings)
    params = fitted.replace(blend=scale["blend"], **vol_kw(scale["vol"]),
                            aum=scale["aum_usd"], position_halflife=scale["halflife"],
                            headline_percentile_years=scale["percentile"]["years"],
                            scenario_vol=scale["scenario_vol"],
                            aum_band=(0.67 * scale["aum_usd"], 1.5 * scale["aum_usd"]))
    if len(scale["table"]):
        resid = resid.merge(scale["table"], on=["line", "bank", "note_date", "asof"],
                            how="outer")
    resid = resid.sort_values(["asof", "line"], kind="stable")
    resid["close"] = px.reindex(resid["asof"]).to_numpy()
    resid = resid.reset_index(drop=True)
    model = fit_asset(asset, px, params)
    start = asofs[0] - pd.Timedelta(days=30)
    t0 = model.index_of(start)
    hist_rows = []
    for t in range(max(t0, model.first), len(model.dates)):
        row = {"date": model.dates[t], "close": float(model.prices[t])}
        for part in model.parts:
            row[part.group] = component_trigger(model, t, part)
        hist_rows.append(row)
    scores = {
        "n_readings": len(frame), "pivots": pivot_scores,
        "percentile": scale["percentile"], "flows": scale["flows"],
        "aum_usd": scale["aum_usd"], "length": scale["length"],
        "vol": f"{scale['vol'][0]} {scale['vol'][1]:g}", "variants": scale["variants"],
    }
    assumptions = {
        "readings": Path(desk.path).name, "asset": asset, "min_train": min_train,
        "percentile_years": list(percentile_years),
        "families": [_family_label(f) for f in FAMILIES],
        "horizon_grid": f"{HORIZON_GRID[0]}..{HORIZON_GRID[-1]} step "
                        f"{HORIZON_GRID[1] - HORIZON_GRID[0]} trading days",
        "group_ranges": {g: list(v) for g, v in GROUP_RANGES.items()},
        "selection_rule": "per group: smallest median |model/desk - 1| (ties: mean) on the "
                          "training readings",
        "asof_rule": "asof_close date; intraday note -> previous close; else the last close "
                     "before publish_date, else before the date_window start",
        "aum_rule": "least squares through the origin of desk global_length_bn on the "
                    "model's equity-sector notional per USD of AUM",
        "group_weights": [normalised(gw) for gw in group_weights],
        "halflives": [float(h) for h in halflives],
        "vol_variants": [f"{e} {v:g}" for e, v in vol_variants],
        "position_rule": "group weights, position half-life, vol estimator and percentile "
                         "window: in order of mean |model - desk global_pct| of the global "
                         "equity percentile (ties: higher Spearman), the first variant whose "
                         "median 1m down-tape flow ratio to the desks' lies in 2/3-3/2",
        "cv_rule": "pivots: the whole pivot fit on earlier readings; percentile: the position "
                   "rule on earlier readings (pivot signals fitted on all); length: the AUM "
                   "on earlier readings (variant chosen on all)",
        "scenario_vol_rule": "path or hold: the smaller median |model - desk| of global "
                             "equity flows over the 1w/1m flat/up/down figures",
    }
    return DeskCalibration(params=params, scores=scores, residuals=resid,
                           pivot_history=pd.DataFrame(hist_rows).set_index("date"),
                           percentile_history=scale["history"],
                           selection=pd.DataFrame(selection), assumptions=assumptions,
                           warnings=tuple(warnings))
