"""Top-down AUM calibration of the replica against a trend-follower index (METHODOLOGY §1.4).

1. replica daily return ``R^rep_t = sum_i w_i,t-1 r_i,t`` (from :func:`crashlens.cta.history`);
2. rolling regression ``R^idx_t = alpha + beta R^rep_t + e`` over ``window`` days (60-120);
3. ``AUM_eff = beta * AUM_trend`` with ``AUM_trend`` in the $200-350bn band.

The index (e.g. the SG Trend Index, Bloomberg NEIXCTAT) is not in the catalog: the caller
supplies its levels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crashlens._result import Result, json_safe
from crashlens.cta.api import Prices, history
from crashlens.cta.params import CTAParams, default_params
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import DataError, InsufficientDataError, ParameterError


@dataclasses.dataclass(frozen=True)
class CTACalibration(Result):
    """Rolling beta of a trend index on the replica, and the implied effective AUM.

    Attributes
    ----------
    beta : float
        Latest rolling beta (leverage mismatch; 1 = the replica's sizing matches the index).
    alpha : float
        Latest rolling daily intercept.
    r2 : float
        Latest rolling R-squared.
    aum_trend : float
        Industry trend AUM in USD used for ``aum_eff``.
    aum_eff : float
        ``beta * aum_trend`` (USD).
    aum_eff_band : tuple of float
        ``beta`` times the ends of ``params.aum_band``.
    rolling : DataFrame
        Per date: ``beta``, ``alpha``, ``r2``, ``n``.
    """

    beta: float
    alpha: float
    r2: float
    aum_trend: float
    aum_eff: float
    aum_eff_band: tuple[float, float]
    rolling: pd.DataFrame = dataclasses.field(repr=False)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """Headline numbers, the rolling table, assumptions and warnings."""
        return {
            "beta": json_safe(self.beta), "alpha": json_safe(self.alpha),
            "r2": json_safe(self.r2), "aum_trend": self.aum_trend,
            "aum_eff": json_safe(self.aum_eff),
            "aum_eff_band": {"low": json_safe(self.aum_eff_band[0]),
                             "high": json_safe(self.aum_eff_band[1])},
            "rolling": json_safe(self.rolling),
            "assumptions": json_safe(dict(self.assumptions)),
            "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """The rolling regression table."""
        return self.rolling

    def plot_beta(self) -> go.Figure:
        """Rolling beta of the index on the replica."""
        fig = go.Figure(go.Scatter(x=self.rolling.index, y=self.rolling["beta"], name="beta"))
        fig.add_hline(y=1.0, line_dash="dot")
        fig.update_layout(title="Trend index vs CTA replica: rolling beta", yaxis_title="beta")
        return fig


def rolling_beta(y: pd.Series, x: pd.Series, window: int) -> pd.DataFrame:
    """Rolling OLS of ``y`` on ``x`` (with intercept) over ``window`` common dates.

    Returns
    -------
    DataFrame
        Columns ``beta``, ``alpha``, ``r2``, ``n`` indexed by the window's last date.
    """
    both = pd.concat({"y": y, "x": x}, axis=1).dropna()
    roll = both.rolling(window, min_periods=window)
    mx, my = roll["x"].mean(), roll["y"].mean()
    cov = roll["x"].cov(both["y"])
    vx, vy = roll["x"].var(), roll["y"].var()
    beta = cov / vx
    out = pd.DataFrame({"beta": beta, "alpha": my - beta * mx, "r2": cov ** 2 / (vx * vy),
                        "n": roll["x"].count()})
    return out.dropna()


@reads_source
def calibrate_aum(index_levels: pd.Series, start: pd.Timestamp | str,
                  end: pd.Timestamp | str | None = None,
                  assets: Sequence[str] | str | None = None, *, window: int = 120,
                  aum_trend: float | None = None, params: CTAParams | None = None,
                  prices: Prices | None = None,
                  sectors: Mapping[str, str] | None = None,
                  source: SourceLike = None) -> CTACalibration:
    """Estimate the effective AUM by regressing a trend index on the replica's returns.

    Parameters
    ----------
    index_levels : Series
        Daily levels of a trend-follower index (e.g. SG Trend), indexed by date.
    start, end : date-like
        Range of the replica history (the regression needs ``window`` common dates).
    assets, params, prices, sectors
        As in :func:`crashlens.cta.positioning`.
    window : int
        Rolling-regression length in common dates (METHODOLOGY: 60-120).
    aum_trend : float, optional
        Industry trend AUM (USD); default ``params.aum``.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    CTACalibration

    Raises
    ------
    ParameterError
        ``window < 20`` or a negative ``aum_trend``.
    InsufficientDataError
        Fewer than ``window`` common dates.
    """
    params = params or default_params()
    if window < 20:
        raise ParameterError(f"window={window}: need at least 20 dates for a regression")
    trend = params.aum if aum_trend is None else float(aum_trend)
    if trend < 0:
        raise ParameterError(f"aum_trend={trend!r}: AUM cannot be negative (USD)")
    if not isinstance(index_levels, pd.Series) or index_levels.dropna().empty:
        raise DataError("index_levels must be a non-empty pandas Series of index levels")
    levels = index_levels.dropna().astype(float)
    if (levels <= 0).any():
        bad = levels.index[int(np.argmax(levels.to_numpy() <= 0))]
        raise DataError("index level must be > 0", column=str(index_levels.name),
                        row=str(pd.Timestamp(bad).date()))
    hist = history(start, end, assets, params=params, prices=prices, sectors=sectors,
                   triggers=False)
    rep = hist.replica["replica_return"]
    idx_ret = levels.pct_change().reindex(rep.index)
    table = rolling_beta(idx_ret, rep, window)
    if table.empty:
        n = int(pd.concat([idx_ret, rep], axis=1).dropna().shape[0])
        raise InsufficientDataError(
            f"calibration needs {window} dates where both the index and the replica have a "
            f"return; found {n} between {pd.Timestamp(start).date()} and the end")
    last = table.iloc[-1]
    beta = float(last["beta"])
    lo, hi = params.aum_band
    assumptions = params.assumptions()
    assumptions.update({"window": window, "aum_trend": trend,
                        "index": str(index_levels.name)})
    return CTACalibration(beta=beta, alpha=float(last["alpha"]), r2=float(last["r2"]),
                          aum_trend=trend, aum_eff=beta * trend,
                          aum_eff_band=(beta * lo, beta * hi), rolling=table,
                          assumptions=assumptions, warnings=hist.warnings)
