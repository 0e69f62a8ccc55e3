"""Catalyst files: a YAML list of dated events, parsed with line numbers for clear errors.

Format::

    market: SPX                    # optional, default SPX
    estimation_window: 120         # optional, sessions
    gap: 10                        # optional, sessions between estimation and event window
    event_window: [-1, 3]          # optional, sessions relative to day 0
    roll: following                # optional: following | preceding
    assets: [SPX, NVDA, BTC]       # comparison assets, studied for every event
    baskets:                       # optional thematic baskets (equal-weighted)
      - name: AI hardware vs integrated
        long: [NVDA]
        short: [GOOG]
    events:
      - date: 2025-11-19
        name: Nvidia earnings
        timing: after_close        # intraday (default) | before_open | after_close
        assets: [NVDA, SMH]        # the event's own assets, studied (and listed) first
        note: free text

Roll rule: day 0 is the first market session on or after the event date (``following``) or
the last one on or before it (``preceding``) when the date is not a session (weekend,
holiday). ``after_close`` events always take the next session as day 0.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from crashlens import _yaml as yaml  # the limited loader (alias and depth limits)
from crashlens._dates import to_timestamp
from crashlens.errors import DataError, ParameterError


class Timing(enum.StrEnum):
    """When, relative to the US cash session, the news hit."""

    INTRADAY = "intraday"
    BEFORE_OPEN = "before_open"
    AFTER_CLOSE = "after_close"


class Roll(enum.StrEnum):
    """Roll rule for event dates that are not market sessions."""

    FOLLOWING = "following"
    PRECEDING = "preceding"


@dataclasses.dataclass(frozen=True)
class CatalystEvent:
    """One dated catalyst.

    Attributes
    ----------
    date : Timestamp
        Calendar date of the news.
    name : str
        Short description.
    timing : Timing
        Intraday, before the open or after the close.
    assets : tuple of str
        The event's own assets (the company for earnings, the index or sector for policy, BTC
        for crypto news), studied before the file's comparison assets.
    note : str
        Free text (source, caveats).
    name_zh : str
        Optional Chinese name (the Chinese report shows it; default empty).
    line : int or None
        Line of the event in its YAML file.
    """

    date: pd.Timestamp
    name: str
    timing: Timing = Timing.INTRADAY
    assets: tuple[str, ...] = ()
    note: str = ""
    name_zh: str = ""
    line: int | None = None


@dataclasses.dataclass(frozen=True)
class Basket:
    """An equal-weighted long basket against an equal-weighted short basket."""

    name: str
    long: tuple[str, ...]
    short: tuple[str, ...]
    line: int | None = None


@dataclasses.dataclass(frozen=True)
class EventFile:
    """A parsed catalyst file: events, baskets and study parameters (None = default)."""

    events: tuple[CatalystEvent, ...]
    baskets: tuple[Basket, ...] = ()
    assets: tuple[str, ...] = ()
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    path: str | None = None


class _LineLoader(yaml.SafeLoader):
    """SafeLoader recording the 1-based line of every mapping under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keylines__"] = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping  # type: ignore[return-value]


def _ln(item: Mapping[str, Any], key: str) -> int | None:
    """Line of ``key`` inside a parsed mapping (else the mapping's own line)."""
    lines = item.get("__keylines__") or {}
    return lines.get(key, item.get("__line__"))


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # keep dates as text: PyYAML raises a bare ValueError on 2025-02-30; we name the line
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

_TOP_KEYS = {"market", "estimation_window", "gap", "event_window", "roll", "assets", "baskets",
             "events", "title", "description"}
_EVENT_KEYS = {"date", "name", "name_zh", "timing", "assets", "note", "source"}


def _parse_date(value: Any, where: str, path: str | None, line: int | None) -> pd.Timestamp:
    try:  # str(): a YAML integer 20251121 is a date, not nanoseconds since 1970
        return to_timestamp(value if isinstance(value, dt.date) else str(value), where)
    except ParameterError as exc:
        raise DataError(str(exc), path=path, row=line) from exc


