"""CTA and dealer-hedge flows implied by each scenario, from the other engines when present.

When another engine cannot compute on the data (a :class:`~crashlens.errors.CrashlensError`:
too little history, no option chain, a series the source lacks ...), an adapter returns
``{"available": False, "note": ...}`` (a :class:`~crashlens.notes.Note`) so a scenario run still
completes. Any other exception is a bug and propagates.

The CTA book and the crypto map read the *active source* (the ``source=`` of the scenario run,
the store by default), so a user's data gives flows from that data. Only the legacy ``data=``
that no source can express (names outside the catalog, a callable) has none.

CTA: the CTA book (``crashlens.cta``) is fitted at the as-of date and rolled forward along a
path per scenario: each CTA asset moves from its close to ``close * exp(move)`` linearly in log
price over the horizon (assets outside the scenario's move table stay flat; yields use the CTA
engine's price proxy with its duration). The flow is the USD traded over the horizon.

Dealers: needs an option chain (``chain=``) whose gamma profile ``crashlens.options.gex``
computes; the hedge flow along a move is ``−∫ GEX(S) d(ln S)·100`` over the path.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from crashlens.errors import CrashlensError, UnknownSeriesError
from crashlens.notes import Note

if TYPE_CHECKING:
    from crashlens.scenarios.engine import Context

#: Longest horizon (trading days) the CTA book is rolled over; longer horizons are truncated.
CTA_MAX_DAYS = 126


def _na(note: str) -> dict[str, Any]:
    return {"available": False, "note": note}


def cta_flows(moves: dict[str, dict[str, float]], ctx: Context, data: Any) -> dict[str, Any]:
    """CTA flows per scenario (USD, + = buying); see the module docstring.

    ``data`` is the legacy data of :func:`crashlens.scenarios.run` that no source expresses
    (then no flows, with a note), or None: the book is built on the active source.
    """
    if data is not None:
        return _na(Note("scenarios.cta_needs_source"))
    from crashlens import data as cldata
    from crashlens.cta.engine import build_book
    from crashlens.cta.flows import simulate

    try:
        book = build_book(ctx.asof)
        horizon = int(min(ctx.horizon_days, CTA_MAX_DAYS))
        k = np.arange(1, horizon + 1) / horizon
        w_now = book.weights[:, -1]
        corr = book.mats[book.idx[-1]]
        out: dict[str, Any] = {}
        for sid, mv in moves.items():
            futures = []
            used = {}
            for name, model, t in zip(book.names, book.models, book.ts, strict=True):
                spot = float(model.prices[t])
                x = float(mv.get(name, 0.0))
                q = book.quotes.get(name)
                if q is not None:  # yield series: price proxy 100 exp(-D (y - y_ref) / 100)
                    x = -q.duration * x / 100.0
                used[name] = x
                futures.append((spot * np.exp(x * k))[None, :])
            flows = simulate(book.models, book.ts, futures, w_now, book.budgets, corr,
                             book.params, book.aum)[:, 0]
            out[sid] = {"total_usd": float(flows.sum()),
                        "by_asset_usd": {n: float(f) for n, f in
                                         zip(book.names, flows, strict=True)},
                        "log_moves": used}
        return {"available": True, "scenarios": out, "horizon_days": horizon,
                "aum_usd": float(book.aum), "assets": list(book.names),
                "method": "CTA book fitted at as-of, rolled along a log-linear path to each "
                          "scenario's propagated move (crashlens.cta)",
                "warnings": list(book.warnings)}
    except UnknownSeriesError as exc:  # the source lacks a series the book needs
        return _na(Note("scenarios.cta_missing_series", source=cldata.active().label,
                        series=exc.name))
    except CrashlensError as exc:  # the CTA book cannot be built on this data
        return _na(Note("scenarios.cta_failed", error=str(exc)))


#: Underlyings whose moves are read from another series of the move table.
UNDERLYING_PROXY = {"SPY": "SPX", "SPX": "SPX", "SPXW": "SPX", "QQQ": "NDX", "NDX": "NDX"}


def dealer_flows(moves: dict[str, dict[str, float]], ctx: Context,
                 chain: Any = None) -> dict[str, Any]:
    """Dealer delta-hedge flows per scenario from an option chain's gamma profile.

    ``chain`` is a chain file path, an :class:`crashlens.options.OptionChain`, or an already
    computed :class:`crashlens.options.GexResult`. Along each scenario's path from spot to
    ``spot * exp(move)`` the dealers' hedge flow is ``−∫ GEX(S) d(ln S) · 100`` (GEX in USD per
    1 % move, + = dealers buy); beyond the profile's grid the edge value is held.
    """
    if chain is None:
        return _na(Note("scenarios.no_chain"))
    import crashlens.options as opt

    try:
        res = chain if hasattr(chain, "profile") and hasattr(chain, "spot") else opt.gex(chain)
        prof = res.profile
        grid = prof["spot"].to_numpy(dtype=float)
        gexv = prof["gex_usd_per_1pct"].to_numpy(dtype=float)
        spot0 = float(res.spot)
        und = str(res.underlying).upper()
        key = UNDERLYING_PROXY.get(und, und)
        warnings: list[str] = []
        age = (ctx.asof - pd.Timestamp(res.asof).tz_localize(None).normalize()).days
        if age < 0:  # a chain dated after the as-of: positioning the as-of day did not know
            warnings.append(Note("scenarios.chain_after_asof",
                                 date=pd.Timestamp(res.asof).date(), days=-age))
        elif age > 5:
            warnings.append(Note("scenarios.chain_age", date=pd.Timestamp(res.asof).date(),
                                 days=age))
        out = {}
        for sid, mv in moves.items():
            x = float(mv.get(key, 0.0))
            path = spot0 * np.exp(np.linspace(0.0, x, 401))
            g = np.interp(path, grid, gexv)
            dlog = np.diff(np.log(path)) * 100.0
            out[sid] = {"total_usd": -float(np.sum(0.5 * (g[1:] + g[:-1]) * dlog)),
                        "move_pct": (math.exp(x) - 1) * 100.0}
            if path.min() < grid.min() or path.max() > grid.max():
                warnings.append(Note("scenarios.off_gamma_grid", scenario=sid))
        return {"available": True, "scenarios": out, "underlying": und, "move_of": key,
                "chain_asof": pd.Timestamp(res.asof), "spot": spot0,
                "method": "−∫ GEX(S) d(ln S)·100 along the scenario path (crashlens.options)",
                "warnings": warnings}
    except CrashlensError as exc:  # the chain cannot be read or valued
        return _na(Note("scenarios.dealer_failed", error=str(exc)))


def liquidated_between(liq_map: pd.DataFrame, p0: float, p1: float) -> tuple[float, float]:
    """USD of longs (for a fall) and shorts (for a rise) liquidated as price goes p0 -> p1.

    ``liq_map`` has price bins ``price_low``, ``price_high`` with ``long_usd`` / ``short_usd``
    (from :func:`crashlens.crypto.leverage`); a bin partly crossed counts pro rata (uniform
    within the bin).

    Returns
    -------
    (long_usd, short_usd)
        Only one is non-zero: longs when ``p1 < p0``, shorts when ``p1 > p0``.
    """
    lo_b = liq_map["price_low"].to_numpy(dtype=float)
    hi_b = liq_map["price_high"].to_numpy(dtype=float)
    width = np.maximum(hi_b - lo_b, 1e-300)
    a, b = min(p0, p1), max(p0, p1)
    share = np.clip((np.minimum(hi_b, b) - np.maximum(lo_b, a)) / width, 0.0, 1.0)
    if p1 < p0:
        return float(share @ liq_map["long_usd"].to_numpy(dtype=float)), 0.0
    if p1 > p0:
        return 0.0, float(share @ liq_map["short_usd"].to_numpy(dtype=float))
    return 0.0, 0.0


def crypto_liquidations(moves: dict[str, dict[str, float]], ctx: Context,
                        data: Any) -> dict[str, Any]:
    """BTC perp liquidations each scenario's BTC move would trigger (crashlens.crypto map)."""
    if data is not None:
        return _na(Note("scenarios.crypto_needs_source"))
    from crashlens.crypto import leverage

    try:
        res = leverage(ctx.asof)
        liq_map = res.liquidation_map
        p0 = float(res.btc["price"])
        out = {}
        for sid, mv in moves.items():
            x = float(mv.get("BTC", 0.0))
            p1 = p0 * math.exp(x)
            longs, shorts = liquidated_between(liq_map, p0, p1)
            out[sid] = {"btc_move_pct": (math.exp(x) - 1) * 100.0, "btc_price": p1,
                        "liquidated_long_usd": longs, "liquidated_short_usd": shorts,
                        "total_usd": longs + shorts}
        return {"available": True, "scenarios": out, "btc_price": p0,
                "method": "reconstructed BTC liquidation map (crashlens.crypto.leverage) "
                          "crossed from the as-of price to each scenario's BTC price; no "
                          "cascade feedback",
                "warnings": list(res.warnings)}
    except CrashlensError as exc:  # no crypto data at the as-of date
        return _na(Note("scenarios.crypto_failed", error=str(exc)))
