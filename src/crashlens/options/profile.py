"""``gamma_profile(asof)``: the dealer gamma profile other engines (scenarios, report) consume.

It finds a chain for the as-of date and runs :func:`crashlens.options.gex`:

* an explicit ``chain`` (OptionChain, frame or path) wins;
* when the active source has a folder of files (:func:`crashlens.data.files_dir`: the
  ``CRASHLENS_DATA`` folder for the store, ``files=`` of a :class:`~crashlens.data.FramesSource`)
  the newest ``*quotedata*.csv`` in that folder quoted on or before ``asof`` that still has
  contracts open after ``asof``, measured as of its own quote time. Its ``status`` says
  whether it may feed a headline: ``current`` (quoted within ``max_age_days``), ``stale``
  (older) or ``expired`` (every chain has settled: the last one is shown, labelled "last
  chain, expired"); none quoted by then -> :class:`DataError` (real data are never mixed with
  synthetic);
* without real data (the store of the synthetic market), the deterministic synthetic SPX
  chain of that day (warnings say ``SYNTHETIC DATA``); a source of the user's with no folder
  of files has no chain (:class:`DataError`), never the synthetic one.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from crashlens import data
from crashlens._result import Result, json_safe
from crashlens.data.source import Source, SourceLike, is_store, reads_source
from crashlens.errors import DataError
from crashlens.notes import Note
from crashlens.options.chains import OptionChain, chain_from_frame, read_chain
from crashlens.options.gex import GexResult, _resolve_chain, gex

__all__ = ["GammaHistory", "GammaProfile", "gamma_history", "gamma_profile"]

#: English text of the ``options.synthetic_chain`` note.
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
    status : {"current", "stale", "expired"}
        ``current`` when the chain was quoted within ``max_age_days`` of the requested date and
        has open contracts after it; ``stale`` or ``expired`` (last chain, all settled) otherwise.
    """

    underlying: str
    spot0: float
    asof: pd.Timestamp
    spot: np.ndarray
    gex_per_1pct: np.ndarray
    zero_gamma: float | None
    source: str
    result: GexResult = dataclasses.field(repr=False)
    status: ChainStatus = "current"

    @property
    def is_current(self) -> bool:
        """Whether the chain may feed a headline as of the requested date."""
        return self.status == "current"

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict (without the nested full result)."""
        return {
            "underlying": self.underlying, "spot0": self.spot0, "asof": self.asof.isoformat(),
            "spot": json_safe(self.spot), "gex_per_1pct": json_safe(self.gex_per_1pct),
            "zero_gamma": json_safe(self.zero_gamma), "source": self.source,
            "status": self.status,
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


#: Days after its quote time that a chain's open interest still describes dealer positioning:
#: SPY open interest turns over within days around expiries, so a week-old chain is labelled
#: stale and never feeds a headline.
MAX_CHAIN_AGE_DAYS = 7

ChainStatus = Literal["current", "stale", "expired"]


def chain_status(chain: OptionChain, asof: pd.Timestamp | None,
                 max_age_days: int = MAX_CHAIN_AGE_DAYS) -> ChainStatus:
    """Whether a chain describes dealers on ``asof``.

    ``expired`` when none of its contracts is still open at the end of ``asof``; ``stale`` when
    some are but the chain was quoted more than ``max_age_days`` calendar days before ``asof``;
    otherwise ``current``.
    """
    if asof is None or chain.quote_time is None:
        return "current"
    end_of_day = asof.normalize() + pd.Timedelta(days=1)
    if not (pd.to_datetime(chain.frame["expiry"]) >= end_of_day).any():
        return "expired"
    age = (asof.normalize() - pd.Timestamp(chain.quote_time).normalize()).days
    return "stale" if age > max_age_days else "current"


def _real_chain(
    folder: Path, asof: pd.Timestamp | None, max_age_days: int = MAX_CHAIN_AGE_DAYS,
) -> tuple[OptionChain, ChainStatus, list[str]]:
    files = sorted(folder.glob("*quotedata*.csv"))
    if not files:
        raise DataError(Note("options.no_chain_file", folder=_folder_name()), path=str(folder))
    chains = [read_chain(p) for p in files]
    chains = [c for c in chains if c.quote_time is not None]
    if asof is not None:
        day = asof.normalize() + pd.Timedelta(days=1)
        usable = [c for c in chains if c.quote_time is not None and c.quote_time < day]
    else:
        usable = chains
    if not usable:
        have = tuple(Note("options.chain_quoted", file=Path(c.source or "").name,
                          time=c.quote_time) for c in chains)
        raise DataError(Note("options.no_chain_by", folder=_folder_name(), asof=asof,
                             have=have or "-"), path=str(folder))
    # The newest chain at or before the as-of date that still has open contracts after it; when
    # every chain has expired, the newest one, labelled "expired" (never a headline figure).
    newest_first = sorted(usable, key=lambda c: pd.Timestamp(c.quote_time or pd.Timestamp.min),
                          reverse=True)
    statuses = [chain_status(c, asof, max_age_days) for c in newest_first]
    live = [i for i, st in enumerate(statuses) if st != "expired"]
    i = live[0] if live else 0
    best, status = newest_first[i], statuses[i]
    return best, status, _status_notes(best, status, asof, max_age_days)


def _status_notes(chain: OptionChain, status: ChainStatus, asof: pd.Timestamp | None,
                  max_age_days: int) -> list[str]:
    """The note labelling a chain that is not current on ``asof``.

    Stale, expired, or quoted after ``asof`` (a chain of the caller's: the folder's are never
    later than ``asof``).
    """
    if asof is None or chain.quote_time is None:
        return []
    quoted = pd.Timestamp(chain.quote_time).normalize()
    age = (asof.normalize() - quoted).days
    file = Path(chain.source or "").name
    if age < 0:
        return [Note("options.chain_after_asof", file=file, quoted=quoted, days=-age,
                     asof=asof.normalize())]
    if status == "current":
        return []
    if status == "expired":
        return [Note("options.chain_expired", file=file, quoted=quoted, days=age,
                     asof=asof.normalize())]
    return [Note("options.chain_stale", file=file, quoted=quoted, days=age,
                 asof=asof.normalize(), max_age=max_age_days)]


def _folder_name() -> Note:
    """How errors name the folder of chains: CRASHLENS_DATA for the store, else the source's."""
    if is_store():
        return Note("options.folder_of_store")
    return Note("options.folder_of_source", source=data.active().label)


