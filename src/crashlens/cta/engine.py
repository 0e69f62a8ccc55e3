"""Orchestration: positioning as of a date, history over a range, sensitivity tables."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from crashlens._dates import to_timestamp
from crashlens.cta.flows import bootstrap_flows, scenario_flows
from crashlens.cta.params import US_EQUITY, CTAParams, default_params
from crashlens.cta.signals import AssetModel, fit_asset
from crashlens.cta.sizing import (
    book_history,
    business_returns,
    correlation_schedule,
    held_weights,
    position_runin,
    risk_budgets,
    sector_of,
)
from crashlens.cta.triggers import (
    Tomorrow,
    aggregate_triggers,
    component_trigger,
    saturation_levels,
    trade_flow,
)
from crashlens.cta.universe import (
    YieldQuote,
    as_frame,
    clean_prices,
    load_catalog,
)
from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.notes import Note

#: The year of the percentile windows (``percentile_years``).
PERCENTILE_YEAR = pd.Timedelta(days=365)


@dataclasses.dataclass(frozen=True, eq=False)
class Book:
    """Fitted models and the book's history on the union calendar (internal)."""

    asof: pd.Timestamp      # the requested as-of date (or the last close when none was given)
    names: list[str]
    models: list[AssetModel]
    ts: list[int]
    quotes: dict[str, YieldQuote]
    budgets: np.ndarray
    sectors: list[str]
    dates: pd.DatetimeIndex
    signal: np.ndarray      # (A, N) blended signal, carried forward on the union calendar
    weights: np.ndarray     # (A, N) fraction of AUM
    scale: np.ndarray       # (N,)
    mats: np.ndarray
    idx: np.ndarray
    returns: pd.DataFrame   # business-day log returns
    params: CTAParams
    aum: float
    warnings: list[str]
    shown: list[str]        # rows to report (the book itself is always the whole universe)


def _resolve_params(params: CTAParams | None, aum: float | None) -> tuple[CTAParams, float]:
    params = params or default_params()
    if aum is None:
        return params, params.aum
    try:
        aum = float(aum)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"aum={aum!r}: must be a number of USD") from exc
    if not math.isfinite(aum) or aum < 0:
        raise ParameterError(f"aum={aum!r}: AUM must be a finite, non-negative amount of USD")
    lo, hi = params.aum_band
    return params.replace(aum=aum, aum_band=(min(lo, aum), max(hi, aum))), aum


def _load(assets: Sequence[str] | str | None, prices: pd.Series | pd.DataFrame | None,
          params: CTAParams, warnings: list[str]
          ) -> tuple[dict[str, pd.Series], dict[str, YieldQuote], set[str], list[str] | None]:
    """Series of the whole book, yield quotes, strict names and the rows to show (None = all).

    The book is always the universe (``params.universe``, or every column of ``prices``):
    ``assets`` only selects rows, so an asset's numbers do not depend on the list asked for.
    A requested catalog name outside the universe is added to the book with a warning.
    """
    if isinstance(assets, str):
        assets = [a for a in assets.split(",") if a.strip()]
    if prices is None:
        from crashlens import data

        requested = None if assets is None else list(dict.fromkeys(
            a.strip().upper() for a in assets if a.strip()))
        universe = [n.strip().upper() for n in params.universe]
        series: dict[str, pd.Series] = {}
        quotes: dict[str, YieldQuote] = {}
        if requested:
            series, quotes = load_catalog(requested, None, params, warnings)
        others = [n for n in universe if n not in series]
        if others:
            more, more_q = load_catalog(others, None, params, warnings, explicit=False,
                                        allow_empty=bool(series))
            series.update(more)
            quotes.update(more_q)
        order = [n for n in universe if n in series] + [n for n in series if n not in universe]
        for n in order:
            if n not in universe:
                warnings.append(Note("cta.added_to_book", asset=n))
        if data.is_synthetic():
            warnings.insert(0, Note("cta.synthetic"))
        return {n: series[n] for n in order}, quotes, set(requested or ()), requested
    series = as_frame(prices)
    if assets is not None:
        from crashlens.errors import UnknownSeriesError

        for a in assets:
            if a not in series:
                raise UnknownSeriesError(a, list(series), kind="asset")
        # the asked-for columns must be usable; the rest of the book is left out with a
        # warning when it is not (yet)
        return series, {}, set(assets), list(dict.fromkeys(assets))
    return series, {}, set(series), None


