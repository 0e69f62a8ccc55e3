"""Named sell-off events, the files they own, and the resolution of a report's window.

An :class:`Event` is a sell-off window with a default as-of date and the files that belong to
it: a scenario set, a claims file and a catalysts file. The shipped events live in
``events.yaml`` beside this module; users add their own with ``--events FILE.yaml`` (same
keys). A report as of ``D`` attaches the files of the event whose ``covers`` window holds
``D`` (by default from 7 days before the event's start to 30 days after its as-of date), or
none; a report as of 16 March 2020 therefore never shows the November 2025 scenarios or audits
the 2026 claims.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from crashlens._dates import to_timestamp
from crashlens.errors import InsufficientDataError, ParameterError

#: Length of the window of a bare ``--asof`` report, in business days (inclusive).
DEFAULT_WINDOW_BDAYS = 5
#: Days before an event's start from which a report attaches its files.
COVER_BEFORE_DAYS = 7
#: Days after an event's as-of date until which a report attaches its files.
COVER_AFTER_DAYS = 30
#: The shipped event registry.
SHIPPED_EVENTS = Path(__file__).with_name("events.yaml")

EARLIEST = pd.Timestamp("1990-01-02")


@dataclasses.dataclass(frozen=True)
class Event:
    """A named event: its window, names in both languages and the files it owns.

    Attributes
    ----------
    key : str
        Short id (``"2025-11"``) used by ``--event``.
    asof, start : str
        The sell-off window, ISO dates; ``asof`` is the report's default as-of date.
    name_en, name_zh : str
        Names in English and Chinese.
    scenarios, claims, catalysts : str or None
        The scenario set and claims file (shipped names) and catalysts file (shipped name or
        path) of the event.
    covers : tuple of str
        First and last as-of dates (ISO) whose reports attach the event's files.
    """

    key: str
    asof: str
    start: str
    name_en: str
    name_zh: str
    scenarios: str | None = None
    claims: str | None = None
    catalysts: str | None = None
    covers: tuple[str, str] = ("", "")

    def name(self, lang: str) -> str:
        """The event's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en

    def covers_date(self, day: pd.Timestamp) -> bool:
        """Whether a report as of ``day`` attaches this event's files."""
        lo, hi = (pd.Timestamp(d) for d in self.covers)
        return bool(lo <= day.normalize() <= hi)

    def files(self) -> dict[str, str]:
        """The event's files by kind (only those it has)."""
        have = {"scenarios": self.scenarios, "claims": self.claims, "catalysts": self.catalysts}
        return {k: v for k, v in have.items() if v}


class _EventSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    start: str
    asof: str
    name: str
    name_zh: str | None = None
    scenarios: str | None = None
    claims: str | None = None
    catalysts: str | None = None
    covers: tuple[str, str] | None = None

    @field_validator("start", "asof", mode="before")
    @classmethod
    def _iso(cls, v: Any) -> str:
        return to_timestamp(v, "date").date().isoformat()

    @field_validator("covers", mode="before")
    @classmethod
    def _iso_pair(cls, v: Any) -> Any:
        if v is None:
            return v
        if not isinstance(v, list | tuple) or len(v) != 2:
            raise ValueError("covers: expected [first date, last date]")
        return tuple(to_timestamp(d, "covers").date().isoformat() for d in v)


class _EventFileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[_EventSpec]


def _event(spec: _EventSpec) -> Event:
    start, asof = pd.Timestamp(spec.start), pd.Timestamp(spec.asof)
    if start > asof:
        raise ParameterError(f"event {spec.key}: start {spec.start} is after asof {spec.asof}")
    covers = spec.covers or (
        (start - pd.Timedelta(days=COVER_BEFORE_DAYS)).date().isoformat(),
        (asof + pd.Timedelta(days=COVER_AFTER_DAYS)).date().isoformat())
    return Event(spec.key, spec.asof, spec.start, spec.name, spec.name_zh or spec.name,
                 spec.scenarios, spec.claims, spec.catalysts, covers)


