"""Policy rate, Treasury curve, market-implied policy path and a FedWatch-style calculator.

Implied path from the 2y-funds spread (documented approximation)
-----------------------------------------------------------------
Under the expectations hypothesis a T-year yield is the average expected overnight rate over T
years plus a term premium. With the 3-month bill ``y3m`` and the 2-year note ``y2y``::

    avg(0 -> 3m)  = y3m - bill_basis
    avg(0 -> 2y)  = y2y - term_premium
    avg(3m -> 2y) = (2 avg(0->2y) - 0.25 avg(0->3m)) / 1.75

Cuts priced = (policy rate - average) / 25 bp. Ignored: bill-OIS basis and the term premium
(both named parameters, default 0), convexity, coupon vs zero yields. Good to a few 25 bp steps,
not to a single meeting: use :func:`fedwatch` with futures prices for meeting-by-meeting odds.

FedWatch-style calculator (CME methodology, simplified)
-------------------------------------------------------
30-day fed funds futures settle on the month's average effective rate: ``F = 100 - price``.
For a meeting on day ``d`` of an ``N``-day month the rate after the meeting is
``r_end = (F_M - (d/N) r_start) / ((N-d)/N)``; when fewer than 7 days follow the meeting and the
next month has no meeting, ``r_end = F_{M+1}``. The rate before a meeting is the previous
meeting's ``r_end`` (or the no-meeting month's ``F``, or the current rate). The change, in steps
of 25 bp, is split between the two neighbouring whole steps (``-0.6`` steps -> 60 % one cut,
40 % hold); meeting distributions are convolved into target-range probabilities.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crashlens._result import Result
from crashlens.errors import ParameterError

#: FOMC decision days (second day of each meeting), 2025-2026, as published by the Federal
#: Reserve Board. Pass ``meetings=`` for other years.
FOMC_MEETINGS: tuple[str, ...] = (
    "2025-01-29", "2025-03-19", "2025-05-07", "2025-06-18", "2025-07-30", "2025-09-17",
    "2025-10-29", "2025-12-10",
    "2026-01-28", "2026-03-18", "2026-04-29", "2026-06-17", "2026-07-29", "2026-09-16",
    "2026-10-28", "2026-12-09",
)


def implied_path(policy_rate: float, y3m: float, y2y: float, *, term_premium_bp: float = 0.0,
                 bill_basis_bp: float = 0.0, step_bp: float = 25.0) -> dict[str, float]:
    """Average policy rate priced by bills and the 2-year note (see the module docstring).

    Parameters
    ----------
    policy_rate : float
        Current policy rate (effective fed funds), percent.
    y3m, y2y : float
        3-month bill and 2-year note yields, percent.
    term_premium_bp, bill_basis_bp : float
        Assumed 2-year term premium and bill-minus-OIS basis, bp (default 0).
    step_bp : float
        Size of one policy move, bp (default 25).

    Returns
    -------
    dict
        ``avg_0_3m, avg_3m_2y, avg_0_2y`` (percent), ``cuts_priced_3m``, ``cuts_priced_2y``,
        ``cuts_priced_3m_2y`` (number of ``step_bp`` moves; negative = hikes) and
        ``spread_2y_funds_bp``.
    """
    a3 = y3m - bill_basis_bp / 100.0
    a2 = y2y - term_premium_bp / 100.0
    a32 = (2.0 * a2 - 0.25 * a3) / 1.75
    step = step_bp / 100.0
    return {
        "policy_rate": policy_rate, "avg_0_3m": a3, "avg_3m_2y": a32, "avg_0_2y": a2,
        "spread_2y_funds_bp": 100.0 * (y2y - policy_rate),
        "cuts_priced_3m": (policy_rate - a3) / step,
        "cuts_priced_2y": (policy_rate - a2) / step,
        "cuts_priced_3m_2y": (policy_rate - a32) / step,
    }


@dataclasses.dataclass(frozen=True)
class FedWatchResult(Result):
    """Meeting-by-meeting policy odds implied by fed funds futures.

    Attributes
    ----------
    meetings : DataFrame
        One row per meeting covered: ``meeting, rate_before, rate_after, change_bp,
        p_cut, p_hold, p_hike`` (probabilities of the meeting's own move, expected rates in
        percent) and ``expected_upper`` (expected target upper bound after it).
    distribution : DataFrame
        Target-range probabilities after each meeting: ``meeting, lower, upper, probability``.
    """

    meetings: pd.DataFrame
    distribution: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The meeting table indexed by meeting date."""
        return self.meetings.set_index("meeting")

    def summary(self) -> str:
        """One line per meeting."""
        lines = ["FedWatch-style odds from fed funds futures"]
        for _, r in self.meetings.iterrows():
            lines.append(f"  {pd.Timestamp(r['meeting']).date()}: expected "
                         f"{r['rate_after']:.3f} % ({r['change_bp']:+.1f} bp)  P(cut) "
                         f"{r['p_cut']:.2f}  P(hold) {r['p_hold']:.2f}  P(hike) {r['p_hike']:.2f}")
        return "\n".join(lines)

    def plot_odds(self) -> Any:
        """Cut / hold / hike probabilities of each meeting (stacked bars; plotly Figure)."""
        import plotly.graph_objects as go

        m = self.meetings
        x = [pd.Timestamp(d).date().isoformat() for d in m["meeting"]]
        fig = go.Figure()
        for col, name, color in (("p_cut", "cut", "#2a9d8f"), ("p_hold", "hold", "#adb5bd"),
                                 ("p_hike", "hike", "#e76f51")):
            fig.add_bar(x=x, y=m[col], name=name, marker_color=color)
        fig.update_layout(barmode="stack", title="Policy odds by FOMC meeting (fed funds "
                          "futures)", xaxis_title="meeting", yaxis_title="probability",
                          yaxis_range=[0, 1])
        return fig


