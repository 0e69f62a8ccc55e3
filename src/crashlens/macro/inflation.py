"""Inflation-path analog: today's CPI inflation path aligned against the 1970s.

Both paths are 12-month CPI inflation (percent). Each is aligned at its own peak, found from the
data inside a search window (default 1973-1975 for the first 1970s wave, 2021-2023 for the
recent one), so month 0 is the peak of both. The overlay reports the fit over the overlapping
months (correlation, RMSE) and what the 1970s path did after the month that corresponds to the
latest observation: the "second wave" question.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.notes import Note


def _peak(yoy: pd.Series, lo: str, hi: str, what: str) -> pd.Timestamp:
    w = yoy[(yoy.index >= pd.Timestamp(lo)) & (yoy.index <= pd.Timestamp(hi))].dropna()
    if w.empty:
        raise InsufficientDataError(
            Note("macro.no_cpi_recent_peak", lo=lo, hi=hi) if what == "recent"
            else Note("macro.no_cpi_past_peak", what=what, lo=lo, hi=hi))
    return pd.Timestamp(w.index[int(np.argmax(w.to_numpy()))])


def inflation_analog(
    cpi: pd.Series,
    *,
    past_window: tuple[str, str] = ("1965-01-01", "1983-12-31"),
    past_peak_search: tuple[str, str] = ("1973-01-01", "1975-12-31"),
    recent_start: str = "2019-01-01",
    recent_peak_search: tuple[str, str] = ("2021-01-01", "2023-12-31"),
    horizons: tuple[int, ...] = (6, 12, 24),
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Align the recent CPI inflation path with the 1970s at their peaks.

    Parameters
    ----------
    cpi : Series
        Monthly CPI index (first-of-month dates), already restricted to what was published at
        the as-of date.
    past_window : (str, str)
        Span of the 1970s path (default 1965-1983).
    past_peak_search, recent_peak_search : (str, str)
        Windows in which each path's peak is searched.
    recent_start : str
        First month of the recent path (default 2019-01).
    horizons : tuple of int
        Months after the current offset at which the 1970s path is reported.

    Returns
    -------
    (DataFrame, dict)
        The overlay (``month, past_date, past_yoy, recent_date, recent_yoy``) and a summary
        (peaks, current offset, fit, 1970s values ahead).
    """
    s = cpi.dropna().sort_index()
    if len(s) < 13:
        raise InsufficientDataError("CPI history shorter than 13 months")
    s.index = pd.DatetimeIndex(s.index).to_period("M").to_timestamp()
    s = s[~s.index.duplicated()].asfreq("MS")  # holes (missing releases) stay NaN
    yoy = 100.0 * (s / s.shift(12) - 1.0)
    p_peak = _peak(yoy, *past_peak_search, "1970s")
    r_peak = _peak(yoy, *recent_peak_search, "recent")
    past = yoy[(yoy.index >= pd.Timestamp(past_window[0]))
               & (yoy.index <= pd.Timestamp(past_window[1]))].dropna()
    recent = yoy[yoy.index >= pd.Timestamp(recent_start)].dropna()
    if past.empty or recent.empty:
        raise ParameterError("empty 1970s or recent window for the inflation analog")

    def months(idx: pd.Index, peak: pd.Timestamp) -> np.ndarray:
        d = pd.DatetimeIndex(idx)
        return np.asarray((d.year - peak.year) * 12 + (d.month - peak.month))

    pm, rm = months(past.index, p_peak), months(recent.index, r_peak)
    pf = pd.DataFrame({"past_date": past.index, "past_yoy": past.to_numpy()}, index=pm)
    rf = pd.DataFrame({"recent_date": recent.index, "recent_yoy": recent.to_numpy()}, index=rm)
    overlay = pf.join(rf, how="outer").rename_axis("month").reset_index()
    both = overlay.dropna(subset=["past_yoy", "recent_yoy"])
    now_m = int(rm[-1])
    fit: dict[str, Any] = {
        "past_peak_date": p_peak.date().isoformat(), "past_peak_yoy": float(yoy[p_peak]),
        "recent_peak_date": r_peak.date().isoformat(), "recent_peak_yoy": float(yoy[r_peak]),
        "latest_date": recent.index[-1].date().isoformat(),
        "latest_yoy": float(recent.iloc[-1]), "months_since_peak": now_m,
        "overlap_months": len(both),
        "correlation": float(np.corrcoef(both["past_yoy"], both["recent_yoy"])[0, 1])
        if len(both) > 2 else None,
        "rmse_pp": float(np.sqrt(np.mean((both["past_yoy"] - both["recent_yoy"]) ** 2)))
        if len(both) else None,
    }
    same = pf["past_yoy"].get(now_m)
    fit["past_yoy_same_offset"] = float(same) if same is not None else None
    for h in horizons:
        v = pf["past_yoy"].get(now_m + h)
        fit[f"past_yoy_plus_{h}m"] = float(v) if v is not None else None
    after = pf[pf.index > now_m]
    if not after.empty:
        j = int(np.argmax(after["past_yoy"].to_numpy()))
        fit["past_max_after"] = float(after["past_yoy"].iloc[j])
        fit["past_max_after_date"] = pd.Timestamp(after["past_date"].iloc[j]).date().isoformat()
    return overlay, fit
