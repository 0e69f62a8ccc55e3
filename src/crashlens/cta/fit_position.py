"""The size half of the desk calibration: group weights, position half-life, vol, window, AUM.

The pivots fix *where* each group's signal flips (:mod:`crashlens.cta.fit`); they do not
depend on how the three groups are weighted, how fast positions follow their targets, the
vol estimator or the percentile window, so the pivots cannot identify those. The desks
publish two things about size: the percentile of global equity length (``global_pct``, a
level such as "90th") and dollar figures (length and the flows under flat / up / down
tapes). The rule, on the calibration readings only:

1. Every **variant** (group weights x position half-life x vol estimator x percentile
   window) is ranked by the mean absolute difference between the model's global equity
   percentile and ``global_pct`` (ties: the higher Spearman correlation).
2. In that order, the first variant whose **flows are the desks' size** is kept: with the
   effective AUM fitted on the desks' global equity length (least squares through the
   origin) and the tape vol (``path`` or ``hold``) with the smaller median absolute error
   over the 1w / 1m flat / up / down figures, the median model / desk ratio of 1-month
   down-tape global equity flows lies in :data:`FLOW_RATIO_BAND`. Readings without flow
   figures leave the flows unconstrained; if no variant among the first
   :data:`MAX_FLOW_CHECKS` qualifies, the closest percentile is kept with a warning.

Out of sample, each reading that gives ``global_pct`` is scored with the variant the same
rule picks on the strictly earlier readings (expanding window; the pivot signals it sizes are
fitted on all readings), and each length with the AUM fitted on earlier readings (for the
variant chosen on all).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from crashlens.cta.desk import snap_asof
from crashlens.cta.engine import (
    Book,
    build_book,
    closes_on,
    flows_on,
    percentiles_at,
    regrouped_targets,
    sector_notional,
    us_equity_mask,
)
from crashlens.cta.params import CTAParams, VolEstimator
from crashlens.cta.sizing import held_weights, position_runin
from crashlens.notes import Note

GROUPS: tuple[str, ...] = ("short", "medium", "long")
#: Vol estimators compared (EWMA centre of mass / rolling window, trading days): from a
#: month to a year of memory.
VOL_VARIANTS: tuple[tuple[str, float], ...] = (("ewma", 16.0), ("ewma", 30.0), ("ewma", 60.0),
                                               ("ewma", 120.0), ("rolling", 63.0),
                                               ("rolling", 252.0))
#: Relative weights of the short / medium / long groups compared: every ratio of 1, 2 and 3
#: (25 weightings). Each group keeps a weight, so crossing any of the three pivots moves the
#: position, as the desks describe.
GROUP_WEIGHTS: tuple[tuple[int, int, int], ...] = tuple(
    (s, m, lg) for s, m, lg in itertools.product((1, 2, 3), repeat=3) if math.gcd(s, m, lg) == 1)
#: Position half-lives compared (trading days; 0 = the target is held at every close): from
#: trading into a new target at once to over about a month.
POSITION_HALFLIVES: tuple[float, ...] = (0.0, 5.0, 10.0, 20.0)
#: Median model / desk ratio of 1-month down-tape flows accepted as "the desks' size".
FLOW_RATIO_BAND: tuple[float, float] = (2.0 / 3.0, 1.5)
#: Variants whose flows are checked, best percentile first, before giving up on the band.
MAX_FLOW_CHECKS = 60
#: Variants (best first) kept in the fit report.
TOP_VARIANTS = 12
#: Scenario tapes the desks publish (horizon, tape).
TAPES: tuple[tuple[str, str], ...] = tuple((h, k) for h in ("1w", "1m")
                                           for k in ("flat", "up", "down"))
SCENARIO_VOLS: tuple[str, ...] = ("path", "hold")


def vol_kw(vol: tuple[str, float]) -> dict[str, Any]:
    """:class:`CTAParams` fields of one vol variant ``(estimator, parameter)``."""
    est, val = vol
    return {"vol_estimator": VolEstimator(est),
            **({"vol_com": float(val)} if est == "ewma" else {"vol_window": int(val)})}


def normalised(gw: Sequence[float]) -> list[float]:
    """Group weights scaled to sum to one (4 decimals, as reported)."""
    total = float(sum(gw))
    return [round(float(w) / total, 4) for w in gw]


def weighted_blend(fitted: CTAParams, gw: Sequence[float]
                   ) -> tuple[tuple[str, str, int, float, float], ...]:
    """``fitted.blend`` (one component per group) with the groups weighted ``gw``."""
    assert fitted.blend is not None
    # exact fractions (not the rounded report): the preset is the variant that was scored
    weights = {g: float(w) / float(sum(gw)) for g, w in zip(GROUPS, gw, strict=True)}
    return tuple((g, fam, h, fast, weights[g]) for g, fam, h, fast, _ in fitted.blend)


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman correlation over the pairs both finite (NaN: fewer than 3 or constant).

    The Pearson correlation of average ranks (what :func:`scipy.stats.spearmanr` returns),
    written out because the calibration evaluates it some 15,000 times.
    """
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
        return math.nan
    rx, ry = rankdata(x[ok]), rankdata(y[ok])
    rx, ry = rx - rx.mean(), ry - ry.mean()
    return float((rx * ry).sum() / math.sqrt((rx * rx).sum() * (ry * ry).sum()))


