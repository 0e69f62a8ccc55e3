"""Cross-asset contagion: rolling betas to BTC, Diebold-Yilmaz spillovers, ΔCoVaR.

All returns are aligned with the rule of :mod:`crashlens.systemic._align` (equity calendar,
crypto at the same-date close, weekend crypto moves folded into Monday). Betas are computed
pairwise (each asset with the source on their common dates) so a short history (MSTR, PLTR
from 2024-12) does not truncate the others; the spillover VAR needs a row-complete panel.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from crashlens import data
from crashlens._dates import to_timestamp_or_none
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import InsufficientDataError, ParameterError, UnknownSeriesError
from crashlens.notes import Note
from crashlens.systemic._align import aligned_returns, sample_on, to_returns
from crashlens.systemic.covar import delta_covar
from crashlens.systemic.results import ContagionHistory, ContagionResult
from crashlens.systemic.spillover import rolling_spillover, spillover

#: High-beta equities whose link to BTC is measured.
DEFAULT_EQUITIES: tuple[str, ...] = ("COIN", "MSTR", "PLTR", "TSLA", "NVDA", "NDX")
#: Spillover universe: equities, BTC, gold, rates, dollar.
DEFAULT_SPILLOVER: tuple[str, ...] = ("SPX", "NDX", "BTC", "GOLD", "UST10Y", "DXY")
#: Equal-weight equity basket for ΔCoVaR (members averaged over those with data each day).
DEFAULT_BASKET: tuple[str, ...] = ("COIN", "MSTR", "TSLA", "NVDA", "PLTR")

F = TypeVar("F", bound=Callable[..., Any])


def _is_asset_name(value: object) -> bool:
    """Whether ``source=`` holds a catalog series name (the old transmitter keyword)."""
    if not isinstance(value, str) or Path(value).exists():
        return False
    try:
        data.spec(value)
    except UnknownSeriesError:
        return False
    return True


def _transmitter_alias(fn: F) -> F:
    """Accept the old ``source="BTC"`` (the transmitting asset) as ``transmitter="BTC"``.

    ``source=`` is the data source now (:class:`crashlens.data.Source`); a catalog series
    name that is not an existing folder cannot be one, so it is read as the transmitter, with
    a ``DeprecationWarning`` (the alias goes in a later release).
    """
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _is_asset_name(kwargs.get("source")):
            if "transmitter" in kwargs:
                raise ParameterError("give the transmitting asset once, as transmitter=")
            warnings.warn(f"{fn.__name__}(source='{kwargs['source']}'): the transmitting asset "
                          f"is transmitter= now (source= is where data is read)",
                          DeprecationWarning, stacklevel=2)
            kwargs["transmitter"] = kwargs.pop("source")
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def rolling_beta(asset: pd.Series, source: pd.Series, window: int = 60
                 ) -> tuple[pd.Series, pd.Series]:
    """Rolling OLS beta ``cov(a, s) / var(s)`` and correlation over ``window`` common rows."""
    if window < 3:
        raise ParameterError(f"beta window must be >= 3, got {window}")
    f = pd.concat([asset.rename("a"), source.rename("s")], axis=1).dropna()
    cov = f["a"].rolling(window, min_periods=window).cov(f["s"])
    var = f["s"].rolling(window, min_periods=window).var()
    sda = f["a"].rolling(window, min_periods=window).std()
    beta = cov / var.where(var > 0)
    corr = cov / (sda * np.sqrt(var)).where((sda > 0) & (var > 0))
    return beta, corr


def _pair_returns(asset: str, source: str, end: pd.Timestamp | None, calendar: str,
                  max_stale_days: int) -> pd.DataFrame:
    rets, _ = aligned_returns([asset, source], end, None, calendar=calendar,
                              max_stale_days=max_stale_days, drop_stale=False)
    return rets


def _basket(members: Sequence[str], source: str, end: pd.Timestamp | None, calendar: str,
            max_stale_days: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    cal = data.close(calendar, None, end).dropna().index
    lv = data.panel([*members, source, "VIX"], None, end)
    r = to_returns(sample_on(lv, pd.DatetimeIndex(cal), max_stale_days)).iloc[1:]
    basket = r[list(members)].mean(axis=1, skipna=True)
    vix = sample_on(lv[["VIX"]], pd.DatetimeIndex(cal), max_stale_days)["VIX"].iloc[1:] / 100
    return basket, r[source], vix


def _receivers(equities: Sequence[str], tx: str) -> list[str]:
    """The assets whose beta to ``tx`` is computed: upper-cased, deduplicated, ``tx`` dropped.

    Parameters
    ----------
    equities : sequence of str
        The requested assets (any case; may contain ``tx`` or repeats).
    tx : str
        The transmitter, upper case.

    Returns
    -------
    list of str
        The assets in first-seen order.

    Raises
    ------
    ParameterError
        If no asset besides ``tx`` remains.
    """
    # the source's beta to itself is 1 by definition: asking for it is not an error, and
    # charting it (contagion_history) would only show a flat line at 1
    names = list(dict.fromkeys(e.upper() for e in equities if e.upper() != tx))
    if not names:
        raise ParameterError(f"assets: give at least one asset besides the source {tx}")
    return names


def _compute_betas(equities: Sequence[str], source: str, end: pd.Timestamp | None,
                   window: int, p: dict[str, Any], warns: list[str]
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    betas, corrs = {}, {}
    for a in equities:
        try:
            pr = _pair_returns(a, source, end, p["calendar"], p["max_stale_days"])
        except InsufficientDataError as exc:
            warns.append(Note("systemic.beta_error", asset=a, error=str(exc)))
            continue
        missing = [x for x in (a, source) if x not in pr.columns]
        if missing:  # e.g. COIN before its 2021 listing: no observation on or before the date
            warns.append(_no_pair_data(a, missing, end))
            continue
        if len(pr) < window:
            warns.append(Note("systemic.short_overlap", asset=a, n=len(pr), source=source,
                              window=window))
            continue
        b, c = rolling_beta(pr[a], pr[source], window)
        betas[a], corrs[a] = b, c
    return pd.DataFrame(betas), pd.DataFrame(corrs)


def _no_pair_data(asset: str, missing: Sequence[str], end: pd.Timestamp | None) -> Note:
    if len(missing) == 1:
        return (Note("systemic.no_pair_data", asset=asset, series=missing[0], asof=end.date())
                if end is not None else
                Note("systemic.no_pair_data_any", asset=asset, series=missing[0]))
    first, second = missing[0], missing[1]
    return (Note("systemic.no_pair_data2", asset=asset, first=first, second=second,
                 asof=end.date()) if end is not None else
            Note("systemic.no_pair_data2_any", asset=asset, first=first, second=second))


def _params(kw: dict[str, Any]) -> dict[str, Any]:
    p: dict[str, Any] = {"beta_window": 60, "spill_window": 200, "lags": 4, "horizon": 10,
                         "covar_q": 0.05, "covar_window": 750, "covar_state": ("VIX",),
                         "calendar": "SPX", "max_stale_days": 4}
    unknown = set(kw) - set(p)
    if unknown:
        raise ParameterError(f"unknown contagion parameter(s) {sorted(unknown)}; known: "
                             f"{sorted(p)}")
    p.update(kw)
    return p


@_transmitter_alias
@reads_source
def contagion(asof: str | pd.Timestamp | None = None, *, transmitter: str = "BTC",
              equities: Sequence[str] = DEFAULT_EQUITIES,
              spillover_universe: Sequence[str] = DEFAULT_SPILLOVER,
              basket: Sequence[str] = DEFAULT_BASKET, assets: Sequence[str] | None = None,
              source: SourceLike = None, **params: Any) -> ContagionResult:
    """Contagion from ``transmitter`` (BTC) on an as-of date.

    Parameters
    ----------
    asof : date, optional
        Nothing after it is read.
    transmitter : str
        The transmitting asset for betas and ΔCoVaR (the result's ``source``).
    equities : sequence of str
        Assets whose rolling beta / correlation to the source is reported.
    spillover_universe : sequence of str
        Assets of the Diebold-Yilmaz VAR.
    basket : sequence of str
        Equal-weight equity basket for ΔCoVaR.
    assets : sequence of str, optional
        Alias of ``equities`` (the report and API pass their asset override under this name).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. (Before sources existed ``source=`` named the
        transmitting asset; a catalog series name that is not an existing folder is still
        taken as ``transmitter``.)
    **params
        ``beta_window`` (60), ``spill_window`` (200), ``lags`` (4), ``horizon`` (10),
        ``covar_q`` (0.05), ``covar_window`` (750 days), ``covar_state`` (("VIX",): lagged VIX
        level / 100), ``calendar`` ("SPX"), ``max_stale_days`` (4).

    Returns
    -------
    ContagionResult
    """
    p = _params(params)
    if assets:
        equities = tuple(assets)
    end = to_timestamp_or_none(asof, "asof")
    tx = transmitter.upper()
    warns: list[str] = []
    bt, cr = _compute_betas(_receivers(equities, tx), tx, end, p["beta_window"], p, warns)
    betas = {}
    for a in bt.columns:
        s = bt[a].dropna()
        if s.empty:
            continue
        betas[a] = {"beta": float(s.iloc[-1]), "correlation": float(cr[a].dropna().iloc[-1]),
                    "window_end": s.index[-1], "window": p["beta_window"]}
        if end is not None and (end - s.index[-1]).days > p["max_stale_days"]:
            warns.append(Note("systemic.stale_beta", asset=a, end=s.index[-1].date(),
                              asof=end.date()))
    rets, w2 = aligned_returns([u.upper() for u in spillover_universe], end, None,
                               calendar=p["calendar"], max_stale_days=p["max_stale_days"])
    warns += w2
    win = rets.iloc[-p["spill_window"]:]
    if len(win) < p["spill_window"]:
        raise InsufficientDataError(f"spillover needs {p['spill_window']} aligned days, got "
                                    f"{len(win)}")
    sp = spillover(win, p["lags"], p["horizon"])
    sp["window"] = p["spill_window"]
    net = sp["net"]
    transmitters = [k for k, v in sorted(net.items(), key=lambda kv: -kv[1]) if v > 0]
    receivers = [k for k, v in sorted(net.items(), key=lambda kv: kv[1]) if v < 0]
    bk, src, vix = _basket([b.upper() for b in basket], tx, end, p["calendar"],
                           p["max_stale_days"])
    tail = pd.DataFrame({"b": bk, "s": src, "vix": vix}).dropna().iloc[-p["covar_window"]:]
    state = tail[["vix"]].rename(columns={"vix": "VIX"}) if "VIX" in p["covar_state"] else None
    covar: dict[str, Any] = {}
    try:
        covar = delta_covar(tail["b"], tail["s"], p["covar_q"], state)
        covar["basket"] = "+".join(b.upper() for b in basket)
        covar["basket_rule"] = "equal weight over members with a return that day"
    except InsufficientDataError as exc:
        warns.append(Note("systemic.covar_error", error=str(exc)))
    day = win.index[-1]
    return ContagionResult(
        asof=day, source=tx, betas=betas, spillover=sp, transmitters=transmitters,
        receivers=receivers, covar=covar, synthetic=data.is_synthetic(), beta_history=bt,
        assumptions={**p, "covar_state": list(p["covar_state"]), "equities": list(equities),
                     "spillover_universe": list(spillover_universe), "basket": list(basket),
                     "returns": "daily log returns; yields as -duration * dy",
                     "fevd": "generalised (Pesaran-Shin), row-normalised",
                     "alignment": f"{p['calendar']} calendar, same-date closes, weekend "
                                  "crypto moves folded into Monday"},
        warnings=tuple(warns))


@_transmitter_alias
@reads_source
def contagion_history(start: str | pd.Timestamp | None = None,
                      end: str | pd.Timestamp | None = None, *, transmitter: str = "BTC",
                      equities: Sequence[str] = DEFAULT_EQUITIES,
                      spillover_universe: Sequence[str] = DEFAULT_SPILLOVER,
                      spill_step: int = 5, source: SourceLike = None,
                      **params: Any) -> ContagionHistory:
    """Rolling betas, correlations and spillovers over ``start .. end`` (for charts).

    Parameters
    ----------
    start, end : date, optional
        First and last day shown (``end``: nothing after it is read).
    transmitter, equities, spillover_universe, **params
        As in :func:`contagion`.
    spill_step : int
        Compute the rolling spillover every that many days (default 5).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. (Before sources existed ``source=`` named the
        transmitting asset; a catalog series name that is not an existing folder is still
        taken as ``transmitter``.)

    Returns
    -------
    ContagionHistory
    """
    p = _params(params)
    e, s = to_timestamp_or_none(end, "end"), to_timestamp_or_none(start, "start")
    if s is not None and e is not None and s > e:
        raise ParameterError(f"start {s.date()} is after end {e.date()}")
    warns: list[str] = []
    tx = transmitter.upper()
    bt, cr = _compute_betas(_receivers(equities, tx), tx, e, p["beta_window"], p, warns)
    rets, w2 = aligned_returns([u.upper() for u in spillover_universe], e, None,
                               calendar=p["calendar"], max_stale_days=p["max_stale_days"])
    warns += w2
    if s is not None:
        first = rets.index.searchsorted(s)
        rets = rets.iloc[max(0, first - p["spill_window"] + 1):]
    sp = rolling_spillover(rets, p["spill_window"], p["lags"], p["horizon"], spill_step)
    return ContagionHistory(source=tx, betas=bt.loc[s:], correlations=cr.loc[s:],
                            spillover=sp.loc[s:], synthetic=data.is_synthetic(),
                            assumptions={**p, "covar_state": list(p["covar_state"]),
                                         "spill_step": spill_step}, warnings=tuple(warns))
