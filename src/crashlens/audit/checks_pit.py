"""Checkers of the point-in-time and comparison claim kinds.

First prints and release dates (:mod:`crashlens.macro.first_prints`), prediction-market odds
(:mod:`crashlens.macro.fed_odds`), event durations, "highest since", comparisons between
episodes and stablecoin supply. Like :mod:`crashlens.audit.checks`, a data gap gives the
verdict "not checkable" with the reason, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from crashlens.audit._fmt import num as _n
from crashlens.audit._fmt import usd
from crashlens.audit.checks import Verdict, _d, _mk, _nc, _NoData, _series, _tol, _window
from crashlens.audit.claims import (
    Duration,
    EpisodeComparison,
    EventDate,
    ExtremeSince,
    FirstPrint,
    ProbabilityMove,
    RelativeMove,
    Span,
    StablecoinSupply,
    _Bounds,
)
from crashlens.data.readers import SeriesSource, value_at
from crashlens.errors import CrashlensError, NeverPublishedError
from crashlens.notes import Note, wrap

#: The stablecoin market-cap file in the raw-data folder.
STABLECOIN_FILE = "stablecoin_mcap_daily_2015_2025.csv"


def _bounds(c: _Bounds, m: float, fmt: Callable[[float], str] = _n,
            unit: str = "") -> tuple[bool, str]:
    """Whether ``m`` meets the claim's value (± tolerance) and bounds; the claim in words."""
    parts, ok = [], True
    if c.value is not None:
        tol = _tol(c, c.value)
        parts.append(f"{fmt(c.value)}{unit} ± {fmt(tol)}{unit}")
        ok = ok and abs(m - c.value) <= tol
    if c.at_least is not None:
        parts.append(f">= {fmt(c.at_least)}{unit}")
        ok = ok and m >= c.at_least
    if c.at_most is not None:
        parts.append(f"<= {fmt(c.at_most)}{unit}")
        ok = ok and m <= c.at_most
    return ok, " and ".join(parts)


def check_first_print(c: FirstPrint, src: SeriesSource) -> Verdict:
    """A release as first published, its release date, and whether it was public at ``asof``."""
    from crashlens.macro import first_prints as fp

    unit = {"mom_pct": "%", "yoy_pct": "%"}.get(c.measure, "")
    try:
        p = fp.first_print(c.indicator, c.period)
    except NeverPublishedError as exc:
        raise _NoData(Note("audit.never_published", file=fp.FIRST_RELEASES_FILE,
                           indicator=exc.indicator, period=exc.period)) from exc
    except CrashlensError as exc:
        raise _NoData(wrap("audit.error", exc)) from exc
    if c.measure == "level":
        m: float | None = p.value
    elif c.measure == "change":
        m = p.change
    else:
        back = 1 if c.measure == "mom_pct" else 12
        ref = (pd.Period(c.period, "M") - back).strftime("%Y-%m")
        known = fp.known_at(p.release_date, vintage="latest", indicators=[c.indicator])
        row = known[known["period"] == ref]
        m = None if row.empty else (p.value / float(row["value"].iloc[0]) - 1.0) * 100.0
    ok, words = _bounds(c, m if m is not None else math.nan, unit=unit)
    claimed = f"{c.indicator} {c.period} {c.measure} (first print) = {words}"
    if c.released_on is not None:
        claimed += f"; released on {c.released_on}"
    if c.asof is not None:
        claimed += f"; public by {c.asof}"
    ev = {"indicator": c.indicator, "period": c.period, "first_print": p.value,
          "unit": p.unit, "change": p.change, "release_date": _d(p.release_date),
          "release_source": p.release_source, "vintage": p.vintage, "raw": p.raw,
          "method": "first published value (crashlens.macro.first_prints); changes within "
                    "the vintage known on the release day"}
    if m is None:
        return _nc(c, claimed, Note("audit.no_prior_month", indicator=c.indicator,
                                    period=c.period, date=_d(p.release_date)), ev)
    text = (f"{c.indicator} {c.period} first print {_n(p.value)} {p.unit}"
            + (f", change {_n(p.change, True)}" if p.change is not None else "")
            + (f", {c.measure} {_n(float(f'{m:.4g}'), True)}%" if unit else "")
            + f"; released {_d(p.release_date)} ({p.release_source})")
    wrong_day = c.released_on is not None and pd.Timestamp(c.released_on) != p.release_date
    too_early = c.asof is not None and p.release_date > pd.Timestamp(c.asof)
    note: str = ""
    if wrong_day and too_early:
        note = Note("audit.released_not_not_yet_public", released=p.release_date,
                    claimed=c.released_on, asof=c.asof)
    elif wrong_day:
        note = Note("audit.released_not", released=p.release_date, claimed=c.released_on)
    elif too_early:
        note = Note("audit.not_yet_public", asof=c.asof)
    ok = ok and not (wrong_day or too_early)
    return _mk(c, ok, claimed, m, text, ev, note)


