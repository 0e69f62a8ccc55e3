"""The market factor (SPX with scripted episodes), BTC/ETH, and everything loaded on them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crashlens.data.synthetic._params import EpisodeSpec, SyntheticParams
from crashlens.data.synthetic._paths import (
    CALENDAR_DAYS,
    TRADING_DAYS,
    ar1,
    bridge,
    gaussian_bumps,
    snap,
    stream,
)
from crashlens.errors import ParameterError

_MARGIN = 0.004  # log distance keeping scripted extremes strict


@dataclass(frozen=True)
class EpisodePos:
    """Positions (in the calendar of the scripted series) of one realised episode."""

    spec_name: str
    runup_start: int | None
    peak: int
    trough: int
    recovery_end: int | None


@dataclass(frozen=True)
class SpxPath:
    """The market factor on business days."""

    log_level: np.ndarray  # (n,) log close
    ret: np.ndarray  # (n,) log returns, ret[0] = 0
    sig: np.ndarray  # (n,) daily volatility schedule (log-return sd)
    episodes: tuple[EpisodePos, ...]
    main: EpisodePos
    spike: np.ndarray  # (n,) bool, inside the correlation spike


def _episode_positions(idx: pd.DatetimeIndex, ep: EpisodeSpec) -> EpisodePos | None:
    """Positions of an episode, or None when its peak or trough lies outside the calendar."""
    first, last = idx[0], idx[-1]
    peak, trough = pd.Timestamp(ep.peak), pd.Timestamp(ep.trough)
    if peak <= first or trough > last:
        return None
    pk = snap(idx, peak, f"episodes[{ep.name}].peak")
    tr = snap(idx, trough, f"episodes[{ep.name}].trough")
    if tr <= pk:
        raise ParameterError(f"parameter 'episodes[{ep.name}]': trough must follow the peak")
    if ep.depth <= -1.0 or ep.depth >= 0.0:
        raise ParameterError(f"parameter 'episodes[{ep.name}].depth': must be in (-1, 0)")
    p0: int | None = None
    if ep.runup_start is not None:
        p0 = 0 if pd.Timestamp(ep.runup_start) <= first else snap(
            idx, ep.runup_start, f"episodes[{ep.name}].runup_start")
        if p0 >= pk:
            raise ParameterError(
                f"parameter 'episodes[{ep.name}].runup_start': must precede the peak")
    re: int | None = None
    if ep.recovery_end is not None:
        re = len(idx) - 1 if pd.Timestamp(ep.recovery_end) >= last else snap(
            idx, ep.recovery_end, f"episodes[{ep.name}].recovery_end")
        if re <= tr:
            re = None
    return EpisodePos(ep.name, p0, pk, tr, re)


def build_spx(idx: pd.DatetimeIndex, p: SyntheticParams, seed: int) -> SpxPath:
    """Generate SPX log closes with the scripted episodes (see :class:`EpisodeSpec`)."""
    n = len(idx)
    rng = stream(seed, "spx")
    log_vol = ar1(rng, n, 0.985, p.vol_of_vol)
    base_var = (p.spx_vol * np.exp(log_vol - 0.5 * p.vol_of_vol**2)) ** 2
    z = rng.standard_normal(n)

    positions: list[tuple[EpisodeSpec, EpisodePos]] = []
    for ep in p.episodes:
        pos = _episode_positions(idx, ep)
        if pos is not None:
            positions.append((ep, pos))
    names = [e.name for e, _ in positions]
    if p.main_episode not in names:
        raise ParameterError(
            f"parameter 'main_episode': episode '{p.main_episode}' is not inside the calendar "
            f"{idx[0].date()}..{idx[-1].date()} (episodes inside: {', '.join(names) or 'none'})"
        )

    # Volatility schedule: baseline x calm run-ups + stress bumps.
    var = base_var.copy()
    for ep, pos in positions:
        if ep.calm_runup and pos.runup_start is not None:
            var[pos.runup_start + 1: pos.peak + 1] *= p.calm_vol_scale**2
    centers = [
        pos.trough if ep.stress_center is None
        else snap(idx, ep.stress_center, f"episodes[{ep.name}].stress_center")
        for ep, pos in positions
    ]
    var = var + gaussian_bumps(n, centers, [e.stress_width for e, _ in positions],
                               [e.stress_vol for e, _ in positions])
    sig = np.sqrt(var / TRADING_DAYS)
    free = p.spx_drift / TRADING_DAYS - 0.5 * sig**2 + sig * z

    lp = np.zeros(n)
    cur = 0

    def walk_to(stop: int) -> None:
        nonlocal cur
        if stop > cur:
            lp[cur + 1: stop + 1] = lp[cur] + np.cumsum(free[cur + 1: stop + 1])
            cur = stop

    for ep, pos in positions:
        start = pos.runup_start if pos.runup_start is not None else pos.peak
        if start < cur:
            raise ParameterError(
                f"parameter 'episodes[{ep.name}]': overlaps the previous episode's legs")
        walk_to(start)
        if pos.runup_start is not None:
            prior = lp[: pos.runup_start + 1].max() - lp[pos.runup_start]
            total = max(np.log1p(ep.runup), prior + 0.01)
            seg = slice(pos.runup_start + 1, pos.peak + 1)
            lp[seg] = lp[cur] + bridge(free[seg], total, 0.0, total, _MARGIN)
            cur = pos.peak
        total = float(np.log1p(ep.depth))
        seg = slice(pos.peak + 1, pos.trough + 1)
        lp[seg] = lp[cur] + bridge(free[seg], total, total, 0.0, _MARGIN)
        cur = pos.trough
        if pos.recovery_end is not None:
            total = float(np.log1p(ep.recovery))
            seg = slice(pos.trough + 1, pos.recovery_end + 1)
            lp[seg] = lp[cur] + bridge(free[seg], total, 0.0, np.inf, _MARGIN)
            cur = pos.recovery_end
    walk_to(n - 1)

    main = dict((e.name, q) for e, q in positions)[p.main_episode]
    if main.recovery_end is not None and main.recovery_end < n - 1:
        # Keep the reference trough the lowest close from its peak to the end of the calendar.
        floor = lp[main.trough] + 0.02
        tail = lp[main.recovery_end + 1:]
        lp[main.recovery_end + 1:] = np.where(tail < floor, 2.0 * floor - tail, tail)
    lp = lp - lp[main.peak] + np.log(p.spx_peak_level)
    ret = np.concatenate([[0.0], np.diff(lp)])
    s0 = snap(idx, max(pd.Timestamp(p.corr_spike[0]), idx[0]), "corr_spike[0]")
    s1 = snap(idx, p.corr_spike[1], "corr_spike[1]")
    if s1 < s0:
        raise ParameterError("parameter 'corr_spike': end precedes start")
    spike = np.zeros(n, dtype=bool)
    spike[s0: s1 + 1] = True
    return SpxPath(lp, ret, sig, tuple(q for _, q in positions), main, spike)


@dataclass(frozen=True)
class CryptoPath:
    """BTC and ETH on calendar days, plus BTC on business days."""

    btc_log: np.ndarray  # (m,) calendar-day log close
    eth_log: np.ndarray  # (m,)
    btc_sig: np.ndarray  # (m,) daily vol
    eth_sig: np.ndarray
    btc_bd_ret: np.ndarray  # (n,) BTC log return between business-day closes
    episode: EpisodePos  # positions on the calendar-day index
    liquidation: int


def build_crypto(cal: pd.DatetimeIndex, idx: pd.DatetimeIndex, spx: SpxPath,
                 p: SyntheticParams, seed: int) -> CryptoPath:
    """Generate BTC/ETH calendar-day log closes with the scripted crypto peak and drawdown."""
    m = len(cal)
    c = p.crypto
    rng = stream(seed, "crypto")
    # Map business days to calendar positions; SPX returns land on their calendar day.
    bd_pos = cal.get_indexer(idx)
    spx_cal = np.zeros(m)
    spx_cal[bd_pos] = spx.ret
    spike_cal = np.zeros(m, dtype=bool)
    spike_cal[bd_pos] = spx.spike
    # Weekend days between spike days are inside the spike too.
    first, last = np.flatnonzero(spike_cal)[[0, -1]]
    spike_cal[first: last + 1] = True

    btc_sig = p.btc_vol * np.exp(ar1(rng, m, 0.985, 0.3) - 0.045) / np.sqrt(CALENDAR_DAYS)
    idio = np.where(spike_cal, p.corr_spike_idio_scale, 1.0)
    loading = p.btc_beta_spx + np.where(spike_cal, p.corr_spike_loading * 2.0, 0.0)
    free = (p.btc_drift / CALENDAR_DAYS - 0.5 * btc_sig**2
            + idio * btc_sig * rng.standard_normal(m) + loading * spx_cal)

    try:
        p0 = snap(cal, c.runup_start, "crypto.runup_start")
        pk = snap(cal, c.peak, "crypto.peak")
        tr = snap(cal, c.trough, "crypto.trough")
        lq = snap(cal, c.liquidation_day, "crypto.liquidation_day")
    except ParameterError as exc:
        raise ParameterError(f"{exc} (the scripted crypto episode must lie inside the calendar; "
                             "move it with SyntheticParams(crypto=CryptoSpec(...)))") from exc
    if not p0 < pk < lq <= tr:
        raise ParameterError(
            "parameter 'crypto': need runup_start < peak < liquidation_day <= trough")
    lp = np.zeros(m)
    lp[1: p0 + 1] = np.cumsum(free[1: p0 + 1])
    prior = lp[: p0 + 1].max() - lp[p0]
    total = max(np.log1p(c.runup), prior + 0.01)
    lp[p0 + 1: pk + 1] = lp[p0] + bridge(free[p0 + 1: pk + 1], total, 0.0, total, _MARGIN)
    # Bridge the decline without the liquidation day, then insert its return exactly: the
    # path stays strictly between trough and peak and the cascade's return is as scripted.
    depth = float(np.log1p(c.depth))
    jump = float(c.liquidation_return)
    if not depth < jump < 0.0:
        raise ParameterError("parameter 'crypto.liquidation_return': need depth < it < 0")
    keep = np.ones(tr - pk, dtype=bool)
    keep[lq - pk - 1] = False
    rest = bridge(free[pk + 1: tr + 1][keep], depth - jump, depth - jump, 0.0, _MARGIN)
    path = np.empty(tr - pk)
    path[keep] = rest
    path[lq - pk - 1] = rest[lq - pk - 2] if lq - pk - 2 >= 0 else 0.0
    path[lq - pk - 1:] += jump
    lp[pk + 1: tr + 1] = lp[pk] + path
    lp[tr + 1:] = lp[tr] + np.cumsum(free[tr + 1:])
    lp = lp - lp[pk] + np.log(c.peak_level)
    btc_ret = np.concatenate([[0.0], np.diff(lp)])

    eth_sig = p.eth_vol * np.exp(ar1(rng, m, 0.985, 0.25) - 0.03) / np.sqrt(CALENDAR_DAYS)
    eth_ret = p.eth_beta_btc * btc_ret + idio * eth_sig * rng.standard_normal(m)
    eth_ret -= 0.5 * (idio * eth_sig) ** 2
    eth_ret[0] = 0.0
    eth_log = np.cumsum(eth_ret)
    eth_log = eth_log - eth_log[pk] + np.log(p.eth_peak_level)

    btc_bd = lp[bd_pos]
    btc_bd_ret = np.concatenate([[0.0], np.diff(btc_bd)])
    return CryptoPath(lp, eth_log, btc_sig, np.sqrt(btc_sig**2 * p.eth_beta_btc**2 + eth_sig**2),
                      btc_bd_ret, EpisodePos("crypto", p0, pk, tr, None), lq)


def build_loaded(idx: pd.DatetimeIndex, spx: SpxPath, crypto: CryptoPath,
                 p: SyntheticParams, seed: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Log closes and daily vol of every :class:`StockSpec` (SPX and BTC loadings + idio)."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    n = len(idx)
    scale = np.where(spx.spike, p.corr_spike_idio_scale, 1.0)
    jumps: dict[str, np.ndarray] = {}
    for name, day, size in p.events:
        if pd.Timestamp(day) < idx[0] or pd.Timestamp(day) > idx[-1]:
            continue
        arr = jumps.setdefault(name, np.zeros(n))
        arr[snap(idx, day, f"events[{name}]")] += size
    btc_listing = dict(p.listings).get("BTC")
    btc_ret = crypto.btc_bd_ret.copy()
    if btc_listing is not None:  # no BTC loading before BTC trades
        btc_ret[idx <= pd.Timestamp(btc_listing)] = 0.0
    for st in p.stocks:
        rng = stream(seed, f"stock:{st.name}")
        isig = st.idio_vol / np.sqrt(TRADING_DAYS) * scale
        r = (st.beta_spx * spx.ret + st.beta_btc * btc_ret
             + isig * rng.standard_normal(n) - 0.5 * isig**2)
        r = r + jumps.get(st.name, 0.0)
        r[0] = 0.0
        lp = np.cumsum(r)
        lp = lp - lp[spx.main.peak] + np.log(st.level)
        sig = np.sqrt((st.beta_spx * spx.sig) ** 2 + isig**2)
        out[st.name] = (lp, sig)
    return out
