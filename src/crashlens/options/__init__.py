"""Dealer gamma engine: option chains, vectorised greeks, GEX profile, zero gamma, walls, 0DTE.

Typical use::

    from crashlens import options as opt
    chain = opt.read_chain("quotedata.csv")
    res = opt.gex(chain)                 # spot and as-of time from the file
    res.zero_gamma, res.call_wall, res.put_wall
    res.to_dict()                        # the JSON of ``crashlens gex --json``
    res.plot_profile()                   # plotly Figure

See ``docs/options.md``.
"""

from crashlens.options._types import Settlement, SignConvention, TimeConvention, VolModel
from crashlens.options.chains import (
    OptionChain,
    chain_from_frame,
    read_chain,
    settlement_times,
    years_to_expiry,
)
from crashlens.options.gex import GexResult, gex, next_monthly_expiry
from crashlens.options.greeks import Greeks, bsm_gamma, bsm_greeks, bsm_price, implied_vol
from crashlens.options.levels import nearest_crossing, walls, zero_crossings
from crashlens.options.profile import GammaHistory, GammaProfile, gamma_history, gamma_profile
from crashlens.options.zero_dte import ZeroDteResult, zero_dte_stats

__all__ = [
    "GammaHistory",
    "GammaProfile",
    "GexResult",
    "Greeks",
    "OptionChain",
    "Settlement",
    "SignConvention",
    "TimeConvention",
    "VolModel",
    "ZeroDteResult",
    "bsm_gamma",
    "bsm_greeks",
    "bsm_price",
    "chain_from_frame",
    "gamma_history",
    "gamma_profile",
    "gex",
    "implied_vol",
    "nearest_crossing",
    "next_monthly_expiry",
    "read_chain",
    "settlement_times",
    "walls",
    "years_to_expiry",
    "zero_crossings",
    "zero_dte_stats",
]
