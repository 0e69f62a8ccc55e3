"""The episode library: sell-offs detected by a rule, plus named episodes found in search windows.

Nothing about an episode is typed in except the calendar window in which to look for it: peak,
trough, drawdown, duration, recovery, VIX peak and the other assets' moves are all computed from
the store.

Detection rule (see :func:`crashlens.episodes._kernels.detect_drawdowns`): an episode starts at a
running peak of the primary asset's close, is confirmed once the close falls ``threshold`` below
it, reaches its trough at the lowest close before recovery, and ends when the close regains
``recovery`` of the loss (1.0 = back to the old peak). A named episode is the largest
peak-to-trough fall of the primary asset *inside* its search window; its recovery is searched in
the whole remaining history.

One row per episode: a detected drawdown whose trough lies inside a named search window is the
same episode, so the two are merged into one row that keeps the named key, name and driver and
shows the detected peak, trough and recovery (``detected_key`` records the merge). A named
window holding no detected drawdown (a fall smaller than ``threshold``) keeps its own in-window
peak and trough.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crashlens._dates import to_timestamp
from crashlens._result import Result
from crashlens.data.source import SourceLike, reads_source
from crashlens.episodes import _kernels as K
from crashlens.episodes._common import (
    LEVEL_SERIES,
    DateLike,
    held_split,
    load_close,
    missing_note,
    optional_close,
    synthetic_warning,
    validate_assets,
)
from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.notes import Note


@dataclasses.dataclass(frozen=True)
class NamedEpisode:
    """A named episode, defined only by the calendar window in which to search for it.

    Attributes
    ----------
    key : str
        Short id (``"2008"``, ``"2018-Q4"``).
    name : str
        Display name.
    search_start, search_end : str
        Inclusive ISO dates of the search window.
    driver : str
        One-line description of the commonly cited driver (text, not data).
    """

    key: str
    name: str
    search_start: str
    search_end: str
    driver: str = ""


NAMED_EPISODES: tuple[NamedEpisode, ...] = (
    NamedEpisode("1987", "1987 crash", "1987-08-01", "1987-12-31",
                 "portfolio insurance and program selling; Black Monday"),
    NamedEpisode("2000-02", "2000-02 dot-com bust", "2000-01-01", "2002-12-31",
                 "tech valuation bust, recession, accounting scandals"),
    NamedEpisode("2008", "2008 global financial crisis", "2007-07-01", "2009-06-30",
                 "housing and bank credit crisis, Lehman failure"),
    NamedEpisode("2011", "2011 US downgrade / euro crisis", "2011-04-01", "2011-12-31",
                 "US debt-ceiling downgrade, euro-area sovereign stress"),
    NamedEpisode("2015-16", "2015-16 China devaluation / oil", "2015-05-01", "2016-03-31",
                 "yuan devaluation, oil collapse, global growth scare"),
    NamedEpisode("2018-02", "Feb 2018 Volmageddon", "2018-01-15", "2018-03-31",
                 "short-volatility ETP blow-up after a wage-inflation scare"),
    NamedEpisode("2018-Q4", "Q4 2018", "2018-09-01", "2018-12-31",
                 "Fed tightening on 'autopilot', trade war, QT"),
    NamedEpisode("2020", "2020 COVID crash", "2020-02-01", "2020-04-30",
                 "pandemic shutdown, dash for cash"),
    NamedEpisode("2022", "2022 inflation bear market", "2022-01-01", "2022-12-31",
                 "inflation and the fastest Fed hiking cycle in decades"),
    NamedEpisode("2024-08", "Aug 2024 yen-carry unwind", "2024-07-01", "2024-08-31",
                 "BoJ hike, yen-carry unwind, weak payrolls"),
    NamedEpisode("2025-04", "Apr 2025 tariff shock", "2025-02-01", "2025-05-31",
                 "'Liberation Day' reciprocal tariffs"),
    NamedEpisode("2025-11", "Nov 2025 AI / crypto deleveraging", "2025-10-15", "2025-12-15",
                 "AI capex doubts, crypto deleveraging, delayed data, Fed-cut repricing"),
    NamedEpisode("2026-02", "Jan-Feb 2026 silver crash / BTC below 70k", "2026-01-15",
                 "2026-02-28", "precious-metals blow-off and margin hikes, AI layoffs fear"),
)

DEFAULT_CROSS_ASSETS: tuple[str, ...] = (
    "NDX", "RUT", "VIX", "BTC", "GOLD", "SILVER", "WTI", "DXY", "USDJPY", "TLT", "HYG",
    "NVDA", "UST2Y", "UST10Y", "HY_OAS",
)


@dataclasses.dataclass(frozen=True)
class LibraryResult(Result):
    """The episode library.

    Attributes
    ----------
    primary : str
        Asset whose drawdowns define the episodes (default ``SPX``).
    episodes : DataFrame
        One row per episode: ``key, name, kind ('named'|'detected'), search_start, search_end,
        peak_date, peak_level, trough_date, trough_level, drawdown, duration_days (sessions
        peak->trough), duration_calendar_days, recovery_date, recovery_days (sessions
        trough->recovery, NaN if not recovered), recovered, vix_peak, vix_peak_date, driver,
        detected_key`` (the detected drawdown merged into a named row, else empty). ``kind`` is
        ``named`` for every row carrying a name (merged or not), ``detected`` otherwise.
    cross_asset : DataFrame
        Long format: ``key, asset, unit ('return'|'bp'), move (peak date -> trough date of the
        primary), own_max_drawdown (the asset's own largest fall inside the episode span)``.
    """

    primary: str
    episodes: pd.DataFrame
    cross_asset: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The episode table indexed by key."""
        return self.episodes.set_index("key")

    def get(self, key: str) -> dict[str, Any]:
        """One episode as a dict, with its cross-asset moves under ``"cross_asset"``."""
        hit = self.episodes[self.episodes["key"] == key]
        if hit.empty:
            from crashlens.errors import UnknownSeriesError

            raise UnknownSeriesError(key, list(self.episodes["key"]), kind="episode")
        row: dict[str, Any] = {str(k): v for k, v in hit.iloc[0].to_dict().items()}
        ca = self.cross_asset[self.cross_asset["key"] == key]
        row["cross_asset"] = {r["asset"]: r["move"] for _, r in ca.iterrows()}
        return row

    def summary(self) -> str:
        """One line per episode, in date order (named episodes by their key)."""
        e = self.episodes
        n_named = int((e["kind"] == "named").sum()) if not e.empty else 0
        thr = self.assumptions.get("threshold")
        rule = (f", others detected by a {100 * thr:.0f} % fall"
                if thr is not None and self.assumptions.get("include_detected", True) else "")
        n = len(e)
        lines = [f"Episode library ({self.primary}; {n} episode{'' if n == 1 else 's'}, "
                 f"{n_named} named{rule})",
                 f"  {'episode':<14} {'peak':<10}   {'trough':<10} {'fall':>7} "
                 f"{'sessions':>8} {'VIX max':>7}  recovered"]
        for _, r in e.iterrows():
            rec = (str(pd.Timestamp(r["recovery_date"]).date()) if r["recovered"]
                   else "not yet")
            vix = f"{r['vix_peak']:7.1f}" if np.isfinite(r["vix_peak"]) else f"{'n/a':>7}"
            lines.append(
                f"  {r['key']:<14} {pd.Timestamp(r['peak_date']).date()} > "
                f"{pd.Timestamp(r['trough_date']).date()} {100 * r['drawdown']:+6.1f}% "
                f"{int(r['duration_days']):8d} {vix}  {rec}")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def plot_timeline(self) -> Any:
        """Primary drawdowns of every episode against their duration (plotly Figure)."""
        import plotly.graph_objects as go

        e = self.episodes
        fig = go.Figure()
        for kind in ("named", "detected"):
            sub = e[e["kind"] == kind]
            fig.add_scatter(x=sub["duration_days"], y=100 * sub["drawdown"], mode="markers+text",
                            text=sub["key"], textposition="top center", name=kind)
        fig.update_layout(title=f"Sell-off episodes of {self.primary}",
                          xaxis_title="sessions peak -> trough", yaxis_title="drawdown %",
                          xaxis_type="log")
        return fig


def _value_at(s: pd.Series, date: pd.Timestamp, max_stale_days: int = 5) -> float:
    """Last value of ``s`` on or before ``date`` (NaN when older than ``max_stale_days``)."""
    pos = int(s.index.searchsorted(date, side="right")) - 1
    if pos < 0 or (date - s.index[pos]).days > max_stale_days:
        return float("nan")
    return float(s.iloc[pos])


def _episode_row(key: str, name: str, kind: str, px: pd.Series, ip: int, it: int,
                 vix: pd.Series, search: tuple[pd.Timestamp | None, pd.Timestamp | None],
                 driver: str) -> dict[str, Any]:
    x = px.to_numpy()
    after = np.flatnonzero(x[it:] >= x[ip])
    rec = it + int(after[0]) if after.size else -1
    pdate, tdate = px.index[ip], px.index[it]
    v = vix[(vix.index >= pdate) & (vix.index <= tdate)]
    return {
        "key": key, "name": name, "kind": kind,
        "search_start": search[0], "search_end": search[1],
        "peak_date": pdate, "peak_level": float(x[ip]),
        "trough_date": tdate, "trough_level": float(x[it]),
        "drawdown": float(x[it] / x[ip] - 1.0),
        "duration_days": it - ip,
        "duration_calendar_days": (tdate - pdate).days,
        "recovery_date": px.index[rec] if rec >= 0 else pd.NaT,
        "recovery_days": float(rec - it) if rec >= 0 else np.nan,
        "recovered": rec >= 0,
        "vix_peak": float(v.max()) if not v.empty else np.nan,
        "vix_peak_date": v.idxmax() if not v.empty else pd.NaT,
        "driver": driver,
        "detected_key": "",
    }


def _cross_rows(key: str, pdate: pd.Timestamp, tdate: pd.Timestamp,
                others: Mapping[str, pd.Series]) -> list[dict[str, Any]]:
    rows = []
    for a, s in others.items():
        p0, p1 = _value_at(s, pdate), _value_at(s, tdate)
        if not (np.isfinite(p0) and np.isfinite(p1)):
            continue
        span = s[(s.index >= pdate) & (s.index <= tdate)].to_numpy()
        level = a in LEVEL_SERIES
        own = float("nan")
        if not level and span.size and np.all(span > 0):
            own = K.max_drawdown(np.concatenate([[p0], span]))[0]
        rows.append({"key": key, "asset": a, "unit": "bp" if level else "return",
                     "move": 100.0 * (p1 - p0) if level else p1 / p0 - 1.0,
                     "own_max_drawdown": own})
    return rows


@reads_source
def library(
    *,
    primary: str = "SPX",
    threshold: float = 0.10,
    recovery: float = 1.0,
    detect_from: DateLike = "1950-01-01",
    named: Sequence[NamedEpisode] | None = NAMED_EPISODES,
    cross_assets: Sequence[str] = DEFAULT_CROSS_ASSETS,
    include_detected: bool = True,
    end: DateLike = None,
    source: SourceLike = None,
) -> LibraryResult:
    """Build the episode library from the data.

    Parameters
    ----------
    primary : str
        Price asset whose closes define drawdowns (default ``SPX``).
    threshold : float
        Detection threshold: minimum peak-to-trough fall, a fraction in (0, 1) (default 0.10).
    recovery : float
        Fraction of the loss that must be regained to end a detected episode, in (0, 1]
        (default 1.0: back to the old peak).
    detect_from : str or Timestamp, optional
        First date scanned by the detection rule (default 1950-01-01; ``None`` = all history).
    named : sequence of NamedEpisode, optional
        Named search windows (default :data:`NAMED_EPISODES`); ``None`` or empty for none.
    cross_assets : sequence of str
        Other assets whose move from the primary's peak to its trough is reported.
    include_detected : bool
        Whether to run the detection rule (default True).
    end : date, optional
        Build the library as known on this day: data up to ``end`` only, and named windows
        that end after it left out (an episode not over by then is not yet in the library).
        Default: all the data.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. The primary is required; VIX and cross assets the
        source lacks are left out with a note naming them.

    Returns
    -------
    LibraryResult

    Raises
    ------
    ParameterError
        Threshold or recovery out of range, a named window with start after end.
    InsufficientDataError
        A named window holding fewer than two closes of the primary.
    """
    if not 0.0 < threshold < 1.0:
        raise ParameterError(f"threshold must be a fraction in (0, 1), got {threshold}")
    if not 0.0 < recovery <= 1.0:
        raise ParameterError(f"recovery must be in (0, 1], got {recovery}")
    primary = validate_assets([primary])[0]
    others_names, absent = held_split([a for a in validate_assets(cross_assets)
                                       if a != primary])
    stop = to_timestamp(end, "end") if end is not None else None
    px = load_close(primary, None, stop)
    px = px[px > 0]
    vix = optional_close("VIX", None, stop, absent)  # without VIX: no VIX peak, noted
    others = {a: load_close(a, None, stop) for a in others_names}
    warnings = list(synthetic_warning()) + list(missing_note(absent))
    rows: list[dict[str, Any]] = []
    windows: list[tuple[NamedEpisode, pd.Timestamp, pd.Timestamp]] = []
    for ep in named or ():
        lo, hi = to_timestamp(ep.search_start, f"{ep.key}.search_start"), \
            to_timestamp(ep.search_end, f"{ep.key}.search_end")
        if lo > hi:
            raise ParameterError(f"episode {ep.key}: search_start {lo.date()} is after "
                                 f"search_end {hi.date()}")
        if stop is not None and hi > stop:
            continue  # not over on the as-of day: not yet an episode of the library
        idx = np.flatnonzero((px.index >= lo) & (px.index <= hi))
        if idx.size < 2:
            if px.index[-1] < lo or px.index[0] > hi:
                warnings.append(Note("episodes.episode_no_data", key=ep.key,
                                     primary=primary, start=lo, end=hi))
                continue
            raise InsufficientDataError(
                f"episode {ep.key}: fewer than two {primary} closes in {lo.date()}..{hi.date()}")
        mdd, ip, it = K.max_drawdown(px.to_numpy()[idx])
        if mdd == 0.0:
            warnings.append(Note("episodes.episode_no_fall", key=ep.key, primary=primary))
        windows.append((ep, lo, hi))
        rows.append(_episode_row(ep.key, ep.name, "named", px, int(idx[ip]), int(idx[it]),
                                 vix, (lo, hi), ep.driver))
    if include_detected:
        sub = px if detect_from is None else \
            px[px.index >= to_timestamp(detect_from, "detect_from")]
        offset = len(px) - len(sub)
        for ip, it, _ in K.detect_drawdowns(sub.to_numpy(), threshold, recovery):
            i_peak, i_trough = int(ip) + offset, int(it) + offset
            key = f"{primary}-{px.index[i_peak].date()}"
            tdate = px.index[i_trough]
            # the same sell-off under its name: the first named window holding the trough
            hit = next((j for j, (_, lo, hi) in enumerate(windows) if lo <= tdate <= hi), None)
            if hit is not None and not rows[hit]["detected_key"]:
                ep = windows[hit][0]
                row = _episode_row(ep.key, ep.name, "named", px, i_peak, i_trough, vix,
                                   (windows[hit][1], windows[hit][2]), ep.driver)
                row["detected_key"] = key
                rows[hit] = row
                continue
            rows.append(_episode_row(key, f"{primary} drawdown from "
                                     f"{px.index[i_peak].date()}", "detected", px, i_peak,
                                     i_trough, vix, (None, None), ""))
    cross: list[dict[str, Any]] = []
    for row in rows:
        if row["kind"] == "named" and pd.isna(row["vix_peak_date"]):
            warnings.append(Note("episodes.episode_no_vix", key=row["key"]))
        cross.extend(_cross_rows(row["key"], row["peak_date"], row["trough_date"], others))
    episodes = pd.DataFrame(rows)
    if not episodes.empty:
        episodes = episodes.sort_values("peak_date", kind="stable", ignore_index=True)
    assumptions = {
        "end": None if stop is None else str(stop.date()),
        "primary": primary, "threshold": threshold, "recovery": recovery,
        "include_detected": include_detected,
        "detect_from": None if detect_from is None
        else str(to_timestamp(detect_from, "detect_from").date()),
        "named_rule": "largest peak-to-trough fall of the primary close inside the search window",
        "recovery_rule": "first close at or above the peak close after the trough",
        "vix_peak_span": "VIX closes from peak date to trough date",
        "cross_asset_alignment": "last close on or before the primary's peak and trough dates "
                                 "(at most 5 calendar days stale)",
        "merge_rule": "a detected drawdown whose trough lies in a named search window is that "
                      "episode: one row, the named label, the detected dates",
    }
    return LibraryResult(primary=primary, episodes=episodes,
                         cross_asset=pd.DataFrame(cross), assumptions=assumptions,
                         warnings=tuple(warnings))