def check_probability_move(c: ProbabilityMove, src: SeriesSource) -> Verdict:
    """The market probability crosses the 'from' level, then the 'to' level, inside [start, end]."""
    from crashlens.macro import fed_odds as fo

    try:
        odds = fo.load_fed_odds()
    except CrashlensError as exc:
        raise _NoData(wrap("audit.error", exc)) from exc
    s = odds.p_cut(c.market) if c.outcome == "cut" else odds.p_no_change(c.market)
    w = s.loc[pd.Timestamp(c.start):pd.Timestamp(c.end)]
    frm = (f"< {c.from_below:.0%}" if c.from_below is not None else f"> {c.from_above:.0%}")
    to = (f"> {c.to_above:.0%}" if c.to_above is not None else f"< {c.to_below:.0%}")
    claimed = (f"P({c.outcome}) at the {fo.MEETING} FOMC ({fo.MARKETS[c.market]}) from {frm} "
               f"to {to} within {c.start:%Y-%m-%d %H:%M}..{c.end:%Y-%m-%d %H:%M}")
    if w.empty:
        return _nc(c, claimed, Note("audit.no_snapshot", market=fo.MARKETS[c.market],
                                    first=f"{s.index[0]:%Y-%m-%d}",
                                    last=f"{s.index[-1]:%Y-%m-%d}"))
    v = w.to_numpy()
    a = v < c.from_below if c.from_below is not None else v > float(c.from_above or 0)
    b = v > c.to_above if c.to_above is not None else v < float(c.to_below or 0)
    ev: dict[str, Any] = {"market": fo.MARKETS[c.market], "meeting": fo.MEETING,
                          "snapshots": len(w), "min": float(v.min()),
                          "min_time": f"{w.idxmin():%Y-%m-%d %H:%M}", "max": float(v.max()),
                          "max_time": f"{w.idxmax():%Y-%m-%d %H:%M}",
                          "last": float(v[-1]), "last_time": f"{w.index[-1]:%Y-%m-%d %H:%M}",
                          "method": "30-minute order-book mid; P(cut) = 1 - P(no change) - "
                                    f"p_hike ({odds.assumptions['p_hike']})"}
    hit_from = np.flatnonzero(a)
    hit_to = np.flatnonzero(b)
    later = hit_to[hit_to > hit_from[0]] if hit_from.size else hit_to[:0]
    if hit_from.size and later.size:
        i, j = int(hit_from[0]), int(later[0])
        ev.update({"from_time": f"{w.index[i]:%Y-%m-%d %H:%M}", "from": float(v[i]),
                   "to_time": f"{w.index[j]:%Y-%m-%d %H:%M}", "to": float(v[j])})
        return _mk(c, True, claimed, float(v[j]),
                   f"{v[i]:.1%} at {w.index[i]:%m-%d %H:%M} -> {v[j]:.1%} at "
                   f"{w.index[j]:%m-%d %H:%M} ET; last {v[-1]:.1%} at "
                   f"{w.index[-1]:%m-%d %H:%M}", ev)
    return _mk(c, False, claimed, float(v[-1]),
               f"window min {v.min():.1%} ({w.idxmin():%m-%d %H:%M}), max {v.max():.1%} "
               f"({w.idxmax():%m-%d %H:%M}), last {v[-1]:.1%}", ev)


