"""Option-chain model, settlement times, time to expiry, and the generic CSV/Parquet reader.

A chain is a :class:`OptionChain`: a frame with exactly the columns
:data:`crashlens.data.schema.CHAIN_COLUMNS` (one row per contract) plus the snapshot's spot,
quote time and underlying. Times are tz-naive US/Eastern wall time. ``expiry`` carries the
settlement time of day: 16:00 for PM-settled options (SPY, QQQ, SPXW weeklies ...), 09:30 for
AM-settled index monthlies (SPX, NDX, RUT, VIX roots), so time to expiry is measured in minutes
to the actual settlement, never "T = 0 -> skip".
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crashlens.data.schema import CHAIN_COLUMNS
from crashlens.errors import DataError, ParameterError
from crashlens.notes import Note
from crashlens.options._types import Settlement, coerce_enum

__all__ = [
    "AM_SETTLED_ROOTS",
    "MINUTES_PER_YEAR",
    "OptionChain",
    "chain_from_frame",
    "read_chain",
    "read_generic",
    "settlement_times",
    "years_to_expiry",
]

MINUTES_PER_YEAR = 365.0 * 24.0 * 60.0
#: Option roots whose standard (monthly) expiries settle at the open (SOQ), 09:30 ET.
AM_SETTLED_ROOTS = frozenset({"SPX", "NDX", "RUT", "VIX", "DJX", "MXEA", "MXEF"})
#: Weekly / PM roots mapped to their underlying.
ROOT_UNDERLYING = {"SPXW": "SPX", "NDXP": "NDX", "RUTW": "RUT", "VIXW": "VIX"}
AM_TIME = pd.Timedelta(hours=9, minutes=30)
PM_TIME = pd.Timedelta(hours=16)
OCC_SYMBOL = re.compile(r"^\s*-?([A-Z.]{1,6}?)(\d{6})([CP])(\d{8})\s*$")


@dataclasses.dataclass(frozen=True)
class OptionChain:
    """One snapshot of an option chain.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per contract, columns :data:`crashlens.data.schema.CHAIN_COLUMNS`.
    underlying : str
        Underlying symbol (``"SPY"``).
    spot : float or None
        Underlying price quoted with the chain (None when the file has none).
    quote_time : pandas.Timestamp or None
        Snapshot time, US/Eastern tz-naive.
    source : str or None
        File the chain was read from.
    warnings : tuple of str
        Parsing caveats (rows skipped, units converted ...).
    """

    frame: pd.DataFrame
    underlying: str
    spot: float | None
    quote_time: pd.Timestamp | None
    source: str | None = None
    warnings: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def expiries(self) -> list[pd.Timestamp]:
        """Sorted distinct settlement times."""
        return sorted(pd.to_datetime(self.frame["expiry"]).unique())

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the contracts frame."""
        return self.frame.copy()


def underlying_of_root(root: str) -> str:
    """Map an option root to its underlying (``SPXW`` -> ``SPX``; others unchanged)."""
    root = root.upper().strip()
    return ROOT_UNDERLYING.get(root, root)


def parse_occ_root(symbol: str) -> str | None:
    """Return the root of an OCC-style option symbol (``SPY251001C00500000`` -> ``SPY``)."""
    m = OCC_SYMBOL.match(str(symbol))
    return m.group(1) if m else None


def settlement_times(
    expiry_dates: pd.Series, roots: pd.Series | str, settlement: Settlement | str = "auto"
) -> pd.Series:
    """Attach the settlement time of day to expiry dates.

    Parameters
    ----------
    expiry_dates : pandas.Series of Timestamp
        Expiry dates (time of day ignored).
    roots : pandas.Series of str or str
        Option root per row (``SPX`` monthly is AM, ``SPXW`` PM).
    settlement : {"auto", "am", "pm"}, default "auto"
        ``auto``: AM (09:30 ET) for roots in :data:`AM_SETTLED_ROOTS`, PM (16:00 ET) otherwise.

    Returns
    -------
    pandas.Series of Timestamp
        Settlement timestamps, US/Eastern tz-naive.
    """
    mode = coerce_enum(settlement, Settlement, "settlement")
    dates = pd.to_datetime(expiry_dates).dt.normalize()
    if mode is Settlement.AM:
        return dates + AM_TIME
    if mode is Settlement.PM:
        return dates + PM_TIME
    r = pd.Series(roots, index=dates.index) if isinstance(roots, str) else roots
    am = r.astype(str).str.upper().isin(AM_SETTLED_ROOTS).to_numpy()
    return pd.Series(np.where(am, dates + AM_TIME, dates + PM_TIME), index=dates.index)


