"""``gamma_profile(asof)``: the dealer gamma profile other engines (scenarios, report) consume.

It finds a chain for the as-of date and runs :func:`crashlens.options.gex`:

* an explicit ``chain`` (OptionChain, frame or path) wins;
* with real data (``CRASHLENS_DATA`` set) the latest ``*quotedata*.csv`` in that folder quoted
  on or before ``asof``, measured as of its own quote time and labelled with it (a warning says
  how stale it is); none -> :class:`DataError` (real data are never mixed with synthetic);
* without real data, the deterministic synthetic SPX chain of that day (warnings say
  ``SYNTHETIC DATA``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crashlens._result import Result, json_safe
from crashlens.config import data_dir
from crashlens.errors import DataError
from crashlens.options.chains import OptionChain, chain_from_frame, read_chain
from crashlens.options.gex import GexResult, gex

__all__ = ["GammaProfile", "gamma_profile"]

SYNTHETIC_WARNING = "SYNTHETIC DATA: synthetic SPX option chain (crashlens.data.synthetic)"


@dataclasses.dataclass(frozen=True)
class GammaProfile(Result):
    """Dealer GEX over hypothetical spots.

    Attributes
    ----------
    underlying : str
        Underlying of the chain.
    spot0 : float
        Spot of the chain snapshot.
    asof : pandas.Timestamp
        Valuation time of the chain (US/Eastern).
    spot : ndarray
        Hypothetical spots (grid).
    gex_per_1pct : ndarray
        Dealer GEX at each grid spot, USD per 1 % move.
    zero_gamma : float or None
        Sign change nearest ``spot0``.
    source : str
        File or ``synthetic``.
    result : GexResult
        The full GEX result.
    """

    underlying: str
    spot0: float
    asof: pd.Timestamp
    spot: np.ndarray
    gex_per_1pct: np.ndarray
    zero_gamma: float | None
    source: str
    result: GexResult = dataclasses.field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (without the nested full result)."""
        return {
            "underlying": self.underlying, "spot0": self.spot0, "asof": self.asof.isoformat(),
            "spot": json_safe(self.spot), "gex_per_1pct": json_safe(self.gex_per_1pct),
            "zero_gamma": json_safe(self.zero_gamma), "source": self.source,
            "assumptions": json_safe(self.assumptions), "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """The profile as a frame (``spot``, ``gex_usd_per_1pct``)."""
        return pd.DataFrame({"spot": self.spot, "gex_usd_per_1pct": self.gex_per_1pct})

    def summary(self) -> str:
        """Spot, zero gamma, GEX at spot and the grid, in a few lines."""
        zg = "none in the grid" if self.zero_gamma is None else f"{self.zero_gamma:,.2f}"
        i = int(np.argmin(np.abs(self.spot - self.spot0))) if len(self.spot) else None
        at = "n/a" if i is None else f"{self.gex_per_1pct[i] / 1e9:+,.2f} bn USD per 1 %"
        grid = (f"{self.spot.min():,.0f}..{self.spot.max():,.0f} ({len(self.spot)} spots)"
                if len(self.spot) else "empty")
        lines = [f"{self.underlying} dealer gamma profile as of {self.asof:%Y-%m-%d %H:%M} ET "
                 f"({self.source})",
                 f"  spot {self.spot0:,.2f}, zero gamma {zg}, GEX at spot {at}",
                 f"  grid {grid}"]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot_profile(self) -> Any:
        """GEX over hypothetical spots with spot and zero gamma (the full result's figure)."""
        return self.result.plot_profile()


def _real_chain(folder: Path, asof: pd.Timestamp | None) -> tuple[OptionChain, list[str]]:
    files = sorted(folder.glob("*quotedata*.csv"))
    if not files:
        raise DataError("no option chain (*quotedata*.csv) in CRASHLENS_DATA", path=str(folder))
    chains = [read_chain(p) for p in files]
    chains = [c for c in chains if c.quote_time is not None]
    if asof is not None:
        day = asof.normalize() + pd.Timedelta(days=1)
        usable = [c for c in chains if c.quote_time is not None and c.quote_time < day]
    else:
        usable = chains
    if not usable:
        have = ", ".join(f"{Path(c.source or '').name} (quoted {c.quote_time})" for c in chains)
        raise DataError(f"no option chain in CRASHLENS_DATA is quoted on or before {asof}; "
                        f"have: {have or 'none'}", path=str(folder))
    # The newest chain at or before the as-of date is measured as of its own quote time (its
    # contracts may have expired since): the result is labelled with the chain's date and says
    # how stale it is, rather than pretending to describe the as-of date.
    best = max(usable, key=lambda c: pd.Timestamp(c.quote_time or pd.Timestamp.min))
    warns = []
    if asof is not None and best.quote_time is not None:
        stale = (asof.normalize() - pd.Timestamp(best.quote_time).normalize()).days
        if stale > 1:
            expired = pd.to_datetime(best.frame["expiry"]).max() <= asof
            warns.append(
                f"option chain {Path(best.source or '').name} was quoted "
                f"{pd.Timestamp(best.quote_time):%Y-%m-%d}, {stale} days before "
                f"{asof:%Y-%m-%d}: dealer positioning is measured as of the chain's date"
                + (" and all of its expiries have settled since" if expired else ""))
    return best, warns


def gamma_profile(
    asof: Any = None, *, chain: OptionChain | pd.DataFrame | str | Path | None = None,
    **gex_kwargs: Any,
) -> GammaProfile:
    """Dealer gamma profile for ``asof`` (see the module docstring for the chain used).

    Parameters
    ----------
    asof : datetime-like, optional
        Day of interest; default the latest chain available.
    chain : OptionChain, DataFrame or path, optional
        Use this chain instead of looking one up.
    **gex_kwargs
        Passed to :func:`crashlens.options.gex` (rate, dividend_yield, sign_convention ...).

    Returns
    -------
    GammaProfile

    Raises
    ------
    DataError
        With real data, when no chain is quoted on or before ``asof``.
    """
    at = pd.Timestamp(asof) if asof is not None else None
    warns: list[str] = []
    if chain is not None:
        res = gex(chain, **gex_kwargs)
        source = str(chain) if isinstance(chain, str | Path) else "chain"
    elif (folder := data_dir()) is not None:
        ch, warns = _real_chain(folder, at)
        res = gex(ch, **gex_kwargs)
        source = str(ch.source)
    else:
        from crashlens.data.synthetic import generate

        m = generate()
        day = at if at is not None else m.truth.chain.asof
        truth = m.chain_truth(day)
        ch = chain_from_frame(m.chain(day), spot=truth.spot)
        res = gex(ch, **gex_kwargs)
        source = "synthetic"
        warns.append(SYNTHETIC_WARNING)
    return GammaProfile(
        underlying=res.underlying, spot0=res.spot, asof=res.asof,
        spot=res.profile["spot"].to_numpy(),
        gex_per_1pct=res.profile["gex_usd_per_1pct"].to_numpy(),
        zero_gamma=res.zero_gamma, source=source, result=res,
        assumptions=dict(res.assumptions), warnings=tuple(warns) + res.warnings,
    )
