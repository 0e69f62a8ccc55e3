"""Propagation of a few shocks to every asset through the conditional Gaussian.

Daily changes ``x`` of the universe (log returns for prices, first differences for yields,
spreads and other levels) are modelled as Gaussian with covariance ``Σ`` estimated on a chosen
window. Over a horizon of ``h`` trading days the changes are ``N(0, hΣ)`` (iid days). Given the
moves ``s`` of the shocked assets ``k``, the other assets ``u`` move by the conditional mean

    E[x_u | x_k = s] = Σ_uk Σ_kk⁻¹ s                    (the horizon factor h cancels)

with conditional covariance ``h (Σ_uu − Σ_uk Σ_kk⁻¹ Σ_ku)`` (the spread around it). No drift is
added (zero-mean assumption: over a quarter the mean is small beside the shocks).

Coordinates: log changes for prices **and volatility indices** (VIX, VXN, MOVE ...: a level that
must stay positive; a log move maps back to ``level × exp(x)``), first differences for yields and
spreads (moves in bp).

``Σ`` is the covariance of overlapping ``change_days``-day changes divided by ``change_days``
(a daily-equivalent covariance). With ``change_days = 1`` it is the daily covariance; longer
changes keep the mean reversion of volatility indices and spreads that iid daily changes miss:
on the two years to 21 Nov 2025 the std of 63-day VIX log changes is about half of
``sqrt(63)`` × the daily std, so daily changes scaled to a quarter put the VIX tail at levels
the index never reached.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from crashlens.errors import DataError, InsufficientDataError, ParameterError
from crashlens.notes import Note

#: How a series moves in a scenario: log changes (prices) or differences (levels).
Coord = Literal["log", "diff"]


def coord_of(name: str, kinds: Mapping[str, str] | None = None) -> Coord:
    """Propagation coordinate: ``"log"`` (log return) for prices, ``"diff"`` for levels.

    Catalog series of kind price/oi are prices; value series (yields, spreads, macro) use
    first differences. Names outside the catalog default to ``"log"`` unless ``kinds`` says.
    """
    key = name.upper()
    if kinds and key in kinds:
        k = kinds[key]
        if k not in ("log", "diff"):
            raise DataError(f"coordinate of '{name}' must be 'log' or 'diff', not '{k}'")
        return k  # type: ignore[return-value]
    from crashlens.data.catalog import CATALOG
    from crashlens.data.schema import Kind

    sp = CATALOG.get(key)
    if sp is None:
        return "log"
    return "diff" if sp.kind in (Kind.VALUE, Kind.FUNDING) else "log"


#: Assets propagated to when neither the spec nor the caller names a universe.
DEFAULT_UNIVERSE: tuple[str, ...] = (
    "SPX", "NDX", "RUT", "VIX", "NVDA", "GOOG", "MSFT", "AMZN", "META", "TSLA", "SMH", "COIN",
    "BTC", "ETH", "GOLD", "SILVER", "COPPER", "WTI", "DXY", "USDJPY", "EURUSD",
    "UST2Y", "UST10Y", "UST30Y", "TLT", "HYG", "LQD", "HY_OAS", "IG_OAS",
)

#: Named stress windows (start, end), inclusive.
STRESS_WINDOWS: dict[str, tuple[str, str]] = {
    "2008": ("2008-09-01", "2009-03-31"),
    "2018q4": ("2018-10-01", "2018-12-31"),
    "2020": ("2020-02-19", "2020-04-30"),
    "2022": ("2022-01-03", "2022-10-31"),
}

#: Default covariance window: trailing two years to the as-of date.
DEFAULT_WINDOW = "2y"

_TRAILING = re.compile(r"^(\d+)\s*([ymd])$")


@dataclass(frozen=True)
class Window:
    """A resolved covariance window: ``label`` as given, inclusive ``start`` / ``end``."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp


def resolve_window(window: str | None, asof: pd.Timestamp) -> Window:
    """Resolve a window name against the as-of date.

    Parameters
    ----------
    window : str or None
        ``"2y"`` (default; also ``"1y"``, ``"6m"``, ``"90d"``: trailing to as-of), a named stress
        window (``"2008"``, ``"2018q4"``, ``"2020"``, ``"2022"``, see :data:`STRESS_WINDOWS`), or
        ``"YYYY-MM-DD:YYYY-MM-DD"``.
    asof : Timestamp
        The as-of date; no window may end after it (no look-ahead).

    Raises
    ------
    ParameterError
        Unknown name, bad dates, start after end, or a window ending after as-of.
    """
    label = (window or DEFAULT_WINDOW).strip().lower()
    m = _TRAILING.match(label)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        if n <= 0:
            raise ParameterError(f"--window: '{window}' must be a positive length")
        offset = {"y": pd.DateOffset(years=n), "m": pd.DateOffset(months=n),
                  "d": pd.DateOffset(days=n)}[unit]
        return Window(label, asof - offset, asof)
    if label in STRESS_WINDOWS:
        a, b = STRESS_WINDOWS[label]
        start, end = pd.Timestamp(a), pd.Timestamp(b)
    elif ":" in label:
        a, _, b = label.partition(":")
        try:
            start, end = pd.Timestamp(a), pd.Timestamp(b)
        except (ValueError, TypeError) as exc:
            raise ParameterError(f"--window: '{window}' has a bad date") from exc
        if pd.isna(start) or pd.isna(end):
            raise ParameterError(f"--window: '{window}' has a bad date")
    else:
        raise ParameterError(
            f"--window: unknown window '{window}'; use e.g. 2y, 1y, 6m, "
            f"{', '.join(STRESS_WINDOWS)} or YYYY-MM-DD:YYYY-MM-DD")
    if start >= end:
        raise ParameterError(f"--window: start {start.date()} is not before end {end.date()}")
    if end > asof:
        raise ParameterError(f"--window: ends {end.date()}, after the as-of date {asof.date()} "
                             "(that would use the future)")
    return Window(label, start, end)