def _month_key(value: Any) -> str:
    text = str(value).strip()
    msg = f"futures month '{value}' is not a month (expected YYYY-MM)"
    if not re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", text):
        raise ParameterError(msg)
    try:
        return pd.Timestamp(text if text.count("-") == 2 else text + "-01").strftime("%Y-%m")
    except (ValueError, TypeError) as exc:
        raise ParameterError(msg) from exc


def fedwatch(
    futures: Mapping[str, float],
    *,
    current_rate: float,
    current_range: tuple[float, float],
    meetings: Sequence[str | pd.Timestamp] = FOMC_MEETINGS,
    step_bp: float = 25.0,
    late_meeting_days: int = 7,
) -> FedWatchResult:
    """Policy-move probabilities at each FOMC meeting from 30-day fed funds futures prices.

    Parameters
    ----------
    futures : mapping
        ``{"YYYY-MM": price}`` of 30-day fed funds futures (price = 100 - average rate).
    current_rate : float
        Effective fed funds rate now, percent (the rate before the first meeting covered).
    current_range : (float, float)
        Current target range (lower, upper), percent.
    meetings : sequence of dates
        FOMC decision days (default :data:`FOMC_MEETINGS`).
    step_bp : float
        Size of one move, bp (default 25).
    late_meeting_days : int
        When fewer days than this follow a meeting in its month, the next month's contract
        gives the post-meeting rate (default 7).

    Returns
    -------
    FedWatchResult

    Raises
    ------
    ParameterError
        Bad months, prices outside (0, 100], no meeting covered by the prices.
    """
    fut: dict[str, float] = {}
    for month, v in futures.items():
        key = _month_key(month)
        price = float(v)
        if not 0.0 < price <= 100.0:
            raise ParameterError(f"futures price for {key} must be in (0, 100], got {v}")
        fut[key] = 100.0 - price
    lo, hi = current_range
    if hi < lo:
        raise ParameterError(f"current_range lower {lo} is above upper {hi}")
    step = step_bp / 100.0
    mdates = sorted(pd.Timestamp(m).normalize() for m in meetings)
    meeting_months = {m.strftime("%Y-%m") for m in mdates}
    first_month = min(fut) if fut else None
    rows: list[dict[str, Any]] = []
    dist_rows: list[dict[str, Any]] = []
    probs = {0: 1.0}  # distribution over cumulative steps
    r_prev = current_rate
    for m in mdates:
        mk = m.strftime("%Y-%m")
        if first_month is None or mk < first_month or mk not in fut:
            continue
        prev_key = (m - pd.DateOffset(months=1)).strftime("%Y-%m")
        next_key = (m + pd.DateOffset(months=1)).strftime("%Y-%m")
        r_start = fut[prev_key] if (prev_key in fut and prev_key not in meeting_months
                                    and not rows) else r_prev
        n = calendar.monthrange(m.year, m.month)[1]
        d = m.day
        if n - d < late_meeting_days and next_key in fut and next_key not in meeting_months:
            r_end = fut[next_key]
        else:
            r_end = (fut[mk] - (d / n) * r_start) / ((n - d) / n)
        steps = (r_end - r_start) / step
        k = int(np.floor(steps))
        frac = steps - k
        move = {k: 1.0 - frac, k + 1: frac}
        move = {s: p for s, p in move.items() if p > 1e-12}
        new: dict[int, float] = {}
        for s0, p0 in probs.items():
            for s1, p1 in move.items():
                new[s0 + s1] = new.get(s0 + s1, 0.0) + p0 * p1
        probs = new
        rows.append({
            "meeting": m, "rate_before": r_start, "rate_after": r_end,
            "change_bp": 100.0 * (r_end - r_start),
            "p_cut": sum(p for s, p in move.items() if s < 0),
            "p_hold": move.get(0, 0.0),
            "p_hike": sum(p for s, p in move.items() if s > 0),
            "expected_upper": hi + step * sum(s * p for s, p in probs.items()),
        })
        for s, p in sorted(probs.items()):
            dist_rows.append({"meeting": m, "lower": lo + s * step, "upper": hi + s * step,
                              "probability": p})
        r_prev = r_end
    if not rows:
        raise ParameterError("no FOMC meeting falls in a month with a futures price; "
                             f"months given: {sorted(fut)}")
    return FedWatchResult(
        meetings=pd.DataFrame(rows), distribution=pd.DataFrame(dist_rows),
        assumptions={"current_rate": current_rate, "current_range": list(current_range),
                     "step_bp": step_bp, "late_meeting_days": late_meeting_days,
                     "meetings": [m.date().isoformat() for m in mdates],
                     "method": "CME-style: month-average futures rate, binary split between "
                               "adjacent steps, meetings convolved"})
