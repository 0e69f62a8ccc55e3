"""Partition tasks of the batch jobs (module-level, picklable, run on any worker).

Each task takes one frozen partition spec and returns ``(frame, info)``: the partition's rows
and a JSON-safe record (seconds, worker process id, warnings). Tasks only *compute*; the driver
writes the files, so workers need no shared file system — only the data (``CRASHLENS_DATA`` /
the store, or a price panel the engine sends to each worker once).
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crashlens.errors import CrashlensError, InsufficientDataError, ParameterError
from crashlens.notes import Note

#: Columns of the asset-level CTA rows (depend on the asset's own closes only).
ASSET_COLUMNS: tuple[str, ...] = ("date", "asset", "price", "signal", "trigger_short",
                                  "trigger_medium", "trigger_long", "percentile")
#: Name of the book-total rows in the CTA output.
TOTAL = "TOTAL"
#: Monte-Carlo schedules: which book dates get bands (the last common date of each period).
MC_FREQS: dict[str, str | None] = {"day": "D", "week": "W", "month": "M", "none": None}


@dataclasses.dataclass(frozen=True)
class CTAPart:
    """One CTA partition: an asset over a date block, or the book over a block.

    Attributes
    ----------
    pid : str
        Partition id (file name).
    role : {"asset", "book"}
        ``asset``: price, signal and trigger levels of ``asset`` (these depend on that asset's
        closes only, so they are computed from a one-asset model). ``book``: weights, USD
        notional, scenario flows and Monte-Carlo bands of every asset of ``universe`` (they
        depend on the whole book).
    asset : str or None
    start, end : Timestamp
        Inclusive date block.
    universe : tuple of str
    params, aum
        As in :func:`crashlens.cta.history`.
    flows : bool
        Scenario flows per day (book partitions).
    mc_freq : {"day", "week", "month", "none"}
        Monte-Carlo band schedule (book partitions).
    """

    pid: str
    role: str
    asset: str | None
    start: pd.Timestamp
    end: pd.Timestamp
    universe: tuple[str, ...]
    params: Any = None
    aum: float | None = None
    flows: bool = True
    mc_freq: str = "month"


def _own_error(exc: CrashlensError, names: list[str]) -> str | None:
    """The asset of ``names`` a CTA fitting error is about (its ``subject``), if any."""
    return exc.subject if exc.subject in names else None


def _info(t0: float, warnings: list[str], **extra: Any) -> dict[str, Any]:
    """The compute record: seconds, worker, warnings (texts) and their notes (code, params).

    The record is stored as JSON in the partition file, so a warning's code and parameters
    travel as ``notes`` (see :func:`notes_of`) next to the texts.
    """
    unique = list(dict.fromkeys(warnings))
    return {"seconds": time.perf_counter() - t0, "worker_pid": os.getpid(),
            "warnings": [str(w) for w in unique],
            "notes": [w.to_dict() for w in unique if isinstance(w, Note)], **extra}


def notes_of(info: dict[str, Any]) -> list[str]:
    """The warnings of a compute record, each rebuilt as its :class:`Note` when it was one."""
    by_text = {str(d["text"]): Note.from_dict(d) for d in info.get("notes") or []}
    return [by_text.get(str(w), str(w)) for w in info.get("warnings") or []]


def cta_asset_task(part: CTAPart, prices: pd.DataFrame | None = None
                   ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Price, blended signal and short/medium/long triggers of one asset over one block.

    ``prices``: closes of the whole universe (None = the catalog).
    """
    from crashlens import cta

    t0 = time.perf_counter()
    warnings: list[str] = []
    assert part.asset is not None
    try:
        h = cta.history(part.start, part.end, assets=[part.asset], aum=part.aum,
                        params=part.params, prices=prices, triggers=True, flows=False)
    except (InsufficientDataError, ParameterError) as exc:
        if _own_error(exc, [part.asset]) is None:
            raise
        warnings.append(Note("engine.cta_block_no_rows", start=part.start, end=part.end,
                             error=str(exc)))
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "date" else
                                          object if c == "asset" else float)
                             for c in ASSET_COLUMNS}), _info(t0, warnings)
    warnings.extend(h.warnings)
    frame = h.frame
    frame = frame[(frame["date"] >= part.start) & (frame["date"] <= part.end)]
    out = frame.reindex(columns=list(ASSET_COLUMNS)).reset_index(drop=True)
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    return out, _info(t0, warnings)


def _mc_dates(common: pd.DatetimeIndex, freq: str) -> pd.DatetimeIndex:
    alias = MC_FREQS[freq]
    if alias is None or common.empty:
        return pd.DatetimeIndex([])
    if alias == "D":
        return common
    periods = common.to_period(alias)
    last = ~pd.Series(periods).duplicated(keep="last").to_numpy()
    return common[last]


