"""Event study of abnormal returns around dated catalysts, and thematic basket rotation.

Market model (MacKinlay 1997): on the estimation window, ``R_i,t = α + β R_m,t + ε`` by OLS;
abnormal return ``AR_t = R_i,t − α − β R_m,t`` in the event window; ``CAR = Σ AR``.
Standard errors use the residual std ``s = sqrt(SSR / (n − 2))``: ``t(AR_t) = AR_t / s`` and
``t(CAR) = CAR / (s sqrt(L))`` with ``L`` event-window sessions (the prediction-error term of the
OLS parameters is ignored; it is below 1 % of the variance with 120 estimation days). For the
market itself a constant-mean model is used (``AR = R − mean``, ``s`` = sample std).

Returns are simple daily returns on the market calendar (S&P 500 sessions by default); assets on
other calendars take their last close at most 4 days stale (crypto: the UTC-day close).

Each event is studied on its **own assets** first (the ``assets`` of the event in the catalyst
file: the company for earnings, the index or sector for policy, BTC for crypto news), then on
the file's **comparison** assets and its named long/short baskets. An event whose windows do not
fit the data is refused with the event named (only events after ``asof`` are skipped: they were
not known yet).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crashlens._dates import to_timestamp
from crashlens._result import Result
from crashlens.data.source import SourceLike, reads_source
from crashlens.episodes._common import (
    DateLike,
    load_close,
    missing_note,
    optional_close,
    sample_on,
    synthetic_warning,
    validate_assets,
)
from crashlens.episodes.events import (
    Basket,
    CatalystEvent,
    EventFile,
    Roll,
    as_event_file,
    day_zero,
)
from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.notes import Note


@dataclasses.dataclass(frozen=True)
class CatalystsResult(Result):
    """Event-study results.

    Attributes
    ----------
    events : DataFrame
        One row per event: ``event, name, date, timing, day0, line, name_zh``.
    table : DataFrame
        One row per (event, asset): ``event, name, day0, asset, role ('event' for the event's
        own assets, 'comparison' for the file's), model, alpha, beta, sigma, n_est, ar0, t_ar0,
        car, t_car, raw_return`` (fractions; CAR over the event window), the event's own
        assets first.
    abnormal : DataFrame
        Long format: ``event, asset, rel_day, date, ret, market_ret, ar, t_ar, car``.
    baskets : DataFrame
        One row per (basket, event): ``basket, event, long_return, short_return, relative``
        (raw equal-weighted returns over the event window).
    basket_paths : DataFrame
        Relative performance index (long / short, 1 at the start) of each basket over the
        whole study span, indexed by date, one column per basket.
    """

    events: pd.DataFrame
    table: pd.DataFrame
    abnormal: pd.DataFrame
    baskets: pd.DataFrame
    basket_paths: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The (event, asset) table indexed by both."""
        return self.table.set_index(["event", "asset"])

    def summary(self, comparisons: int = 3) -> str:
        """One block per event: its own assets, the largest comparison moves, the baskets.

        Parameters
        ----------
        comparisons : int
            Comparison assets shown per event (largest absolute CAR first; default 3).
        """
        n = len(self.events)
        win = self.assumptions.get("event_window") or ["?", "?"]
        lines = [f"Catalysts event study ({n} event{'' if n == 1 else 's'})",
                 f"  AR0: abnormal return on day 0; CAR: sessions {win[0]}..{win[1]}; "
                 "(t-statistic)"]
        day0 = pd.to_datetime(self.events["day0"])
        for _, e in self.events.iterrows():
            sub = self.table[self.table["event"] == e["event"]] if not self.table.empty \
                else self.table
            if sub.empty:
                lines.append(f"  {pd.Timestamp(e['date']).date()} {e['name']}: not studied "
                             "(see warnings)")
                continue
            lines.append(f"  {pd.Timestamp(e['day0']).date()} {e['name']}")
            same = self.events[(day0 == pd.Timestamp(e["day0"]))
                               & (self.events["event"] != e["event"])]["name"].tolist()
            if same:
                lines.append(f"      (same day 0 as {', '.join(same)}: the moves are not "
                             "separable)")
            own = sub[sub["role"] == "event"]
            comp = sub[sub["role"] == "comparison"]
            comp = comp.reindex(comp["car"].abs().sort_values(ascending=False).index)
            for label, part in (("event", own), ("comparison", comp.head(comparisons))):
                for _, r in part.iterrows():
                    lines.append(f"      {label:<10} {r['asset']:<7} AR0 "
                                 f"{100 * r['ar0']:+6.2f} % (t {r['t_ar0']:+.1f})  CAR "
                                 f"{100 * r['car']:+6.2f} % (t {r['t_car']:+.1f})")
            bk = self.baskets[self.baskets["event"] == e["event"]] if not self.baskets.empty \
                else self.baskets
            for _, b in bk.iterrows():
                lines.append(f"      basket     {b['basket']}")
                lines.append(f"{'':<18}long {100 * b['long_return']:+6.2f} %   short "
                             f"{100 * b['short_return']:+6.2f} %   relative "
                             f"{100 * b['relative']:+6.2f} %")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def plot_car(self, event: int = 0) -> Any:
        """CAR paths of every asset around one event (plotly Figure)."""
        import plotly.graph_objects as go

        sub = self.abnormal[self.abnormal["event"] == event]
        fig = go.Figure()
        for asset, g in sub.groupby("asset"):
            fig.add_scatter(x=g["rel_day"], y=100 * g["car"], mode="lines+markers",
                            name=str(asset))
        name = self.events.loc[self.events["event"] == event, "name"]
        fig.update_layout(title=f"CAR around {name.iloc[0] if len(name) else event}",
                          xaxis_title="sessions from day 0", yaxis_title="CAR %")
        return fig

    def plot_baskets(self) -> Any:
        """Relative performance of the thematic baskets (plotly Figure)."""
        import plotly.graph_objects as go

        fig = go.Figure()
        for c in self.basket_paths.columns:
            fig.add_scatter(x=self.basket_paths.index, y=self.basket_paths[c], name=str(c))
        fig.update_layout(title="Thematic baskets: long / short relative index",
                          yaxis_title="relative index (1 = start)")
        return fig


def _ew(arrays: Sequence[np.ndarray]) -> np.ndarray:
    """Equal-weighted mean return of the members with a value each day (NaN if none)."""
    m = np.vstack(arrays)
    ok = np.isfinite(m)
    cnt = ok.sum(axis=0)
    tot = np.where(ok, m, 0.0).sum(axis=0)
    return np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)


