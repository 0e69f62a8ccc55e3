"""Public functions of the CTA engine: :func:`positioning`, :func:`history`, :func:`sensitivity`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from crashlens._dates import to_timestamp
from crashlens.cta.engine import (
    PERCENTILE_YEAR,
    _resolve_params,
    asset_block,
    build_book,
    flows_on,
    percentile_rank,
    run_flows,
    sector_notional,
    total_block,
    us_equity_notional,
)
from crashlens.cta.messages import no_trigger_code
from crashlens.cta.params import CTAParams, VolEstimator, default_params
from crashlens.cta.result import CTAHistory, CTAResult, CTASensitivity
from crashlens.cta.triggers import GROUPS, aggregate_triggers
from crashlens.data.source import SourceLike, is_store, reads_source
from crashlens.errors import ParameterError
from crashlens.notes import Note

Prices = pd.Series | pd.DataFrame


@reads_source
def positioning(asof: pd.Timestamp | str | None = None,
                assets: Sequence[str] | str | None = None,
                aum: float | None = None, params: CTAParams | None = None, *,
                prices: Prices | None = None, sectors: Mapping[str, str] | None = None,
                mc: bool = True, source: SourceLike = None) -> CTAResult:
    """Modelled CTA positioning, triggers and projected flows as of one date.

    Parameters
    ----------
    asof : date-like, optional
        Positions after this day's close; default the last date of the data. Only closes up to
        ``asof`` are used.
    assets : sequence of str or comma-separated str, optional
        Rows to report: catalog names or, with ``prices``, columns of it (default: the whole
        universe). The book is always the whole universe (``params.universe``, or every
        column of ``prices``), so an asset's numbers do not depend on this list; a catalog
        name outside the universe is added to the book with a warning. Without ``prices`` the
        universe is what the source holds of it: members it lacks are left out of the book
        with a note naming them (``cta.absent_from_store`` / ``cta.absent_from_source``).
    aum : float, optional
        Effective trend-following AUM in USD (default ``params.aum`` = $300bn); >= 0.
    params : CTAParams, optional
    prices : Series or DataFrame, optional
        Closes (price units, > 0) indexed by date, one column per asset, used instead of the
        catalog; NaN marks a day the asset did not trade.
    sectors : mapping, optional
        Sector per asset for the risk budgets (catalog names have defaults).
    mc : bool
        Also compute the Monte-Carlo flow bands.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    CTAResult

    Raises
    ------
    ParameterError
        Negative AUM, as-of date after the data.
    InsufficientDataError
        Too little history for the longest horizon (names it and the first usable date).
    UnknownSeriesError
        Unknown asset.
    DataError
        Malformed prices.
    """
    book = build_book(asof, assets, prices=prices, params=params, aum=aum, sectors=sectors)
    flows, mcf = run_flows(book, mc=mc)
    blocks = [asset_block(book, a, mc=mcf, flows=flows) for a in range(len(book.names))]
    total = total_block(book, blocks, mcf, flows)   # the whole book, whatever rows are shown
    blocks = [b for b in blocks if b["name"] in book.shown]
    blocks.sort(key=lambda b: book.shown.index(b["name"]))
    warnings = list(book.warnings)
    for b in blocks:
        missing = [g for g, v in b["triggers"].items() if not math.isfinite(v)]
        if missing:
            warnings.append(Note(no_trigger_code(missing), asset=b["name"],
                                 bracket=book.params.trigger_bracket))
    assumptions = book.params.assumptions()
    assumptions["aum"] = book.aum
    assumptions["data"] = _data_label(prices, book.warnings)
    assumptions["universe"] = {n: {"sector": s, "risk_budget": float(b)}
                               for n, s, b in zip(book.names, book.sectors, book.budgets,
                                                  strict=True)}
    for n, q in book.quotes.items():
        assumptions.setdefault("yield_proxies", {})[n] = (
            f"price proxy 100*exp(-{q.duration}*(y-{q.y_ref:.2f})/100); price and triggers "
            "reported as yields (%), usd_per_1pct refers to a 1% proxy-price move")
    cols: dict[str, np.ndarray] = {}
    for a, n in enumerate(book.names):
        if n not in book.shown:
            continue
        cols[f"signal_{n}"] = book.signal[a]
        cols[f"notional_{n}"] = book.aum * book.weights[a]
    cols["notional_total"] = book.aum * book.weights.sum(axis=0)
    hist = pd.DataFrame(cols, index=book.dates)
    return CTAResult(
        asof=book.asof, assets={b["name"]: b for b in blocks},
        total=total, history=hist,
        assumptions=assumptions, warnings=tuple(warnings),
    )


def _data_label(prices: Prices | None, warnings: Sequence[str]) -> str:
    """Where the closes came from: caller's prices, the synthetic market, the store, a source."""
    from crashlens import data

    if prices is not None:
        return "caller-supplied prices"
    if any(w.startswith("SYNTHETIC") for w in warnings):
        return "synthetic"
    return "catalog" if is_store() else f"source: {data.active().label}"