def check_duration(c: Duration, src: SeriesSource) -> Verdict:
    """Days of a dated event (both ends counted) and the window it lies in."""
    from crashlens.macro import first_prints as fp

    ev_obj = {"shutdown_2025": fp.SHUTDOWN_2025, "shutdown_2018": fp.SHUTDOWN_2018}[c.event]
    days = float(ev_obj.duration_days)
    parts, ok = [], True
    if c.value is not None:
        tol = _tol(c, c.value)
        parts.append(f"{_n(c.value)} days ± {_n(tol)}")
        ok = abs(days - c.value) <= tol
    if c.within_start is not None and c.within_end is not None:
        parts.append(f"within {c.within_start}..{c.within_end}")
        ok = ok and (pd.Timestamp(ev_obj.start) >= pd.Timestamp(c.within_start)
                     and pd.Timestamp(ev_obj.end) <= pd.Timestamp(c.within_end))
    return _mk(c, ok, f"{c.event}: " + " and ".join(parts), days,
               f"{c.event}: {ev_obj.start}..{ev_obj.end}, {int(days)} days",
               {"event": c.event, "start": ev_obj.start, "end": ev_obj.end,
                "source": ev_obj.source, "method": "days from start to end, both counted"})


def check_extreme_since(c: ExtremeSince, src: SeriesSource) -> Verdict:
    """No value as high (low) between ``since`` and the day of the claimed extreme."""
    s = _series(src, c.series, c.field)
    high = c.direction == "high"
    word = "highest" if high else "lowest"
    if c.on is not None:
        got = value_at(s, pd.Timestamp(c.on))
        if got is None or got[0] != pd.Timestamp(c.on):
            raise _NoData(Note("audit.no_value_on", series=c.series, field=c.field, date=c.on))
        day, v = got
        where = f"on {c.on}"
    else:
        w = _window(s, c.start, c.end, c.series)
        day = pd.Timestamp(w.index[int(w.to_numpy().argmax() if high else w.to_numpy().argmin())])
        v = float(w.max() if high else w.min())
        where = f"in {c.start}..{c.end}"
    claimed = f"{c.series} {c.field} {where}: {word} since {c.since}"
    before = s.loc[: day - pd.Timedelta(days=1)]
    beyond = before[before >= v] if high else before[before <= v]
    ev: dict[str, Any] = {"series": c.series, "field": c.field, "date": _d(day), "value": v,
                          "history_from": _d(s.index[0]),
                          "method": f"last earlier {c.field} {'>=' if high else '<='} the value"}
    if beyond.empty:
        if s.index[0] > pd.Timestamp(c.since):
            return _nc(c, claimed, Note("audit.history_too_short", series=c.series,
                                        start=s.index[0], since=c.since), ev)
        return _mk(c, True, claimed, v, f"{_n(v)} on {_d(day)}: {word} since the data start "
                   f"{_d(s.index[0])}", ev)
    last = pd.Timestamp(beyond.index[-1])
    ev.update({"last_beyond": _d(last), "last_beyond_value": float(beyond.iloc[-1])})
    ok = last < pd.Timestamp(c.since)
    return _mk(c, ok, claimed, v, f"{_n(v)} on {_d(day)}: {word} since {_d(last)} "
               f"({_n(float(beyond.iloc[-1]))})", ev)