def years_to_expiry(
    expiry: pd.Series | pd.DatetimeIndex | np.ndarray, asof: pd.Timestamp, min_minutes: float = 1.0
) -> np.ndarray:
    """Calendar time to settlement in years (minutes / 525 600), floored at ``min_minutes``.

    Contracts already settled (expiry <= asof) get a non-positive value **before** flooring is
    applied, so callers can exclude them; see :func:`crashlens.options.gex`.

    Parameters
    ----------
    expiry : array-like of Timestamp
        Settlement times (US/Eastern tz-naive).
    asof : pandas.Timestamp
        Valuation time (same clock).
    min_minutes : float, default 1.0
        Floor for live contracts (T > 0) so 0DTE gammas stay finite in the last minute.

    Returns
    -------
    ndarray of float
        Years to settlement; <= 0 marks expired contracts.
    """
    if not min_minutes > 0:
        raise ParameterError(f"min_time_minutes must be > 0, got {min_minutes}")
    exp = np.asarray(expiry).astype("datetime64[ns]")
    minutes = (exp - pd.Timestamp(asof).to_datetime64()) / np.timedelta64(1, "m")
    live = minutes > 0
    return np.where(live, np.maximum(minutes, min_minutes), minutes) / MINUTES_PER_YEAR


# --------------------------------------------------------------------------------------------
# validation shared by all readers

_OPTION_TYPE = {"C": "C", "CALL": "C", "CALLS": "C", "P": "P", "PUT": "P", "PUTS": "P"}


def _check_numeric(
    frame: pd.DataFrame, column: str, path: str | None, rows: np.ndarray | None,
    *, required: bool, minimum: float | None = None, strict_min: bool = False,
) -> pd.Series:
    raw = frame[column]
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        num = raw.astype(float)
        nonnum = np.zeros(len(raw), dtype=bool)
    else:
        text = raw.astype("string").str.strip().str.replace(",", "", regex=False)
        num = pd.to_numeric(text, errors="coerce").astype(float)
        empty = text.isna() | text.isin(["", "-", "--", "nan", "NaN", "N/A", "n/a"])
        nonnum = (num.isna() & ~empty).to_numpy(dtype=bool)
    if nonnum.any():
        i = int(np.argmax(nonnum))
        raise DataError(
            f"non-numeric value {raw.iloc[i]!r}", path=path, column=column,
            row=int(rows[i]) if rows is not None else i,
        )
    vals = num.to_numpy(dtype=float)
    if required:
        miss = ~np.isfinite(vals)
        if miss.any():
            i = int(np.argmax(miss))
            raise DataError(
                "missing or non-finite value (required)", path=path, column=column,
                row=int(rows[i]) if rows is not None else i,
            )
    if minimum is not None:
        with np.errstate(invalid="ignore"):
            low = (vals <= minimum) if strict_min else (vals < minimum)
        if low.any():
            i = int(np.argmax(low))
            op = ">" if strict_min else ">="
            raise DataError(
                f"value {vals[i]!r} must be {op} {minimum}", path=path, column=column,
                row=int(rows[i]) if rows is not None else i,
            )
    return pd.Series(vals, index=frame.index)


