"""Diebold-Yilmaz (2012) spillover index from the generalised FEVD of a VAR.

For a VAR(p) ``y_t = c + sum_i A_i y_{t-i} + u_t`` with ``Cov(u) = S``, MA coefficients
``Psi_0 = I``, ``Psi_h = sum_{i=1}^{min(h, p)} A_i Psi_{h-i}``, the H-step generalised forecast
error variance decomposition (Pesaran-Shin / Koop-Pesaran-Potter) is::

    theta_ij = S_jj^-1 sum_{h<H} (e_i' Psi_h S e_j)^2 / sum_{h<H} e_i' Psi_h S Psi_h' e_i

row-normalised to ``theta~_ij = theta_ij / sum_j theta_ij`` (share of i's forecast error variance
due to shocks in j). Total spillover index ``TSI = 100 sum_{i != j} theta~_ij / N``;
directional ``TO_j = 100 sum_{i != j} theta~_ij`` (j transmits), ``FROM_i = 100 sum_{j != i}
theta~_ij`` (i receives), ``NET = TO - FROM``; pairwise net from i to j:
``100 (theta~_ji - theta~_ij)``. Defaults (METHODOLOGY §4.2): VAR(4), H = 10, 200-day window.
The VAR is fitted by OLS with a constant, equation by equation (the same estimator as
``statsmodels.tsa.api.VAR(...).fit(p, trend="c")``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crashlens.errors import InsufficientDataError, ParameterError
from crashlens.systemic.indicators import check_returns


def var_ols(y: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray]:
    """OLS VAR(p) with a constant.

    Parameters
    ----------
    y : ndarray, shape (T, N)
    p : int
        Lag order (>= 1).

    Returns
    -------
    coefs : ndarray, shape (p, N, N)
        ``A_1 .. A_p``.
    sigma : ndarray, shape (N, N)
        Residual covariance with the degrees-of-freedom correction ``T - p - (1 + N p)``.
    """
    t_len, n = y.shape
    k = 1 + n * p
    nobs = t_len - p
    if nobs - k <= 0:
        raise InsufficientDataError(f"VAR({p}) on {n} series needs more than {k + p} rows, "
                                    f"got {t_len}")
    x = np.empty((nobs, k))
    x[:, 0] = 1.0
    for i in range(1, p + 1):
        x[:, 1 + n * (i - 1) : 1 + n * i] = y[p - i : t_len - i]
    yy = y[p:]
    b, *_ = np.linalg.lstsq(x, yy, rcond=None)
    resid = yy - x @ b
    sigma = resid.T @ resid / (nobs - k)
    coefs = np.stack([b[1 + n * (i - 1) : 1 + n * i].T for i in range(1, p + 1)])
    return coefs, sigma


def ma_coefficients(coefs: np.ndarray, horizon: int) -> np.ndarray:
    """MA coefficients ``Psi_0 .. Psi_{horizon-1}``, shape ``(horizon, N, N)``."""
    p, n, _ = coefs.shape
    psi = np.zeros((horizon, n, n))
    psi[0] = np.eye(n)
    for h in range(1, horizon):
        for i in range(1, min(h, p) + 1):
            psi[h] += coefs[i - 1] @ psi[h - i]
    return psi


def gfevd(psi: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Row-normalised generalised FEVD ``theta~`` (N, N) from MA coefficients and ``S``."""
    ps = psi @ sigma  # (H, N, N): Psi_h S
    num = (ps**2).sum(axis=0) / np.diag(sigma)[None, :]
    den = np.einsum("hij,hij->i", ps, psi)  # e_i' Psi_h S Psi_h' e_i summed over h
    theta = num / den[:, None]
    return np.asarray(theta / theta.sum(axis=1, keepdims=True))


def spillover_table(theta: np.ndarray, names: list[str]) -> dict[str, Any]:
    """Total, directional, net and pairwise spillovers (percent) from a normalised GFEVD."""
    n = theta.shape[0]
    off = theta - np.diag(np.diag(theta))
    to = 100 * off.sum(axis=0)
    frm = 100 * off.sum(axis=1)
    pair = 100 * (theta.T - theta)  # [i, j]: net from i to j
    return {
        "total": float(100 * off.sum() / n),
        "to": dict(zip(names, to.tolist(), strict=True)),
        "from": dict(zip(names, frm.tolist(), strict=True)),
        "net": dict(zip(names, (to - frm).tolist(), strict=True)),
        "pairwise": {a: dict(zip(names, pair[i].tolist(), strict=True))
                     for i, a in enumerate(names)},
        "table": {a: dict(zip(names, (100 * theta[i]).tolist(), strict=True))
                  for i, a in enumerate(names)},
    }


def _check(lags: int, horizon: int, window: int) -> None:
    if lags < 1 or horizon < 1:
        raise ParameterError(f"lags and horizon must be >= 1, got {lags}, {horizon}")
    if window < 10:
        raise ParameterError(f"window must be >= 10, got {window}")


def spillover(returns: pd.DataFrame, lags: int = 4, horizon: int = 10) -> dict[str, Any]:
    """Diebold-Yilmaz spillover table over the whole return frame.

    Parameters
    ----------
    returns : DataFrame, shape (T, N)
        Row-complete daily returns.
    lags : int
        VAR order (default 4).
    horizon : int
        Forecast horizon H (default 10).

    Returns
    -------
    dict
        ``total`` (%), ``to``, ``from``, ``net`` per asset (%), ``pairwise`` (row -> column
        net, %), ``table`` (normalised GFEVD, %), ``lags``, ``horizon``, ``nobs``.
    """
    _check(lags, horizon, len(returns))
    y = check_returns(returns, lags + 2, "spillover")
    coefs, sigma = var_ols(y, lags)
    th = gfevd(ma_coefficients(coefs, horizon), sigma)
    out = spillover_table(th, [str(c) for c in returns.columns])
    out.update({"lags": lags, "horizon": horizon, "nobs": len(returns),
                "start": returns.index[0], "end": returns.index[-1]})
    return out


def rolling_spillover(returns: pd.DataFrame, window: int = 200, lags: int = 4,
                      horizon: int = 10, step: int = 1) -> pd.DataFrame:
    """Rolling total and net spillovers.

    Returns
    -------
    DataFrame
        Index = window end dates (every ``step`` rows); columns ``total`` and
        ``net_<asset>``, ``to_<asset>``, ``from_<asset>`` (%).
    """
    _check(lags, horizon, window)
    if step < 1:
        raise ParameterError(f"step must be >= 1, got {step}")
    y = check_returns(returns, window, "rolling spillover")
    names = [str(c) for c in returns.columns]
    n = len(names)
    ends = list(range(window - 1, len(y), step))
    rows = np.empty((len(ends), 1 + 3 * n))
    for k, t in enumerate(ends):
        coefs, sigma = var_ols(y[t - window + 1 : t + 1], lags)
        th = gfevd(ma_coefficients(coefs, horizon), sigma)
        off = th - np.diag(np.diag(th))
        to, frm = 100 * off.sum(axis=0), 100 * off.sum(axis=1)
        rows[k, 0] = 100 * off.sum() / n
        rows[k, 1 : 1 + n] = to - frm
        rows[k, 1 + n : 1 + 2 * n] = to
        rows[k, 1 + 2 * n :] = frm
    cols = (["total"] + [f"net_{a}" for a in names] + [f"to_{a}" for a in names]
            + [f"from_{a}" for a in names])
    return pd.DataFrame(rows, index=returns.index[ends], columns=cols)
