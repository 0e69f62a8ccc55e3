"""ΔCoVaR (Adrian & Brunnermeier 2016) by quantile regression (METHODOLOGY §3.3).

With source returns ``X^i`` (e.g. BTC), system returns ``X^sys`` (e.g. a high-beta equity
basket) and lagged state variables ``M_{t-1}``:

1. ``X^i_t = a + g' M_{t-1}`` at quantiles q and 0.5 -> ``VaR^i_{q,t}``, ``VaR^i_{50,t}``;
2. ``X^sys_t = a + b X^i_t + g' M_{t-1}`` at quantile q -> ``b``;
3. ``ΔCoVaR_t = b (VaR^i_{q,t} - VaR^i_{50,t})``: the shift of the system's q-quantile when the
   source moves from its median to its q-quantile (a return; negative = loss).

Without state variables the VaRs are the unconditional sample quantiles.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from statsmodels.regression.quantile_regression import QuantReg

from crashlens.errors import InsufficientDataError, ParameterError


def _qfit(y: np.ndarray, x: np.ndarray, q: float) -> np.ndarray:
    res = QuantReg(y, x).fit(q=q, max_iter=5000)
    return np.asarray(res.params)


def delta_covar(system: pd.Series, source: pd.Series, q: float = 0.05,
                state: pd.DataFrame | None = None, min_obs: int = 120) -> dict[str, Any]:
    """ΔCoVaR of ``system`` conditional on ``source`` stress.

    Parameters
    ----------
    system, source : Series
        Daily returns on the same dates (rows with a NaN anywhere are dropped).
    q : float
        Stress quantile, in (0, 0.5) (default 0.05).
    state : DataFrame, optional
        State variables on the same dates; they enter lagged one row (``M_{t-1}``).
    min_obs : int
        Fewest complete rows needed.

    Returns
    -------
    dict
        ``beta``, ``delta_covar`` (on the last date), ``delta_covar_mean`` (sample mean),
        ``covar`` (system q-quantile given the source at its VaR, last date), ``var_q`` and
        ``var_50`` of the source on the last date, ``quantile``, ``nobs``, ``start``, ``end``.
    """
    if not 0 < q < 0.5:
        raise ParameterError(f"quantile q must be in (0, 0.5), got {q}")
    frame = pd.DataFrame({"sys": system, "src": source})
    m_cols: list[str] = []
    if state is not None and not state.empty:
        lagged = state.shift(1).add_prefix("m_")
        m_cols = list(lagged.columns)
        frame = frame.join(lagged)
    frame = frame.dropna()
    if len(frame) < min_obs:
        raise InsufficientDataError(f"ΔCoVaR needs at least {min_obs} complete rows, got "
                                    f"{len(frame)}")
    if frame["src"].std() == 0 or frame["sys"].std() == 0:
        raise InsufficientDataError("ΔCoVaR: constant source or system returns")
    ones = np.ones((len(frame), 1))
    m = frame[m_cols].to_numpy() if m_cols else np.empty((len(frame), 0))
    xm = np.hstack([ones, m])
    src = frame["src"].to_numpy()
    g_q = _qfit(src, xm, q)
    g_50 = _qfit(src, xm, 0.5)
    var_q = xm @ g_q
    var_50 = xm @ g_50
    xs = np.hstack([ones, src[:, None], m])
    b_all = _qfit(frame["sys"].to_numpy(), xs, q)
    beta = float(b_all[1])
    dco = beta * (var_q - var_50)
    covar_q = b_all[0] + beta * var_q + (m @ b_all[2:] if m_cols else 0.0)
    return {"beta": beta, "delta_covar": float(dco[-1]), "delta_covar_mean": float(dco.mean()),
            "covar": float(np.atleast_1d(covar_q)[-1]), "var_q": float(var_q[-1]),
            "var_50": float(var_50[-1]), "quantile": q, "nobs": len(frame),
            "state_variables": [c[2:] for c in m_cols], "start": frame.index[0],
            "end": frame.index[-1]}