def _names(value: Any, where: str, path: str | None, line: int | None,
           known: Mapping[str, Any]) -> tuple[str, ...]:
    import difflib

    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise DataError(f"{where}: expected a non-empty list of asset names", path=path,
                        row=line)
    out = []
    for v in value:
        key = str(v).strip().upper()
        if key not in known:
            near = difflib.get_close_matches(key, list(known), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise DataError(f"{where}: unknown asset '{v}'{hint}", path=path, row=line)
        out.append(key)
    return tuple(out)


def parse_events(text: str, path: str | None = None,
                 known_assets: Mapping[str, Any] | None = None) -> EventFile:
    """Parse catalyst YAML text.

    Parameters
    ----------
    text : str
        YAML content (see the module docstring for the format).
    path : str, optional
        File name used in error messages.
    known_assets : mapping, optional
        Valid asset names (default: the price series of the catalog).

    Returns
    -------
    EventFile

    Raises
    ------
    DataError
        Invalid YAML, unknown keys, assets or timings, or bad dates; the message names the
        file and the line.
    """
    if known_assets is None:
        from crashlens.data import catalog
        from crashlens.data.schema import Kind

        known_assets = {n: s for n, s in catalog().items() if s.kind is Kind.PRICE}
    try:
        doc = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path=path,
                        row=mark.line + 1 if mark is not None else None) from exc
    if not isinstance(doc, dict) or "events" not in doc:
        raise DataError("a catalyst file is a mapping with an 'events' list", path=path)
    top_line = doc.get("__line__")
    meta = {"__line__", "__keylines__"}
    extra = set(doc) - _TOP_KEYS - meta
    if extra:
        raise DataError(f"unknown top-level key(s) {sorted(extra)}; known: {sorted(_TOP_KEYS)}",
                        path=path, row=_ln(doc, sorted(extra)[0]))
    default_assets = (_names(doc["assets"], "assets", path, _ln(doc, "assets"), known_assets)
                      if "assets" in doc else ())
    params: dict[str, Any] = {}
    for key in ("market", "estimation_window", "gap", "event_window", "roll"):
        if key in doc:
            params[key] = doc[key]
    if "market" in params:
        params["market"] = _names(params["market"], "market", path, _ln(doc, "market"),
                                  known_assets)[0]
    if "roll" in params and params["roll"] not in {r.value for r in Roll}:
        raise DataError(f"roll: '{params['roll']}' is not one of following, preceding",
                        path=path, row=_ln(doc, "roll"))
    raw_events = doc["events"]
    if not isinstance(raw_events, list) or not raw_events:
        raise DataError("'events' must be a non-empty list", path=path, row=_ln(doc, "events"))
    events = []
    for i, item in enumerate(raw_events):
        if not isinstance(item, dict):
            raise DataError(f"event #{i + 1} is not a mapping (date:, name:, ...)", path=path,
                            row=top_line)
        line = item.get("__line__")
        bad = set(item) - _EVENT_KEYS - meta
        if bad:
            raise DataError(f"event #{i + 1}: unknown key(s) {sorted(bad)}; known: "
                            f"{sorted(_EVENT_KEYS)}", path=path, row=_ln(item, sorted(bad)[0]))
        if "date" not in item:
            raise DataError(f"event #{i + 1}: missing 'date'", path=path, row=line)
        date = _parse_date(item["date"], f"event #{i + 1} date", path, _ln(item, "date"))
        timing = str(item.get("timing", "intraday"))
        if timing not in {t.value for t in Timing}:
            raise DataError(f"event #{i + 1}: timing '{timing}' is not one of intraday, "
                            "before_open, after_close", path=path, row=_ln(item, "timing"))
        assets = (_names(item["assets"], f"event #{i + 1} assets", path, _ln(item, "assets"),
                         known_assets) if "assets" in item else ())
        if not assets and not default_assets:
            raise DataError(f"event #{i + 1}: no assets (give 'assets' here or at the top)",
                            path=path, row=line)
        events.append(CatalystEvent(date=date, name=str(item.get("name", f"event {i + 1}")),
                                    timing=Timing(timing), assets=assets,
                                    note=str(item.get("note", item.get("source", ""))),
                                    name_zh=str(item.get("name_zh", "")), line=line))
    baskets = []
    for j, b in enumerate(doc.get("baskets") or []):
        line = b.get("__line__") if isinstance(b, dict) else top_line
        if not isinstance(b, dict) or "long" not in b or "short" not in b:
            raise DataError(f"basket #{j + 1}: needs 'long' and 'short' asset lists", path=path,
                            row=line)
        baskets.append(Basket(
            name=str(b.get("name", f"basket {j + 1}")),
            long=_names(b["long"], f"basket #{j + 1} long", path, _ln(b, "long"),
                        known_assets),
            short=_names(b["short"], f"basket #{j + 1} short", path, _ln(b, "short"),
                         known_assets),
            line=line))
    return EventFile(events=tuple(events), baskets=tuple(baskets), assets=default_assets,
                     params=params, path=path)


def load_events(path: str | Path) -> EventFile:
    """Read and parse a catalyst YAML file (see :func:`parse_events`)."""
    p = Path(path)
    if not p.is_file():
        raise DataError("catalyst file not found", path=str(p))
    return parse_events(p.read_text(encoding="utf-8"), path=str(p))


def shipped_events_path() -> Path:
    """Path of the shipped late-2025 / early-2026 catalyst file."""
    return Path(__file__).with_name("catalysts_2025_2026.yaml")


def day_zero(dates: pd.DatetimeIndex, event: CatalystEvent, roll: Roll | str) -> int:
    """Index of day 0 of an event on a market calendar.

    Parameters
    ----------
    dates : DatetimeIndex
        Sorted market sessions.
    event : CatalystEvent
        The event (its ``timing`` matters: ``after_close`` moves day 0 to the next session).
    roll : Roll
        Rule for non-session dates.

    Returns
    -------
    int
        Position in ``dates``; -1 when the rolled date falls outside the calendar.
    """
    roll = Roll(roll)
    d = event.date
    if event.timing is Timing.AFTER_CLOSE:
        i = int(dates.searchsorted(d, side="right"))
        return i if i < len(dates) else -1
    if roll is Roll.FOLLOWING:
        i = int(dates.searchsorted(d, side="left"))
        return i if i < len(dates) else -1
    i = int(dates.searchsorted(d, side="right")) - 1
    return i


def as_event_file(events: str | Path | EventFile | Sequence[CatalystEvent]) -> EventFile:
    """Coerce a path, an EventFile or a list of events into an EventFile."""
    if isinstance(events, EventFile):
        return events
    if isinstance(events, str | Path):
        return load_events(events)
    return EventFile(events=tuple(events))