@reads_source
def history(start: pd.Timestamp | str, end: pd.Timestamp | str | None = None,
            assets: Sequence[str] | str | None = None, aum: float | None = None,
            params: CTAParams | None = None, *, prices: Prices | None = None,
            sectors: Mapping[str, str] | None = None, triggers: bool = True,
            flows: bool = False, source: SourceLike = None) -> CTAHistory:
    """Positioning (and triggers, flows) for every day from ``start`` to ``end``.

    Each day uses only closes up to that day (the correlation matrix is refreshed on fixed
    business days, so a day's numbers equal :func:`positioning` as of that day). Flows re-run
    the four tapes for both horizons on every day (about 10 ms per day for 7 assets).

    Parameters
    ----------
    start, end : date-like
        Range (``end`` default: last date of the data).
    assets, aum, params, prices, sectors
        As in :func:`positioning`.
    triggers : bool
        Compute the short/medium/long triggers per day.
    flows : bool
        Compute the scenario flows per day.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    CTAHistory
    """
    start_ts = to_timestamp(start, "start")
    prm, _ = _resolve_params(params, None)
    # the book starts early enough for every day's trailing percentile window
    book = build_book(end, assets, prices=prices, params=prm, aum=aum, sectors=sectors,
                      start=start_ts - max(prm.percentile_years) * PERCENTILE_YEAR)
    if start_ts > book.dates[-1]:
        raise ParameterError(f"start {start_ts.date()} is after end {book.dates[-1].date()}")
    p = book.params
    years = p.headline_percentile_years
    rows = []
    for a, (name, model) in enumerate(zip(book.names, book.models, strict=True)):
        if name not in book.shown:
            continue
        t_last = book.ts[a]
        lo = int(model.dates.searchsorted(start_ts))
        notional = np.where(np.isfinite(book.signal[a]), book.aum * book.weights[a], np.nan)
        for t in range(max(lo, model.first), t_last + 1):
            d = model.dates[t]
            col = int(book.dates.searchsorted(d))
            row = {"date": d, "asset": name, "price": float(model.prices[t]),
                   "signal": float(model.signal[t]), "weight": float(book.weights[a, col]),
                   "notional_usd": book.aum * float(book.weights[a, col]),
                   "percentile": percentile_rank(notional[:col + 1], book.dates[:col + 1], d,
                                                 years)}
            if triggers:
                for g, v in aggregate_triggers(model, t, p.trigger_bracket).items():
                    row[f"trigger_{g}"] = v
            rows.append(row)
    frame = pd.DataFrame(rows)
    q = book.quotes
    if q and not frame.empty:
        for name, quote in q.items():
            sel = frame["asset"] == name
            for c in ("price", "trigger_short", "trigger_medium", "trigger_long"):
                if c in frame:
                    frame.loc[sel, c] = frame.loc[sel, c].map(quote.to_yield)
    if flows and not frame.empty:
        frame = _history_flows(book, frame)
    ret = book.returns[book.names].reindex(book.dates).fillna(0.0)
    w_prev = np.concatenate((np.zeros((len(book.names), 1)), book.weights[:, :-1]), axis=1)
    replica = ret.copy()
    replica["replica_return"] = (w_prev * ret.to_numpy().T).sum(axis=0)
    replica = replica[replica.index >= start_ts]
    live = np.asarray(book.dates >= start_ts)
    cols_s: dict[str, np.ndarray] = {}
    for label, net in (("equity_global", sector_notional(book, "equity")),
                       ("equity_us", us_equity_notional(book))):
        cols_s[f"{label}_notional_usd"] = net[live]
        cols_s[f"{label}_percentile"] = np.array([
            percentile_rank(net[:c + 1], book.dates[:c + 1], book.dates[int(c)], years)
            for c in np.nonzero(live)[0]])
    sector_frame = pd.DataFrame(cols_s, index=book.dates[live])
    assumptions = p.assumptions()
    assumptions["aum"] = book.aum
    assumptions["data"] = _data_label(prices, book.warnings)
    return CTAHistory(frame=frame, replica=replica, sectors=sector_frame,
                      assumptions=assumptions, warnings=tuple(book.warnings))