def _serves_synthetic(src: Source) -> bool:
    """Whether a source without a folder of files stands for the synthetic market.

    The store without ``CRASHLENS_DATA`` is the synthetic market (its chain is generated);
    any other source says so itself (a user's frames are not synthetic: no chain then).
    """
    return is_store(src) or src.synthetic


@reads_source
def gamma_profile(
    asof: Any = None, *, chain: OptionChain | pd.DataFrame | str | Path | None = None,
    max_age_days: int = MAX_CHAIN_AGE_DAYS, source: SourceLike = None, **gex_kwargs: Any,
) -> GammaProfile:
    """Dealer gamma profile for ``asof`` (see the module docstring for the chain used).

    Parameters
    ----------
    asof : datetime-like, optional
        Day of interest; default the latest chain available.
    chain : OptionChain, DataFrame or path, optional
        Use this chain instead of looking one up (its ``status`` on ``asof`` is set as for a
        chain found in the folder).
    max_age_days : int, default 7
        Calendar days after its quote time that a chain counts as current (see
        :data:`MAX_CHAIN_AGE_DAYS`); older ones are labelled ``stale``.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Chains are the ``*quotedata*.csv`` files of its folder
        of files (:func:`crashlens.data.files_dir`).
    **gex_kwargs
        Passed to :func:`crashlens.options.gex` (rate, dividend_yield, sign_convention ...).

    Returns
    -------
    GammaProfile

    Raises
    ------
    DataError
        With real data, when no chain is quoted on or before ``asof``; a source of the user's
        without a folder of files.
    """
    at = pd.Timestamp(asof) if asof is not None else None
    warns: list[str] = []
    status: ChainStatus = "current"
    if chain is not None:
        # a chain of the caller's is labelled like one found in the folder: stale or expired
        # on ``asof`` is said, never shown as current
        ch = _resolve_chain(chain)
        status = chain_status(ch, at, max_age_days)
        warns = _status_notes(ch, status, at, max_age_days)
        res = gex(ch, **gex_kwargs)
        label = str(chain) if isinstance(chain, str | Path) else "chain"
    elif (folder := data.files_dir()) is not None:
        ch, status, warns = _real_chain(folder, at, max_age_days)
        res = gex(ch, **gex_kwargs)
        label = str(ch.source)
    elif not _serves_synthetic(src := data.active()):
        raise DataError(f"no option chain: the source ({src.label}) has no folder of files "
                        "(give FramesSource files= the folder holding the *quotedata*.csv "
                        "chains, or pass chain=)")
    else:
        from crashlens.data.synthetic import generate

        m = generate()
        day = at if at is not None else m.truth.chain.asof
        truth = m.chain_truth(day)
        ch = chain_from_frame(m.chain(day), spot=truth.spot)
        res = gex(ch, **gex_kwargs)
        label = "synthetic"
        warns.append(Note("options.synthetic_chain"))
    return GammaProfile(
        underlying=res.underlying, spot0=res.spot, asof=res.asof,
        spot=res.profile["spot"].to_numpy(),
        gex_per_1pct=res.profile["gex_usd_per_1pct"].to_numpy(),
        zero_gamma=res.zero_gamma, source=label, result=res, status=status,
        assumptions=dict(res.assumptions), warnings=tuple(warns) + res.warnings,
    )