def _ols(y: np.ndarray, x: np.ndarray) -> tuple[float, float, float]:
    """OLS of y on [1, x]: (alpha, beta, residual std with n-2 dof)."""
    xm, ym = x.mean(), y.mean()
    sxx = float(np.sum((x - xm) ** 2))
    beta = float(np.sum((x - xm) * (y - ym)) / sxx) if sxx > 0 else 0.0
    alpha = float(ym - beta * xm)
    resid = y - alpha - beta * x
    return alpha, beta, float(np.sqrt(np.sum(resid ** 2) / (len(y) - 2)))


def _event_note(ev: CatalystEvent, code: str, code_noline: str, **params: Any) -> Note:
    """A note about one event: ``event '<name>' (<date>, line <n>): ...``.

    The line is left out when the event did not come from a file.
    """
    if ev.line:
        return Note(code, event=ev.name, date=ev.date, line=ev.line, **params)
    return Note(code_noline, event=ev.name, date=ev.date, **params)


def _whole(value: Any, name: str) -> int:
    """A whole number of sessions, or a one-line ParameterError naming the parameter."""
    try:
        if isinstance(value, bool) or float(value) != int(float(value)):
            raise ValueError
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(f"{name} must be whole numbers of sessions, got {value!r}") from None


@reads_source
def catalysts(
    events: str | Path | EventFile | Sequence[CatalystEvent] | None = None,
    *,
    asof: DateLike = None,
    market: str | None = None,
    assets: Sequence[str] | None = None,
    estimation_window: int | None = None,
    gap: int | None = None,
    event_window: tuple[int, int] | None = None,
    roll: str | None = None,
    baskets: Sequence[Basket] | None = None,
    min_estimation: float = 0.8,
    source: SourceLike = None,
) -> CatalystsResult:
    """Run the market-model event study over a set of catalysts.

    Parameters default to the catalyst file's values, then to the documented defaults.

    Parameters
    ----------
    events : path, EventFile or sequence of CatalystEvent, optional
        The catalysts (see :mod:`crashlens.episodes.events` for the YAML format); default the
        shipped late-2025 / early-2026 file.
    asof : str or Timestamp, optional
        Only data up to this date is used: events whose window ends after it are skipped.
    market : str, optional
        Market index of the market model and the calendar (default ``SPX``).
    assets : sequence of str, optional
        Comparison assets studied after each event's own assets (default: the file's list).
    estimation_window : int, optional
        Sessions of the estimation window (default 120).
    gap : int, optional
        Sessions between the end of the estimation window and the start of the event window
        (default 10).
    event_window : (int, int), optional
        First and last session relative to day 0, inclusive (default (-1, 3)).
    roll : {'following', 'preceding'}, optional
        Roll rule for non-session event dates (default ``following``).
    baskets : sequence of Basket, optional
        Thematic baskets (default: the file's).
    min_estimation : float
        Share of estimation sessions with a valid return needed to fit the model (default 0.8).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. The market is required; event, comparison and basket
        assets the source lacks are left out with a note naming them.

    Returns
    -------
    CatalystsResult

    Raises
    ------
    DataError
        Malformed catalyst file (naming the line).
    ParameterError
        Inconsistent windows.
    InsufficientDataError
        An event (known at ``asof``) whose event or estimation window does not fit the market
        data, naming the event; or no event could be studied.
    """
    from crashlens.episodes.events import shipped_events_path

    ef = as_event_file(events if events is not None else shipped_events_path())
    cutoff = to_timestamp(asof, "asof") if asof is not None else None
    p = ef.params
    market = str(market or p.get("market", "SPX")).upper()
    est = _whole(estimation_window if estimation_window is not None
                 else p.get("estimation_window", 120), "estimation_window")
    gap_ = _whole(gap if gap is not None else p.get("gap", 10), "gap")
    win = event_window if event_window is not None else p.get("event_window", (-1, 3))
    if not isinstance(win, list | tuple) or len(win) != 2:
        raise ParameterError(f"event_window must be two integers, got {win}")
    l1, l2 = _whole(win[0], "event_window"), _whole(win[1], "event_window")
    try:
        roll_ = Roll(roll or p.get("roll", "following"))
    except ValueError:
        raise ParameterError(f"roll: '{roll or p.get('roll')}' is not one of "
                             f"{', '.join(r.value for r in Roll)}") from None
    if est < 10:
        raise ParameterError(f"estimation_window must be at least 10 sessions, got {est}")
    if gap_ < 0 or l1 > l2:
        raise ParameterError(f"need gap >= 0 and event_window start <= end, got gap={gap_}, "
                             f"event_window=({l1}, {l2})")
    default_assets = tuple(validate_assets(assets)) if assets is not None else ef.assets
    market = validate_assets([market])[0]
    basket_list = tuple(baskets) if baskets is not None else ef.baskets

    mkt = load_close(market, None, cutoff)
    dates = pd.DatetimeIndex(mkt.index)
    rm = mkt.pct_change(fill_method=None).to_numpy()
    cache: dict[str, np.ndarray] = {}
    absent: list[str] = []  # assets the source does not hold: left out, named in one note

    def rets(a: str) -> np.ndarray:
        if a not in cache:
            s = mkt if a == market else sample_on(optional_close(a, None, cutoff, absent),
                                                  dates)
            cache[a] = s.pct_change(fill_method=None).to_numpy()
        return cache[a]

    warnings = list(synthetic_warning())
    # a basket with a member the source lacks is left out, not computed without it under its
    # name (its members' closes are read here once; rets caches them)
    for b in basket_list:
        for a in (*b.long, *b.short):
            rets(a)
    kept = tuple(b for b in basket_list if set(absent).isdisjoint((*b.long, *b.short)))
    warnings.extend(Note("episodes.basket_not_in_source", basket=b.name,
                         series=", ".join(a for a in (*b.long, *b.short) if a in absent))
                    for b in basket_list if b not in kept)
    basket_list = kept
    ev_rows, rows, ab_rows, bk_rows = [], [], [], []
    spans: list[tuple[int, int]] = []
    for k, ev in enumerate(ef.events):
        i0 = day_zero(dates, ev, roll_)
        ev_rows.append({"event": k, "name": ev.name, "date": ev.date, "timing": ev.timing.value,
                        "day0": dates[i0] if i0 >= 0 else pd.NaT, "line": ev.line,
                        "name_zh": ev.name_zh})
        where = f"event '{ev.name}' ({ev.date.date()}" + (f", line {ev.line})" if ev.line
                                                           else ")")
        if cutoff is not None and ev.date > cutoff:
            warnings.append(_event_note(ev, "episodes.event_after_asof",
                                        "episodes.event_after_asof_noline", asof=cutoff))
            continue
        if i0 < 0 or i0 + l1 >= len(dates) or (i0 + l2 >= len(dates) and cutoff is None):
            # refused, not skipped: a silently missing event reads as "no reaction"
            raise InsufficientDataError(
                f"{where}: event window {l1:+d}..{l2:+d} sessions does not fit the {market} "
                f"data ({dates[0].date()}..{dates[-1].date()}"
                + (f", as-of {cutoff.date()}" if cutoff is not None else "")
                + "); drop the event, shorten the event window or give an as-of date",
                subject=ev.name)
        e2 = min(l2, len(dates) - 1 - i0)  # truncated at the as-of date: CAR so far
        if e2 < l2:
            warnings.append(_event_note(ev, "episodes.event_truncated",
                                        "episodes.event_truncated_noline", asof=dates[-1],
                                        first=l1, last=e2))
        e_lo, e_hi = i0 + l1 - gap_ - est, i0 + l1 - gap_
        if e_lo < 1:
            raise InsufficientDataError(
                f"{where}: not enough {market} history before the event for the "
                f"{est}-session estimation window (data from {dates[0].date()})",
                subject=ev.name)
        if ev.date != dates[i0] and ev.timing.value != "after_close":
            warnings.append(_event_note(ev, "episodes.event_rolled",
                                        "episodes.event_rolled_noline", market=market,
                                        roll=roll_.value, day0=dates[i0]))
        spans.append((i0 + l1, i0 + e2))
        own = set(ev.assets)
        for a in dict.fromkeys([*ev.assets, *default_assets]):
            r = rets(a)
            if a in absent:
                continue
            ye, xe = r[e_lo:e_hi], rm[e_lo:e_hi]
            ok = np.isfinite(ye) & np.isfinite(xe)
            if ok.sum() < max(min_estimation * est, 3):
                warnings.append(_event_note(ev, "episodes.event_short_estimation",
                                            "episodes.event_short_estimation_noline", asset=a,
                                            n=int(ok.sum()), est=est))
                continue
            if a == market:
                alpha, beta = float(ye[ok].mean()), 0.0
                sigma = float(np.std(ye[ok], ddof=1))
                model = "constant-mean"
            else:
                alpha, beta, sigma = _ols(ye[ok], xe[ok])
                model = "market"
            yw, xw = r[i0 + l1:i0 + e2 + 1], rm[i0 + l1:i0 + e2 + 1]
            ar = yw - alpha - beta * (0.0 if a == market else xw)
            if not np.isfinite(ar).all():
                warnings.append(_event_note(ev, "episodes.event_asset_gap",
                                            "episodes.event_asset_gap_noline", asset=a))
                continue
            car = np.cumsum(ar)
            for j, rel in enumerate(range(l1, e2 + 1)):
                ab_rows.append({"event": k, "asset": a, "rel_day": rel,
                                "date": dates[i0 + rel], "ret": yw[j], "market_ret": xw[j],
                                "ar": ar[j], "t_ar": ar[j] / sigma, "car": car[j]})
            L = e2 - l1 + 1
            rows.append({"event": k, "name": ev.name, "day0": dates[i0], "asset": a,
                         "role": "event" if a in own else "comparison", "window_end": e2,
                         "model": model, "alpha": alpha, "beta": beta, "sigma": sigma,
                         "n_est": int(ok.sum()), "ar0": float(ar[-l1]) if l1 <= 0 <= e2
                         else np.nan,
                         "t_ar0": float(ar[-l1] / sigma) if l1 <= 0 <= e2 else np.nan,
                         "car": float(car[-1]), "t_car": float(car[-1] / (sigma * np.sqrt(L))),
                         "raw_return": float(np.prod(1.0 + yw) - 1.0)})
        for b in basket_list:
            lr = _ew([rets(a)[i0 + l1:i0 + e2 + 1] for a in b.long])
            sr = _ew([rets(a)[i0 + l1:i0 + e2 + 1] for a in b.short])
            if not (np.isfinite(lr).all() and np.isfinite(sr).all()):
                warnings.append(_event_note(ev, "episodes.event_basket_gap",
                                            "episodes.event_basket_gap_noline", basket=b.name))
                continue
            lo_ret, sh_ret = float(np.prod(1 + lr) - 1), float(np.prod(1 + sr) - 1)
            bk_rows.append({"basket": b.name, "event": k, "long_return": lo_ret,
                            "short_return": sh_ret, "relative": (1 + lo_ret) / (1 + sh_ret) - 1})
    warnings.extend(missing_note(absent))
    if not rows:
        raise InsufficientDataError("no catalyst could be studied: " + "; ".join(warnings[-3:]))
    paths = pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
    if basket_list and spans:
        s0 = max(min(s for s, _ in spans) - 20, 1)
        s1 = min(max(e for _, e in spans) + 10, len(dates) - 1)
        idx = dates[s0:s1 + 1]
        cols = {}
        for b in basket_list:
            lr = _ew([rets(a)[s0:s1 + 1] for a in b.long])
            sr = _ew([rets(a)[s0:s1 + 1] for a in b.short])
            lr[0] = sr[0] = 0.0
            cols[b.name] = np.cumprod(1 + np.nan_to_num(lr)) / np.cumprod(1 + np.nan_to_num(sr))
        paths = pd.DataFrame(cols, index=idx)
    assumptions = {
        "market": market, "estimation_window": est, "gap": gap_, "event_window": [l1, l2],
        "roll": roll_.value, "min_estimation": min_estimation,
        "asof": None if cutoff is None else cutoff.date().isoformat(),
        "events_file": ef.path,
        "assets": "each event's own assets first, then the comparison assets "
                  f"{', '.join(default_assets) or '(none)'}",
        "model": "OLS market model; constant-mean for the market itself",
        "t_stat": "AR/s and CAR/(s sqrt(L)), s = residual std (n-2 dof)",
        "after_close_rule": "after_close events take the next session as day 0",
        "returns": "simple daily returns on market sessions (other calendars: last close, "
                   "<= 4 days stale)",
        "baskets": "equal-weighted daily rebalanced long vs short (members with a close that "
                   "day; the relative index treats days without any as flat)",
    }
    return CatalystsResult(events=pd.DataFrame(ev_rows), table=pd.DataFrame(rows),
                           abnormal=pd.DataFrame(ab_rows), baskets=pd.DataFrame(bk_rows),
                           basket_paths=paths, assumptions=assumptions,
                           warnings=tuple(warnings))
