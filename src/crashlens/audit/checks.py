"""One checker per claim kind: measure the number, compare it with the claim, keep the evidence."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crashlens.audit._fmt import is_usd, usd
from crashlens.audit._fmt import num as _n
from crashlens.audit.claims import (
    DEFAULT_TOLERANCE_PCT,
    Claim,
    DrawdownFromPeak,
    LevelInWindow,
    LevelOnDate,
    MABreak,
    MacroPrint,
    MissingRelease,
    ModelOutput,
    MoveOverWindow,
    RecordInWindow,
    TextClaim,
)
from crashlens.data.readers import SeriesSource, value_at
from crashlens.errors import CrashlensError
from crashlens.notes import Note, wrap
from crashlens.scenarios.conditions import change_in


class VerdictKind(enum.StrEnum):
    """Verdict of a claim."""

    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    NOT_CHECKABLE = "not_checkable"


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict with the measured number beside the claimed one.

    Attributes
    ----------
    id, kind, text, source : str
        From the claims file.
    verdict : VerdictKind
    claimed : str
        The claim in checkable form (e.g. ``"min close < 6600"``).
    measured : float or None
        The number measured from data.
    measured_text : str
        The measurement in words, with dates.
    evidence : dict
        Series, field, dates, method.
    note : str
        Why not checkable, vintages, tolerances.
    text_zh : str
        The claim's Chinese text when the claims file gives one (else empty).
    """

    id: str
    kind: str
    text: str
    source: str
    verdict: VerdictKind
    claimed: str
    measured: float | None
    measured_text: str
    evidence: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    text_zh: str = ""
    quote: str = ""
    section: str = ""
    section_zh: str = ""
    tolerance_why: str = ""


def _tol(c: Any, claimed: float) -> float:
    if c.tolerance is not None:
        return float(c.tolerance)
    pct = c.tolerance_pct if c.tolerance_pct is not None else DEFAULT_TOLERANCE_PCT
    return abs(claimed) * pct / 100.0


def _near(c: Any, measured: float, claimed: float | None) -> bool:
    """``measured`` is within the claim's tolerance of ``claimed`` (True when nothing claimed)."""
    return claimed is None or abs(measured - claimed) <= _tol(c, claimed)


def _d(x: Any) -> str:
    return pd.Timestamp(x).date().isoformat()


def _mk(c: Any, ok: bool | None, claimed: str, measured: float | None, text: str,
        evidence: dict[str, Any], note: str = "") -> Verdict:
    v = (VerdictKind.NOT_CHECKABLE if ok is None
         else VerdictKind.CONFIRMED if ok else VerdictKind.REFUTED)
    return Verdict(c.id, c.kind, c.text, c.source, v, claimed, measured, text, evidence, note,
                   text_zh=getattr(c, "text_zh", ""), quote=getattr(c, "quote", ""),
                   section=getattr(c, "section", ""), section_zh=getattr(c, "section_zh", ""),
                   tolerance_why=getattr(c, "tolerance_why", ""))


def _nc(c: Any, claimed: str, note: str, evidence: dict[str, Any] | None = None) -> Verdict:
    return _mk(c, None, claimed, None, "", evidence or {}, note)


class _NoData(Exception):
    """A data gap: the claim is not checkable; ``args[0]`` is the reason (a str or a Note)."""


def _reason(exc: _NoData) -> str:
    """The reason of a data gap: the Note it carries, else its text."""
    arg = exc.args[0] if exc.args else ""
    return arg if isinstance(arg, Note) else str(exc)


def _series(src: SeriesSource, name: str, fld: str = "close") -> pd.Series:
    try:
        s = src(name, fld)
    except CrashlensError as exc:
        raise _NoData(wrap("audit.no_data_error", exc, series=name, field=fld)) from exc
    if s.empty:
        raise _NoData(Note("audit.no_data", series=name, field=fld))
    return s


def _window(s: pd.Series, start: Any, end: Any, name: str) -> pd.Series:
    w = s.loc[pd.Timestamp(start):pd.Timestamp(end)]
    if w.empty:
        raise _NoData(Note("audit.no_observation_in_window", series=name, start=_d(start),
                           end=_d(end), first=_d(s.index[0]), last=_d(s.index[-1])))
    return w