def daily_changes(series: Mapping[str, pd.Series], coords: Mapping[str, Coord],
                  window: Window, *, max_fill_days: int = 3, min_coverage: float = 0.25,
                  calendar: str | None = "SPX",
                  change_days: int = 1) -> tuple[pd.DataFrame, list[str]]:
    """Aligned (overlapping ``change_days``-day) changes of the universe on a window.

    Parameters
    ----------
    series : mapping of str to Series
        Levels (closes / values) by asset.
    coords : mapping of str to {"log", "diff"}
        Coordinate per asset: log return or first difference.
    window : Window
        Inclusive dates.
    max_fill_days : int
        A level missing on a calendar day is carried forward for at most this many rows
        (holidays of one market, crypto weekends); longer gaps stay missing.
    min_coverage : float
        Assets with changes on fewer than this fraction of the window's days are excluded.
    calendar : str or None
        Asset whose dates form the calendar (default SPX, i.e. US trading days); when absent,
        Monday-Friday business days.
    change_days : int
        Calendar rows spanned by one change (1 = daily changes; 21 = overlapping 21-session
        changes, one per day). Divide their covariance by ``change_days`` for a daily one.

    Returns
    -------
    changes : DataFrame
        Rows = calendar days, columns = retained assets; NaN where an asset has no data.
    notes : list of str
        One line per excluded asset.
    """
    if not 0 < min_coverage <= 1:
        raise ParameterError(f"min_coverage must be in (0, 1], got {min_coverage}")
    if change_days < 1:
        raise ParameterError(f"change_days must be a positive number of sessions, got "
                             f"{change_days}")
    cal_s = series.get(calendar) if calendar else None
    if cal_s is not None:
        days = cal_s.loc[window.start:window.end].index
    else:
        days = pd.bdate_range(window.start, window.end)
    notes: list[str] = []
    cols: dict[str, pd.Series] = {}
    for name, s in series.items():
        # reindex on the union, fill short gaps, then keep the calendar days
        s = s.loc[: window.end]
        full = s.reindex(s.index.union(days)).ffill(limit=max_fill_days)
        lvl = full.reindex(days)
        if coords[name] == "log":
            if (lvl <= 0).any():
                notes.append(Note("scenarios.non_positive", asset=name))
                continue
            chg = np.log(lvl).diff(change_days)
        else:
            chg = lvl.diff(change_days)
        cols[name] = chg.iloc[change_days:]
    frame = pd.DataFrame(cols, index=days[change_days:])
    n = len(frame)
    if n == 0:
        raise InsufficientDataError(
            f"no trading days in the window {window.start.date()}..{window.end.date()}")
    keep = []
    for name in frame.columns:
        cov = frame[name].notna().mean()
        if cov < min_coverage:
            notes.append(Note("scenarios.low_coverage", asset=name, coverage=float(cov),
                              min_coverage=min_coverage))
        else:
            keep.append(name)
    out = frame[keep].dropna(how="all")
    return out, notes