def pct_score(pct: np.ndarray, desk: np.ndarray, mask: np.ndarray) -> tuple[float, float]:
    """Mean |model - desk| percentile (fractions) and Spearman over ``mask`` (inf, NaN: none)."""
    ok = mask & np.isfinite(pct) & np.isfinite(desk)
    if not ok.any():
        return math.inf, math.nan
    return float(np.mean(np.abs(pct[ok] - desk[ok]))), spearman(pct[ok], desk[ok])


def _rank_key(mae: float, rho: float) -> tuple[float, float]:
    """Smaller mean error first; ties: the higher rank correlation (undefined: last)."""
    return mae, -rho if math.isfinite(rho) else math.inf


def _ls_slope(x: np.ndarray, y: np.ndarray) -> float:
    """Least-squares slope through the origin over finite pairs (NaN: none)."""
    ok = np.isfinite(x) & np.isfinite(y)
    den = float((x[ok] ** 2).sum())
    return float((x[ok] * y[ok]).sum() / den) if ok.any() and den > 0 else math.nan


@dataclasses.dataclass(frozen=True)
class Variant:
    """One candidate sizing: its global equity percentile and length at every reading.

    Attributes
    ----------
    vol : (str, float)
    weights : (float, float, float)
        Relative short / medium / long weights.
    halflife : float
        :attr:`CTAParams.position_halflife` (trading days).
    years : int
        Percentile window (calendar years).
    pct : ndarray, shape (R,)
        Model global equity percentile at each reading's as-of date.
    length : ndarray, shape (R,)
        Model global equity notional per USD of AUM at each reading.
    """

    vol: tuple[str, float]
    weights: tuple[float, float, float]
    halflife: float
    years: int
    pct: np.ndarray = dataclasses.field(repr=False)
    length: np.ndarray = dataclasses.field(repr=False)

    def label(self) -> dict[str, Any]:
        """Vol, normalised weights and window, as reported."""
        return {"vol": f"{self.vol[0]} {self.vol[1]:g}", "weights": normalised(self.weights),
                "halflife": self.halflife, "years": self.years}

    def params(self, fitted: CTAParams) -> CTAParams:
        """``fitted`` sized as this variant (AUM 1)."""
        return fitted.replace(**vol_kw(self.vol), blend=weighted_blend(fitted, self.weights),
                              position_halflife=self.halflife, aum=1.0)


@dataclasses.dataclass(frozen=True)
class FlowFit:
    """AUM, tape vol and flows of one variant on a set of readings (all USD)."""

    aum: float
    scenario_vol: str
    error_by_option: dict[str, float]
    flows: dict[str, np.ndarray]      # "1w_flat" ... "1m_down", shape (R,) each
    ratio: float                      # median model / desk 1m down-tape flow (NaN: none)


