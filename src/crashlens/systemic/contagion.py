"""Cross-asset contagion: rolling betas to BTC, Diebold-Yilmaz spillovers, ΔCoVaR.

All returns are aligned with the rule of :mod:`crashlens.systemic._align` (equity calendar,
crypto at the same-date close, weekend crypto moves folded into Monday). Betas are computed
pairwise (each asset with the source on their common dates) so a short history (MSTR, PLTR
from 2024-12) does not truncate the others; the spillover VAR needs a row-complete panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crashlens import data
from crashlens._dates import to_timestamp_or_none
from crashlens.errors import InsufficientDataError, ParameterError
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


def _compute_betas(equities: Sequence[str], source: str, end: pd.Timestamp | None,
                   window: int, p: dict[str, Any], warns: list[str]
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    betas, corrs = {}, {}
    for a in equities:
        try:
            pr = _pair_returns(a, source, end, p["calendar"], p["max_stale_days"])
        except InsufficientDataError as exc:
            warns.append(f"{a}: {exc}")
            continue
        missing = [x for x in (a, source) if x not in pr.columns]
        if missing:  # e.g. COIN before its 2021 listing: no observation on or before the date
            when = f"on or before {end.date()}" if end is not None else "in the store"
            warns.append(f"{a}: no {' or '.join(missing)} data {when}; no beta")
            continue
        if len(pr) < window:
            warns.append(f"{a}: only {len(pr)} common days with {source}; no {window}-day beta")
            continue
        b, c = rolling_beta(pr[a], pr[source], window)
        betas[a], corrs[a] = b, c
    return pd.DataFrame(betas), pd.DataFrame(corrs)


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


def contagion(asof: str | pd.Timestamp | None = None, *, source: str = "BTC",
              equities: Sequence[str] = DEFAULT_EQUITIES,
              spillover_universe: Sequence[str] = DEFAULT_SPILLOVER,
              basket: Sequence[str] = DEFAULT_BASKET, assets: Sequence[str] | None = None,
              **params: Any) -> ContagionResult:
    """Contagion from ``source`` (BTC) on an as-of date.

    Parameters
    ----------
    asof : date, optional
        Nothing after it is read.
    source : str
        The transmitting asset for betas and ΔCoVaR.
    equities : sequence of str
        Assets whose rolling beta / correlation to the source is reported.
    spillover_universe : sequence of str
        Assets of the Diebold-Yilmaz VAR.
    basket : sequence of str
        Equal-weight equity basket for ΔCoVaR.
    assets : sequence of str, optional
        Alias of ``equities`` (the report and API pass their asset override under this name).
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
    source = source.upper()
    warns: list[str] = []
    # the source's beta to itself is 1 by definition: asking for it is not an error
    names = list(dict.fromkeys(e.upper() for e in equities if e.upper() != source))
    if not names:
        raise ParameterError(f"assets: give at least one asset besides the source {source}")
    bt, cr = _compute_betas(names, source, end, p["beta_window"], p, warns)
    betas = {}
    for a in bt.columns:
        s = bt[a].dropna()
        if s.empty:
            continue
        betas[a] = {"beta": float(s.iloc[-1]), "correlation": float(cr[a].dropna().iloc[-1]),
                    "window_end": s.index[-1], "window": p["beta_window"]}
        if end is not None and (end - s.index[-1]).days > p["max_stale_days"]:
            warns.append(f"{a}: last beta window ends {s.index[-1].date()}, before {end.date()}")
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
    bk, src, vix = _basket([b.upper() for b in basket], source, end, p["calendar"],
                           p["max_stale_days"])
    tail = pd.DataFrame({"b": bk, "s": src, "vix": vix}).dropna().iloc[-p["covar_window"]:]
    state = tail[["vix"]].rename(columns={"vix": "VIX"}) if "VIX" in p["covar_state"] else None
    covar: dict[str, Any] = {}
    try:
        covar = delta_covar(tail["b"], tail["s"], p["covar_q"], state)
        covar["basket"] = "+".join(b.upper() for b in basket)
        covar["basket_rule"] = "equal weight over members with a return that day"
    except InsufficientDataError as exc:
        warns.append(f"ΔCoVaR: {exc}")
    day = win.index[-1]
    return ContagionResult(
        asof=day, source=source, betas=betas, spillover=sp, transmitters=transmitters,
        receivers=receivers, covar=covar, synthetic=data.is_synthetic(), beta_history=bt,
        assumptions={**p, "covar_state": list(p["covar_state"]), "equities": list(equities),
                     "spillover_universe": list(spillover_universe), "basket": list(basket),
                     "returns": "daily log returns; yields as -duration * dy",
                     "fevd": "generalised (Pesaran-Shin), row-normalised",
                     "alignment": f"{p['calendar']} calendar, same-date closes, weekend "
                                  "crypto moves folded into Monday"},
        warnings=tuple(warns))


def contagion_history(start: str | pd.Timestamp | None = None,
                      end: str | pd.Timestamp | None = None, *, source: str = "BTC",
                      equities: Sequence[str] = DEFAULT_EQUITIES,
                      spillover_universe: Sequence[str] = DEFAULT_SPILLOVER,
                      spill_step: int = 5, **params: Any) -> ContagionHistory:
    """Rolling betas, correlations and spillovers over ``start .. end`` (for charts).

    ``spill_step`` computes the rolling spillover every that many days (default 5).
    """
    p = _params(params)
    e, s = to_timestamp_or_none(end, "end"), to_timestamp_or_none(start, "start")
    if s is not None and e is not None and s > e:
        raise ParameterError(f"start {s.date()} is after end {e.date()}")
    warns: list[str] = []
    bt, cr = _compute_betas([q.upper() for q in equities], source.upper(), e, p["beta_window"],
                            p, warns)
    rets, w2 = aligned_returns([u.upper() for u in spillover_universe], e, None,
                               calendar=p["calendar"], max_stale_days=p["max_stale_days"])
    warns += w2
    if s is not None:
        first = rets.index.searchsorted(s)
        rets = rets.iloc[max(0, first - p["spill_window"] + 1):]
    sp = rolling_spillover(rets, p["spill_window"], p["lags"], p["horizon"], spill_step)
    return ContagionHistory(source=source.upper(), betas=bt.loc[s:], correlations=cr.loc[s:],
                            spillover=sp.loc[s:], synthetic=data.is_synthetic(),
                            assumptions={**p, "covar_state": list(p["covar_state"]),
                                         "spill_step": spill_step}, warnings=tuple(warns))