def _history_flows(book, frame: pd.DataFrame) -> pd.DataFrame:
    """Scenario flows on each book date where every asset has a close (history mode)."""
    cols: dict[str, list[float]] = {}
    keys = []
    first = frame["date"].min()
    for col in range(int(book.dates.searchsorted(first)), len(book.dates)):
        d = book.dates[col]
        fl = flows_on(book, col)
        if fl is None:
            continue
        for a, name in enumerate(book.names):
            keys.append((d, name))
            for h, dd in fl.items():
                for k, v in dd.items():
                    cols.setdefault(f"flow_{h}_{k}", []).append(float(v[a]))
    extra = pd.DataFrame(cols, index=pd.MultiIndex.from_tuples(keys, names=["date", "asset"]))
    return frame.join(extra, on=["date", "asset"])


@reads_source
def sensitivity(asof: pd.Timestamp | str | None = None,
                assets: Sequence[str] | str | None = None, aum: float | None = None,
                params: CTAParams | None = None, *, prices: Prices | None = None,
                sectors: Mapping[str, str] | None = None,
                source: SourceLike = None) -> CTASensitivity:
    """Re-run :func:`positioning` under alternative horizon mixes, vol estimators and AUM.

    Variants: the base; horizon mixes short-only (10, 21), academic (21, 63, 252) and
    long-only (126, 252); vol estimators EWMA com 16 (span 33, Sepp) and 60, rolling 63 days;
    the single families; AUM at both ends of the band. For a blend-defined preset (``desk``)
    the horizon and family variants use the generic family x horizon signals instead.

    Parameters
    ----------
    asof, assets, aum, params, prices, sectors
        As in :func:`positioning`.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    CTASensitivity
    """
    base = params or default_params()
    if aum is not None:
        base = base.replace(aum=float(aum))  # validated: a negative AUM raises ParameterError
    # horizon and family variants switch a blend-defined preset (desk) to the generic
    # family x horizon signals, everything else (universe, vol, AUM) kept
    generic = {"blend": None, "model": "custom"} if base.blend is not None else {}
    variants: dict[str, CTAParams] = {
        "base": base,
        "horizons_short_10_21": base.replace(horizons=(10, 21), horizon_weights=None,
                                             **generic),
        "horizons_academic_21_63_252": base.replace(horizons=(21, 63, 252),
                                                    horizon_weights=None, **generic),
        "horizons_long_126_252": base.replace(horizons=(126, 252), horizon_weights=None,
                                              **generic),
        "vol_ewma_com16": base.replace(vol_estimator=VolEstimator.EWMA, vol_com=16.0),
        "vol_ewma_com60": base.replace(vol_estimator=VolEstimator.EWMA, vol_com=60.0),
        "vol_rolling_63": base.replace(vol_estimator=VolEstimator.ROLLING, vol_window=63),
        "aum_low": base.replace(aum=base.aum_band[0]),
        "aum_high": base.replace(aum=base.aum_band[1]),
    }
    for fam in base.families:
        variants[f"family_{fam.value}_only"] = base.replace(families=(fam,), family_weights=None,
                                                            **generic)
    rows = []
    warnings: list[str] = []
    for label, prm in variants.items():
        res = positioning(asof, assets, params=prm, prices=prices, sectors=sectors, mc=False)
        warnings.extend(w for w in res.warnings if w not in warnings)
        for name, b in [*res.assets.items(), ("total", res.total)]:
            rows.append({
                "variant": label, "asset": name, "position_pct": b.get("position_pct", np.nan),
                "notional_usd": b["notional_usd"],
                **{f"trigger_{g}": b.get("triggers", {}).get(g, np.nan) for g in GROUPS},
                **{f"flow_{h}_{k}": v for h, d in b["flows_usd"].items() for k, v in d.items()},
            })
    return CTASensitivity(frame=pd.DataFrame(rows), assumptions=base.assumptions(),
                          warnings=tuple(warnings))