def check_level_on_date(c: LevelOnDate, src: SeriesSource) -> Verdict:
    """Value of ``series`` on ``date`` vs ``value`` (±) / ``below`` / ``above``."""
    parts = []
    if c.value is not None:
        parts.append(f"{c.field} = {_n(c.value)} ± {_n(_tol(c, c.value))}")
    if c.below is not None:
        parts.append(f"{c.field} < {_n(c.below)}")
    if c.above is not None:
        parts.append(f"{c.field} > {_n(c.above)}")
    claimed = f"{c.series} on {c.date}: " + " and ".join(parts)
    s = _series(src, c.series, c.field)
    ts = pd.Timestamp(c.date)
    if ts not in s.index:
        prev = value_at(s, ts)
        if prev:
            return _nc(c, claimed, Note("audit.no_observation_on_last", series=c.series,
                                        date=c.date, last=_d(prev[0])))
        return _nc(c, claimed, Note("audit.no_observation_on", series=c.series, date=c.date))
    v = float(s[ts])
    ok = (_near(c, v, c.value)
          and (c.below is None or v < c.below) and (c.above is None or v > c.above))
    return _mk(c, ok, claimed, v, f"{c.series} {c.field} on {c.date}: {_n(v)}",
               {"series": c.series, "field": c.field, "date": c.date.isoformat(),
                "method": "value on the date"})


def check_level_in_window(c: LevelInWindow, src: SeriesSource) -> Verdict:
    """Below/above on some day of the window, or the window's extreme near ``value``."""
    s = _series(src, c.series, c.field)
    w = _window(s, c.start, c.end, c.series)
    span = f"{c.start}..{c.end}"
    ev: dict[str, Any] = {"series": c.series, "field": c.field, "start": c.start.isoformat(),
                          "end": c.end.isoformat(), "days": len(w)}
    checks, texts, measured = [], [], None
    claimed_parts = []
    if c.below is not None:
        mn, dmn = float(w.min()), w.idxmin()
        hit = w[w < c.below]
        checks.append(not hit.empty)
        measured = mn
        claimed_parts.append(f"{c.field} < {_n(c.below)} on some day")
        texts.append(f"min {c.field} {_n(mn)} on {_d(dmn)}")
        if not hit.empty:
            ev["first_day_below"] = _d(hit.index[0])
            ev["days_below"] = [_d(x) for x in hit.index]
    if c.above is not None:
        mx, dmx = float(w.max()), w.idxmax()
        hit = w[w > c.above]
        checks.append(not hit.empty)
        measured = mx if measured is None else measured
        claimed_parts.append(f"{c.field} > {_n(c.above)} on some day")
        texts.append(f"max {c.field} {_n(mx)} on {_d(dmx)}")
        if not hit.empty:
            ev["first_day_above"] = _d(hit.index[0])
    if c.value is not None:
        ext = float(w.min() if c.extreme == "min" else w.max())
        when = w.idxmin() if c.extreme == "min" else w.idxmax()
        tol = _tol(c, c.value)
        checks.append(_near(c, ext, c.value))
        measured = ext
        claimed_parts.append(f"{c.extreme} {c.field} = {_n(c.value)} ± {_n(tol)}")
        texts.append(f"{c.extreme} {c.field} {_n(ext)} on {_d(when)}")
        ev["extreme_date"] = _d(when)
    ev["method"] = f"{c.field} over every observation of the window"
    return _mk(c, all(checks), f"{c.series} {span}: " + " and ".join(claimed_parts), measured,
               "; ".join(texts), ev)


def check_move(c: MoveOverWindow, src: SeriesSource) -> Verdict:
    """Change from the close on/before ``start`` to the close on/before ``end``."""
    s = _series(src, c.series)
    g0, g1 = value_at(s, pd.Timestamp(c.start)), value_at(s, pd.Timestamp(c.end))
    suffix = {"pct": "%", "bp": "bp", "pt": "pt"}[c.unit]
    parts = []
    if c.value is not None:
        parts.append(f"{_n(c.value, True)}{suffix} ± {_n(_tol(c, c.value))}")
    if c.at_most is not None:
        parts.append(f"<= {_n(c.at_most, True)}{suffix}")
    if c.at_least is not None:
        parts.append(f">= {_n(c.at_least, True)}{suffix}")
    claimed = f"{c.series} change {c.start}->{c.end}: " + " and ".join(parts)
    if g0 is None or g1 is None or g1[0] <= g0[0]:
        return _nc(c, claimed, Note("audit.no_observations_spanning", series=c.series,
                                    start=c.start, end=c.end))
    chg = change_in(c.unit, g0[1], g1[1], c.series)
    ok = (_near(c, chg, c.value)
          and (c.at_most is None or chg <= c.at_most)
          and (c.at_least is None or chg >= c.at_least))
    return _mk(c, ok, claimed, chg,
               f"{c.series} {_n(g0[1])} ({_d(g0[0])}) -> {_n(g1[1])} ({_d(g1[0])}): "
               f"{_n(float(f'{chg:.4g}'), True)}{suffix}",
               {"series": c.series, "from": _d(g0[0]), "to": _d(g1[0]), "from_value": g0[1],
                "to_value": g1[1], "method": f"close-to-close change in {c.unit}"})


