"""Gamma-profile kernels: sum of dollar gamma over contracts at each hypothetical spot.

For contract j at spot S, ``Gamma_j(S) * S**2 = exp(-q T_j) * phi(d1) * S / (sigma_j sqrt(T_j))``
with ``d1 = (ln S - ln K_j + (r - q + sigma_j**2 / 2) T_j) / (sigma_j sqrt(T_j))``.

Sticky strike (one vol per contract) reduces each (spot, contract) pair to one multiply-add and
one ``exp``: with ``a_j = 1 / (sigma_j sqrt T_j)``, ``b_j = (-ln K_j + (r - q + sigma_j**2/2) T_j)
a_j`` and ``c_j = w_j exp(-q T_j) a_j / sqrt(2 pi)``, the sum is
``S * sum_j c_j exp(-(a_j ln S + b_j)**2 / 2)``. Contracts are partitioned into ``G`` groups
(``group[j]`` in ``0..G-1``) and the kernels return one profile per group, shape ``(G, m)``,
so calls/puts and the next-expiry / next-monthly subsets come out of one pass.

Sticky delta (a vol per spot and contract, ``sigma[m, n]``) uses the general kernel.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from crashlens import _numba as nb
from crashlens.options._greeks_kernels import INV_SQRT_2PI

_CHUNK_ELEMS = 2_000_000  # numpy twins: (spots x contracts) block size


def sticky_strike_coeffs(
    K: NDArray[np.float64], T: NDArray[np.float64], sigma: NDArray[np.float64],
    weight: NDArray[np.float64], r: float, q: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per-contract coefficients ``a, b, c`` of the sticky-strike profile (see module doc)."""
    a = 1.0 / (sigma * np.sqrt(T))
    b = (-np.log(K) + (r - q + 0.5 * sigma * sigma) * T) * a
    c = weight * np.exp(-q * T) * a * INV_SQRT_2PI
    return a, b, c


@nb.njit(parallel=True, cache=True)
def profile_sticky_strike_nb(grid, a, b, c, group, n_groups, out):  # pragma: no cover
    """``out[g, i] = grid[i] * sum_{j in g} c_j exp(-(a_j ln grid_i + b_j)^2 / 2)``."""
    m = grid.shape[0]
    n = a.shape[0]
    for i in nb.prange(m):
        s = grid[i]
        x = math.log(s)
        acc = np.zeros(n_groups)
        for j in range(n):
            d1 = a[j] * x + b[j]
            acc[group[j]] += c[j] * math.exp(-0.5 * d1 * d1)
        for g in range(n_groups):
            out[g, i] = acc[g] * s