@dataclasses.dataclass(frozen=True)
class GammaHistory(Result):
    """Dealer levels of every option chain quoted at or before a date, one row per chain.

    Attributes
    ----------
    asof : pandas.Timestamp
        Only chains quoted on or before this day are used.
    frame : DataFrame
        Indexed by quote time (US/Eastern): ``spot``, ``zero_gamma``, ``call_wall``,
        ``put_wall``, ``total_gex_usd_per_1pct`` (USD per 1 % move), ``expiries`` and ``source``
        (file name).
    """

    asof: pd.Timestamp
    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The levels frame."""
        return self.frame

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict: the rows with an ISO ``quote_time``."""
        f = self.frame.reset_index()
        f["quote_time"] = f["quote_time"].dt.strftime("%Y-%m-%dT%H:%M")
        return {"asof": self.asof.date().isoformat(), "chains": json_safe(f.to_dict("records")),
                "assumptions": json_safe(self.assumptions), "warnings": list(self.warnings)}

    def summary(self) -> str:
        """One line per chain."""
        lines = [f"dealer levels of {len(self.frame)} chain(s) quoted by {self.asof.date()}"]
        for ts, r in zip(self.frame.index, self.frame.to_dict("records"), strict=True):
            zg = "none" if pd.isna(r["zero_gamma"]) else f"{r['zero_gamma']:,.1f}"
            lines.append(f"  {ts:%Y-%m-%d %H:%M} spot {r['spot']:,.2f} zero gamma "
                         f"{zg} walls {r['put_wall']:,.0f}/{r['call_wall']:,.0f} GEX "
                         f"{r['total_gex_usd_per_1pct'] / 1e9:+,.2f} bn per 1 %")
        return "\n".join(lines)

    def plot_levels(self) -> Any:
        """Spot, zero gamma and the walls at each chain date (plotly Figure)."""
        import plotly.graph_objects as go

        f = self.frame
        fig = go.Figure()
        for col, name, dash in (("spot", "spot", "solid"), ("zero_gamma", "zero gamma", "dot"),
                                ("call_wall", "call wall", "dash"),
                                ("put_wall", "put wall", "dash")):
            fig.add_scatter(x=f.index, y=f[col], name=name, mode="lines+markers",
                            line={"dash": dash})
        fig.update_layout(xaxis_title="chain quote time (US Eastern)", yaxis_title="price",
                          legend={"orientation": "h", "y": -0.2})
        return fig


@functools.lru_cache(maxsize=32)
def _chain_levels(folder: str, name: str, mtime: float, gex_items: tuple[tuple[str, Any], ...]
                  ) -> dict[str, Any]:
    """GEX levels of one chain file (cached by folder, file name and modification time).

    The folder is part of the key: two sources whose folders hold files of the same name
    never share an entry.
    """
    path = str(Path(folder) / name)
    ch = read_chain(path)
    res = gex(ch, **dict(gex_items))
    if ch.quote_time is None:
        raise DataError("option chain has no quote time; it cannot be placed in time", path=path)
    return {"quote_time": pd.Timestamp(ch.quote_time), "spot": res.spot,
            "zero_gamma": np.nan if res.zero_gamma is None else res.zero_gamma,
            "call_wall": res.call_wall, "put_wall": res.put_wall,
            "total_gex_usd_per_1pct": res.total_gex_usd_per_1pct,
            "expiries": int(pd.to_datetime(ch.frame["expiry"]).nunique()),
            "source": Path(path).name}


@reads_source
def gamma_history(asof: Any = None, *, source: SourceLike = None,
                  **gex_kwargs: Any) -> GammaHistory:
    """Dealer levels (zero gamma, walls, total GEX) of each chain quoted at or before ``asof``.

    Parameters
    ----------
    asof : datetime-like, optional
        Last day whose chains are used (default: all chains).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Chains are the ``*quotedata*.csv`` files of its folder
        of files (:func:`crashlens.data.files_dir`).
    **gex_kwargs
        Passed to :func:`crashlens.options.gex` for every chain.

    Raises
    ------
    DataError
        No real-data folder (the source has no folder of files), or no chain quoted by
        ``asof``.
    """
    folder = data.files_dir()
    if folder is None:
        src = data.active()
        why = ("CRASHLENS_DATA is unset" if _serves_synthetic(src) else
               f"the source ({src.label}) has no folder of files")
        raise DataError(f"gamma_history needs real option chains ({why})")
    at = pd.Timestamp(asof).normalize() if asof is not None else None
    rows = []
    for p in sorted(folder.glob("*quotedata*.csv")):
        row = _chain_levels(str(folder.resolve()), p.name, p.stat().st_mtime,
                            tuple(sorted(gex_kwargs.items())))
        if at is None or row["quote_time"] < at + pd.Timedelta(days=1):
            rows.append(row)
    if not rows:
        raise DataError(f"no option chain is quoted on or before {at.date() if at else 'now'}",
                        path=str(folder))
    frame = pd.DataFrame(rows).set_index("quote_time").sort_index()
    last = pd.Timestamp(frame.index[-1])
    return GammaHistory(asof=at if at is not None else last.normalize(), frame=frame,
                        assumptions={"chains": "every *quotedata*.csv quoted on or before the "
                                     "as-of date, each measured as of its own quote time",
                                     **{k: str(v) for k, v in gex_kwargs.items()}})