def _metric(metric: str, src: SeriesSource, names: list[str], span: Span) -> tuple[float, str]:
    """One episode metric over a span: the number and a short description."""
    if metric == "breadth_down":
        downs = []
        for name in names:
            s = _series(src, name)
            g0, g1 = value_at(s, pd.Timestamp(span.start)), value_at(s, pd.Timestamp(span.end))
            if g0 is None or g1 is None:
                raise _NoData(Note("audit.no_closes_spanning", series=name, start=span.start,
                                   end=span.end))
            downs.append(g1[1] < g0[1])
        return float(np.mean(downs)), f"{sum(downs)}/{len(downs)} down"
    name = names[0]
    s = _series(src, name)
    w = _window(s, span.start, span.end, name)
    x = w.to_numpy(dtype=float)
    if metric in ("drawdown_pct", "days_to_trough"):
        peak = np.maximum.accumulate(x)
        dd = 1 - x / peak
        t = int(dd.argmax())
        # the day the running peak was last set (a flat top counts from its last day)
        p = int(np.flatnonzero(x[: t + 1] == peak[t])[-1])
        if metric == "drawdown_pct":
            return float(dd[t] * 100), (f"{name} {_n(x[p])} ({_d(w.index[p])}) -> {_n(x[t])} "
                                        f"({_d(w.index[t])}): -{dd[t] * 100:.1f}%")
        return float(t - p), f"{name} peak {_d(w.index[p])} -> trough {_d(w.index[t])}: {t - p} " \
                             "trading days"
    if metric in ("max_level", "min_level"):
        i = int(x.argmax() if metric == "max_level" else x.argmin())
        return float(x[i]), f"{name} {metric.split('_')[0]} {_n(x[i])} on {_d(w.index[i])}"
    if metric == "max_daily_drop_pct":
        full = s.loc[: pd.Timestamp(span.end)]
        r = (full / full.shift(1) - 1).loc[pd.Timestamp(span.start):] * 100
        r = r.dropna()
        if r.empty:
            raise _NoData(Note("audit.no_daily_returns", series=name, start=span.start,
                               end=span.end))
        return float(r.min()), f"{name} worst day {r.min():+.1f}% on {_d(r.idxmin())}"
    g0, g1 = value_at(s, pd.Timestamp(span.start)), value_at(s, pd.Timestamp(span.end))
    if g0 is None or g1 is None:
        raise _NoData(Note("audit.no_closes_spanning", series=name, start=span.start,
                           end=span.end))
    if metric == "change_pct":
        ch = (g1[1] / g0[1] - 1) * 100
        return ch, f"{name} {_n(g0[1])} -> {_n(g1[1])}: {ch:+.1f}%"
    ch = g1[1] - g0[1]
    return ch, f"{name} {_n(g0[1])} -> {_n(g1[1])}: {_n(float(f'{ch:.4g}'), True)}"


def check_episode_comparison(c: EpisodeComparison, src: SeriesSource) -> Verdict:
    """``metric(this) < metric(other)`` (or ``>``), optionally by the factor ``ratio``."""
    a, ta = _metric(c.metric, src, list(c.series), c.this)
    b, tb = _metric(c.metric, src, list(c.series), c.other)
    sign = "<" if c.relation == "less" else ">"
    lab_a, lab_b = c.this.label or "this", c.other.label or "other"
    claimed = (f"{c.metric} of {', '.join(c.series)}: {lab_a} {sign} "
               + (f"{_n(c.ratio)} x " if c.ratio else "") + lab_b)
    bound = b * (c.ratio or 1.0)
    ok = a < bound if c.relation == "less" else a > bound
    return _mk(c, ok, claimed, a, f"{lab_a}: {ta}; {lab_b}: {tb}",
               {"metric": c.metric, "series": list(c.series), "this": a, "other": b,
                "this_window": f"{c.this.start}..{c.this.end}",
                "other_window": f"{c.other.start}..{c.other.end}",
                "method": "the same metric over both windows of the same series"})


def stablecoin_caps(path: Any = None) -> pd.DataFrame:
    """Daily stablecoin market caps (USD) by coin, from the raw file (CRASHLENS_DATA)."""
    from pathlib import Path

    from crashlens import data
    from crashlens.errors import DataError

    if path is None:
        d = data.files_dir()
        if d is None:
            raise _NoData(Note("audit.no_files_folder", file=STABLECOIN_FILE,
                               source=data.active().label))
        path = Path(d) / STABLECOIN_FILE
    p = Path(path)
    if not p.is_file():
        raise _NoData(Note("audit.no_such_file", path=str(p)))
    df = pd.read_csv(p)
    if "date_utc" not in df.columns:
        raise DataError("missing column", path=str(p), column="date_utc")
    df.index = pd.DatetimeIndex(pd.to_datetime(df.pop("date_utc")).dt.tz_localize(None)
                                .dt.normalize())
    return df