def _leave_out(note: Note, error: type[InsufficientDataError] | type[ParameterError],
               strict: bool, warnings: list[str], name: str) -> None:
    """Note an asset left out of the book, or (``strict``) raise ``error`` with the same text."""
    if strict:
        raise error(str(note).removesuffix("; left out"), subject=name)
    warnings.append(note)


def _fit_asof(name: str, s: pd.Series, asof: pd.Timestamp, params: CTAParams,
              strict: bool, warnings: list[str]) -> tuple[AssetModel, int] | None:
    """Fit one asset on closes through ``asof``; None (with a warning) when unusable.

    Only closes up to ``asof`` decide (and are named in a warning), so the result and its
    warnings are the same on data cut at ``asof``.
    """
    past = s.loc[:asof]
    if past.empty:
        _leave_out(Note("cta.no_close_left_out", asset=name, asof=asof.date()),
                   InsufficientDataError, strict, warnings, name)
        return None
    last = past.index[-1]
    if (asof - last).days > params.max_stale_days:
        _leave_out(Note("cta.stale_left_out", asset=name, asof=asof.date(),
                        days=(asof - last).days, last=last.date(),
                        max_stale=params.max_stale_days),
                   ParameterError, strict, warnings, name)
        return None
    try:
        model = fit_asset(name, past, params)
    except InsufficientDataError:
        model = None
    if model is None:
        first_ok = params.max_horizon if params.vol_estimator.value == "ewma" else max(
            params.max_horizon, params.vol_window)
        first_ok = max(first_ok, params.vol_min_obs)
        _leave_out(Note("cta.short_history_left_out", asset=name, asof=asof.date(),
                        horizon=params.max_horizon, n=len(past), needed=first_ok + 1),
                   InsufficientDataError, strict, warnings, name)
        return None
    return model, len(past) - 1


