"""Named sell-off events and the resolution of ``--event`` / ``--asof`` into a window."""

from __future__ import annotations

import dataclasses

import pandas as pd

from crashlens._dates import to_timestamp
from crashlens.errors import InsufficientDataError, ParameterError

#: Length of the window of a bare ``--asof`` report, in business days (inclusive).
DEFAULT_WINDOW_BDAYS = 5


@dataclasses.dataclass(frozen=True)
class Event:
    """A named event: its as-of date, window start and names in both languages."""

    key: str
    asof: str
    start: str
    name_en: str
    name_zh: str

    def name(self, lang: str) -> str:
        """The event's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en


EVENTS: dict[str, Event] = {
    "2025-11": Event("2025-11", "2025-11-21", "2025-11-17",
                     "The November 2025 sell-off (17–21 Nov 2025)",
                     "2025年11月抛售（2025年11月17日至21日）"),
    "2026-02": Event("2026-02", "2026-02-05", "2026-01-29",
                     "The silver crash and crypto sell-off (29 Jan – 5 Feb 2026)",
                     "白银暴跌与加密货币抛售（2026年1月29日至2月5日）"),
}

EARLIEST = pd.Timestamp("1990-01-02")


def resolve(event: str | None = None, asof: str | pd.Timestamp | None = None,
            latest: pd.Timestamp | None = None) -> tuple[pd.Timestamp, pd.Timestamp, str | None]:
    """Turn ``--event`` / ``--asof`` into ``(asof, window start, event key)``.

    Parameters
    ----------
    event : str, optional
        A key of :data:`EVENTS`.
    asof : str or Timestamp, optional
        A date; the window is the :data:`DEFAULT_WINDOW_BDAYS` business days ending there.
    latest : Timestamp, optional
        Newest date in the store: the default as-of date and the upper bound for ``asof``.

    Raises
    ------
    ParameterError
        Both or a bad value given, unknown event, or a date after the newest data.
    InsufficientDataError
        A date before 1990 (too little cross-asset history for any section).
    """
    if event is not None and asof is not None:
        raise ParameterError("give either --event or --asof, not both")
    if event is not None:
        ev = EVENTS.get(event)
        if ev is None:
            raise ParameterError(f"--event: unknown event '{event}' (known: "
                                 f"{', '.join(sorted(EVENTS))})")
        return pd.Timestamp(ev.asof), pd.Timestamp(ev.start), ev.key
    if asof is None:
        if latest is None:
            raise ParameterError("give --event or --asof")
        ts = latest.normalize()
    else:
        ts = to_timestamp(asof, "--asof")
    if latest is not None and ts > latest.normalize():
        raise ParameterError(f"--asof: {ts.date()} is after the newest data in the store "
                             f"({latest.date()})")
    if ts < EARLIEST:
        raise InsufficientDataError(f"--asof: {ts.date()} is before {EARLIEST.date()}, the "
                                    "start of the cross-asset history the report needs")
    start = (ts - pd.offsets.BDay(DEFAULT_WINDOW_BDAYS - 1)).normalize()
    return ts, start, None


__all__ = ["DEFAULT_WINDOW_BDAYS", "EVENTS", "Event", "resolve"]