def check_ma_break(c: MABreak, src: SeriesSource) -> Verdict:
    """Close vs its simple moving average of ``window`` closes (ending on the day)."""
    s = _series(src, c.series)
    sma = s.rolling(c.window, min_periods=c.window).mean()
    side = "<" if c.direction == "below" else ">"
    claimed = (f"{c.series} close {side} SMA{c.window} "
               + (f"on {c.on}" if c.on else f"on some day of {c.start}..{c.end}")
               + (f"; SMA ≈ {_n(c.level)} ± {_n(_tol(c, c.level))}"
                  if c.level is not None else ""))
    if c.on is not None:
        ts = pd.Timestamp(c.on)
        if ts not in s.index:
            return _nc(c, claimed, Note("audit.no_close_on_closed", series=c.series,
                                        date=c.on))
        days = pd.DatetimeIndex([ts])
    else:
        days = pd.DatetimeIndex(_window(s, c.start, c.end, c.series).index)
    if sma.loc[days].isna().all():
        return _nc(c, claimed, Note("audit.too_few_closes", window=c.window, date=_d(days[0])))
    broke = (s.loc[days] < sma.loc[days]) if c.direction == "below" else (
        s.loc[days] > sma.loc[days])
    hits = days[broke.to_numpy()]
    day = hits[0] if len(hits) else days[-1]
    ma, px = float(sma[day]), float(s[day])
    ok = bool(len(hits))
    ok = ok and _near(c, ma, c.level)
    i = s.index.get_loc(day)
    crossed = None
    if isinstance(i, int) and i > 0 and not math.isnan(float(sma.iloc[i - 1])):
        prev_side = float(s.iloc[i - 1]) < float(sma.iloc[i - 1])
        crossed = prev_side != (c.direction == "below")
    return _mk(c, ok, claimed, ma,
               f"{_d(day)}: close {_n(px)} vs SMA{c.window} {_n(ma)} "
               f"({(px / ma - 1) * 100:+.2f}%)",
               {"series": c.series, "date": _d(day), "close": px, "sma": ma,
                "days_beyond": [_d(x) for x in hits],
                "crossed_that_day": crossed,
                "method": f"simple average of the {c.window} closes ending on the day"})


def check_drawdown(c: DrawdownFromPeak, src: SeriesSource) -> Verdict:
    """Percent below the peak of the peak window at the trough date / window low."""
    tol = _tol(c, c.value)
    claimed = (f"{c.series} {_n(c.value)}% ± {_n(tol)} below its peak"
               + (f" ≈ {_n(c.peak)} (± {_n(c.peak_tolerance_pct)}%)"
                  if c.peak is not None else ""))
    pk = _series(src, c.series, c.peak_field)
    tr = _series(src, c.series, c.trough_field)
    if c.on is not None:
        ts = pd.Timestamp(c.on)
        got = value_at(tr, ts)
        if got is None or got[0] != ts:
            return _nc(c, claimed, Note("audit.no_value_on", series=c.series,
                                        field=c.trough_field, date=c.on))
        t_date, t_val = got
    else:
        w = _window(tr, c.start, c.end, c.series)
        t_date, t_val = pd.Timestamp(w.index[int(w.to_numpy().argmin())]), float(w.min())
    p_lo = pd.Timestamp(c.peak_start) if c.peak_start else pk.index[0]
    p_hi = pd.Timestamp(c.peak_end) if c.peak_end else t_date
    pw = _window(pk, p_lo, p_hi, c.series)
    p_date, p_val = pw.idxmax(), float(pw.max())
    dd = (1 - t_val / p_val) * 100.0
    ok = _near(c, dd, c.value)
    if c.peak is not None:
        ok = ok and abs(p_val - c.peak) <= abs(c.peak) * c.peak_tolerance_pct / 100.0
    return _mk(c, ok, claimed, dd,
               f"peak {c.peak_field} {_n(p_val)} on {_d(p_date)} -> {c.trough_field} "
               f"{_n(t_val)} on {_d(t_date)}: {dd:.2f}% below",
               {"series": c.series, "peak_date": _d(p_date), "peak": p_val,
                "trough_date": _d(t_date), "trough": t_val,
                "method": f"1 - {c.trough_field}/peak {c.peak_field} "
                          f"(peak window {_d(p_lo)}..{_d(p_hi)})"})