def build_book(asof: pd.Timestamp | str | None = None,
               assets: Sequence[str] | str | None = None, *,
               prices: pd.Series | pd.DataFrame | None = None,
               params: CTAParams | None = None, aum: float | None = None,
               sectors: Mapping[str, str] | None = None,
               start: pd.Timestamp | None = None) -> Book:
    """Fit every asset and the book history from ``start`` (default: 5y + before ``asof``).

    With smoothed positions (``position_halflife > 0``) the book begins a further
    :func:`~crashlens.cta.sizing.position_runin` earlier, so that the held positions from
    ``start`` on do not depend on where the book began.
    """
    params, aum_val = _resolve_params(params, aum)
    warnings: list[str] = []
    series, quotes, strict, shown = _load(assets, prices, params, warnings)
    if asof is not None:
        asof_ts = to_timestamp(asof, "asof")
    else:
        lasts = [pd.Timestamp(str(x)) for s in series.values()
                 if (x := s.last_valid_index()) is not None]
        asof_ts = max(lasts).normalize() if lasts else pd.Timestamp.max
    longest = max(params.percentile_years) * PERCENTILE_YEAR
    # held positions start earlier, so that none of the reported ones depends on the start
    runin = position_runin(params.position_halflife)
    since = (start if start is not None else asof_ts - longest) - runin \
        - pd.Timedelta(days=int(params.max_horizon * 1.5))
    if asof is not None:
        # an asset with no close by the as-of date is left out here, the same whether the
        # data stop at the as-of date or go on (its later closes must not change the result)
        for n in [n for n, s in series.items() if s.loc[:asof_ts].dropna().empty]:
            _leave_out(Note("cta.no_close_left_out", asset=n, asof=asof_ts.date()),
                       InsufficientDataError, n in strict, warnings, n)
            del series[n]
        if not series:
            raise InsufficientDataError(f"no asset has a close on or before {asof_ts.date()}")
    cleaned = {n: clean_prices(n, s, params, warnings, gap_since=since, until=asof_ts)
               for n, s in series.items()}
    last_any = max(s.index[-1] for s in cleaned.values())
    if asof is None:
        asof_ts = last_any
    if asof_ts > last_any + pd.Timedelta(days=params.max_stale_days):
        raise ParameterError(f"as-of date {asof_ts.date()} is after the data (last close "
                             f"{last_any.date()})")
    names, models, ts = [], [], []
    for name, s in cleaned.items():
        got = _fit_asof(name, s, asof_ts, params, name in strict, warnings)
        if got is not None:
            names.append(name)
            models.append(got[0])
            ts.append(got[1])
    if not models:
        raise InsufficientDataError(f"no asset is usable as of {asof_ts.date()}: "
                                    + "; ".join(warnings))
    budgets = risk_budgets(names, sectors, params)
    book_start = (start if start is not None else asof_ts - longest) - runin
    all_days = np.unique(np.concatenate([
        m.dates[:t + 1].values.astype("datetime64[ns]") for m, t in zip(models, ts, strict=True)
    ]))
    dates = pd.DatetimeIndex(all_days)
    dates = dates[(dates >= book_start) & (dates <= asof_ts)]
    sig = carried(models, ts, dates, [m.signal for m in models])
    vol = carried(models, ts, dates, [m.sig_ann for m in models])
    rets = business_returns({n: cleaned[n].loc[:asof_ts] for n in names}, asof_ts)
    mats, idx = correlation_schedule(rets, dates, params)
    w, scale = book_history(sig, vol, budgets, mats, idx, params)
    w = held_weights(w, closes_on(models, ts, dates), params.position_step)
    shown_names = names if shown is None else [n for n in shown if n in names]
    return Book(asof_ts, names, models, ts, quotes, budgets, sector_of(names, sectors), dates,
                sig, w, scale, mats, idx, rets, params, aum_val, warnings, shown_names)


def carried(models: Sequence[AssetModel], ts: Sequence[int], dates: pd.DatetimeIndex,
            values: Sequence[np.ndarray]) -> np.ndarray:
    """Each asset's values on the book calendar, carried forward from its own last close.

    Parameters
    ----------
    models, ts
        The book's models and each one's as-of index.
    dates : DatetimeIndex, shape (N,)
        The book calendar.
    values : sequence of ndarray, shape (T_a,) each
        One array per model on that model's own calendar.

    Returns
    -------
    ndarray, shape (A, N)
        NaN before an asset's first close.
    """
    out = np.empty((len(models), len(dates)))
    for a, (m, t, v) in enumerate(zip(models, ts, values, strict=True)):
        pos = m.dates[:t + 1].searchsorted(dates, side="right") - 1
        out[a] = np.where(pos >= 0, v[np.maximum(pos, 0)], np.nan)
    return out


def closes_on(models: Sequence[AssetModel], ts: Sequence[int],
              dates: pd.DatetimeIndex) -> np.ndarray:
    """Whether each asset has a close on each book date (the days it can trade), (A, N)."""
    out = np.zeros((len(models), len(dates)), dtype=bool)
    for a, (m, t) in enumerate(zip(models, ts, strict=True)):
        own = m.dates[:t + 1]
        pos = own.searchsorted(dates, side="right") - 1
        out[a] = (pos >= 0) & (own[np.maximum(pos, 0)] == dates)
    return out