class _Search:
    """The readings, the variants and each (vol, weights) book's flows (computed once)."""

    def __init__(self, fitted: CTAParams, rows: pd.DataFrame, first: pd.Timestamp,
                 prices: pd.DataFrame | None, longest_halflife: float = 0.0) -> None:
        self.fitted, self.rows, self.first, self.prices = fitted, rows, first, prices
        # the unsmoothed books re-smoothed for every half-life start early enough for the
        # longest to forget its start (a variant's own book adds its run-in itself)
        self.runin = position_runin(longest_halflife)
        self.last = rows["asof"].max()
        self.desk_pct = rows["global_pct"].to_numpy(dtype=float) / 100.0
        self.desk_len = rows["global_length_bn"].to_numpy(dtype=float) * 1e9
        self.desk_fl = {f"{h}_{k}": rows[f"flows_{h}_{k}"].to_numpy(dtype=float) * 1e9
                        for h, k in TAPES}
        self.has_flows = np.any([np.isfinite(v) for v in self.desk_fl.values()], axis=0)
        self._books: dict[tuple[Any, ...], Book] = {}
        self._flows: dict[tuple[Any, ...], dict[str, dict[str, np.ndarray]]] = {}

    def cols(self, book: Book) -> list[int]:
        """Each reading's column in ``book`` (its last date on or before the as-of date)."""
        return [int(book.dates.searchsorted(d, side="right")) - 1 for d in self.rows["asof"]]

    def book(self, vol: tuple[str, float], v: Variant | None = None) -> Book:
        """The book of one vol variant, sized as ``v`` (None: as fitted, no smoothing)."""
        key = (vol, None) if v is None else (vol, v.weights, v.halflife)
        if key not in self._books:
            prm = (self.fitted.replace(**vol_kw(vol), aum=1.0, position_halflife=0.0)
                   if v is None else v.params(self.fitted))
            start = self.first - self.runin if v is None else self.first
            self._books[key] = build_book(self.last, None, prices=self.prices, params=prm,
                                          start=start)
        return self._books[key]

    def variants(self, vol_variants: Sequence[tuple[str, float]],
                 group_weights: Sequence[tuple[float, float, float]],
                 halflives: Sequence[float], years_list: Sequence[int]) -> list[Variant]:
        """Every combination, each vol's book fitted once and re-blended / re-smoothed."""
        out: list[Variant] = []
        for vol in vol_variants:
            book = self.book(vol)
            cols = self.cols(book)
            eq_sel = np.array([s == "equity" for s in book.sectors])
            trades = closes_on(book.models, book.ts, book.dates)
            for gw in group_weights:
                target = regrouped_targets(book, dict(zip(GROUPS, gw, strict=True)))
                for hl in halflives:
                    step = self.fitted.replace(position_halflife=hl).position_step
                    eq = held_weights(target, trades, step)[eq_sel].sum(axis=0)
                    out.extend(Variant(vol, (gw[0], gw[1], gw[2]), float(hl), years,
                                       percentiles_at(eq, book.dates, cols, years), eq[cols])
                               for years in years_list)
        return out

    def unit_flows(self, v: Variant) -> dict[str, dict[str, np.ndarray]]:
        """Per USD of AUM: global equity flows per tape (and US 1m down) per option."""
        key = (v.vol, v.weights, v.halflife)
        if key not in self._flows:
            book = self.book(v.vol, v)
            equity = np.array([s == "equity" for s in book.sectors])
            us = us_equity_mask(book)
            out: dict[str, dict[str, np.ndarray]] = {}
            for option in SCENARIO_VOLS:
                bk = dataclasses.replace(book, params=book.params.replace(scenario_vol=option))
                got = {f"{h}_{k}": np.full(len(self.rows), np.nan) for h, k in TAPES}
                got["us_1m_down"] = np.full(len(self.rows), np.nan)
                for i, c in enumerate(self.cols(book)):
                    fl = flows_on(bk, c) if self.has_flows[i] else None
                    if fl is None:
                        continue
                    for h, k in TAPES:
                        got[f"{h}_{k}"][i] = float(fl[h][k][equity].sum())
                    got["us_1m_down"][i] = float(fl["1m"]["down"][us].sum())
                out[option] = got
            self._flows[key] = out
        return self._flows[key]

    def aum(self, v: Variant, mask: np.ndarray) -> float:
        """Effective AUM: desk global equity length on the model's, through the origin."""
        return _ls_slope(np.where(mask, v.length, np.nan), self.desk_len)

    def flow_fit(self, v: Variant, mask: np.ndarray, aum: float) -> FlowFit:
        """Tape vol with the smaller median |model - desk| flow on ``mask``, and the ratio."""
        unit = self.unit_flows(v)
        err: dict[str, float] = {}
        for option in SCENARIO_VOLS:
            e = np.concatenate([np.abs(unit[option][t] * aum - self.desk_fl[t])[mask]
                                for t in self.desk_fl])
            e = e[np.isfinite(e)]
            err[option] = float(np.median(e)) if e.size else math.inf
        option = min(SCENARIO_VOLS, key=lambda o: err[o])
        flows = {t: unit[option][t] * aum for t in unit[option]}
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = flows["1m_down"] / self.desk_fl["1m_down"]
        r = ratio[mask & np.isfinite(ratio)]
        return FlowFit(aum, option, err, flows, float(np.median(r)) if r.size else math.nan)

    def choose(self, variants: Sequence[Variant], mask: np.ndarray,
               fallback_aum: float) -> tuple[int, str]:
        """Index of the variant the rule keeps on ``mask``, and its flow check.

        The check is ``"in_band"``, ``"unconstrained"`` (no reading in ``mask`` gives a
        1-month down-tape flow) or ``"out_of_band"`` (no variant among the first
        :data:`MAX_FLOW_CHECKS` qualifies: the closest percentile is kept).
        """
        order = sorted(range(len(variants)), key=lambda i: _rank_key(
            *pct_score(variants[i].pct, self.desk_pct, mask)))
        lo, hi = FLOW_RATIO_BAND
        for i in order[:MAX_FLOW_CHECKS]:
            aum = self.aum(variants[i], mask)
            fit = self.flow_fit(variants[i], mask, aum if aum > 0 else fallback_aum)
            if not math.isfinite(fit.ratio):
                return i, "unconstrained"
            if lo <= fit.ratio <= hi:
                return i, "in_band"
        return order[0], "out_of_band"