def cta_book_task(part: CTAPart, prices: pd.DataFrame | None = None
                  ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Weights, notional, flows and Monte-Carlo bands of the whole book over one block.

    ``prices``: closes of the whole universe (None = the catalog).

    Assets that are not usable at the block's end (no data yet, too short a history, stale)
    are left out of that block's book, as :func:`crashlens.cta.positioning` would as of that
    date, with a warning.
    """
    from crashlens import cta

    t0 = time.perf_counter()
    warnings: list[str] = []
    usable = list(part.universe)
    h = None
    while usable:
        try:
            h = cta.history(part.start, part.end, assets=usable, aum=part.aum,
                            params=part.params, prices=prices, triggers=False,
                            flows=part.flows)
            break
        except (InsufficientDataError, ParameterError) as exc:
            name = _own_error(exc, usable)
            if name is None:
                raise
            usable.remove(name)
            warnings.append(Note("engine.cta_block_left_out", start=part.start,
                                 end=part.end, error=str(exc), asset=name))
    if h is None:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"),
                             "asset": pd.Series(dtype=object)}), _info(t0, warnings, assets=[])
    warnings.extend(h.warnings)
    frame = h.frame
    frame = frame[(frame["date"] >= part.start) & (frame["date"] <= part.end)]
    keep = ["date", "asset", "weight", "notional_usd",
            *[c for c in frame.columns if c.startswith("flow_")]]
    rows = frame[keep].copy()
    rows["date"] = pd.to_datetime(rows["date"]).astype("datetime64[ns]")
    # book totals on the dates every asset of the book traded (exact sums)
    counts = rows.groupby("date")["asset"].transform("size")
    full = rows[counts == len(usable)]
    total = full.drop(columns="asset").groupby("date", as_index=False).sum(min_count=1)
    total.insert(1, "asset", TOTAL)
    common = pd.DatetimeIndex(total["date"])
    mc_rows = []
    params = part.params or cta.CTAParams.preset("desk")  # the CTA engine's default
    for d in _mc_dates(common, part.mc_freq):
        res = cta.positioning(d, assets=usable, aum=part.aum, params=params,
                              prices=prices, mc=True)
        for name, block in [*res.assets.items(), (TOTAL, res.total)]:
            row: dict[str, Any] = {"date": d, "asset": name}
            for hz, qs in block.get("mc_flows_usd", {}).items():
                for q, v in qs.items():
                    row[f"mc_{hz}_{q}"] = float(v) if v is not None else math.nan
            mc_rows.append(row)
    out = pd.concat([rows, total], ignore_index=True)
    if mc_rows:
        mc = pd.DataFrame(mc_rows)
        mc["date"] = pd.to_datetime(mc["date"]).astype("datetime64[ns]")
        out = out.merge(mc, on=["date", "asset"], how="left")
    return out.reset_index(drop=True), _info(t0, warnings, assets=usable,
                                             mc_dates=len(mc_rows) // (len(usable) + 1))


@dataclasses.dataclass(frozen=True)
class GexPart:
    """Chain files of one GEX partition (``options`` are keyword arguments of ``gex``)."""

    pid: str
    paths: tuple[str, ...]
    options: tuple[tuple[str, Any], ...] = ()
    on_error: str = "record"


#: Scalar fields of :class:`crashlens.options.GexResult` kept in the GEX batch summary.
GEX_FIELDS: tuple[str, ...] = (
    "underlying", "spot", "asof", "total_gex_usd_per_1pct", "zero_gamma", "call_wall",
    "put_wall", "abs_gamma_strike", "hedge_flow_usd_per_1pct", "zero_dte_share", "dex_usd",
    "vanna_usd_per_vol_pt", "charm_usd_per_day", "zero_gamma_ex_next_expiry",
    "zero_gamma_ex_next_monthly",
)


def _scalar(v: Any) -> Any:
    if v is None:
        return math.nan
    if isinstance(v, pd.Timestamp):
        return v
    if isinstance(v, str):
        return v
    if isinstance(v, float | int | np.floating | np.integer):
        return float(v)
    return str(v)


def _gex_row(path: str, part: GexPart, warnings: list[str]) -> dict[str, Any]:
    from crashlens import options

    name = Path(path).name
    row: dict[str, Any] = {"file": path, "name": name}
    try:
        res = options.gex(options.read_chain(path), **dict(part.options))
    except CrashlensError as exc:
        if part.on_error == "raise":
            raise
        row.update({f: math.nan for f in GEX_FIELDS if f not in {"underlying", "asof"}})
        row.update({"underlying": None, "asof": pd.NaT, "n_contracts": 0,
                    "n_warnings": 0, "error": f"{type(exc).__name__}: {exc}"})
        warnings.append(Note("engine.chain_error", file=name, error=str(exc)))
        return row
    row.update({f: _scalar(getattr(res, f, None)) for f in GEX_FIELDS})
    row["n_contracts"] = len(getattr(res, "contracts", ()))
    row["n_warnings"] = len(res.warnings)
    row["error"] = None
    warnings.extend(Note("engine.chain_warning", file=name, warning=w) for w in res.warnings)
    return row


def gex_task(part: GexPart) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One GEX summary row per chain file of the partition (an ``error`` row for a bad file)."""
    t0 = time.perf_counter()
    warnings: list[str] = []
    rows = [_gex_row(p, part, warnings) for p in part.paths]
    frame = pd.DataFrame(rows, columns=["file", "name", *GEX_FIELDS, "n_contracts",
                                        "n_warnings", "error"])
    frame["asof"] = pd.to_datetime(frame["asof"]).astype("datetime64[ns]")
    frame["underlying"] = frame["underlying"].astype(object)
    frame["error"] = frame["error"].astype(object)
    return frame, _info(t0, warnings)
