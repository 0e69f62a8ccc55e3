"""Helpers shared by CLI commands: output conventions, date parsing, progress bars.

Options every command spells the same way are ``typing.Annotated`` aliases here: declare
``asof: AsOf = None`` and ``as_json: AsJson = False`` instead of repeating ``typer.Option``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from crashlens._dates import to_timestamp_or_none
from crashlens._result import json_safe

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

#: ``--asof``: the as-of date of an analysis (default: the last date of the data).
AsOf = Annotated[str | None, typer.Option(
    "--asof", help="As-of date YYYY-MM-DD (default: the last date of the data).")]
#: ``--json``: print ``result.to_dict()`` as strict JSON (NaN and infinities become null).
AsJson = Annotated[bool, typer.Option(
    "--json", help="Print the result as JSON (strict: no NaN; missing values are null).")]


def split_names(text: str | None) -> list[str] | None:
    """Split a comma-separated ``--assets`` style list; ``None`` when the option is not given.

    A given but empty list (``--assets ,``) stays ``[]`` so the engine can refuse it.
    """
    return [n.strip() for n in text.split(",") if n.strip()] if text else None


def dump_json(payload: Any) -> None:
    """Write a JSON-safe payload to stdout as strict, indented JSON."""
    sys.stdout.write(json.dumps(json_safe(payload), indent=2, ensure_ascii=False,
                                allow_nan=False) + "\n")


def parse_date(value: str | None, name: str = "--asof") -> pd.Timestamp | None:
    """Parse a user-supplied ISO date (``None`` or ``""`` = not given), naming the option."""
    return to_timestamp_or_none(value, name, day=False)


def emit(result: Any, as_json: bool) -> None:
    """Print a result: its ``to_dict()`` as JSON with ``--json``, else its ``summary()``."""
    if as_json:
        dump_json(result.to_dict() if hasattr(result, "to_dict") else result)
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
