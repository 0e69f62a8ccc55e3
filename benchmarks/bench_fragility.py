"""Benchmark of the systemic kernels against plain pandas / statsmodels loops.

Workloads (issue 5):

1. rolling absorption ratio (500-day EWMA window, half-life 250) + rolling turbulence (500-day
   trailing window) over 30 years x 20 assets (7,560 x 20 simulated fat-tailed returns);
   reference: a pandas loop (``DataFrame.cov`` per window for turbulence, ``np.cov`` with
   weights for the AR, ``np.linalg.inv`` / ``eigvalsh`` per day).
2. rolling Diebold-Yilmaz spillover over 10 years (2,520 days) x 6 assets, 200-day window,
   VAR(4), H = 10; reference: ``statsmodels`` ``VAR(...).fit(4)`` + ``ma_rep`` + the GFEVD per
   window. Both run every ``STEP`` = 5th window (the statsmodels loop over all windows takes
   about a minute on the 2-core machine); the crashlens run at step 1 is timed too.

Numbers of both sides are compared (printed max abs difference). Run:
``python -m benchmarks fragility``.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np
import pandas as pd

T_AR, N_AR, WIN = 7560, 20, 500
T_DY, N_DY, WIN_DY, LAGS, H, STEP = 2520, 6, 200, 4, 10, 5


def _panel(t: int, n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    load = rng.normal(size=(n, 3))
    f = rng.standard_t(5, size=(t, 3))
    x = (f @ load.T + rng.standard_t(5, size=(t, n))) * 0.01
    return pd.DataFrame(x, index=pd.bdate_range("1995-01-02", periods=t))


def _timed(fn, repeats: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _ref_ar_turb(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    x = df.to_numpy()
    t_len, n = x.shape
    age = np.arange(WIN - 1, -1, -1)
    w = 0.5 ** (age / 250.0)
    ar = np.full(t_len, np.nan)
    tb = np.full(t_len, np.nan)
    k = max(1, int(np.floor(n * 0.2 + 0.5)))
    for t in range(WIN - 1, t_len):
        c = np.cov(x[t - WIN + 1 : t + 1], rowvar=False, aweights=w, bias=True)
        ev = np.linalg.eigvalsh(c)
        ar[t] = ev[-k:].sum() / ev.sum()
        if t >= WIN:
            past = df.iloc[t - WIN : t]
            s = past.cov().to_numpy()
            y = x[t] - past.mean().to_numpy()
            tb[t] = y @ np.linalg.inv(s) @ y
    return ar, tb


def _ref_dy(df: pd.DataFrame) -> np.ndarray:
    from statsmodels.tsa.api import VAR

    out = []
    for t in range(WIN_DY - 1, len(df), STEP):
        res = VAR(df.iloc[t - WIN_DY + 1 : t + 1]).fit(LAGS, trend="c")
        ma = res.ma_rep(H - 1)
        s = np.asarray(res.sigma_u)
        ps = ma @ s
        num = (ps**2).sum(axis=0) / np.diag(s)[None, :]
        den = np.einsum("hij,hij->i", ps, ma)
        th = num / den[:, None]
        th /= th.sum(axis=1, keepdims=True)
        out.append(100 * (th.sum() - np.trace(th)) / th.shape[0])
    return np.asarray(out)


def main() -> None:
    from crashlens.systemic import absorption_ratio, rolling_spillover, turbulence

    df = _panel(T_AR, N_AR)

    def ours() -> tuple[pd.Series, pd.DataFrame]:
        return (absorption_ratio(df, WIN, 250.0), turbulence(df, WIN, normalise=False))

    t0 = time.perf_counter()
    ours()
    cold = time.perf_counter() - t0
    t_nb, (ar, tb) = _timed(ours)
    os.environ["CRASHLENS_NO_NUMBA"] = "1"
    try:
        t_np, _ = _timed(ours, 1)
    finally:
        del os.environ["CRASHLENS_NO_NUMBA"]
    t_ref, (ar_ref, tb_ref) = _timed(lambda: _ref_ar_turb(df), 1)
    d_ar = np.nanmax(np.abs(ar.to_numpy() - ar_ref))
    d_tb = np.nanmax(np.abs(tb["turbulence"].to_numpy() - tb_ref) / tb_ref)
    print(f"AR + turbulence, {T_AR} days x {N_AR} assets, window {WIN} (incl. percentile)")
    print(f"  crashlens numba  : {t_nb * 1e3:8.1f} ms (cold, incl. compile/cache: {cold:.2f} s)")
    print(f"  crashlens numpy  : {t_np * 1e3:8.1f} ms")
    print(f"  pandas loop      : {t_ref * 1e3:8.1f} ms   ratio {t_ref / t_nb:5.1f}x (numba), "
          f"{t_ref / t_np:5.1f}x (numpy twin)")
    print(f"  max |dAR| {d_ar:.2e}, max rel dTurbulence {d_tb:.2e}")

    dy = _panel(T_DY, N_DY, seed=1)
    t_dy, roll = _timed(lambda: rolling_spillover(dy, WIN_DY, LAGS, H, STEP))
    t_dy1, _ = _timed(lambda: rolling_spillover(dy, WIN_DY, LAGS, H, 1), 1)
    t_sm, ref = _timed(lambda: _ref_dy(dy), 1)
    d_dy = np.max(np.abs(roll["total"].to_numpy() - ref))  # type: ignore[index]
    nwin = len(ref)
    print(f"Diebold-Yilmaz rolling, {T_DY} days x {N_DY} assets, window {WIN_DY}, VAR({LAGS}), "
          f"H={H}, every {STEP}th window ({nwin} windows)")
    print(f"  crashlens numpy VAR+GFEVD: {t_dy * 1e3:8.1f} ms; all {T_DY - WIN_DY + 1} windows "
          f"(step 1): {t_dy1 * 1e3:.0f} ms")
    print(f"  statsmodels VAR loop     : {t_sm * 1e3:8.1f} ms   ratio {t_sm / t_dy:5.1f}x")
    print(f"  max |dTSI| {d_dy:.2e} (percentage points)")


if __name__ == "__main__":
    main()