def regrouped_targets(book: Book, group_weights: Mapping[str, float]) -> np.ndarray:
    """Target weights (fraction of AUM) had the blend weighted its groups ``group_weights``.

    The components' signals, the vols and the correlations are the book's own: only the
    blend of the short / medium / long groups changes, so a calibration can compare many
    weightings without refitting the models (the pivots do not depend on it). Held
    positions follow from :func:`~crashlens.cta.sizing.held_weights`.

    Parameters
    ----------
    book : Book
    group_weights : mapping of str to float
        Relative weight of each group (``short``, ``medium``, ``long``); a group's weight is
        shared equally by its components.

    Returns
    -------
    ndarray, shape (A, N)
    """
    blended = []
    for m in book.models:
        groups = [p.group for p in m.parts]
        w = np.array([group_weights[g] / groups.count(g) for g in groups], dtype=float)
        sig = np.full(len(m.dates), np.nan)
        sig[m.first:] = np.clip((w / w.sum()) @ m.comps[:, m.first:], -1.0, 1.0)
        blended.append(sig)
    signal = carried(book.models, book.ts, book.dates, blended)
    vol = carried(book.models, book.ts, book.dates, [m.sig_ann for m in book.models])
    return book_history(signal, vol, book.budgets, book.mats, book.idx, book.params)[0]


def percentiles_at(values: np.ndarray, dates: pd.DatetimeIndex, cols: Sequence[int],
                   years: int) -> np.ndarray:
    """Percentile of ``values`` as of each of ``cols``, each from the values up to it only.

    The fraction of the trailing ``years`` calendar years' finite values ``<=`` the value at
    the column. NaN values mark dates the series did not exist (an asset not yet tradable);
    a column's percentile is NaN when its own value is NaN or when the series starts later
    than 10 % into its window.

    Parameters
    ----------
    values : ndarray, shape (N,)
    dates : DatetimeIndex, shape (N,)
    cols : sequence of int
        Columns (positions in ``dates``) to evaluate.
    years : int

    Returns
    -------
    ndarray, shape (len(cols),)
    """
    cols_a = np.asarray(cols, dtype=np.int64)
    out = np.full(cols_a.size, np.nan)
    finite = np.isfinite(values)
    if not finite.any() or cols_a.size == 0:
        return out
    first = dates[int(np.argmax(finite))]
    lo = dates[cols_a] - years * PERCENTILE_YEAR
    starts = dates.searchsorted(lo, side="right")
    covered = first <= lo + 0.1 * years * PERCENTILE_YEAR
    for j, (c, i0) in enumerate(zip(cols_a, starts, strict=True)):
        if not covered[j] or c < i0 or not finite[c]:
            continue
        window = values[i0:c + 1]
        out[j] = float(np.mean(window[np.isfinite(window)] <= values[c]))
    return out


def percentile_rank(values: np.ndarray, dates: pd.DatetimeIndex, asof: pd.Timestamp,
                    years: int) -> float:
    """:func:`percentiles_at` as of one date (the last book date on or before ``asof``)."""
    col = int(dates.searchsorted(asof, side="right")) - 1
    got = float(percentiles_at(values, dates, [col], years)[0]) if col >= 0 else math.nan
    return got if math.isfinite(got) else math.nan     # the one NaN object, as before


def _price_out(book: Book, name: str, price: float) -> float:
    q = book.quotes.get(name)
    return q.to_yield(price) if q is not None else price