def profile_sticky_strike_np(grid, a, b, c, group, n_groups, out):
    """Numpy twin of :func:`profile_sticky_strike_nb`."""
    n = a.shape[0]
    onehot = np.zeros((n, n_groups))
    onehot[np.arange(n), group] = 1.0
    cg = c[:, None] * onehot
    step = max(1, _CHUNK_ELEMS // max(n, 1))
    for lo in range(0, grid.shape[0], step):
        s = grid[lo:lo + step]
        d1 = np.log(s)[:, None] * a[None, :] + b[None, :]
        out[:, lo:lo + step] = (np.exp(-0.5 * d1 * d1) @ cg).T * s[None, :]


@nb.njit(parallel=True, cache=True)
def profile_general_nb(grid, K, T, sigma, weight, r, q, group, n_groups, out):  # pragma: no cover
    """Profile with a vol per (spot, contract): ``sigma`` has shape ``(m, n)``."""
    m = grid.shape[0]
    n = K.shape[0]
    for i in nb.prange(m):
        s = grid[i]
        x = math.log(s)
        acc = np.zeros(n_groups)
        for j in range(n):
            v = sigma[i, j]
            t = T[j]
            vs = v * math.sqrt(t)
            d1 = (x - math.log(K[j]) + (r - q + 0.5 * v * v) * t) / vs
            acc[group[j]] += weight[j] * math.exp(-q * t - 0.5 * d1 * d1) / vs
        for g in range(n_groups):
            out[g, i] = acc[g] * s * INV_SQRT_2PI


def profile_general_np(grid, K, T, sigma, weight, r, q, group, n_groups, out):
    """Numpy twin of :func:`profile_general_nb`."""
    n = K.shape[0]
    onehot = np.zeros((n, n_groups))
    onehot[np.arange(n), group] = 1.0
    step = max(1, _CHUNK_ELEMS // max(n, 1))
    lnK = np.log(K)
    sqt = np.sqrt(T)
    for lo in range(0, grid.shape[0], step):
        s = grid[lo:lo + step]
        v = sigma[lo:lo + step]
        vs = v * sqt[None, :]
        d1 = (np.log(s)[:, None] - lnK[None, :] + (r - q + 0.5 * v * v) * T[None, :]) / vs
        term = weight[None, :] * np.exp(-q * T[None, :] - 0.5 * d1 * d1) / vs
        out[:, lo:lo + step] = (term @ onehot).T * s[None, :] * INV_SQRT_2PI


LOGGRID_CHUNK = 512  # contracts per task of the geometric-grid kernel (fits L1)
LOGGRID_BLOCK = 64  # levels between exact re-anchors


@nb.njit(parallel=True, cache=True, fastmath={"reassoc", "contract", "nsz", "arcp"})
def profile_loggrid_nb(  # pragma: no cover - compiled
    u0, h, m, a, b, c, task_g, task_c0, task_n, block, partial
):
    """Sticky-strike profile on a geometric grid ``S_i = exp(u0 + i h)`` without one exp per pair.

    On a geometric grid ``d1`` is linear in the level index, ``d1_i = d + i delta``, so
    ``E_i = exp(-d1_i**2 / 2)`` obeys ``E_{i+1} = E_i R_i`` and ``R_{i+1} = R_i exp(-delta**2)``.
    Every ``block`` levels ``E`` and ``R`` are re-anchored with exact exps (the recurrence error
    stays near ``block**2`` ulps); a contract that enters a block deep in the left tail
    (``d < -36``: ``E`` would underflow and ``R`` could overflow) is summed with exact exps.
    Task ``t`` covers contracts ``task_c0[t] : task_c0[t] + task_n[t]`` (all of one group);
    ``partial[t, i]`` receives ``sum_j c_j E_ij`` (times ``S_i`` is applied by the caller). The
    inner loop over contracts has no exp and vectorises.
    """
    for t in nb.prange(task_g.shape[0]):
        c0 = task_c0[t]
        n = task_n[t]
        E = np.empty(n)
        R = np.empty(n)
        Q = np.empty(n)
        C = np.empty(n)
        for i0 in range(0, m, block):
            nk = min(block, m - i0)
            u = u0 + i0 * h
            for jj in range(n):
                j = c0 + jj
                d = a[j] * u + b[j]
                dl = a[j] * h
                if d < -36.0:
                    for k in range(nk):
                        dk = d + k * dl
                        partial[t, i0 + k] += c[j] * math.exp(-0.5 * dk * dk)
                    C[jj] = 0.0
                    E[jj] = 0.0
                    R[jj] = 0.0
                    Q[jj] = 0.0
                else:
                    C[jj] = c[j]
                    E[jj] = math.exp(-0.5 * d * d)
                    R[jj] = math.exp(-d * dl - 0.5 * dl * dl)
                    Q[jj] = math.exp(-dl * dl)
            for k in range(nk):
                s = 0.0
                for jj in range(n):
                    s += C[jj] * E[jj]
                    E[jj] *= R[jj]
                    R[jj] *= Q[jj]
                partial[t, i0 + k] += s


def loggrid_tasks(group: np.ndarray, n_groups: int, chunk: int = LOGGRID_CHUNK
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tasks ``(group, first contract, count)`` over contracts sorted by group."""
    counts = np.bincount(group, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    tg, tc, tn = [], [], []
    for g in range(n_groups):
        for c0 in range(int(starts[g]), int(starts[g] + counts[g]), chunk):
            tg.append(g)
            tc.append(c0)
            tn.append(min(chunk, int(starts[g] + counts[g]) - c0))
    return (np.asarray(tg, dtype=np.int64), np.asarray(tc, dtype=np.int64),
            np.asarray(tn, dtype=np.int64))


def profile_loggrid(grid_lo: float, grid_hi: float, m: int, a: np.ndarray, b: np.ndarray,
                    c: np.ndarray, group: np.ndarray, n_groups: int, out: np.ndarray) -> None:
    """Driver of :func:`profile_loggrid_nb`: sorts by group, runs the tasks, reduces."""
    order = np.argsort(group, kind="stable")
    g = group[order]
    tg, tc, tn = loggrid_tasks(g, n_groups)
    u0 = math.log(grid_lo)
    h = (math.log(grid_hi) - u0) / (m - 1)
    partial = np.zeros((tg.size, m))
    profile_loggrid_nb(u0, h, m, a[order], b[order], c[order], tg, tc, tn, LOGGRID_BLOCK,
                       partial)
    out[:] = 0.0
    for gi in range(n_groups):
        sel = tg == gi
        if sel.any():
            out[gi] = partial[sel].sum(axis=0)
    out *= np.exp(u0 + h * np.arange(m))[None, :]
