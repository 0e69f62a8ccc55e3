"""Projected CTA flows along scenario tapes and bootstrapped paths (METHODOLOGY §1.6).

For each path the whole model is rolled forward day by day: every signal, the EWMA vol (from
the simulated returns) and the portfolio scalar (correlation held at its as-of estimate). The
flow is the USD value of the contracts traded, ``sum_k (c_{t+k} - c_{t+k-1}) P_{t+k}`` with
``c = N / P``; on a flat tape it equals ``sum_k (N_{t+k} - N_{t+k-1})``. AUM is held fixed.
With ``position_halflife > 0`` the held weights follow the path's targets by
``position_step`` of the gap per day, starting from the as-of holding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from crashlens.cta.params import CTAParams
from crashlens.cta.signals import AssetModel, extend
from crashlens.cta.sizing import book_weights, held_weights


def tape(spot: float, sig_d: float, horizon: int, k_sigma: float) -> np.ndarray:
    """Scenario price path ``P_{t+k} = P_t exp(k_sigma sigma_d sqrt(H) k / H)``, k = 1..H.

    Parameters
    ----------
    spot : float
        Today's close.
    sig_d : float
        Daily vol (fraction).
    horizon : int
        ``H`` in days.
    k_sigma : float
        Size of the move in ``H``-day standard deviations (0 = flat).

    Returns
    -------
    ndarray, shape (H,)
    """
    k = np.arange(1, horizon + 1)
    return spot * np.exp(k_sigma * sig_d * math.sqrt(horizon) * k / horizon)


def simulate(models: Sequence[AssetModel], ts: Sequence[int], futures: Sequence[np.ndarray],
             weights_now: np.ndarray, budgets: np.ndarray, corr: np.ndarray,
             params: CTAParams, aum: float) -> np.ndarray:
    """USD traded by the book along joint future paths.

    Parameters
    ----------
    models : sequence of AssetModel, length A
    ts : sequence of int
        Index of the as-of close in each model.
    futures : sequence of ndarray, each shape (n, H)
        Future closes per asset (same ``n`` and ``H`` for all).
    weights_now : ndarray, shape (A,)
        Book weights at the as-of date.
    budgets : ndarray, shape (A,)
    corr : ndarray, shape (A, A)
        Correlation held along the paths.
    params : CTAParams
    aum : float
        USD.

    Returns
    -------
    ndarray, shape (A, n)
        Sum of the trades over the horizon per asset and path (USD, + = buying).
    """
    sig_list, sig_ann_list = [], []
    for model, t, fut in zip(models, ts, futures, strict=True):
        ext = extend(model, t, fut, hold_vol=params.scenario_vol == "hold")
        sig_list.append(ext.signal)
        sig_ann_list.append(ext.sig * math.sqrt(model.ann))
    signal = np.stack(sig_list)
    sig_ann = np.stack(sig_ann_list)
    w, _ = book_weights(signal, sig_ann, budgets, corr, params)
    if params.position_step < 1.0:
        # held positions follow the path's targets from today's holding (position_halflife)
        now = np.broadcast_to(weights_now[:, None, None], (*w.shape[:2], 1))
        w = held_weights(np.concatenate((now, w), axis=2), None, params.position_step)[..., 1:]
    prices = np.stack([np.asarray(f, dtype=np.float64) for f in futures])
    spots = np.array([m.prices[t] for m, t in zip(models, ts, strict=True)])
    contracts = aum * w / prices
    before = np.concatenate(
        (np.broadcast_to((aum * weights_now / spots)[:, None, None],
                         (len(models), prices.shape[1], 1)), contracts[:, :, :-1]), axis=2)
    return ((contracts - before) * prices).sum(axis=2)


def scenario_flows(models: Sequence[AssetModel], ts: Sequence[int], weights_now: np.ndarray,
                   budgets: np.ndarray, corr: np.ndarray, params: CTAParams,
                   aum: float) -> dict[str, dict[str, np.ndarray]]:
    """Flows per asset for every (horizon, tape) of ``params``.

    Every asset follows its own tape scaled by its own vol (all assets "down 1 sigma" together).

    Returns
    -------
    dict
        ``{"1w": {"flat": ndarray (A,), "up": ..., ...}, "1m": {...}}`` in USD.
    """
    out: dict[str, dict[str, np.ndarray]] = {}
    names = [name for name, _ in params.scenario_k_sigma]
    for label, horizon in params.flow_horizons:
        futures = [
            np.stack([tape(float(m.prices[t]), float(m.sig[t]), horizon, ks)
                      for _, ks in params.scenario_k_sigma])
            for m, t in zip(models, ts, strict=True)
        ]
        flows = simulate(models, ts, futures, weights_now, budgets, corr, params, aum)
        out[label] = {name: flows[:, j] for j, name in enumerate(names)}
    return out


def bootstrap_flows(models: Sequence[AssetModel], ts: Sequence[int], returns: pd.DataFrame,
                    weights_now: np.ndarray, budgets: np.ndarray, corr: np.ndarray,
                    params: CTAParams, aum: float) -> dict[str, np.ndarray]:
    """Monte-Carlo flows from bootstrapped historical paths.

    Blocks of ``H`` consecutive business-day returns of all assets together (so cross-asset
    correlation and short-term autocorrelation are kept) are drawn with replacement from the
    last ``mc_window`` business days where every asset has a return.

    Parameters
    ----------
    returns : DataFrame, shape (B, A)
        Business-day log returns ending at the as-of date (columns in ``models`` order).

    Returns
    -------
    dict
        ``{"1w": ndarray (A, mc_paths), "1m": ...}`` flows in USD; an empty dict when fewer
        than ``H + 1`` complete return rows are available.
    """
    rng = np.random.default_rng(params.mc_seed)
    values = returns.to_numpy()[-params.mc_window:]
    ok = np.isfinite(values).all(axis=1)
    out: dict[str, np.ndarray] = {}
    for label, horizon in params.flow_horizons:
        if values.shape[0] < horizon + 1:
            continue
        csum = np.concatenate(([0], np.cumsum(~ok)))
        starts = np.nonzero(csum[horizon:] - csum[:-horizon] == 0)[0]
        if starts.size == 0:
            continue
        pick = rng.choice(starts, size=params.mc_paths, replace=True)
        blocks = values[pick[:, None] + np.arange(horizon)[None, :]]  # (n, H, A)
        futures = [
            float(m.prices[t]) * np.exp(np.cumsum(blocks[:, :, a], axis=1))
            for a, (m, t) in enumerate(zip(models, ts, strict=True))
        ]
        out[label] = simulate(models, ts, futures, weights_now, budgets, corr, params, aum)
    return out
