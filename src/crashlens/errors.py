"""Exception hierarchy.

Every error a user can cause derives from :class:`CrashlensError`. The CLI catches it and prints
its one-line message with exit code 2; only ``--debug`` shows a traceback. Messages name the
file, column, row or parameter at fault so the user can fix the input without reading code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CrashlensError(Exception):
    """Base class of all errors caused by input, data or configuration.

    Parameters
    ----------
    *args
        The message (as for any exception).
    subject : str, optional
        The asset or series the error is about, for callers that skip that one and go on
        (e.g. a batch leaving an asset with too little history out of a book).
    """

    def __init__(self, *args: object, subject: str | None = None) -> None:
        super().__init__(*args)
        self.subject = subject


class DataError(CrashlensError):
    """A data file or frame is missing, malformed or inconsistent.

    Parameters
    ----------
    message : str
        What is wrong (a :class:`crashlens.notes.Note` keeps its code: the error then carries
        a ``data.at`` note with the place, renderable in every language).
    path : str, optional
        The file at fault.
    column : str, optional
        The column at fault.
    row : int or str, optional
        The row at fault: a 1-based line number in the file, or a date label.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        column: str | None = None,
        row: int | str | None = None,
    ) -> None:
        self.path = path
        self.column = column
        self.row = row
        where = []
        if path is not None:
            where.append(str(path))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        prefix = ", ".join(where)
        from crashlens.notes import Note  # errors is imported first; notes imports nothing heavy

        if isinstance(message, Note) and prefix:
            super().__init__(Note("data.at", where=prefix, message=message))
        else:
            super().__init__(f"{prefix}: {message}" if prefix else message)


class NeverPublishedError(DataError):
    """A release that was cancelled, not merely missing (e.g. CPI for October 2025).

    Callers that treat "never published" differently from a broken file catch this type
    instead of reading the message.

    Parameters
    ----------
    message : str
        What is wrong (as for :class:`DataError`).
    indicator : str
        The indicator code (``CPI``, ``NFP``, ...).
    period : str
        The reference month ``YYYY-MM``.
    path : str, optional
        The releases file.
    """

    def __init__(self, message: str, *, indicator: str, period: str,
                 path: str | None = None) -> None:
        super().__init__(message, path=path)
        self.indicator = indicator
        self.period = period


class UnknownSeriesError(CrashlensError, KeyError):
    """A series, asset or catalog name that does not exist; suggests the nearest names."""

    def __init__(self, name: str, known: Iterable[str], kind: str = "series") -> None:
        known = list(known)
        close = difflib.get_close_matches(name.upper(), [k.upper() for k in known], n=3, cutoff=0.5)
        by_upper = {k.upper(): k for k in known}
        hint = f"; did you mean {', '.join(by_upper[c] for c in close)}?" if close else ""
        self.name = name
        super().__init__(f"unknown {kind} '{name}'{hint}")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class ParameterError(CrashlensError, ValueError):
    """A parameter value outside its documented domain (negative AUM, start after end, ...)."""


class InsufficientDataError(CrashlensError):
    """Not enough history for the requested computation (names what is needed and from when)."""


class ProviderError(CrashlensError):
    """An online provider failed: HTTP error, timeout, garbage or truncated response."""


class StoreError(CrashlensError):
    """The local DuckDB store is missing, locked or inconsistent."""