def check_record(c: RecordInWindow, src: SeriesSource) -> Verdict:
    """A value above (below) every earlier value of the series, on some day of the window."""
    s = _series(src, c.series, c.field)
    w = _window(s, c.start, c.end, c.series)
    high = c.direction == "high"
    word = "high" if high else "low"
    claimed = f"{c.series} new all-time {c.field} {word} on some day of {c.start}..{c.end}"
    before = s.loc[: pd.Timestamp(c.start) - pd.Timedelta(days=1)]
    if before.empty:
        return _nc(c, claimed, Note("audit.no_history_before", series=c.series, date=c.start))
    prev_val = float(before.max() if high else before.min())
    prev_date = before.idxmax() if high else before.idxmin()
    running, records = prev_val, []
    for d, v in w.items():
        if (v > running) if high else (v < running):
            records.append((d, float(v)))
            running = float(v)
    ok = bool(records)
    best = records[-1] if records else ((w.idxmax(), float(w.max())) if high
                                        else (w.idxmin(), float(w.min())))
    text = (f"record {_n(best[1])} on {_d(best[0])}; previous record {_n(prev_val)} on "
            f"{_d(prev_date)}" if ok else
            f"window {'max' if high else 'min'} {_n(best[1])} on {_d(best[0])} vs record "
            f"{_n(prev_val)} on {_d(prev_date)}")
    return _mk(c, ok, claimed, best[1], text,
               {"series": c.series, "field": c.field, "record_days": [_d(d) for d, _ in records],
                "previous_record": prev_val, "previous_record_date": _d(prev_date),
                "history_from": _d(s.index[0]),
                "method": f"{c.field} vs every earlier {c.field} since {_d(s.index[0])}"},
               note=Note("audit.all_time_since", start=s.index[0]))


def _month(period: str) -> pd.Timestamp:
    return pd.Timestamp(f"{period}-01")


def check_macro(c: MacroPrint, src: SeriesSource) -> Verdict:
    """A monthly print (series dated by the first day of the month measured)."""
    tol = _tol(c, c.value)
    claimed = f"{c.series} {c.period} {c.measure} = {_n(c.value)} ± {_n(tol)}"
    s = _series(src, c.series)
    ts = _month(c.period)
    if ts not in s.index:
        return _nc(c, claimed, Note("audit.print_missing_release", series=c.series,
                                    period=c.period) if s.index[-1] > ts
                   else Note("audit.print_after_data_end", series=c.series, period=c.period,
                             end=_d(s.index[-1])))
    v = float(s[ts])
    ref_date = None
    if c.measure == "level":
        m = v
    else:
        ref_date = ts - (pd.DateOffset(years=1) if c.measure == "yoy_pct"
                         else pd.DateOffset(months=1))
        if ref_date not in s.index:
            return _nc(c, claimed, Note("audit.no_reference_print", series=c.series,
                                        period=f"{ref_date:%Y-%m}"))
        r = float(s[ref_date])
        m = v - r if c.measure == "change" else (v / r - 1) * 100.0
    ok = _near(c, m, c.value)
    text = f"{c.series} {c.period}: {_n(v)}" + (
        f" vs {ref_date:%Y-%m} {_n(float(s[ref_date]))}: {c.measure} {_n(float(f'{m:.4g}'), True)}"
        if ref_date is not None else "")
    ev = {"series": c.series, "period": c.period, "value": v, "measure": c.measure,
          "method": "latest vintage in the data (revisions included)"}
    if not ok and c.vintage == "first_release":
        return _mk(c, None, claimed, m, text, ev, note=Note("audit.first_release_revised"))
    note = Note("audit.latest_vintage") if c.vintage == "first_release" else ""
    return _mk(c, ok, claimed, m, text, ev, note)


