"""Dealer gamma exposure (GEX): by contract, strike and expiry; profile; levels; flows.

Units (METHODOLOGY section 2.1): ``GEX_j = s_j * Gamma_j * OI_j * M * S**2 * 0.01``, the dollar
change of dealers' delta for a 1 % move of the underlying (USD per 1 %), with ``s_j`` the dealer
sign of the contract (:class:`~crashlens.options.SignConvention`). Dealer hedge flow for a move of
``x`` % is ``-GEX * x`` (long-gamma dealers sell rallies and buy dips);
``hedge_flow_usd_per_1pct`` is the flow for a 1 % **decline** (``x = -1``): negative = dealers
sell into the drop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crashlens._dates import DATETIME_HINT, to_timestamp
from crashlens.config import numba_enabled
from crashlens.errors import DataError, ParameterError
from crashlens.notes import Note
from crashlens.options import _profile_kernels as pk
from crashlens.options._gex_result import GexResult
from crashlens.options._threads import threads_for
from crashlens.options._types import SignConvention, TimeConvention, VolModel, coerce_enum
from crashlens.options.chains import (
    OptionChain,
    chain_from_frame,
    implied_spot,
    read_chain,
    years_to_expiry,
)
from crashlens.options.greeks import bsm_greeks, implied_vol
from crashlens.options.levels import nearest_crossing, walls, zero_crossings
from crashlens.options.zero_dte import UNDEFINED_0DTE, zero_dte_stats

__all__ = ["GexResult", "gex", "next_monthly_expiry"]

N_GROUPS = 8  # put(4) x next-expiry(2) x next-monthly(1)
STICKY_DELTA_BLOCK = 4_000_000  # (spots x contracts) vols held at once under sticky delta

#: A spot outside [lo x lowest strike, hi x highest strike] is refused (a spot merely outside
#: the strikes gets a warning): such a chain says
#: nothing about dealers at that price, and a typo (1e308) must not become a silent 0.
SPOT_RANGE = (0.01, 100.0)


def next_monthly_expiry(expiries: pd.Series | list[pd.Timestamp]) -> pd.Timestamp | None:
    """Earliest standard monthly expiry among ``expiries``.

    A monthly expiry is the third Friday of its month, or the Thursday before it when the
    chain lists that Thursday and not the Friday (exchange holiday).
    """
    idx = pd.DatetimeIndex(pd.to_datetime(pd.Series(list(expiries) if isinstance(expiries, list)
                                                    else expiries)))
    days = sorted(idx.normalize().unique())
    have = set(days)
    for d in days:
        third_friday = d.weekday() == 4 and 15 <= d.day <= 21
        thursday_holiday = (d.weekday() == 3 and 15 <= (d + pd.Timedelta(days=1)).day <= 21
                            and (d + pd.Timedelta(days=1)) not in have)
        if third_friday or thursday_holiday:
            return d
    return None


def _sticky_delta_vols(
    grid: np.ndarray, spot: float, K: np.ndarray, iv: np.ndarray, is_call: np.ndarray,
    exp_codes: np.ndarray,
) -> np.ndarray:
    """Vol per (grid spot, contract): each expiry's smile read at the contract's moneyness."""
    out = np.empty((grid.size, K.size))
    for e in np.unique(exp_codes):
        idx = np.flatnonzero(exp_codes == e)
        k, v, c = K[idx], iv[idx], is_call[idx]
        otm = np.where(k >= spot, c, ~c)  # OTM side of the smile, the other side where missing
        pts = pd.DataFrame({"x": np.log(k / spot), "v": v, "otm": otm})
        smile = pts.sort_values(["x", "otm"]).groupby("x", sort=True)["v"].last()
        xs, vs = smile.index.to_numpy(dtype=float), smile.to_numpy(dtype=float)
        moneyness = np.log(k[None, :] / grid[:, None])
        out[:, idx] = np.interp(moneyness, xs, vs)
    return out


def _resolve_chain(chain: OptionChain | pd.DataFrame | str | Path) -> OptionChain:
    if isinstance(chain, OptionChain):
        return chain
    if isinstance(chain, pd.DataFrame):
        return chain_from_frame(chain)
    if isinstance(chain, str | Path):
        return read_chain(chain)
    raise ParameterError(f"chain must be an OptionChain, DataFrame or path, not "
                         f"{type(chain).__name__}")


def _fill_iv(
    f: pd.DataFrame, T: np.ndarray, cand: np.ndarray, spot: float, r: float, q: float,
    iv_fill: str, warns: list[str],
) -> np.ndarray:
    iv = f["iv"].to_numpy(dtype=float).copy()
    need = cand & ~(np.isfinite(iv) & (iv > 0))
    if need.any() and iv_fill == "mid":
        bid, ask, last = (f[c].to_numpy(dtype=float) for c in ("bid", "ask", "last"))
        mid = 0.5 * (bid + ask)
        price = np.where((bid > 0) & (ask >= bid), mid, np.where(last > 0, last, np.nan))
        idx = np.flatnonzero(need & np.isfinite(price))
        if idx.size:
            solved = implied_vol(price[idx], spot, f["strike"].to_numpy()[idx], T[idx], r, q,
                                 (f["option_type"].to_numpy()[idx] == "C"))
            iv[idx] = solved
            warns.append(Note("options.iv_solved", n=int(np.isfinite(solved).sum())))
    still = cand & ~(np.isfinite(iv) & (iv > 0))
    if still.any():
        oi = f["open_interest"].to_numpy(dtype=float)
        warns.append(Note("options.iv_excluded", n=int(still.sum()), oi=float(oi[still].sum()),
                          share=float(oi[still].sum() / oi[cand].sum())))
    return np.where(still, np.nan, iv)


def gex(
    chain: OptionChain | pd.DataFrame | str | Path,
    spot: float | None = None,
    rate: float = 0.0,
    dividend_yield: float = 0.0,
    asof: Any = None,
    *,
    sign_convention: SignConvention | str = SignConvention.LONG_CALLS_SHORT_PUTS,
    vol_model: VolModel | str = VolModel.STICKY_STRIKE,
    grid_range: tuple[float, float] = (0.8, 1.2),
    grid_points: int = 201,
    grid_spacing: str = "log",
    min_time_minutes: float = 1.0,
    iv_fill: str = "mid",
) -> GexResult:
    """Dealer gamma exposure of an option chain.

    Parameters
    ----------
    chain : OptionChain, DataFrame or path
        The chain (a path is read with :func:`crashlens.options.read_chain`).
    spot : float, optional
        Underlying price; default the chain's own quote.
    rate, dividend_yield : float, default 0.0
        Continuously compounded annual risk-free rate and dividend yield (fractions).
    asof : datetime-like, optional
        Valuation time, US/Eastern; default the chain's quote time. A bare date means the
        chain's quote time when it is that day, else that day's 16:00 close. Contracts settled
        at or before it are excluded (reported in ``warnings``).
    sign_convention : SignConvention or str, default "long_calls_short_puts"
        Dealer side per option type; the result's ``sensitivity`` table shows the others.
    vol_model : {"sticky_strike", "sticky_delta"}, default "sticky_strike"
        How IVs move along the profile: each contract keeps its IV, or IV follows moneyness
        along its expiry's smile.
    grid_range : (float, float), default (0.8, 1.2)
        Profile spots as fractions of spot.
    grid_points : int, default 201
        Number of profile spots (0.2 % steps by default).
    grid_spacing : {"log", "linear"}, default "log"
        Geometric spots (equal percentage steps; enables the fast recurrence kernel) or
        equally spaced spots (``linspace``, as in the perfiliev tutorial).
    min_time_minutes : float, default 1.0
        Floor of time to settlement for live contracts (0DTE in the last minute).
    iv_fill : {"mid", "none"}, default "mid"
        Zero or missing IV of a contract with open interest: solve it from the bid/ask mid
        (else last sale), or exclude the contract. Exclusions are reported in ``warnings``.

    Returns
    -------
    GexResult

    Raises
    ------
    ParameterError
        Missing spot or as-of time, invalid parameters.
    DataError
        No live contract with open interest and a usable IV.
    """
    ch = _resolve_chain(chain)
    conv = coerce_enum(sign_convention, SignConvention, "sign_convention")
    vm = coerce_enum(vol_model, VolModel, "vol_model")
    assert isinstance(conv, SignConvention) and isinstance(vm, VolModel)
    for name, val in (("rate", rate), ("dividend_yield", dividend_yield)):
        if not (isinstance(val, int | float) and np.isfinite(val) and abs(val) < 1.0):
            raise ParameterError(f"{name} must be a finite annual fraction (|x| < 1), got {val!r}")
    lo, hi = (float(x) for x in grid_range)
    if not (0 < lo < 1 < hi and np.isfinite(hi)):
        raise ParameterError(f"grid_range must satisfy 0 < low < 1 < high, got {grid_range}")
    if not (isinstance(grid_points, int) and grid_points >= 3):
        raise ParameterError(f"grid_points must be an integer >= 3, got {grid_points!r}")
    if grid_spacing not in {"log", "linear"}:
        raise ParameterError(f"grid_spacing: '{grid_spacing}' is not one of log, linear")
    if iv_fill not in {"mid", "none"}:
        raise ParameterError(f"iv_fill: '{iv_fill}' is not one of mid, none")
    if asof is None:
        if ch.quote_time is None:
            raise ParameterError("no as-of time: the chain has no quote time; pass asof (--asof)")
        at = pd.Timestamp(ch.quote_time)
    else:
        at = to_timestamp(asof, "asof", day=False, hint=DATETIME_HINT)
        if at.tzinfo is not None:
            at = at.tz_convert("America/New_York").tz_localize(None)
        elif at == at.normalize() and not (isinstance(asof, str) and ":" in asof):
            # a bare date: the chain's own quote time that day, else that day's 16:00 close
            qt = ch.quote_time
            at = (pd.Timestamp(qt) if qt is not None and pd.Timestamp(qt).normalize() == at
                  else at + pd.Timedelta(hours=16))
    if ch.quote_time is not None and at.normalize() < pd.Timestamp(ch.quote_time).normalize():
        # open interest and IVs quoted later cannot describe an earlier day
        raise ParameterError(f"asof {at.date()} is before the chain's quote time "
                             f"{pd.Timestamp(ch.quote_time):%Y-%m-%d %H:%M}: a chain can only be "
                             "valued on or after the day it was quoted")
    warns = list(ch.warnings)
    if ch.quote_time is not None and at - pd.Timestamp(ch.quote_time) > pd.Timedelta(days=1):
        # times as printed (with the time of day), not as ISO days
        warns.append(Note("options.stale_valuation", at=str(at), quoted=str(ch.quote_time),
                          days=(at - pd.Timestamp(ch.quote_time)).days))
    spot_source = "user" if spot is not None else "chain quote"
    s = ch.spot if spot is None else spot
    if s is None:
        parity = implied_spot(ch.frame, at, rate, dividend_yield, min_time_minutes)
        if parity is None:
            raise ParameterError("no spot: the chain has no quoted underlying price and no "
                                 "call/put pair to imply one; pass spot (--spot)")
        s, how = parity
        spot_source = "put-call parity"
        warns.append(how)
    if not (isinstance(s, int | float) and np.isfinite(s) and s > 0):
        raise ParameterError(f"spot must be a positive number, got {s!r}")
    s = float(s)
    f = ch.frame
    k_lo, k_hi = float(f["strike"].min()), float(f["strike"].max())
    if not SPOT_RANGE[0] * k_lo <= s <= SPOT_RANGE[1] * k_hi:
        raise ParameterError(
            f"spot {s:,.6g} is far outside the chain's strikes ({k_lo:,.2f} .. {k_hi:,.2f}): "
            f"expected between {SPOT_RANGE[0]:g}x the lowest and {SPOT_RANGE[1]:g}x the highest "
            "strike")
    T = years_to_expiry(f["expiry"], at, min_time_minutes)
    live = T > 0
    oi = f["open_interest"].to_numpy(dtype=float)
    if (~live).any():
        warns.append(Note("options.settled_excluded", n=int((~live).sum()), at=str(at),
                          oi=float(oi[~live].sum())))
    cand = live & (oi > 0)
    if not cand.any():
        raise DataError("no live contract with open interest in the chain "
                        f"(as of {at}); nothing to compute", path=ch.source)
    iv = _fill_iv(f, T, cand, s, rate, dividend_yield, iv_fill, warns)
    use = cand & np.isfinite(iv) & (iv > 0)
    if not use.any():
        raise DataError("no contract with open interest has a usable implied vol", path=ch.source)
    K = f["strike"].to_numpy(dtype=float)
    if s < K[use].min() or s > K[use].max():
        warns.append(Note("options.spot_outside_strikes", spot=s, lo=float(K[use].min()),
                          hi=float(K[use].max())))
    u = np.flatnonzero(use)
    c = f.iloc[u].reset_index(drop=True)
    is_call = (c["option_type"] == "C").to_numpy()
    Ku, Tu, ivu = K[u], T[u], iv[u]
    g = bsm_greeks(s, Ku, Tu, ivu, rate, dividend_yield, is_call)
    sc, sp = conv.signs
    sign = np.where(is_call, sc, sp)
    base = c["open_interest"].to_numpy(dtype=float) * c["multiplier"].to_numpy(dtype=float)
    gex_j = sign * g.gamma * base * s * s * 0.01
    c = pd.concat([c, pd.DataFrame({
        "t_years": Tu, "iv_used": ivu, "sign": sign, "delta": g.delta, "gamma": g.gamma,
        "vanna": g.vanna, "charm": g.charm, "gex": gex_j})], axis=1)

    # by strike / by expiry (numpy group sums)
    oi_u = c["open_interest"].to_numpy(dtype=float)
    gc, gp = np.where(is_call, gex_j, 0.0), np.where(is_call, 0.0, gex_j)
    strikes, k_inv = np.unique(Ku, return_inverse=True)

    def ksum(x: np.ndarray) -> np.ndarray:
        return np.bincount(k_inv, weights=x, minlength=strikes.size)

    by_strike = pd.DataFrame({
        "strike": strikes, "call_gex": ksum(gc), "put_gex": ksum(gp),
        "net_gex": ksum(gex_j), "call_oi": ksum(np.where(is_call, oi_u, 0.0)),
        "put_oi": ksum(np.where(is_call, 0.0, oi_u)),
    })
    e_codes, e_vals = pd.factorize(c["expiry"].to_numpy(), sort=True)
    settle = pd.DatetimeIndex(e_vals)

    def esum(x: np.ndarray) -> np.ndarray:
        return np.bincount(e_codes, weights=x, minlength=settle.size)

    by_expiry = pd.DataFrame({
        "expiry": settle.normalize(), "settlement": settle, "gex_usd_per_1pct": esum(gex_j),
        "call_gex": esum(gc), "put_gex": esum(gp), "open_interest": esum(oi_u),
    })
    call_wall, put_wall, abs_strike = walls(by_strike["strike"], by_strike["call_gex"],
                                            by_strike["put_gex"])

    # profile: one kernel pass, unsigned, by group (put x next-expiry x next-monthly)
    nxt = settle.min()
    monthly_day = next_monthly_expiry(pd.Series(settle))
    is_next = e_codes == 0  # codes are sorted by settlement time
    is_monthly = ((settle.normalize() == monthly_day)[e_codes] if monthly_day is not None
                  else np.zeros(len(c), dtype=bool))
    group = ((~is_call).astype(np.int64) * 4 + is_next.astype(np.int64) * 2
             + is_monthly.astype(np.int64))
    if grid_spacing == "log":
        grid = np.geomspace(lo * s, hi * s, grid_points)
    else:
        grid = np.linspace(lo * s, hi * s, grid_points)
    w = base * 0.01
    prof = np.empty((N_GROUPS, grid_points))
    use_nb = numba_enabled()
    if vm is VolModel.STICKY_STRIKE:
        a_, b_, c_ = pk.sticky_strike_coeffs(Ku, Tu, ivu, w, rate, dividend_yield)
        kern: Callable[..., Any]
        if use_nb and grid_spacing == "log":  # ~1/20 of an exp per pair
            with threads_for(Ku.size * grid_points / 20):
                pk.profile_loggrid(lo * s, hi * s, grid_points, a_, b_, c_, group, N_GROUPS,
                                   prof)
        else:
            kern = pk.profile_sticky_strike_nb if use_nb else pk.profile_sticky_strike_np
            with threads_for(Ku.size * grid_points):
                kern(grid, a_, b_, c_, group, N_GROUPS, prof)
    else:
        kern = pk.profile_general_nb if use_nb else pk.profile_general_np
        step = max(1, STICKY_DELTA_BLOCK // max(Ku.size, 1))
        with threads_for(Ku.size * grid_points):
            for i0 in range(0, grid_points, step):
                sub = grid[i0:i0 + step]
                sig2 = _sticky_delta_vols(sub, s, Ku, ivu, is_call, e_codes)
                part = np.empty((N_GROUPS, sub.size))
                kern(sub, Ku, Tu, sig2, w, float(rate), float(dividend_yield), group, N_GROUPS,
                     part)
                prof[:, i0:i0 + sub.size] = part
    calls_p = prof[:4].sum(axis=0)
    puts_p = prof[4:].sum(axis=0)
    keep_nn = np.array([gi for gi in range(N_GROUPS) if not gi & 2])
    keep_nm = np.array([gi for gi in range(N_GROUPS) if not gi & 1])

    def signed(rows: np.ndarray, scs: float = sc, sps: float = sp) -> np.ndarray:
        return np.asarray(scs * prof[rows[rows < 4]].sum(axis=0)
                          + sps * prof[rows[rows >= 4]].sum(axis=0))

    main = sc * calls_p + sp * puts_p
    ex_next = signed(keep_nn)
    ex_monthly = signed(keep_nm) if monthly_day is not None else np.full(grid_points, np.nan)
    profile = pd.DataFrame({"spot": grid, "gex_usd_per_1pct": main, "calls": sc * calls_p,
                            "puts": sp * puts_p, "ex_next_expiry": ex_next,
                            "ex_next_monthly": ex_monthly})
    crossings = zero_crossings(grid, main)
    zg = nearest_crossing(crossings, s)
    if zg is None:
        warns.append(Note("options.no_zero_gamma", lo=lo * s, hi=hi * s))
    zg_nn = nearest_crossing(zero_crossings(grid, ex_next), s)
    zg_nm = (nearest_crossing(zero_crossings(grid, ex_monthly), s)
             if monthly_day is not None else None)
    total = float(gex_j.sum())

    # sensitivity to the sign convention (walls do not depend on it)
    call_tot, put_tot = float(gex_j[is_call].sum() * sc), float(gex_j[~is_call].sum() * sp)
    rows = []
    for alt in SignConvention:
        ac, ap = alt.signs
        tot = ac * call_tot + ap * put_tot
        pa = ac * calls_p + ap * puts_p
        cr = zero_crossings(grid, pa)
        rows.append({"sign_convention": alt.value, "total_gex_usd_per_1pct": tot,
                     "zero_gamma": nearest_crossing(cr, s), "n_crossings": int(cr.size),
                     "hedge_flow_usd_per_1pct": tot, "call_wall": call_wall,
                     "put_wall": put_wall, "abs_gamma_strike": abs_strike})
    sensitivity = pd.DataFrame(rows)

    z = zero_dte_stats(f, at, live, _scatter(len(f), u, gex_j))
    # an undefined 0DTE share is said by the zero_dte block, not as a warning of the profile
    warns.extend(w for w in z.warnings if getattr(w, "code", None) not in UNDEFINED_0DTE)

    assumptions = {
        "sign_convention": conv.value,
        "sign_convention_label": conv.label,
        "rate": float(rate),
        "dividend_yield": float(dividend_yield),
        "time_convention": TimeConvention.ACT365_MINUTES.value,
        "min_time_minutes": float(min_time_minutes),
        "model": "Black-Scholes-Merton (European), continuous rate and dividend yield",
        "vol_model": vm.value,
        "iv_fill": iv_fill,
        "grid": f"{grid_points} {grid_spacing}-spaced spots from {lo:g}x to {hi:g}x spot",
        "spot_source": spot_source,
        "asof_source": "user" if asof is not None else "chain quote time",
        "settlement": "AM 09:30 ET for SPX/NDX/RUT/VIX monthlies, else PM 16:00 ET",
        "gex_units": "USD of dealer delta per 1 % move of the underlying",
        "hedge_flow_move": "-1 % (a decline); + = dealers buy, - = dealers sell",
        "open_interest": "as reported (previous settlement)",
    }
    return GexResult(
        underlying=ch.underlying, spot=s, asof=at, total_gex_usd_per_1pct=total,
        zero_gamma=zg, zero_gamma_crossings=tuple(float(x) for x in crossings),
        call_wall=call_wall, put_wall=put_wall, abs_gamma_strike=abs_strike,
        by_expiry=by_expiry, by_strike=by_strike, profile=profile,
        hedge_flow_usd_per_1pct=total, zero_dte_share=z.volume_share_contracts, zero_dte=z,
        dex_usd=float(np.sum(sign * g.delta * base) * s),
        vanna_usd_per_vol_pt=float(np.sum(sign * g.vanna * base) * s * 0.01),
        charm_usd_per_day=float(np.sum(sign * g.charm * base) * s / 365.0),
        zero_gamma_ex_next_expiry=zg_nn, zero_gamma_ex_next_monthly=zg_nm,
        next_expiry=pd.Timestamp(nxt), next_monthly_expiry=monthly_day,
        sensitivity=sensitivity, contracts=c,
        assumptions=assumptions, warnings=tuple(warns),
    )


def _scatter(n: int, idx: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.zeros(n)
    out[idx] = values
    return out