def load_events(path: str | Path) -> dict[str, Event]:
    """Read an events file (see ``events.yaml``); errors name the file and line.

    Raises
    ------
    DataError
        Unreadable file, YAML error, unknown key, bad date (with the line).
    """
    from crashlens._yaml import read_yaml, validate

    data, lines, source = read_yaml(path)
    spec = validate(_EventFileSpec, data, lines, source)
    return {e.key: _event(e) for e in spec.events}


EVENTS: dict[str, Event] = load_events(SHIPPED_EVENTS)


def registry(extra: str | Path | Mapping[str, Event] | None = None) -> dict[str, Event]:
    """The shipped events plus a user's (a file or a mapping); the user's win on equal keys."""
    out = dict(EVENTS)
    if extra is not None:
        out.update(extra if isinstance(extra, Mapping) else load_events(extra))
    return out


def covering(day: pd.Timestamp, events: Iterable[Event] | None = None) -> Event | None:
    """The event whose files a report as of ``day`` attaches.

    The covering event whose as-of date is nearest ``day``; None when no event covers it.
    """
    cands = [e for e in (events if events is not None else EVENTS.values())
             if e.covers_date(day)]
    if not cands:
        return None
    return min(cands, key=lambda e: abs((pd.Timestamp(e.asof) - day.normalize()).days))


def resolve(event: str | None = None, asof: str | pd.Timestamp | None = None,
            latest: pd.Timestamp | None = None, *,
            window: tuple[Any, Any] | None = None,
            events: Mapping[str, Event] | None = None,
            ) -> tuple[pd.Timestamp, pd.Timestamp, str | None]:
    """Turn ``--event`` / ``--asof`` / ``--window`` into ``(asof, window start, event key)``.

    Parameters
    ----------
    event : str, optional
        A key of the registry (``events``, default :data:`EVENTS`).
    asof : str or Timestamp, optional
        A date; the window is the :data:`DEFAULT_WINDOW_BDAYS` business days ending there.
    latest : Timestamp, optional
        Newest date in the store: the default as-of date and the upper bound for ``asof``.
    window : (start, end), optional
        An explicit window (``--window START END``): the report is as of ``end``. With
        ``event`` it replaces the event's own window (the event still names the files).
    events : mapping, optional
        The registry to look ``event`` up in.

    Raises
    ------
    ParameterError
        Conflicting or bad values, unknown event, or a date after the newest data.
    InsufficientDataError
        A date before 1990 (too little cross-asset history for any section).
    """
    reg = EVENTS if events is None else events
    if event is not None and asof is not None:
        raise ParameterError("give either --event or --asof, not both")
    if window is not None and asof is not None:
        raise ParameterError("give either --window or --asof, not both")
    key = None
    if event is not None:
        ev = reg.get(event)
        if ev is None:
            raise ParameterError(f"--event: unknown event '{event}' (known: "
                                 f"{', '.join(sorted(reg))})")
        key = ev.key
        if window is None:
            return pd.Timestamp(ev.asof), pd.Timestamp(ev.start), key
    if window is not None:
        start = to_timestamp(window[0], "--window START")
        ts = to_timestamp(window[1], "--window END")
        if start > ts:
            raise ParameterError(f"--window: START {start.date()} is after END {ts.date()}")
    elif asof is None:
        if latest is None:
            raise ParameterError("give --event, --asof or --window")
        ts = latest.normalize()
        start = (ts - pd.offsets.BDay(DEFAULT_WINDOW_BDAYS - 1)).normalize()
    else:
        ts = to_timestamp(asof, "--asof")
        start = (ts - pd.offsets.BDay(DEFAULT_WINDOW_BDAYS - 1)).normalize()
    name = "--window END" if window is not None else "--asof"
    if latest is not None and ts > latest.normalize():
        raise ParameterError(f"{name}: {ts.date()} is after the newest data in the store "
                             f"({latest.date()})")
    if ts < EARLIEST:
        raise InsufficientDataError(f"{name}: {ts.date()} is before {EARLIEST.date()}, the "
                                    "start of the cross-asset history the report needs")
    return ts, start, key


__all__ = ["COVER_AFTER_DAYS", "COVER_BEFORE_DAYS", "DEFAULT_WINDOW_BDAYS", "EVENTS", "Event",
           "covering", "load_events", "registry", "resolve"]