def fit_position(fitted: CTAParams, readings: pd.DataFrame, calendar: pd.DatetimeIndex,
                 prices: pd.DataFrame | None, years_list: Sequence[int],
                 vol_variants: Sequence[tuple[str, float]],
                 group_weights: Sequence[tuple[float, float, float]],
                 halflives: Sequence[float], min_train: int,
                 warnings: list[str]) -> dict[str, Any]:
    """Group weights, half-life, vol, percentile window, AUM and tape vol fitted on readings.

    Parameters
    ----------
    fitted : CTAParams
        The preset with its pivot groups fitted (one component per group).
    readings : DataFrame
        :attr:`DeskReadings.frame`; those with a positioning or flow figure are used.
    calendar : DatetimeIndex
        Trading days of the quoted asset (reading dates snap to it).
    prices : DataFrame or None
        The caller's closes (the whole book), or None for the catalog.
    years_list, vol_variants, group_weights, halflives, min_train
        As in :func:`crashlens.cta.calibrate`.
    warnings : list
        Notes are appended here.

    Returns
    -------
    dict
        ``aum_usd``, ``vol``, ``blend``, ``halflife``, ``scenario_vol``, ``table`` (per
        reading), ``history`` (daily percentile),
        ``variants``, ``percentile``, ``length`` and ``flows`` scores.
    """
    need = ["global_length_bn", "global_pct", "us_pct", "us_length_bn",
            *[f"flows_{h}_{k}" for h, k in TAPES]]
    readings = readings.reindex(columns=[*readings.columns,
                                         *[c for c in need if c not in readings]])
    rows, skipped = snap_asof(readings[readings[need].notna().any(axis=1)], calendar)
    warnings.extend(w for w in skipped if w not in warnings)
    if rows.empty:
        warnings.append(Note("cta.scale_not_fitted"))
        return unfitted(fitted)
    first = rows["asof"].min() - pd.Timedelta(days=366 * max(years_list) + 30)
    search = _Search(fitted, rows, first, prices, max(halflives))
    has_pct = np.isfinite(search.desk_pct)
    if not has_pct.any():
        warnings.append(Note("cta.pct_not_fitted"))
    variants = search.variants(vol_variants, group_weights, halflives, years_list)
    everything = np.ones(len(rows), dtype=bool)
    best_i, flow_check = search.choose(variants, everything, fitted.aum)
    best = variants[best_i]
    if flow_check == "out_of_band":
        warnings.append(Note("cta.flows_out_of_band", n=MAX_FLOW_CHECKS,
                             lo=FLOW_RATIO_BAND[0], hi=FLOW_RATIO_BAND[1]))
    # out of sample: the variant the rule picks on earlier readings, the AUM of earlier ones
    asof = rows["asof"].to_numpy()
    cv_pct = np.full(len(rows), np.nan)
    for r in np.nonzero(has_pct)[0]:
        train = asof < asof[r]
        if (train & has_pct).sum() >= min_train:
            cv_pct[r] = variants[search.choose(variants, train, fitted.aum)[0]].pct[r]
    aum = search.aum(best, everything)
    if not math.isfinite(aum):
        warnings.append(Note("cta.aum_not_fitted", aum_bn=fitted.aum / 1e9))
        aum = fitted.aum
    elif not aum > 0:
        warnings.append(Note("cta.aum_nonpositive", aum_bn=aum / 1e9,
                             kept_bn=fitted.aum / 1e9))
        aum = fitted.aum
    has_len = np.isfinite(best.length) & np.isfinite(search.desk_len)
    cv_len = np.full(len(rows), np.nan)
    for r in np.nonzero(has_len)[0]:
        train = has_len & (asof < asof[r])
        if train.sum() >= min(min_train, 3):
            cv_len[r] = best.length[r] * search.aum(best, train)
    flow = search.flow_fit(best, everything, aum)
    book = search.book(best.vol, best)
    cols = search.cols(book)
    us = book.weights[us_equity_mask(book)].sum(axis=0)            # per USD of AUM
    us_pct = percentiles_at(us, book.dates, cols, best.years)
    desk_us_pct = rows["us_pct"].to_numpy(dtype=float) / 100.0
    eq = sector_notional(book, "equity")                            # the book's AUM is 1
    days = np.nonzero(book.dates >= rows["asof"].min() - pd.Timedelta(days=30))[0]
    history = pd.Series(percentiles_at(eq, book.dates, days.tolist(), best.years),
                        index=book.dates[days], name="global_equity_percentile")
    table = pd.DataFrame({
        "line": rows["line"].to_numpy(), "bank": rows["bank"].to_numpy(),
        "note_date": rows["note_date"].to_numpy(), "asof": asof,
        "desk_global_pct": search.desk_pct, "model_equity_pct": best.pct,
        "cv_equity_pct": cv_pct, "desk_us_pct": desk_us_pct, "model_us_pct": us_pct,
        "desk_global_length_usd": search.desk_len, "model_equity_length_usd": best.length * aum,
        "cv_equity_length_usd": cv_len,
        "desk_us_length_usd": rows["us_length_bn"].to_numpy(dtype=float) * 1e9,
        "model_us_length_usd": us[cols] * aum,
        "desk_flows_1m_down_usd": search.desk_fl["1m_down"],
        "model_flows_1m_down_usd": flow.flows["1m_down"],
        "model_us_flows_1m_down_usd": flow.flows["us_1m_down"],
        **{f"desk_flows_{t}_usd": search.desk_fl[t]
           for t in ("1w_flat", "1w_up", "1w_down", "1m_flat", "1m_up")},
        **{f"model_flows_{t}_usd": flow.flows[t]
           for t in ("1w_flat", "1w_up", "1w_down", "1m_flat", "1m_up")},
    })
    mae, rho = pct_score(best.pct, search.desk_pct, has_pct)
    cv_mae, cv_rho = pct_score(cv_pct, search.desk_pct, has_pct)
    len_err = np.abs(cv_len - search.desk_len)[np.isfinite(cv_len)]
    ratio = table["model_flows_1m_down_usd"] / table["desk_flows_1m_down_usd"]
    ratio = ratio[np.isfinite(ratio)]
    ranked = sorted(variants, key=lambda v: _rank_key(*pct_score(v.pct, search.desk_pct,
                                                                    has_pct)))
    return {
        "aum_usd": aum, "vol": best.vol, "blend": weighted_blend(fitted, best.weights),
        "halflife": best.halflife,
        "scenario_vol": flow.scenario_vol, "table": table, "history": history,
        "variants": {"n": len(variants), "best": [
            {**v.label(), **dict(zip(("mae", "spearman"),
                                     pct_score(v.pct, search.desk_pct, has_pct), strict=True))}
            for v in ranked[:TOP_VARIANTS]]},
        "percentile": {"mae": mae, "spearman": rho, "years": best.years,
                       "weights": normalised(best.weights), "halflife": best.halflife,
                       "n": int(has_pct.sum()),
                       "cv_n": int(np.isfinite(cv_pct).sum()), "cv_mae": cv_mae,
                       "cv_spearman": cv_rho,
                       "us_spearman": spearman(us_pct, desk_us_pct),
                       "us_n": int((np.isfinite(us_pct) & np.isfinite(desk_us_pct)).sum()),
                       "note": "group weights, half-life, vol estimator and window: the "
                               "closest mean |model - desk| percentile whose flows are the "
                               "desks' size (in sample); cv_*: each reading scored with the "
                               "choice made on earlier readings"},
        "length": {"n": int(has_len.sum()), "cv_n": int(len_err.size),
                   "cv_median_abs_error_usd": float(np.median(len_err)) if len_err.size
                   else math.nan},
        "flows": {"n": int(ratio.size), "scenario_vol": flow.scenario_vol,
                  "median_abs_error_usd_by_scenario_vol": flow.error_by_option,
                  "ratio_1m_down_median": float(np.median(ratio)) if ratio.size else math.nan,
                  "ratio_band": list(FLOW_RATIO_BAND), "check": flow_check,
                  "same_sign": int((np.sign(table.loc[ratio.index, "model_flows_1m_down_usd"])
                                    == np.sign(table.loc[ratio.index,
                                                         "desk_flows_1m_down_usd"])).sum()),
                  "note": "model equity-sector 1m down-tape flow / desk flows_1m_down "
                          "(global); AUM fitted on length"},
    }