def check_missing(c: MissingRelease, src: SeriesSource) -> Verdict:
    """No observation for ``period`` while the series continues."""
    claimed = f"{c.series} {c.period} never published"
    s = _series(src, c.series)
    ts = _month(c.period)
    prev = s.loc[:ts - pd.Timedelta(days=1)]
    nxt = s.loc[ts + pd.Timedelta(days=1):]
    ev = {"series": c.series, "period": c.period,
          "previous_print": _d(prev.index[-1]) if not prev.empty else None,
          "next_print": _d(nxt.index[0]) if not nxt.empty else None,
          "method": "presence of the month's observation in the data"}
    if ts in s.index:
        return _mk(c, False, claimed, float(s[ts]),
                   f"{c.series} {c.period} = {_n(float(s[ts]))} is in the data", ev)
    if nxt.empty:
        return _nc(c, claimed, Note("audit.data_ends_before", end=_d(s.index[-1]),
                                    period=c.period), ev)
    return _mk(c, True, claimed, None,
               f"no {c.period} print; {ev['previous_print']} and {ev['next_print']} exist", ev)


def check_model(c: ModelOutput, src: SeriesSource, data: Any = None,
                cache: dict[Any, Any] | None = None) -> Verdict:
    """A number from crashlens' CTA model at ``date`` vs the claim.

    Either the claimed ``value`` (± tolerance), or — with ``relation`` — the close of
    ``series`` on ``on`` (default: the first close after ``date``, when a trigger computed
    after ``date``'s close applies) below / above the model's number.
    """
    fq = usd if is_usd(c.quantity) else _n
    if c.relation is not None:
        on = f"on {c.on}" if c.on else f"after {c.date}"
        claimed = (f"{c.series} close {on} {c.relation} {c.model} {c.quantity} as of {c.date}")
    elif c.greater_than is not None:
        claimed = f"{c.model} {c.quantity} > {c.greater_than} on {c.date}"
    else:
        value = float(c.value)  # type: ignore[arg-type]
        claimed = f"{c.model} {c.quantity} on {c.date} = {fq(value)} ± {fq(_tol(c, value))}"
    if data is not None:
        return _nc(c, claimed, Note("audit.model_needs_store"))
    try:
        res, engine = _run_model(c, cache)
        node: Any = res.to_dict()
    except _NoData as exc:
        return _nc(c, claimed, _reason(exc))
    except CrashlensError as exc:  # the engine lacks data or inputs: not checkable
        return _nc(c, claimed, wrap("audit.engine_failed", exc, model=c.model))
    got = _lookup(node, c.quantity)
    if isinstance(got, dict):
        return _nc(c, claimed, _result_note(c.model, got))
    m = got
    assumptions = getattr(res, "assumptions", {}) or {}
    preset = c.preset or assumptions.get("model") or (
        f"{assumptions['beta_window']}-day betas" if "beta_window" in assumptions
        else "engine default")
    ev = {"model": engine, "preset": preset, "date": c.date.isoformat(),
          "quantity": c.quantity, "model_value": m,
          "assumptions_aum_usd": assumptions.get("aum"),
          "method": {"cta": "crashlens' own CTA replication (METHODOLOGY §1); model-dependent",
                     "contagion": "rolling OLS betas of daily log returns on the source's "
                                  "(crashlens.systemic.contagion)"}.get(
                         c.model, "crashlens' crypto engine; model-dependent")}
    note = Note("audit.model_dependent", model=preset)
    if c.model == "contagion":
        window = assumptions.get("beta_window")
        note = (Note("audit.model_betas_window", window=window)
                if window is not None and preset == f"{window}-day betas"
                else Note("audit.model_betas", model=preset))
    if c.greater_than is not None:
        other = _lookup(res.to_dict(), c.greater_than)
        if isinstance(other, dict):
            return _nc(c, claimed, _result_note(c.model, other), ev)
        ev.update({"versus": c.greater_than, "versus_value": other})
        return _mk(c, m > other, claimed, m,
                   f"crashlens {c.model} model '{preset}' on {c.date}: {c.quantity} = {fq(m)} "
                   f"vs {c.greater_than} = {fq(other)}", ev, note)
    if c.relation is not None:
        s = _series(src, str(c.series))
        after = s.loc[pd.Timestamp(c.on):] if c.on else s.loc[
            pd.Timestamp(c.date) + pd.Timedelta(days=1):]
        if after.empty or (c.on and after.index[0] != pd.Timestamp(c.on)):
            return _nc(c, claimed, Note("audit.no_close_on", series=c.series, date=c.on)
                       if c.on else Note("audit.no_close_after", series=c.series,
                                         date=c.date), ev)
        d0, px = after.index[0], float(after.iloc[0])
        ok = px < m if c.relation == "below" else px > m
        ev.update({"series": c.series, "close_date": _d(d0), "close": px})
        return _mk(c, ok, claimed, px,
                   f"{c.series} close {_n(px)} on {_d(d0)} vs {c.quantity} {fq(m)} "
                   f"(crashlens {c.model} model '{preset}' as of {c.date})", ev, note)
    return _mk(c, _near(c, m, c.value), claimed, m,
               f"crashlens {c.model} model '{preset}' on {c.date}: {c.quantity} = {fq(m)}",
               ev, note)