def _normalise(
    frame: pd.DataFrame, *, path: str | None, rows: np.ndarray | None, underlying: str,
    quote_time: pd.Timestamp | None,
) -> pd.DataFrame:
    """Validate and coerce a frame that already has the CHAIN_COLUMNS names."""
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    frame = frame.reset_index(drop=True)
    out["underlying"] = underlying
    out["quote_time"] = pd.Timestamp(quote_time) if quote_time is not None else pd.NaT
    exp = pd.to_datetime(frame["expiry"], errors="coerce")
    if exp.isna().any():
        i = int(np.argmax(exp.isna().to_numpy()))
        raise DataError(
            f"unparseable expiry {frame['expiry'].iloc[i]!r}", path=path, column="expiry",
            row=int(rows[i]) if rows is not None else i,
        )
    out["expiry"] = exp.to_numpy()
    out["strike"] = _check_numeric(frame, "strike", path, rows, required=True, minimum=0.0,
                                   strict_min=True).to_numpy()
    ot = frame["option_type"].astype("string").str.strip().str.upper().map(_OPTION_TYPE)
    if ot.isna().any():
        i = int(np.argmax(ot.isna().to_numpy()))
        raise DataError(
            f"option type {frame['option_type'].iloc[i]!r} is not C/P/call/put", path=path,
            column="option_type", row=int(rows[i]) if rows is not None else i,
        )
    out["option_type"] = ot.astype(object).to_numpy()
    out["open_interest"] = _check_numeric(frame, "open_interest", path, rows, required=True,
                                          minimum=0.0).to_numpy()
    for col in ("volume", "iv", "bid", "ask", "last"):
        if col in frame.columns:
            vals = _check_numeric(frame, col, path, rows, required=False, minimum=0.0)
            out[col] = vals.to_numpy()
        else:
            out[col] = np.nan
    if "multiplier" in frame.columns:
        m = _check_numeric(frame, "multiplier", path, rows, required=False, minimum=0.0,
                           strict_min=True)
        out["multiplier"] = m.fillna(100.0).to_numpy()
    else:
        out["multiplier"] = 100.0
    return out[list(CHAIN_COLUMNS)].copy()  # one consolidated block per dtype