def asset_block(book: Book, a: int, *, mc: dict[str, np.ndarray] | None,
                flows: dict[str, dict[str, np.ndarray]]) -> dict:
    """All as-of numbers of one asset (the result's per-asset payload)."""
    params, name = book.params, book.names[a]
    model, t = book.models[a], book.ts[a]
    spot = float(model.prices[t])
    notional = np.where(np.isfinite(book.signal[a]), book.aum * book.weights[a], np.nan)
    percentiles = {f"{y}y": percentile_rank(notional, book.dates, book.dates[-1], y)
                   for y in params.percentile_years}
    tomorrow = Tomorrow(model, t)
    triggers = {g: _price_out(book, name, v) for g, v in
                aggregate_triggers(model, t, params.trigger_bracket, tomorrow=tomorrow).items()}
    per_horizon = {}
    saturation = {}
    for part in model.parts:
        per_horizon[part.label] = _price_out(book, name, component_trigger(model, t, part))
        if part.family.value == "norm_mom":
            lo, hi = saturation_levels(model, t, part)
            saturation[part.label] = [_price_out(book, name, lo), _price_out(book, name, hi)]
    w_now, scale = float(book.weights[a, -1]), float(book.scale[-1])
    pm = trade_flow(model, t, np.array([0.99 * spot, 1.01 * spot]), w_now, scale,
                    float(book.budgets[a]), book.aum, tomorrow)
    grid = spot * np.linspace(1 - params.curve_range, 1 + params.curve_range,
                              params.curve_points)
    curve = trade_flow(model, t, grid, w_now, scale, float(book.budgets[a]), book.aum, tomorrow)
    return {
        "name": name,
        "date": model.dates[t],
        "price": _price_out(book, name, spot),
        "proxy_price": spot,
        "signal": float(model.signal[t]),
        "position_pct": float(model.signal[t]),
        "weight": w_now,
        "notional_usd": float(book.aum * book.weights[a, -1]),
        "vol_ann": float(model.sig_ann[t]),
        "budget": float(book.budgets[a]),
        "sector": book.sectors[a],
        "percentile": percentiles,
        "triggers": triggers,
        "horizon_triggers": per_horizon,
        "saturation_levels": saturation,
        "components": {p.label: float(model.comps[c, t]) for c, p in enumerate(model.parts)},
        "usd_per_1pct": float(pm[1] - pm[0]) / 2.0,
        "flows_usd": {h: {k: float(v[a]) for k, v in d.items()} for h, d in flows.items()},
        "mc_flows_usd": {h: _quantiles(v[a], params.mc_quantiles) for h, v in (mc or {}).items()},
        "curve": {"price": [_price_out(book, name, float(g)) for g in grid],
                  "proxy_price": grid, "flow_usd": curve},
    }


def _quantiles(x: np.ndarray, qs: Sequence[float]) -> dict[str, float]:
    return {f"q{round(q * 100):02d}": float(np.quantile(x, q)) for q in qs}


def total_block(book: Book, assets: list[dict], mc: dict[str, np.ndarray] | None,
                flows: dict[str, dict[str, np.ndarray]]) -> dict:
    """Book-level totals."""
    params = book.params
    net = book.aum * book.weights.sum(axis=0)
    gross = book.aum * np.abs(book.weights).sum(axis=0)
    lo, hi = params.aum_band
    scale_lo = lo / book.aum if book.aum > 0 else 0.0
    scale_hi = hi / book.aum if book.aum > 0 else 0.0
    sectors = _sector_totals(book, assets, flows)
    us = _us_equity(book, flows)
    return {
        "aum_usd": book.aum,
        "aum_band_usd": {"low": lo, "high": hi},
        "notional_usd": float(net[-1]),
        "notional_usd_band": {"low": float(net[-1]) * scale_lo, "high": float(net[-1]) * scale_hi},
        "gross_usd": float(gross[-1]),
        "gross_leverage": float(gross[-1] / book.aum) if book.aum > 0 else 0.0,
        "portfolio_scale": float(book.scale[-1]),
        "percentile": {f"{y}y": percentile_rank(net, book.dates, book.dates[-1], y)
                       for y in params.percentile_years},
        "usd_per_1pct": float(sum(x["usd_per_1pct"] for x in assets)),
        "flows_usd": {h: {k: float(v.sum()) for k, v in d.items()} for h, d in flows.items()},
        "sectors": sectors,
        "equity_us": us,
        "desk_view": _desk_view(book, assets, sectors.get("equity"), us),
        "mc_flows_usd": {h: _quantiles(v.sum(axis=0), params.mc_quantiles)
                         for h, v in (mc or {}).items()},
    }