def covariance(changes: pd.DataFrame, *, method: str = "pairwise", min_obs: int = 20,
               eig_floor: float = 1e-8) -> tuple[pd.DataFrame, int]:
    """Covariance of daily changes (denominator n-1) from a frame that may have gaps.

    Parameters
    ----------
    changes : DataFrame
        Daily changes, NaN where an asset has no data (assets with shorter histories).
    method : {"pairwise", "listwise"}
        ``"listwise"``: sample covariance of the days on which every asset has data.
        ``"pairwise"`` (default): each pair's covariance on the days both have data, repaired
        by :func:`nearest_psd` when it is not a valid covariance (``attrs`` records the largest
        change of a correlation); uses all the history of the long series. Identical to
        listwise when nothing is missing.
    min_obs : int
        Fewest days (per pair for pairwise) accepted.
    eig_floor : float
        Smallest eigenvalue of the correlation matrix kept by the pairwise repair.

    Returns
    -------
    cov : DataFrame
        Daily covariance, assets x assets.
    n_obs : int
        Days used (listwise) or the smallest pairwise count.

    Raises
    ------
    InsufficientDataError
        Fewer than ``min_obs`` days.
    ParameterError
        Unknown method.
    """
    if method == "listwise":
        full = changes.dropna(how="any")
        n = len(full)
        if n < min_obs:
            raise InsufficientDataError(
                f"only {n} days on which every asset has data (need {min_obs}); use a longer "
                "--window, fewer assets or the pairwise covariance")
        x = full.to_numpy(dtype=float)
        x = x - x.mean(axis=0)
        cov = x.T @ x / (n - 1)
        return pd.DataFrame(cov, index=changes.columns, columns=changes.columns), n
    if method != "pairwise":
        raise ParameterError(f"covariance method must be 'pairwise' or 'listwise', not "
                             f"'{method}'")
    ok = changes.notna().astype(float).to_numpy()
    counts = ok.T @ ok
    n = int(counts.min()) if counts.size else 0
    if n < min_obs:
        i, j = (int(v) for v in np.unravel_index(int(np.argmin(counts)), counts.shape))
        pair = f"{changes.columns[i]}/{changes.columns[j]}"
        raise InsufficientDataError(
            f"only {n} common days for {pair} on the window (need {min_obs}); use a longer "
            "--window or fewer assets")
    raw = changes.cov(min_periods=min_obs).to_numpy()
    fixed, shift = nearest_psd(raw, eig_floor=eig_floor)
    out = pd.DataFrame(fixed, index=changes.columns, columns=changes.columns)
    out.attrs["psd_repair_max_corr_change"] = shift
    return out, n


def nearest_psd(cov: np.ndarray, *, eig_floor: float = 1e-8) -> tuple[np.ndarray, float]:
    """Make a symmetric matrix a valid covariance, on the correlation scale.

    The matrix is turned into a correlation matrix (so assets in different units weigh the
    same), eigenvalues below ``eig_floor`` are lifted to it, the diagonal is reset to 1 and the
    variances are put back. Unchanged when already positive semi-definite.

    Returns
    -------
    cov : ndarray
        The repaired covariance (variances unchanged).
    max_change : float
        Largest absolute change of a correlation (0.0 when nothing was repaired).
    """
    cov = 0.5 * (cov + cov.T)
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    if (sd <= 0).any():
        raise InsufficientDataError("an asset has zero variance on the window (a constant "
                                    "series); drop it or use another window")
    corr = cov / np.outer(sd, sd)
    vals, vecs = np.linalg.eigh(corr)
    if vals.min() >= eig_floor:
        return cov, 0.0
    fixed = (vecs * np.maximum(vals, eig_floor)) @ vecs.T
    d = np.sqrt(np.diag(fixed))
    fixed = fixed / np.outer(d, d)
    change = float(np.abs(fixed - corr).max())
    return fixed * np.outer(sd, sd), change


def conditional_gaussian(cov: np.ndarray, k: Sequence[int], s: np.ndarray,
                         *, rcond: float = 1e-10) -> tuple[np.ndarray, np.ndarray, bool]:
    """Conditional mean and covariance of a zero-mean Gaussian given some coordinates.

    Parameters
    ----------
    cov : ndarray, shape (n, n)
        Covariance of all coordinates.
    k : sequence of int, length m
        Indices of the conditioned (shocked) coordinates.
    s : ndarray, shape (m,)
        Their values.
    rcond : float
        Relative cut-off for singular values of ``Σ_kk`` (pseudo-inverse when singular).

    Returns
    -------
    mean : ndarray, shape (n,)
        ``E[x | x_k = s]``: ``s`` on ``k``, ``Σ_uk Σ_kk⁻¹ s`` elsewhere.
    cond_cov : ndarray, shape (n, n)
        ``Σ − Σ_·k Σ_kk⁻¹ Σ_k·`` (zero rows/columns on ``k``).
    singular : bool
        Whether ``Σ_kk`` was singular (a pseudo-inverse was used).
    """
    cov = np.asarray(cov, dtype=float)
    s = np.asarray(s, dtype=float)
    k = list(k)
    if cov.ndim != 2 or cov.shape[0] != cov.shape[1]:
        raise ParameterError(f"covariance must be square, got shape {cov.shape}")
    if len(k) != s.shape[0]:
        raise ParameterError(f"{len(k)} shocked indices but {s.shape[0]} shock values")
    if not k:
        return np.zeros(cov.shape[0]), cov.copy(), False
    skk = cov[np.ix_(k, k)]
    sak = cov[:, k]
    singular = bool(np.linalg.cond(skk) > 1.0 / rcond)
    inv = np.linalg.pinv(skk, rcond=rcond) if singular else np.linalg.inv(skk)
    gain = sak @ inv                      # (n, m)
    mean = gain @ s
    mean[k] = s
    cond = cov - gain @ sak.T
    cond[k, :] = 0.0
    cond[:, k] = 0.0
    cond = 0.5 * (cond + cond.T)
    return mean, cond, singular
