"""0DTE: share of volume in same-day expiries and gamma concentration by expiry bucket.

``share_0DTE = Vol(expiry date == as-of date) / Vol(all expiries)`` by contracts and by premium
(volume x option price x multiplier; the price is the last sale when positive, else the bid/ask
mid). Open interest of a same-day expiry is the previous settlement's (intraday OI is unknown),
so 0DTE gamma from OI understates intraday 0DTE positioning (METHODOLOGY section 2.4).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from crashlens._result import Result, json_safe
from crashlens.notes import Note

__all__ = ["BUCKETS", "UNDEFINED_0DTE", "ZeroDteResult", "expiry_bucket", "zero_dte_stats"]

#: Codes of the notes saying the 0DTE share is not defined (no same-day expiry, no volume).
UNDEFINED_0DTE: frozenset[str] = frozenset({"options.no_same_day_expiry", "options.no_volume"})

#: Expiry buckets by calendar days from the as-of date to the expiry date.
BUCKETS: tuple[str, ...] = ("0DTE", "1-7d", "8-30d", "31-90d", ">90d")


def expiry_bucket(days: np.ndarray) -> np.ndarray:
    """Bucket index into :data:`BUCKETS` per calendar-day count (0 = same day)."""
    return np.searchsorted(np.array([0, 7, 30, 90]), days, side="left")


@dataclasses.dataclass(frozen=True)
class ZeroDteResult(Result):
    """Same-day-expiry activity of one chain snapshot.

    Attributes
    ----------
    has_same_day_expiry : bool
        Whether the chain lists a live expiry on the as-of date.
    volume_share_contracts : float or None
        0DTE share of contract volume; None without a same-day expiry or without volume.
    volume_share_premium : float or None
        0DTE share of premium traded (volume x price x multiplier); None likewise.
    gamma_by_bucket : pandas.DataFrame
        Per bucket: ``gex_usd_per_1pct`` (net, signed), ``abs_gex_share`` (share of total
        absolute GEX) and ``open_interest``.
    """

    has_same_day_expiry: bool
    volume_share_contracts: float | None
    volume_share_premium: float | None
    gamma_by_bucket: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The bucket table."""
        return self.gamma_by_bucket.copy()

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict (the bucket table as a list of records)."""
        return {
            "has_same_day_expiry": self.has_same_day_expiry,
            "volume_share_contracts": json_safe(self.volume_share_contracts),
            "volume_share_premium": json_safe(self.volume_share_premium),
            "gamma_by_bucket": json_safe(self.gamma_by_bucket),
            "assumptions": json_safe(self.assumptions),
            "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        """0DTE volume shares and each bucket's share of absolute GEX."""
        def pct(v: float | None) -> str:
            return "n/a" if v is None else f"{v:.1%}"

        lines = [f"0DTE: same-day expiry {'listed' if self.has_same_day_expiry else 'absent'}, "
                 f"share of contracts {pct(self.volume_share_contracts)}, of premium "
                 f"{pct(self.volume_share_premium)}"]
        for _, r in self.gamma_by_bucket.iterrows():
            lines.append(f"  {r['bucket']:<10} GEX {r['gex_usd_per_1pct'] / 1e9:+8.2f} bn USD "
                         f"per 1 %, {r['abs_gex_share']:.1%} of |GEX|")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot_buckets(self) -> Any:
        """Net GEX by expiry bucket (bars, bn USD per 1 %; plotly Figure)."""
        import plotly.graph_objects as go

        b = self.gamma_by_bucket
        fig = go.Figure(go.Bar(x=b["bucket"], y=b["gex_usd_per_1pct"] / 1e9,
                               text=[f"{s:.0%}" for s in b["abs_gex_share"]]))
        fig.update_layout(title="Dealer GEX by expiry bucket (label: share of |GEX|)",
                          xaxis_title="expiry bucket", yaxis_title="GEX, bn USD per 1 %")
        return fig


def zero_dte_stats(
    frame: pd.DataFrame, asof: pd.Timestamp, live: np.ndarray, gex: np.ndarray,
) -> ZeroDteResult:
    """Compute 0DTE shares and gamma by bucket.

    Parameters
    ----------
    frame : pandas.DataFrame
        Chain rows (:data:`crashlens.data.schema.CHAIN_COLUMNS`).
    asof : pandas.Timestamp
        Valuation time (US/Eastern tz-naive).
    live : ndarray of bool, shape (n,)
        Rows not yet settled at ``asof``.
    gex : ndarray, shape (n,)
        Signed GEX per row (0 for rows excluded from GEX).

    Returns
    -------
    ZeroDteResult
    """
    warns: list[str] = []
    exp_day = frame["expiry"].to_numpy().astype("datetime64[D]")
    day0 = pd.Timestamp(asof).to_datetime64().astype("datetime64[D]")
    days = ((exp_day - day0) / np.timedelta64(1, "D")).astype(float)
    same = live & (days == 0)
    has_same = bool(same.any())
    vol = frame["volume"].to_numpy(dtype=float)
    has_volume = bool(np.isfinite(vol[live]).any() and np.nansum(vol[live]) > 0)
    share_c = share_p = None
    if has_same and has_volume:
        v = np.where(np.isfinite(vol) & live, vol, 0.0)
        last = frame["last"].to_numpy(dtype=float)
        mid = 0.5 * (frame["bid"].to_numpy(dtype=float) + frame["ask"].to_numpy(dtype=float))
        price = np.where(last > 0, last, np.where(np.isfinite(mid) & (mid > 0), mid, 0.0))
        premium = v * price * frame["multiplier"].to_numpy(dtype=float)
        share_c = float(v[same].sum() / v.sum())
        share_p = float(premium[same].sum() / premium.sum()) if premium.sum() > 0 else None
        if np.isnan(vol[live]).any():
            warns.append(Note("options.volume_missing", n=int(np.isnan(vol[live]).sum())))
    elif not has_same:
        warns.append(Note("options.no_same_day_expiry"))
    else:
        warns.append(Note("options.no_volume"))
    bucket = expiry_bucket(days[live])
    oi = frame["open_interest"].to_numpy(dtype=float)
    nb_ = len(BUCKETS)
    net = np.bincount(bucket, weights=gex[live], minlength=nb_)
    absg = np.bincount(bucket, weights=np.abs(gex[live]), minlength=nb_)
    total_abs = absg.sum()
    out = pd.DataFrame({
        "bucket": list(BUCKETS),
        "gex_usd_per_1pct": net,
        "abs_gex_share": absg / total_abs if total_abs > 0 else np.zeros(nb_),
        "open_interest": np.bincount(bucket, weights=oi[live], minlength=nb_),
    })
    return ZeroDteResult(
        has_same, share_c, share_p, out,
        assumptions={"same_day": "expiry date == as-of date (US/Eastern), not yet settled",
                     "premium_price": "last sale if > 0, else bid/ask mid",
                     "open_interest": "previous settlement (intraday OI unknown)"},
        warnings=tuple(warns),
    )