def unfitted(fitted: CTAParams) -> dict[str, Any]:
    """What :func:`fit_position` gives when no reading has a positioning or flow figure."""
    nan = math.nan
    vol = (fitted.vol_estimator.value, fitted.vol_com if fitted.vol_estimator is
           VolEstimator.EWMA else float(fitted.vol_window))
    return {
        "aum_usd": fitted.aum, "vol": vol, "blend": fitted.blend,
        "halflife": fitted.position_halflife,
        "scenario_vol": fitted.scenario_vol,
        "table": pd.DataFrame(columns=["line", "bank", "note_date", "asof"]),
        "history": pd.Series(dtype=float, name="global_equity_percentile"),
        "variants": {"n": 0, "best": []},
        "percentile": {"mae": nan, "spearman": nan, "years": fitted.headline_percentile_years,
                       "weights": None, "halflife": fitted.position_halflife, "n": 0,
                       "cv_n": 0, "cv_mae": nan, "cv_spearman": nan,
                       "us_spearman": nan, "us_n": 0, "note": "not fitted"},
        "length": {"n": 0, "cv_n": 0, "cv_median_abs_error_usd": nan},
        "flows": {"n": 0, "scenario_vol": fitted.scenario_vol,
                  "median_abs_error_usd_by_scenario_vol": {}, "ratio_1m_down_median": nan,
                  "ratio_band": list(FLOW_RATIO_BAND), "check": "not fitted", "same_sign": 0,
                  "note": "not fitted"},
    }
