"""Entropy pooling (Meucci 2008) on a discrete set of scenarios.

Posterior probabilities ``q`` minimise the relative entropy ``KL(q || p)`` to the stated ``p``
subject to linear equality views ``A q = b`` (and ``Σ q = 1``). The solution has the form
``q_i ∝ p_i exp(a_iᵀ λ)``; ``λ`` minimises the convex dual ``log Σ_i p_i exp(a_iᵀ λ) − λᵀ b``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from crashlens.errors import ParameterError

#: Bound on the (scaled) dual variables; exp(±50) tilts are far beyond any sensible view.
LAMBDA_BOUND = 50.0


def entropy_pooling(prior: np.ndarray, a_eq: np.ndarray, b_eq: np.ndarray, *,
                    tol: float = 1e-8) -> np.ndarray:
    """Tilt ``prior`` to satisfy ``a_eq @ q = b_eq`` with the least relative entropy.

    Parameters
    ----------
    prior : ndarray, shape (n,)
        Prior probabilities (> 0 where the posterior may be > 0; sum 1).
    a_eq : ndarray, shape (m, n)
        One row per view: the view's function evaluated on each scenario.
    b_eq : ndarray, shape (m,)
        Target expectations.
    tol : float
        Largest accepted violation of a view after solving.

    Returns
    -------
    ndarray, shape (n,)
        Posterior probabilities.

    Raises
    ------
    ParameterError
        Shapes disagree, or the views cannot be met (e.g. an expected move outside the range
        of the scenarios' moves).
    """
    p = np.asarray(prior, dtype=float)
    a = np.atleast_2d(np.asarray(a_eq, dtype=float))
    b = np.atleast_1d(np.asarray(b_eq, dtype=float))
    if p.ndim != 1 or a.shape != (b.shape[0], p.shape[0]):
        raise ParameterError(f"entropy pooling: prior {p.shape}, views {a.shape}, targets "
                             f"{b.shape} do not fit together")
    if (p < 0).any() or abs(p.sum() - 1) > 1e-9:
        raise ParameterError("entropy pooling: the prior must be probabilities summing to 1")
    if a.shape[0] == 0:
        return p.copy()
    logp = np.log(np.where(p > 0, p, 1.0))
    mask = p > 0
    scale = np.maximum(np.abs(a).max(axis=1), 1e-300)  # condition the dual
    an, bn = a / scale[:, None], b / scale

    def dual(lam: np.ndarray) -> tuple[float, np.ndarray]:
        z = np.where(mask, logp + an.T @ lam, -np.inf)
        zmax = z[mask].max()
        w = np.where(mask, np.exp(z - zmax), 0.0)
        s = w.sum()
        q = w / s
        return float(zmax + np.log(s) - lam @ bn), an @ q - bn

    # bounded dual: an infeasible view drives λ to the bound and fails the residual check below
    res = minimize(dual, np.zeros(a.shape[0]), jac=True, method="L-BFGS-B",
                   bounds=[(-LAMBDA_BOUND, LAMBDA_BOUND)] * a.shape[0],
                   options={"gtol": 1e-14, "ftol": 1e-15, "maxiter": 5000})
    lam = res.x

    def post(lam: np.ndarray) -> np.ndarray:
        z = np.where(mask, logp + an.T @ lam, -np.inf)
        w = np.where(mask, np.exp(z - z[mask].max()), 0.0)
        return w / w.sum()

    q = post(lam)
    for _ in range(20):  # Newton polish: Hessian of the dual = Cov_q(a)
        g = an @ q - bn
        if np.abs(g).max() < 1e-14:
            break
        hess = (an * q) @ an.T - np.outer(an @ q, an @ q)
        try:
            step = np.linalg.solve(hess, g)
        except np.linalg.LinAlgError:
            break
        new = np.clip(lam - step, -LAMBDA_BOUND, LAMBDA_BOUND)
        q_new = post(new)
        if np.abs(an @ q_new - bn).max() >= np.abs(g).max():
            break
        lam, q = new, q_new
    err = np.abs(a @ q - b) / np.maximum(1.0, np.abs(b))
    if not np.all(np.isfinite(q)) or err.max() > max(tol, 1e-6):
        raise ParameterError(
            "entropy pooling: the views cannot be met by re-weighting these scenarios (a "
            "target outside the range the scenarios span, or contradictory views)")
    return q
