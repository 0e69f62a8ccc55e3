"""December-2025 FOMC odds from prediction markets, and FedWatch-style odds from futures prices.

``fomc_2025_12_no_change_odds_30min.csv`` holds 30-minute order-book snapshots of the "no change"
outcome of the 9-10 Dec 2025 FOMC on Polymarket (``poly_*``) and Kalshi (``kalshi_*``), times in
US Eastern time. The mid price is read as the market's probability of no change. The implied
probability of a cut is ``1 - P(no change) - p_hike``, with ``p_hike`` a named assumption
(default 0: no market priced a December hike). These are prediction markets, not CME fed funds
futures; for futures prices use :func:`meeting_probabilities` (the CME method, implemented once
in :func:`crashlens.macro.rates.fedwatch`).

Point in time: :meth:`FedOdds.asof` keeps only observations at or before the as-of moment; a
date without a time means the end of that day (a report as of D knows D's last snapshot).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from crashlens._dates import DATETIME_HINT, DateLike, to_timestamp
from crashlens._result import Result, json_safe
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import DataError, ParameterError

#: The file in the raw-data folder.
FED_ODDS_FILE = "fomc_2025_12_no_change_odds_30min.csv"
#: The meeting the file prices (decision day).
MEETING = "2025-12-10"
#: Markets in the file: column prefix -> display name.
MARKETS: dict[str, str] = {"poly": "Polymarket", "kalshi": "Kalshi"}
#: Assumed probability of a hike at the meeting (no market priced one).
DEFAULT_P_HIKE = 0.0


@dataclasses.dataclass(frozen=True)
class FedOdds(Result):
    """Prediction-market odds of the December-2025 FOMC outcome, 30-minute snapshots.

    Attributes
    ----------
    frame : DataFrame
        Indexed by snapshot time (US Eastern, tz-naive): ``p_no_change_<market>`` (mid price,
        probability 0..1) and ``p_cut_<market>`` (``1 - p_no_change - p_hike``) for each market
        of :data:`MARKETS`.
    meeting : str
        FOMC decision day priced.
    asof_time : pandas.Timestamp or None
        The truncation moment when the result was cut by :meth:`asof`.
    """

    frame: pd.DataFrame
    meeting: str = MEETING
    asof_time: pd.Timestamp | None = None

    def p_cut(self, market: str = "poly") -> pd.Series:
        """Implied probability of a cut (0..1) through time for ``market`` (poly / kalshi)."""
        if market not in MARKETS:
            raise ParameterError(f"market: '{market}' must be one of {', '.join(MARKETS)}")
        return self.frame[f"p_cut_{market}"].dropna()

    def p_no_change(self, market: str = "poly") -> pd.Series:
        """Probability of no change (0..1) through time for ``market``."""
        if market not in MARKETS:
            raise ParameterError(f"market: '{market}' must be one of {', '.join(MARKETS)}")
        return self.frame[f"p_no_change_{market}"].dropna()

    def asof(self, when: DateLike) -> FedOdds:
        """Only the observations at or before ``when`` (a bare date = the end of that day)."""
        ts = to_timestamp(when, "asof", day=False, hint=DATETIME_HINT)
        if ts.tzinfo is not None:
            ts = ts.tz_convert("America/New_York").tz_localize(None)
        if ts == ts.normalize() and not (isinstance(when, str) and ":" in when):
            ts = ts + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
        return dataclasses.replace(self, frame=self.frame.loc[:ts], asof_time=ts)

    def to_frame(self) -> pd.DataFrame:
        """The snapshot frame."""
        return self.frame

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict: ``frame`` as records with an ISO ``time_et``."""
        out = super().to_dict()
        f = self.frame.reset_index()
        f["time_et"] = f["time_et"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        out["frame"] = json_safe(f.to_dict("records"))
        return out

    def summary(self) -> str:
        """First and last snapshot with P(cut) per market."""
        f = self.frame
        if f.empty:
            return f"FOMC {self.meeting} odds: no snapshot at or before {self.asof_time}"
        lines = [f"FOMC {self.meeting} odds (prediction markets), {f.index[0]:%Y-%m-%d %H:%M} .. "
                 f"{f.index[-1]:%Y-%m-%d %H:%M} ET, {len(f)} snapshots"]
        for m, name in MARKETS.items():
            s = self.p_cut(m)
            if not s.empty:
                lines.append(f"  {name}: P(cut) {s.iloc[0]:.1%} -> {s.iloc[-1]:.1%} "
                             f"(min {s.min():.1%}, max {s.max():.1%})")
        return "\n".join(lines)

    def plot_odds(self) -> go.Figure:
        """Implied P(cut) of each market through time (plotly Figure)."""
        fig = go.Figure()
        for m, name in MARKETS.items():
            s = self.p_cut(m)
            fig.add_scatter(x=s.index, y=s.to_numpy(), mode="lines", name=f"{name} P(cut)")
        fig.update_layout(title=f"Odds of a cut at the {self.meeting} FOMC (prediction markets)",
                          xaxis_title="time (US Eastern)", yaxis_title="probability",
                          yaxis_range=[0, 1])
        return fig


@reads_source
def load_fed_odds(path: str | Path | None = None, *, p_hike: float = DEFAULT_P_HIKE,
                  source: SourceLike = None) -> FedOdds:
    """Read the December-2025 FOMC prediction-market file.

    Parameters
    ----------
    path : path, optional
        Default ``fomc_2025_12_no_change_odds_30min.csv`` in the source's folder of raw files
        (``$CRASHLENS_DATA`` for the store).
    p_hike : float
        Assumed probability of a hike (0..1, default 0), subtracted with P(no change) from 1.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Without ``path`` the file is read from the source's
        folder of raw files (:func:`crashlens.data.files_dir`).

    Returns
    -------
    FedOdds

    Raises
    ------
    DataError
        Missing file or column, a bad time, or a probability outside [0, 1] (names the row).
    """
    if not 0.0 <= p_hike <= 1.0:
        raise ParameterError(f"p_hike: {p_hike} must be a probability in [0, 1]")
    if path is None:
        from crashlens.macro.first_prints import data_file

        path = data_file(FED_ODDS_FILE)
    p = Path(path)
    if not p.is_file():
        raise DataError("no such file", path=str(p))
    try:
        raw = pd.read_csv(p, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"not a readable UTF-8 CSV ({type(exc).__name__})", path=str(p)) from exc
    for col in ("timestamp_et", *(f"{m}_mid" for m in MARKETS)):
        if col not in raw.columns:
            raise DataError("missing column", path=str(p), column=col)
    times = pd.to_datetime(raw["timestamp_et"], errors="coerce")
    if times.isna().any():
        i = int(times.isna().to_numpy().argmax())
        raise DataError(f"'{raw['timestamp_et'].iloc[i]}' is not a time", path=str(p),
                        row=i + 2, column="timestamp_et")
    out = pd.DataFrame(index=pd.DatetimeIndex(times, name="time_et"))
    for m in MARKETS:
        v = pd.to_numeric(raw[f"{m}_mid"], errors="coerce").to_numpy()
        bad = ~((v >= 0) & (v <= 1)) & ~pd.isna(v)
        if bad.any():
            i = int(bad.argmax())
            raise DataError(f"{raw[f'{m}_mid'].iloc[i]} is not a probability in [0, 1]",
                            path=str(p), row=i + 2, column=f"{m}_mid")
        out[f"p_no_change_{m}"] = v
        out[f"p_cut_{m}"] = (1.0 - v - p_hike).clip(min=0.0)
    out = out.sort_index()
    return FedOdds(frame=out, assumptions={
        "p_hike": p_hike, "meeting": MEETING,
        "probability": "order-book mid price of the 'no change' outcome",
        "asof": "a bare date means the end of that day (US Eastern)",
        "source": f"{FED_ODDS_FILE} (Polymarket, Kalshi; not CME futures)"})


def meeting_probabilities(meetings: Sequence[str | pd.Timestamp], prices: Mapping[str, float],
                          *, current_rate: float, current_range: tuple[float, float],
                          step_bp: float = 25.0) -> pd.DataFrame:
    """Per-meeting cut / hold / hike probabilities from 30-day fed funds futures prices.

    A pure function over :func:`crashlens.macro.rates.fedwatch` (the CME method: the month's
    futures rate ``100 - price`` is the average of the rate before and after the meeting,
    weighted by days; the implied move in steps of ``step_bp`` is split between the two
    neighbouring whole steps).

    Parameters
    ----------
    meetings : sequence of dates
        FOMC decision days.
    prices : mapping
        ``{"YYYY-MM": price}`` of the monthly contracts (price = 100 - average rate, percent).
    current_rate : float
        Effective fed funds rate before the first meeting, percent.
    current_range : (float, float)
        Target range now, percent.
    step_bp : float
        One move, bp (default 25).

    Returns
    -------
    DataFrame
        One row per meeting covered: ``meeting, rate_before, rate_after, change_bp, p_cut,
        p_hold, p_hike, expected_upper``.
    """
    from crashlens.macro.rates import fedwatch

    res = fedwatch(prices, current_rate=current_rate, current_range=current_range,
                   meetings=list(meetings), step_bp=step_bp)
    return res.meetings


__all__ = ["DEFAULT_P_HIKE", "FED_ODDS_FILE", "MARKETS", "MEETING", "FedOdds", "load_fed_odds",
           "meeting_probabilities"]
