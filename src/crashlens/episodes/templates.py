"""Point-by-point comparison of the present sell-off with template episodes (2008, 2018, 2020).

Every metric is computed the same way for "now" (from the trailing 252-session peak to the
as-of date) and for each template (from its peak to its trough, as found by the library):
depth, speed, VIX, breadth over the single stocks, cross-asset moves and the policy response.
The ``driver`` row is the only text, taken from the named episode's description.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crashlens.episodes._common import LEVEL_SERIES, SINGLE_STOCKS, missing_note, optional_close
from crashlens.episodes.library import NAMED_EPISODES, LibraryResult, _value_at
from crashlens.notes import Note

#: (row label, unit, asset) of the cross-asset block.
CROSS: tuple[tuple[str, str, str], ...] = (
    ("ndx_return", "fraction", "NDX"), ("gold_return", "fraction", "GOLD"),
    ("dxy_return", "fraction", "DXY"), ("btc_return", "fraction", "BTC"),
    ("ust10y_change", "bp", "UST10Y"), ("ust2y_change", "bp", "UST2Y"),
    ("hy_oas_change", "bp", "HY_OAS"),
)


def _move(s: pd.Series, a: str, p: pd.Timestamp, t: pd.Timestamp) -> float:
    x0, x1 = _value_at(s, p), _value_at(s, t)
    if not (np.isfinite(x0) and np.isfinite(x1)):
        return float("nan")
    return 100.0 * (x1 - x0) if a in LEVEL_SERIES or a.startswith("FED") else x1 / x0 - 1.0


def _policy(p: pd.Timestamp, t: pd.Timestamp, upper: pd.Series, effr: pd.Series) -> float:
    """Change of the policy rate (target upper bound, else EFFR) from p to t, in bp."""
    if not upper.empty and p >= upper.index[0]:
        return _move(upper, "FED_TARGET_UPPER", p, t)
    return _move(effr, "EFFR", p, t)


def _column(close: pd.Series, p: pd.Timestamp, t: pd.Timestamp, end: pd.Timestamp,
            data: dict[str, pd.Series], policy_lag: int) -> dict[str, Any]:
    seg = close[(close.index >= p) & (close.index <= end)]
    x = seg.to_numpy()
    path = close[(close.index >= p) & (close.index <= t)].to_numpy()
    sessions = len(path) - 1
    dd = float(path.min() / path[0] - 1.0) if len(path) else np.nan
    hit5 = np.flatnonzero(x <= 0.95 * x[0]) if len(x) else np.array([])
    rets = x[1: len(path)] / x[: len(path) - 1] - 1.0 if len(path) > 1 else np.array([])
    vix = data["VIX"]
    v = vix[(vix.index >= p) & (vix.index <= t)]
    down = [_move(data[s], s, p, t) for s in SINGLE_STOCKS]
    down_f = [m for m in down if np.isfinite(m)]
    pos = int(close.index.searchsorted(t))
    t_pol = close.index[min(pos + policy_lag, len(close) - 1)]
    t_pol = min(t_pol, end)
    out: dict[str, Any] = {
        "peak_date": p.date().isoformat(), "trough_date": t.date().isoformat(),
        "drawdown": dd, "sessions_peak_to_trough": sessions,
        "speed_per_session": dd / sessions if sessions > 0 else np.nan,
        "sessions_to_minus_5pct": float(hit5[0]) if hit5.size else np.nan,
        "worst_day": float(rets.min()) if rets.size else np.nan,
        "vix_peak": float(v.max()) if not v.empty else np.nan,
        "breadth_frac_down": (float(np.mean(np.array(down_f) < 0)) if down_f else np.nan),
        "breadth_n": len(down_f),
        "policy_rate_change": _policy(p, t_pol, data["FED_TARGET_UPPER"], data["EFFR"]),
    }
    for label, _unit, a in CROSS:
        out[label] = _move(data[a], a, p, t)
    return out


UNITS: dict[str, str] = {
    "driver": "text", "peak_date": "date", "trough_date": "date", "drawdown": "fraction",
    "sessions_peak_to_trough": "sessions", "speed_per_session": "fraction/session",
    "sessions_to_minus_5pct": "sessions", "worst_day": "fraction", "vix_peak": "vol points",
    "breadth_frac_down": "fraction of single stocks", "breadth_n": "stocks with data",
    "policy_rate_change": "bp (peak -> trough + policy_lag sessions)",
    **{label: unit for label, unit, _ in CROSS},
    "state_distance": "distance units", "state_similarity": "kernel weight",
}


def compare_templates(
    asof: pd.Timestamp,
    close: pd.Series,
    lib: LibraryResult,
    keys: Sequence[str],
    ranked: pd.DataFrame,
    *,
    peak_window: int = 252,
    policy_lag: int = 63,
    missing: list[str] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Build the side-by-side table ``metric, unit, now, <key>...``.

    Parameters
    ----------
    asof : Timestamp
        As-of session.
    close : Series
        S&P 500 closes up to the as-of date.
    lib : LibraryResult
        The episode library holding the templates.
    keys : sequence of str
        Template keys (e.g. ``2008``, ``2018-Q4``, ``2020``).
    ranked : DataFrame
        The analog ranking of episodes (for the state distance row).
    peak_window : int
        Sessions of the trailing peak defining the present episode (default 252).
    policy_lag : int
        Sessions after the trough over which the policy response is measured (default 63).
    missing : list of str, optional
        Filled with the context series the active source does not hold (their rows are NaN);
        the caller then names them. Without it, the warnings name them in one note.

    Returns
    -------
    (DataFrame, list of str)
        The table and warnings (missing templates; context series the active source does not
        hold, whose rows are then NaN, unless ``missing`` is given).
    """
    warnings: list[str] = []
    close = close[close.index <= asof]
    names = ["VIX", "FED_TARGET_UPPER", "EFFR", *SINGLE_STOCKS, *(a for _, _, a in CROSS)]
    absent: list[str] = missing if missing is not None else []
    data = {n: optional_close(n, None, asof, absent) for n in dict.fromkeys(names)}
    if missing is None:
        warnings.extend(missing_note(absent))
    recent = close.iloc[-peak_window:]
    p_now = pd.Timestamp(recent.index[int(np.argmax(recent.to_numpy()))])
    after = close[close.index >= p_now]
    t_now = pd.Timestamp(after.index[int(np.argmin(after.to_numpy()))])
    cols: dict[str, dict[str, Any]] = {}
    now = _column(close, p_now, t_now, asof, data, policy_lag)
    now["driver"] = "present sell-off (peak = trailing 252-session high; trough so far)"
    now["current_drawdown"] = float(close.iloc[-1] / close.loc[p_now] - 1.0)
    cols["now"] = now
    drivers = {e.key: e.driver for e in NAMED_EPISODES}
    for key in keys:
        hit = lib.episodes[lib.episodes["key"] == key]
        if hit.empty:
            warnings.append(Note("episodes.template_missing", key=key))
            continue
        e = hit.iloc[0]
        p, t = pd.Timestamp(e["peak_date"]), pd.Timestamp(e["trough_date"])
        if t > asof:
            warnings.append(Note("episodes.template_after_asof", key=key))
            continue
        col = _column(close, p, t, asof, data, policy_lag)
        col["driver"] = drivers.get(key, "")
        col["current_drawdown"] = np.nan
        r = ranked[ranked["key"] == key] if not ranked.empty else ranked
        col["state_distance"] = float(r["distance"].iloc[0]) if not r.empty else np.nan
        col["state_similarity"] = float(r["similarity"].iloc[0]) if not r.empty else np.nan
        cols[key] = col
    metrics = ["driver", "peak_date", "trough_date", "drawdown", "current_drawdown",
               "sessions_peak_to_trough", "speed_per_session", "sessions_to_minus_5pct",
               "worst_day", "vix_peak", "breadth_frac_down", "breadth_n",
               *(label for label, _, _ in CROSS), "policy_rate_change", "state_distance",
               "state_similarity"]
    units = {**UNITS, "current_drawdown": "fraction"}
    rows = []
    for m in metrics:
        row: dict[str, Any] = {"metric": m, "unit": units.get(m, "")}
        for c, vals in cols.items():
            row[c] = vals.get(m, np.nan)
        rows.append(row)
    return pd.DataFrame(rows), warnings


def template_paths(asof: pd.Timestamp, close: pd.Series, table: pd.DataFrame,
                   sessions: int = 252) -> pd.DataFrame:
    """S&P 500 paths rebased to 1 at each peak, by sessions since the peak.

    Parameters
    ----------
    asof : Timestamp
        As-of session (no template path runs past it).
    close : Series
        S&P 500 closes.
    table : DataFrame
        The comparison table of :func:`compare_templates` (its ``peak_date`` row).
    sessions : int
        Sessions after each peak to keep (default 252).

    Returns
    -------
    DataFrame
        Index ``session`` (0 = peak), one column per table column (``now`` and template keys).
    """
    close = close[close.index <= asof]
    peaks = table.set_index("metric").loc["peak_date"]
    cols = {}
    for key, p in peaks.items():
        if key == "unit" or not isinstance(p, str):
            continue
        seg = close[close.index >= pd.Timestamp(p)].iloc[: sessions + 1]
        cols[str(key)] = pd.Series(seg.to_numpy() / seg.iloc[0], index=np.arange(len(seg)))
    return pd.DataFrame(cols).rename_axis("session")