def _lookup(node: Any, path: str) -> float | dict[str, Any]:
    """The number at a dotted ``path`` of a result dict, or why there is none.

    The reason is a dict: ``code`` of the note (``audit.result_no_path`` /
    ``audit.result_not_number``) and its parameters, made a note by :func:`_result_note`.
    """
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return {"code": "audit.result_no_path", "path": path, "part": part}
    if not isinstance(node, int | float) or isinstance(node, bool) or not math.isfinite(node):
        return {"code": "audit.result_not_number", "path": path, "value": repr(node)}
    return float(node)


def _result_note(model: str, why: dict[str, Any]) -> Note:
    """The note of a missing number in the ``model`` result (see :func:`_lookup`)."""
    params = {k: v for k, v in why.items() if k != "code"}
    return Note(str(why["code"]), model=model, **params)


def _run_model(c: ModelOutput, cache: dict[Any, Any] | None) -> tuple[Any, str]:
    """Run (or reuse) the engine a model claim names.

    The engine's defaults apply unless ``preset`` names one, so new defaults are picked up
    automatically.
    """
    key = (c.model, c.preset, c.date, c.end, tuple(c.assets or ()))
    if cache is not None and key in cache:
        return cache[key]
    out: tuple[Any, str]
    if c.model == "cta":
        from crashlens import cta

        kw: dict[str, Any] = {}
        if c.preset is not None:
            kw["params"] = cta.CTAParams.preset(c.preset)  # unknown name: ParameterError
        out = (cta.positioning(pd.Timestamp(c.date), assets=c.assets, mc=False, **kw),
               "crashlens.cta.positioning")
    elif c.model == "contagion":
        from crashlens import systemic

        out = systemic.contagion(pd.Timestamp(c.date)), "crashlens.systemic.contagion"
    elif c.model == "crypto":
        from crashlens import crypto

        out = crypto.leverage(pd.Timestamp(c.date)), "crashlens.crypto.leverage"
    else:
        from crashlens import crypto

        end = c.end or c.date
        out = (crypto.replay(pd.Timestamp(c.date), pd.Timestamp(end)),
               "crashlens.crypto.replay")
    if cache is not None:
        cache[key] = out
    return out


def check_text(c: TextClaim, src: SeriesSource) -> Verdict:
    """Free text: not checkable."""
    return _nc(c, c.text or c.id, Note("audit.undecidable_needs", needs=c.data_needed)
               if c.data_needed else Note("audit.undecidable"))


CHECKERS: dict[type, Callable[..., Verdict]] = {
    LevelOnDate: check_level_on_date, LevelInWindow: check_level_in_window,
    MoveOverWindow: check_move, MABreak: check_ma_break, DrawdownFromPeak: check_drawdown,
    RecordInWindow: check_record, MacroPrint: check_macro, MissingRelease: check_missing,
    TextClaim: check_text,
}


def check(c: Claim, src: SeriesSource, data: Any = None,
          cache: dict[Any, Any] | None = None) -> Verdict:
    """Check one claim; data gaps give "not checkable" with the reason, never an exception."""
    from crashlens.audit.checks_pit import PIT_CHECKERS

    try:
        if isinstance(c, ModelOutput):
            return check_model(c, src, data, cache)
        return {**CHECKERS, **PIT_CHECKERS}[type(c)](c, src)
    except _NoData as exc:
        return _nc(c, c.text or c.id, _reason(exc))
