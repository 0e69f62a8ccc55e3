"""Evaluate scenario conditions against data, and describe them in words.

Observations are taken by their date in the data. Monthly macro series (UNRATE, CPI ...) are
dated by the first day of the month they measure, not by their release date: "unemployment
above 4.5 % by 2026-03-31" counts prints for months up to March 2026 (released in April).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass

import pandas as pd

from crashlens.data.readers import SeriesSource, unit_of, value_at
from crashlens.errors import CrashlensError
from crashlens.notes import Note
from crashlens.scenarios.spec import (
    ChangeCondition,
    Condition,
    CtaCondition,
    LevelCondition,
    Move,
    PolicyCondition,
    RelativeCondition,
    TextCondition,
)


class Status(enum.StrEnum):
    """Outcome of a condition."""

    TRUE = "true"
    FALSE = "false"
    PENDING = "pending"            # the deadline lies after the data / evaluation date
    NOT_CHECKABLE = "not_checkable"


@dataclass(frozen=True)
class ConditionOutcome:
    """A condition's outcome with the number measured and when it was met.

    Attributes
    ----------
    condition : str
        The condition in words.
    status : Status
    met_on : Timestamp or None
        First date the condition held (for ``policy_hold``: the date the rate moved, if false).
    measured : float or None
        The value that decided it (the level, the change, the rate move in bp).
    detail : str
        Method and evidence in words.
    """

    condition: str
    status: Status
    met_on: pd.Timestamp | None
    measured: float | None
    detail: str


def _d(x: dt.date | None) -> str:
    return x.isoformat() if x is not None else "?"


def _when(c: LevelCondition | ChangeCondition | RelativeCondition) -> str:
    return f"on {_d(c.at)}" if c.at else f"on some day by {_d(c.by)}"


def _bounds(c: ChangeCondition | RelativeCondition) -> str:
    parts = [f"{word} {m}" for word, m in (("at most", c.at_most), ("at least", c.at_least))
             if m is not None]
    return " and ".join(parts)


def describe(c: Condition) -> str:
    """The condition in words (as printed in outputs)."""
    if isinstance(c, TextCondition):
        return c.text
    if c.text:
        return c.text
    if isinstance(c, LevelCondition):
        parts = []
        if c.above is not None:
            parts.append(f"above {c.above:g}")
        if c.below is not None:
            parts.append(f"below {c.below:g}")
        return f"{c.series} {' and '.join(parts)} {_when(c)}"
    if isinstance(c, ChangeCondition):
        start = f" from {_d(c.start)}" if c.start else ""
        return f"{c.series} change{start} {_bounds(c)} {_when(c)}"
    if isinstance(c, RelativeCondition):
        return f"{c.series} minus {c.versus} performance {_bounds(c)} {_when(c)}"
    if isinstance(c, CtaCondition):
        word = "higher" if c.direction == "up" else "lower"
        return f"modelled CTA position in {c.asset} {word} on {_d(c.at)} than at as-of"
    verb = {"policy_cut": "cut by", "policy_hike": "hiked by", "policy_hold": "unchanged"}[c.kind]
    size = f" {c.bp:g} bp or more" if c.bp is not None else ""
    return f"policy rate ({c.series}) {verb}{size} by {_d(c.by)}"


def change_in(move_unit: str, base: float, value: float, series: str) -> float:
    """Change from ``base`` to ``value`` in the unit of a :class:`Move` (``pct``, ``bp``, ``pt``).

    ``bp`` is 0.01 percentage point for series in percent, 0.01 % of the level otherwise.
    """
    if move_unit == "pct":
        return (value / base - 1.0) * 100.0
    if move_unit == "bp":
        if unit_of(series) == "percent":
            return (value - base) * 100.0
        return (value / base - 1.0) * 1e4
    return value - base


def _ok_move(change: float, at_most: Move | None, at_least: Move | None) -> bool:
    lo = at_least.value if at_least is not None else -math.inf
    hi = at_most.value if at_most is not None else math.inf
    return lo <= change <= hi


def evaluate(c: Condition, source: SeriesSource, asof: pd.Timestamp,
             until: pd.Timestamp, *, models: bool = True) -> ConditionOutcome:
    """Evaluate one condition on data after ``asof`` up to ``until`` (both dates inclusive).

    Returns ``PENDING`` when the condition's deadline lies after ``until`` or after the data,
    and it has not been met yet; ``NOT_CHECKABLE`` for free text or missing data. ``models``
    allows conditions on crashlens' own models (the CTA engine, run on the data store).
    """
    text = describe(c)
    if isinstance(c, TextCondition):
        return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                Note("scenarios.cond_free_text"))
    if isinstance(c, CtaCondition):
        return _cta(c, text, asof, until, models)
    if isinstance(c, RelativeCondition):
        return _relative(c, text, source, asof, until)
    try:
        s = source(c.series, "close")
    except CrashlensError as exc:
        return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                Note("scenarios.cond_no_data", error=str(exc)))
    if isinstance(c, PolicyCondition):
        return _policy(c, s, text, asof, until)
    unit = ""
    if isinstance(c, LevelCondition):
        def test(v: float) -> bool:
            return ((c.above is None or v > c.above) and (c.below is None or v < c.below))
        base = None
        kind = "level"
    else:
        start = pd.Timestamp(c.start) if c.start else asof
        got = value_at(s, start)
        if got is None:
            return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                    Note("scenarios.cond_no_obs_before", series=c.series,
                                         date=start))
        base = got[1]
        unit = (c.at_most or c.at_least).unit  # type: ignore[union-attr]

        def test(v: float) -> bool:
            return _ok_move(change_in(unit, base, v, c.series), c.at_most, c.at_least)
        kind = "change"
    shown = {"pct": "%", "bp": "bp", "pt": "pt", "": ""}[unit]

    def said(code: str, value: float, **params: object) -> Note:
        """``<code>_level`` or ``<code>_change`` with the measured value (and its unit)."""
        if kind == "level":
            return Note(f"{code}_level", value=value, **params)
        return Note(f"{code}_change", value=value, unit=shown, **params)
    deadline = pd.Timestamp(c.at or c.by)  # type: ignore[arg-type]
    end = min(deadline, until)
    last = s.index[-1]

    def measure(v: float) -> float:
        if base is None:
            return v
        return change_in(unit, base, v, c.series)

    if c.at is not None:
        if deadline > until or last < deadline:
            return ConditionOutcome(text, Status.PENDING, None, None,
                                    Note("scenarios.cond_not_observed", series=c.series,
                                         date=deadline, last=min(last, until)))
        got = value_at(s, deadline)
        if got is None or got[0] <= asof:
            return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                    Note("scenarios.cond_no_obs_after", series=c.series,
                                         asof=asof))
        ok = test(got[1])
        return ConditionOutcome(text, Status.TRUE if ok else Status.FALSE,
                                got[0] if ok else None, measure(got[1]),
                                said("scenarios.cond_on_date", measure(got[1]),
                                     series=c.series, date=got[0]))
    window = s.loc[(s.index > asof) & (s.index <= end)]
    hits = [i for i, v in enumerate(window.to_numpy()) if test(float(v))]
    if hits:
        d0 = pd.Timestamp(window.index[hits[0]])
        v0 = measure(float(window.iloc[hits[0]]))
        return ConditionOutcome(text, Status.TRUE, d0, v0,
                                said("scenarios.cond_first_met", v0, date=d0))
    if deadline > until or last < deadline:
        return ConditionOutcome(text, Status.PENDING, None, None,
                                Note("scenarios.cond_not_met_yet", last=min(last, until),
                                     deadline=deadline))
    if window.empty:
        return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                Note("scenarios.cond_no_obs_between", series=c.series,
                                     asof=asof, end=end))
    vals = window.map(measure)
    # the closest the series came: the extreme in the direction of the condition
    if isinstance(c, LevelCondition):
        near = float(vals.max()) if c.above is not None and c.below is None else (
            float(vals.min()) if c.below is not None and c.above is None else float(vals.iloc[-1]))
    else:
        near = float(vals.min()) if c.at_most is not None else float(vals.max())
    return ConditionOutcome(text, Status.FALSE, None, near,
                            said("scenarios.cond_never_met", near, first=window.index[0],
                                 last=window.index[-1]))


def _policy(c: PolicyCondition, s: pd.Series, text: str, asof: pd.Timestamp,
            until: pd.Timestamp) -> ConditionOutcome:
    got = value_at(s, asof)
    if got is None:
        return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                Note("scenarios.cond_no_obs_before", series=c.series,
                                     date=asof))
    base = got[1]
    deadline = pd.Timestamp(c.by)
    end = min(deadline, until)
    window = s.loc[(s.index > asof) & (s.index <= end)]
    moves = (window - base) * 100.0  # bp
    complete = s.index[-1] >= deadline and until >= deadline
    if c.kind == "policy_hold":
        changed = moves[moves.abs() > 1e-9]
        if not changed.empty:
            d0 = changed.index[0]
            return ConditionOutcome(text, Status.FALSE, d0, float(changed.iloc[0]),
                                    Note("scenarios.cond_policy_moved", series=c.series,
                                         bp=float(changed.iloc[0]), date=d0, base=base,
                                         base_date=got[0]))
        if not complete:
            return ConditionOutcome(text, Status.PENDING, None, 0.0,
                                    Note("scenarios.cond_policy_unchanged_yet", base=base,
                                         last=min(s.index[-1], until), deadline=deadline))
        return ConditionOutcome(text, Status.TRUE, None, 0.0,
                                Note("scenarios.cond_policy_unchanged", series=c.series,
                                     base=base, base_date=got[0], deadline=deadline))
    sign = -1.0 if c.kind == "policy_cut" else 1.0
    size = sign * moves                       # positive = in the stated direction
    hit = size[size >= float(c.bp) - 1e-9]    # type: ignore[arg-type]
    if not hit.empty:
        d0 = hit.index[0]
        return ConditionOutcome(text, Status.TRUE, d0, float(hit.iloc[0]),
                                Note("scenarios.cond_policy_hit", series=c.series, base=base,
                                     base_date=got[0], value=float(window[d0]), date=d0,
                                     bp=float(moves[d0])))
    best = float(size.max()) if not size.empty else 0.0
    if not complete:
        return ConditionOutcome(text, Status.PENDING, None, best,
                                Note("scenarios.cond_not_met_yet",
                                     last=min(s.index[-1], until), deadline=deadline))
    net = float(moves.iloc[-1]) if not moves.empty else 0.0
    return ConditionOutcome(text, Status.FALSE, None, best,
                            Note("scenarios.cond_policy_at_most", series=c.series,
                                 best=sign * best, base=base, base_date=got[0],
                                 deadline=deadline, net=net))


def _relative(c: RelativeCondition, text: str, source: SeriesSource, asof: pd.Timestamp,
              until: pd.Timestamp) -> ConditionOutcome:
    try:
        a, b = source(c.series, "close"), source(c.versus, "close")
    except CrashlensError as exc:
        return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                Note("scenarios.cond_no_data", error=str(exc)))
    start = pd.Timestamp(c.start) if c.start else asof
    ga, gb = value_at(a, start), value_at(b, start)
    if ga is None or gb is None:
        return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                Note("scenarios.cond_no_obs_before_any", date=start))
    deadline = pd.Timestamp(c.at or c.by)  # type: ignore[arg-type]
    last = min(a.index[-1], b.index[-1])
    both = pd.concat([a, b], axis=1, join="inner").ffill()
    both = both.loc[(both.index > asof) & (both.index <= min(deadline, until))]
    rel = (both.iloc[:, 0] / ga[1] - both.iloc[:, 1] / gb[1]) * 100.0
    ok = rel.map(lambda v: _ok_move(float(v), c.at_most, c.at_least))

    def detail(d: pd.Timestamp, code: str = "scenarios.cond_relative") -> Note:
        return Note(code, series=c.series, a=(both.loc[d].iloc[0] / ga[1] - 1) * 100,
                    versus=c.versus, b=(both.loc[d].iloc[1] / gb[1] - 1) * 100, start=start,
                    date=d, rel=float(rel[d]))
    if c.at is not None:
        if deadline > until or last < deadline:
            return ConditionOutcome(text, Status.PENDING, None, None,
                                    Note("scenarios.cond_date_not_observed", date=deadline))
        if rel.empty:
            return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                    Note("scenarios.cond_no_common_obs"))
        d = pd.Timestamp(rel.index[-1])
        good = bool(ok.iloc[-1])
        return ConditionOutcome(text, Status.TRUE if good else Status.FALSE,
                                d if good else None, float(rel.iloc[-1]), detail(d))
    if ok.any():
        d = pd.Timestamp(ok.index[int(ok.to_numpy().argmax())])
        return ConditionOutcome(text, Status.TRUE, d, float(rel[d]),
                                detail(d, "scenarios.cond_relative_first_met"))
    if deadline > until or last < deadline:
        return ConditionOutcome(text, Status.PENDING, None, None,
                                Note("scenarios.cond_not_met_through", last=min(last, until)))
    if rel.empty:
        return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                Note("scenarios.cond_no_common_obs"))
    d = pd.Timestamp(rel.index[-1])
    return ConditionOutcome(text, Status.FALSE, None, float(rel.iloc[-1]),
                            detail(d, "scenarios.cond_relative_never"))


def _cta(c: CtaCondition, text: str, asof: pd.Timestamp, until: pd.Timestamp,
         models: bool) -> ConditionOutcome:
    if not models:
        return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                Note("scenarios.cond_models_need_source"))
    at = pd.Timestamp(c.at)
    if at > until:
        return ConditionOutcome(text, Status.PENDING, None, None,
                                Note("scenarios.cond_after_until", date=at, until=until))
    try:
        from crashlens import cta

        before = cta.positioning(asof, mc=False).assets[c.asset]["notional_usd"]
        after = cta.positioning(at, mc=False).assets[c.asset]["notional_usd"]
    except CrashlensError as exc:  # no CTA number for these dates: the condition is unknown
        return ConditionOutcome(text, Status.NOT_CHECKABLE, None, None,
                                Note("scenarios.cond_cta_unavailable", error=str(exc)))
    change = float(after) - float(before)
    good = change > 0 if c.direction == "up" else change < 0
    return ConditionOutcome(text, Status.TRUE if good else Status.FALSE, at if good else None,
                            change, Note("scenarios.cond_cta", asset=c.asset,
                                         before=float(before) / 1e9, asof=asof,
                                         after=float(after) / 1e9, date=at,
                                         change=change / 1e9))