def chain_from_frame(
    frame: pd.DataFrame, *, spot: float | None = None, underlying: str | None = None,
    quote_time: Any = None, settlement: Settlement | str = "auto", source: str | None = None,
    warnings: tuple[str, ...] = (), line_numbers: np.ndarray | None = None,
) -> OptionChain:
    """Build a validated :class:`OptionChain` from a frame with CHAIN_COLUMNS names.

    Parameters
    ----------
    frame : pandas.DataFrame
        Needs ``expiry``, ``strike``, ``option_type``, ``open_interest``; the other
        :data:`CHAIN_COLUMNS` are optional (NaN; multiplier 100). Expiries given as plain dates
        get their settlement time from ``settlement``.
    spot : float, optional
        Underlying price; default: a constant ``spot`` column if the frame has one.
    underlying : str, optional
        Default: the frame's ``underlying`` column (must be one value) or ``"UNKNOWN"``.
    quote_time : datetime-like, optional
        Default: the frame's ``quote_time`` column (one value).
    settlement : {"auto", "am", "pm"}, default "auto"
        See :func:`settlement_times`.
    source : str, optional
        File name for error messages.
    warnings : tuple of str
        Caveats to carry.
    line_numbers : ndarray of int, optional
        File line (or row) number of each frame row, used in error messages.

    Returns
    -------
    OptionChain

    Raises
    ------
    DataError
        Missing required column, empty chain, non-numeric / negative / missing values (with
        the column and row).
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"chain must be a DataFrame, got {type(frame).__name__}")
    missing = [c for c in ("expiry", "strike", "option_type", "open_interest") if c not in frame]
    if missing:
        raise DataError(f"option chain lacks required column(s) {', '.join(missing)}",
                        path=source, column=missing[0])
    if len(frame) == 0:
        raise DataError("option chain is empty (no contracts)", path=source)
    if underlying is None:
        if "underlying" in frame.columns and frame["underlying"].nunique(dropna=True) == 1:
            underlying = str(frame["underlying"].dropna().iloc[0])
        else:
            underlying = "UNKNOWN"
    if quote_time is None and "quote_time" in frame.columns:
        qt = pd.to_datetime(frame["quote_time"], errors="coerce").dropna().unique()
        if len(qt) > 1:
            raise DataError("chain mixes several quote times; pass one snapshot",
                            path=source, column="quote_time")
        quote_time = qt[0] if len(qt) else None
    if spot is None:
        for col in ("spot", "underlying_price"):
            if col in frame.columns:
                vals = pd.to_numeric(frame[col], errors="coerce").dropna().unique()
                if len(vals) == 1:
                    spot = float(vals[0])
                    break
    qts = pd.Timestamp(quote_time) if quote_time is not None else None
    if qts is not None and qts.tzinfo is not None:
        qts = qts.tz_convert("America/New_York").tz_localize(None)
    out = _normalise(frame, path=source, rows=line_numbers, underlying=underlying,
                     quote_time=qts)
    exp = pd.Series(out["expiry"])
    is_date = (exp == exp.dt.normalize()).to_numpy()
    if is_date.any():
        roots = frame["root"].astype(str) if "root" in frame.columns else pd.Series(
            underlying, index=exp.index)
        timed = settlement_times(exp, roots, settlement)
        out["expiry"] = np.where(is_date, timed, exp)
        out["expiry"] = pd.to_datetime(out["expiry"])
        out = out.copy()
    if spot is not None and not (np.isfinite(spot) and spot > 0):
        raise ParameterError(f"spot must be a positive number, got {spot}")
    return OptionChain(out, underlying, None if spot is None else float(spot), qts, source,
                       tuple(warnings))


_ALIASES = {
    "expiry": ("expiry", "expiration", "expiration_date", "expiration date", "exp", "expiry_date",
               "expire_date", "maturity"),
    "strike": ("strike", "strike_price", "k"),
    "option_type": ("option_type", "type", "right", "cp", "call_put", "put_call", "cp_flag",
                    "optiontype"),
    "open_interest": ("open_interest", "oi", "openinterest", "open interest"),
    "volume": ("volume", "vol"),
    "iv": ("iv", "implied_volatility", "impliedvolatility", "implied_vol"),
    "bid": ("bid",),
    "ask": ("ask",),
    "last": ("last", "last_price", "last_sale", "lastprice"),
    "multiplier": ("multiplier", "contract_size", "shares_per_contract"),
    "underlying": ("underlying", "underlying_symbol", "ticker"),
    "root": ("root", "option_root"),
    "quote_time": ("quote_time", "quote_datetime", "asof", "timestamp", "quote_date"),
    "spot": ("spot", "underlying_price", "underlying_last", "s"),
}


def read_generic(
    path: str | Path, *, spot: float | None = None, underlying: str | None = None,
    quote_time: Any = None, settlement: Settlement | str = "auto",
) -> OptionChain:
    """Read a chain in the generic long layout (CSV or Parquet, one row per contract).

    Column names are matched case-insensitively with common aliases (``oi``, ``type``/``right``,
    ``expiration``, ``implied_volatility`` ...). Required: expiry, strike, option type, open
    interest. IV is a fraction; a column whose median exceeds 3 is taken to be in percent and
    divided by 100 (reported in ``warnings``).

    Parameters
    ----------
    path : str or Path
        ``.parquet``/``.pq`` files are read with pyarrow, anything else as CSV.
    spot, underlying, quote_time, settlement
        As in :func:`chain_from_frame`.

    Returns
    -------
    OptionChain
    """
    p = Path(path)
    if not p.is_file():
        raise DataError("no such chain file", path=str(p))
    try:
        if p.suffix.lower() in {".parquet", ".pq"}:
            raw = pd.read_parquet(p)
        else:
            raw = pd.read_csv(p)  # the C parser types numeric columns; others stay text
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot read chain file ({exc})", path=str(p)) from exc
    lower = {str(c).strip().lower(): c for c in raw.columns}
    rename = {}
    for target, aliases in _ALIASES.items():
        for a in aliases:
            if a in lower:
                rename[lower[a]] = target
                break
    frame = raw.rename(columns=rename)[list(dict.fromkeys(rename.values()))]
    warns: list[str] = []
    if "iv" in frame.columns:
        iv = pd.to_numeric(frame["iv"], errors="coerce")
        if iv.median() > 3.0:
            frame = frame.assign(iv=iv / 100.0)
            warns.append(Note("options.iv_percent", file=p.name, median=float(iv.median())))
    # error messages name the file line (CSV: header is line 1) or the 1-based Parquet row
    first = 1 if p.suffix.lower() in {".parquet", ".pq"} else 2
    return chain_from_frame(frame, spot=spot, underlying=underlying, quote_time=quote_time,
                            settlement=settlement, source=str(p), warnings=tuple(warns),
                            line_numbers=np.arange(first, first + len(frame)))


def read_chain(
    path: str | Path, *, format: str = "auto", spot: float | None = None,
    underlying: str | None = None, quote_time: Any = None,
    settlement: Settlement | str = "auto",
) -> OptionChain:
    """Read an option chain file.

    Parameters
    ----------
    path : str or Path
        A CBOE delayed-quotes ``quotedata.csv`` export, or a generic CSV/Parquet chain.
    format : {"auto", "quotedata", "generic"}, default "auto"
        ``auto`` picks ``quotedata`` when an ``Expiration Date,Calls,...`` header appears in
        the first lines of a CSV, else ``generic``.
    spot, underlying, quote_time : optional
        Override what the file says (the quotedata preamble gives spot and quote time).
    settlement : {"auto", "am", "pm"}, default "auto"
        Settlement time rule (see :func:`settlement_times`).

    Returns
    -------
    OptionChain
    """
    from crashlens.options._quotedata import looks_like_quotedata, read_quotedata

    fmt = str(format).lower()
    if fmt not in {"auto", "quotedata", "generic"}:
        raise ParameterError(f"format: '{format}' is not one of auto, quotedata, generic")
    p = Path(path)
    if not p.is_file():
        raise DataError("no such chain file", path=str(p))
    if fmt == "auto":
        fmt = "quotedata" if looks_like_quotedata(p) else "generic"
    if fmt == "quotedata":
        return read_quotedata(p, spot=spot, underlying=underlying, quote_time=quote_time,
                              settlement=settlement)
    return read_generic(p, spot=spot, underlying=underlying, quote_time=quote_time,
                        settlement=settlement)


def implied_spot(
    frame: pd.DataFrame, asof: pd.Timestamp, rate: float = 0.0, dividend_yield: float = 0.0,
    min_minutes: float = 1.0,
) -> tuple[float, str] | None:
    """Spot implied by put-call parity when a chain carries no underlying quote.

    For the nearest live expiry that has both a call and a put price at one strike, take the
    strike where ``|C - P|`` is smallest and solve ``C - P = S e^{-qT} - K e^{-rT}`` for ``S``.
    Prices are bid/ask mids when both sides are quoted, else last sales.

    Parameters
    ----------
    frame : pandas.DataFrame
        Chain rows (:data:`CHAIN_COLUMNS`).
    asof : pandas.Timestamp
        Valuation time.
    rate, dividend_yield : float
        Continuous annual rates.
    min_minutes : float
        Floor of the time to settlement.

    Returns
    -------
    (float, str) or None
        The spot and a description of how it was found, or None when no expiry has a priced
        call/put pair.
    """
    bid, ask, last = (frame[c].to_numpy(dtype=float) for c in ("bid", "ask", "last"))
    with np.errstate(invalid="ignore"):
        price = np.where((bid > 0) & (ask >= bid), 0.5 * (bid + ask),
                         np.where(last > 0, last, np.nan))
    T = years_to_expiry(frame["expiry"], asof, min_minutes)
    df = pd.DataFrame({"expiry": frame["expiry"].to_numpy(), "strike": frame["strike"].to_numpy(),
                       "type": frame["option_type"].to_numpy(), "price": price, "T": T})
    df = df[(df["T"] > 0) & np.isfinite(df["price"])]
    if df.empty:
        return None
    wide = df.pivot_table(index=["expiry", "strike"], columns="type", values="price",
                          aggfunc="mean")
    if not {"C", "P"} <= set(wide.columns):
        return None
    wide = wide.dropna(subset=["C", "P"])
    if wide.empty:
        return None
    first = wide.index.get_level_values("expiry").min()
    near = wide.xs(first, level="expiry")
    k = float((near["C"] - near["P"]).abs().idxmin())
    c, p = float(near.loc[k, "C"]), float(near.loc[k, "P"])
    t = float(df.loc[df["expiry"] == first, "T"].iloc[0])
    spot = (c - p + k * np.exp(-rate * t)) * np.exp(dividend_yield * t)
    if not (np.isfinite(spot) and spot > 0):
        return None
    how = Note("options.spot_from_parity", spot=float(spot), strike=k,
               expiry=pd.Timestamp(first).normalize(), call=c, put=p)
    return float(spot), how