def _sector_totals(book: Book, assets: list[dict],
                   flows: dict[str, dict[str, np.ndarray]]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for sector in dict.fromkeys(book.sectors):
        sel = np.array([s == sector for s in book.sectors])
        out[sector] = {
            "assets": [n for n, s in zip(book.names, book.sectors, strict=True) if s == sector],
            "notional_usd": float(sum(b["notional_usd"] for b, k in zip(assets, sel,
                                                                        strict=True) if k)),
            "usd_per_1pct": float(sum(b["usd_per_1pct"] for b, k in zip(assets, sel,
                                                                        strict=True) if k)),
            "flows_usd": {h: {k: float(v[sel].sum()) for k, v in d.items()}
                          for h, d in flows.items()},
            "percentile": {f"{y}y": percentile_rank(sector_notional(book, sector), book.dates,
                                                    book.dates[-1], y)
                           for y in book.params.percentile_years},
        }
    return out


def us_equity_mask(book: Book) -> np.ndarray:
    """Which assets of the book are US equities (:data:`US_EQUITY` in the equity sector)."""
    return np.array([n in US_EQUITY and s == "equity"
                     for n, s in zip(book.names, book.sectors, strict=True)], dtype=bool)


def us_equity_notional(book: Book) -> np.ndarray:
    """Net USD notional of the book's US equities on every book date, shape (N,)."""
    return book.aum * book.weights[us_equity_mask(book)].sum(axis=0)


def _us_equity(book: Book, flows: dict[str, dict[str, np.ndarray]]) -> dict:
    """US equities of the book (the desks' "US" length, percentile and flows)."""
    sel = us_equity_mask(book)
    net = us_equity_notional(book)
    return {
        "assets": [n for n, k in zip(book.names, sel, strict=True) if k],
        "notional_usd": float(net[-1]),
        "percentile": {f"{y}y": percentile_rank(net, book.dates, book.dates[-1], y)
                       for y in book.params.percentile_years},
        "flows_usd": {h: {k: float(v[sel].sum()) for k, v in d.items()}
                      for h, d in flows.items()},
    }


def _desk_view(book: Book, assets: list[dict], eq: dict | None, us: dict) -> dict:
    """Length, percentile and 1w/1m flows as the desks publish them.

    Global equities (every equity index of the book: ``eq``, the equity block of
    :func:`_sector_totals`), US equities (``us``, :func:`_us_equity`) and the S&P 500, with
    the percentile over ``headline_percentile_years`` (the window the calibration chose).
    """
    years = book.params.headline_percentile_years
    out: dict[str, dict] = {"percentile_years": {"years": years}}
    for label, block in (("equity_global", eq), ("equity_us", us)):
        if block is None or not block["assets"]:
            continue
        out[label] = {"notional_usd": block["notional_usd"],
                      "percentile": block["percentile"][f"{years}y"],
                      "flows_usd": block["flows_usd"]}
    spx = next((b for b in assets if b["name"] == "SPX"), None)
    if spx is not None:
        out["spx"] = {"notional_usd": spx["notional_usd"],
                      "percentile": spx["percentile"][f"{years}y"],
                      "flows_usd": spx["flows_usd"]}
    return out


def sector_notional(book: Book, sector: str) -> np.ndarray:
    """Net USD notional of one sector's assets on every book date, shape (N,)."""
    sel = np.array([s == sector for s in book.sectors])
    return book.aum * book.weights[sel].sum(axis=0)


def flows_on(book: Book, col: int) -> dict[str, dict[str, np.ndarray]] | None:
    """Scenario flows per asset as of book date ``col`` (None when an asset is not live yet).

    Each asset's recursions continue from its last close on or before that date, with the
    book's weights and correlation of that date (what :func:`run_flows` does at the as-of).
    """
    d = book.dates[col]
    ts = [int(m.dates.searchsorted(d, side="right")) - 1 for m in book.models]
    if any(t < m.first for t, m in zip(ts, book.models, strict=True)):
        return None
    return scenario_flows(book.models, ts, book.weights[:, col], book.budgets,
                          book.mats[book.idx[col]], book.params, book.aum)


def run_flows(book: Book, *, mc: bool) -> tuple[dict, dict | None]:
    """Scenario flows (and Monte-Carlo flows when ``mc``) at the as-of date."""
    w_now = book.weights[:, -1]
    corr = book.mats[book.idx[-1]]
    flows = scenario_flows(book.models, book.ts, w_now, book.budgets, corr, book.params,
                           book.aum)
    mcf = None
    if mc:
        mcf = bootstrap_flows(book.models, book.ts, book.returns[book.names], w_now,
                              book.budgets, corr, book.params, book.aum)
    return flows, mcf
