"""Helpers shared by CLI commands: output conventions, date parsing, progress bars."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from crashlens._dates import to_timestamp_or_none
from crashlens._result import json_safe

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def parse_date(value: str | None, name: str = "--asof") -> pd.Timestamp | None:
    """Parse a user-supplied ISO date (``None`` or ``""`` = not given), naming the option."""
    return to_timestamp_or_none(value, name, day=False)


def emit(result: Any, as_json: bool) -> None:
    """Print a result: its ``to_dict()`` as JSON with ``--json``, else its ``summary()``."""
    if as_json:
        payload = result.to_dict() if hasattr(result, "to_dict") else json_safe(result)
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    elif hasattr(result, "summary"):
        console.print(result.summary(), highlight=False, markup=False)
    else:
        console.print(result)


@contextmanager
def progress(description: str, total: float | None = None, *, quiet: bool = False) -> Iterator[Any]:
    """Context manager yielding ``advance(n=1)``; shows a Rich progress bar on stderr."""
    if quiet or not err_console.is_terminal:
        yield lambda n=1: None
        return
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)


def today() -> dt.date:
    """Today's date (a function so tests can patch it)."""
    return dt.date.today()