def check_stablecoin(c: StablecoinSupply, src: SeriesSource) -> Verdict:
    """Sum of the coins' market caps on ``date`` (or the last day before; staleness noted)."""
    caps = stablecoin_caps()
    missing = [k for k in c.coins if k not in caps.columns]
    if missing:
        raise _NoData(Note("audit.file_no_column", file=STABLECOIN_FILE,
                           columns=", ".join(missing)))
    tot = caps[list(c.coins)].sum(axis=1, min_count=1).dropna()
    got = value_at(tot, pd.Timestamp(c.date))
    words = _bounds(c, math.nan, usd)[1]
    claimed = f"stablecoin supply ({'+'.join(c.coins)}) on {c.date}: {words}"
    if got is None:
        raise _NoData(Note("audit.no_stablecoin_cap", date=c.date))
    day, v = got
    ok, _ = _bounds(c, v, usd)
    lag = (pd.Timestamp(c.date) - day).days
    note = (Note("audit.file_ends", end=tot.index[-1], days=lag) if lag > 7 else "")
    return _mk(c, ok, claimed, v, f"{'+'.join(c.coins)} {usd(v)} on {_d(day)} ("
               + ", ".join(f"{k} {usd(float(caps[k].loc[day]))}" for k in c.coins) + ")",
               {"coins": list(c.coins), "date": _d(day), "total_usd": v,
                "source": STABLECOIN_FILE, "method": "sum of daily market caps"}, note)


def _pct_change(src: SeriesSource, name: str, start: Any, end: Any) -> tuple[float, str]:
    s = _series(src, name)
    g0, g1 = value_at(s, pd.Timestamp(start)), value_at(s, pd.Timestamp(end))
    if g0 is None or g1 is None or g1[0] <= g0[0]:
        raise _NoData(Note("audit.no_closes_spanning", series=name, start=start, end=end))
    ch = (g1[1] / g0[1] - 1) * 100
    return ch, f"{name} {ch:+.2f}% ({_d(g0[0])}->{_d(g1[0])})"


def check_relative_move(c: RelativeMove, src: SeriesSource) -> Verdict:
    """The series' percent change is below (above) every comparison series' change."""
    a, ta = _pct_change(src, c.series, c.start, c.end)
    others = [_pct_change(src, v, c.start, c.end) for v in c.versus]
    sign = "<" if c.relation == "less" else ">"
    ok = all((a < b) if c.relation == "less" else (a > b) for b, _ in others)
    return _mk(c, ok, f"{c.series} change {c.start}->{c.end} {sign} that of "
               f"{', '.join(c.versus)}", a, "; ".join([ta] + [t for _, t in others]),
               {"series": c.series, "versus": {v: b for v, (b, _) in zip(c.versus, others,
                                                                      strict=True)},
                "method": "close-to-close percent change over the same window"})


def check_event_date(c: EventDate, src: SeriesSource) -> Verdict:
    """The event's date (and weekday) in the shipped catalyst calendar vs the claim."""
    from crashlens.episodes.events import load_events, shipped_events_path

    path = shipped_events_path()
    try:
        events = load_events(path).events
    except CrashlensError as exc:
        raise _NoData(wrap("audit.error", exc)) from exc
    want = c.event.lower()
    hits = [e for e in events if want in e.name.lower() or want in (e.name_zh or "")]
    claimed = f"'{c.event}' on {c.date}" + (f" ({c.weekday})" if c.weekday else "")
    if not hits:
        return _nc(c, claimed, Note("audit.no_event_match", event=c.event, file=path.name))
    e = hits[0]
    day = pd.Timestamp(e.date)
    ok = day == pd.Timestamp(c.date) and (c.weekday is None or day.day_name() == c.weekday)
    timing = getattr(e.timing, "value", str(e.timing))
    return _mk(c, ok, claimed, None,
               f"'{e.name}' on {_d(day)} ({day.day_name()}, {timing})",
               {"event": e.name, "date": _d(day), "timing": timing, "note": e.note,
                "source": path.name, "method": "date in the shipped catalyst calendar"})


PIT_CHECKERS: dict[type, Callable[..., Verdict]] = {
    EventDate: check_event_date,
    RelativeMove: check_relative_move,
    FirstPrint: check_first_print, ProbabilityMove: check_probability_move,
    Duration: check_duration, ExtremeSince: check_extreme_since,
    EpisodeComparison: check_episode_comparison, StablecoinSupply: check_stablecoin,
}

__all__ = ["PIT_CHECKERS", "STABLECOIN_FILE", "check_duration", "check_episode_comparison",
           "check_event_date", "check_extreme_since", "check_first_print", "check_probability_move",
           "check_relative_move",
           "check_stablecoin", "stablecoin_caps"]
