"""Helpers shared by CLI commands: output conventions, date parsing, progress bars.

Options every command spells the same way are ``typing.Annotated`` aliases here: declare
``asof: AsOf = None`` and ``as_json: AsJson = False`` instead of repeating ``typer.Option``.
A command that reads series declares ``data_path: DataOpt = None`` and is decorated with
:func:`reads_data`, so ``--data PATH`` runs its whole body on that folder's source.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from crashlens.errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd

    from crashlens.data.source import Source

P = ParamSpec("P")
R = TypeVar("R")

# pandas, numpy and rich.progress are imported inside the helpers that need them, so
# `crashlens --help` and argument errors answer without loading the numeric stack.

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

#: ``--asof``: the as-of date of an analysis (default: the last date of the data).
AsOf = Annotated[str | None, typer.Option(
    "--asof", help="As-of date YYYY-MM-DD (default: the last date of the data).")]
#: ``--json``: print ``result.to_dict()`` as strict JSON (NaN and infinities become null).
AsJson = Annotated[bool, typer.Option(
    "--json", help="Print the result as JSON (strict: no NaN; missing values are null).")]

#: Help of ``--data`` (the same on every command).
DATA_HELP = ("Read series from your own files (a folder of CSV/Parquet, or a crashlens.yaml "
             "mapping) instead of the store; see docs/data.md")
#: ``--data PATH``: run the command on a :class:`~crashlens.data.FolderSource` (see
#: :func:`data_source`).
DataOpt = Annotated[Path | None, typer.Option("--data", help=DATA_HELP, metavar="PATH")]


def open_source(path: Path | str) -> Source:
    """The source ``--data PATH`` names: a folder, or a mapping YAML file (its folder).

    Raises
    ------
    DataError
        The path does not exist, or the folder / mapping is invalid (file and line named).
    ParameterError
        The path is a file that is not a YAML mapping.
    """
    from crashlens.data.folder import FolderSource
    from crashlens.errors import DataError

    p = Path(path).expanduser()
    if not p.exists():
        raise DataError("--data: no such folder or file", path=str(p))
    if p.is_file() and p.suffix.lower() not in (".yaml", ".yml"):
        raise ParameterError(f"--data: {p} is a file; give a folder of CSV/Parquet files "
                             "or a crashlens.yaml mapping")
    return FolderSource(p)  # a mapping file maps its own folder


@contextmanager
def data_source(path: Path | str | None) -> Iterator[Source | None]:
    """Run the body on the source of ``--data PATH`` (nothing changes when it is None).

    Every command that reads series wraps its work in ``with data_source(data):``; the source
    is made active with :func:`crashlens.data.using`, so the engines, the report and the
    commands' own reads (``data show``, the default as-of date ...) all read it.
    """
    if path is None:
        yield None
        return
    from crashlens.data.source import using

    with using(open_source(path)) as src:
        yield src


def reads_data(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a command on the source of its ``--data`` option.

    The command declares ``data_path: DataOpt = None``; its whole body (the engine, the
    command's own reads, the summary it prints) runs inside :func:`data_source`.
    """
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with data_source(kwargs.get("data_path")):  # type: ignore[arg-type]
            return fn(*args, **kwargs)

    return wrapper


#: Options that take a list of names. On the command line the names may be separated by
#: commas or spaces (``--assets SPX,NDX`` = ``--assets SPX NDX`` = ``--assets "SPX NDX"``):
#: :func:`normalise_argv` joins the words that follow such an option up to the next option.
LIST_OPTIONS: frozenset[str] = frozenset({"--assets", "--universe", "--equities", "--coins"})
#: Set by the root ``--dayfirst`` flag: read ``DD/MM/YYYY`` dates day first.
DAYFIRST = False

_SPLIT = re.compile(r"[,\s]+")
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(.*)$")


def split_names(text: str | None, option: str = "--assets") -> list[str] | None:
    """Split a list option given with commas and/or spaces; ``None`` when not given.

    Parameters
    ----------
    text : str or None
        The option's value (``"SPX,NDX"``, ``"SPX NDX"``, ``"SPX, NDX"``).
    option : str
        Option name used in the error.

    Raises
    ------
    ParameterError
        The option was given with no name in it (``--assets ,`` or ``--assets ""``): an empty
        list is a mistake, never a silent "use the default".
    """
    if text is None:
        return None
    names = [n for n in _SPLIT.split(text) if n]
    if not names:
        raise ParameterError(f"{option}: '{text}' is an empty list; give names separated by "
                             "commas or spaces (e.g. SPX,NDX), or leave the option out for the "
                             "default")
    return names


def _looks_like_name(token: str) -> bool:
    """A word that continues a list option: not an option, a path or a file name."""
    return (not token.startswith("-") and "/" not in token and "\\" not in token
            and not re.search(r"\.(ya?ml|csv|json|html|txt|parquet)$", token, re.I)
            and not os.path.exists(token))


def normalise_argv(args: list[str]) -> list[str]:
    """Command-line habits the parser does not know, applied before it runs.

    * ``--assets SPX NDX`` (names separated by spaces) becomes ``--assets SPX,NDX``: the words
      after a list option (:data:`LIST_OPTIONS`) are joined up to the next option, path or
      file name.
    * ``--dayfirst`` may be written anywhere; it is moved before the command (a root option).
    """
    out: list[str] = []
    dayfirst = False
    i = 0
    while i < len(args):
        tok = args[i]
        if tok == "--":
            out.extend(args[i:])
            break
        if tok == "--dayfirst":
            dayfirst = True
            i += 1
            continue
        opt, eq, first = tok.partition("=")
        if opt in LIST_OPTIONS and (eq or i + 1 < len(args)):
            tok = opt
            words = [first] if eq else [args[i + 1]]
            i += 1 if eq else 2
            while i < len(args) and _looks_like_name(args[i]):
                words.append(args[i])
                i += 1
            out.extend([tok, ",".join(words)])
            continue
        out.append(tok)
        i += 1
    return (["--dayfirst"] if dayfirst else []) + out


def plain_column(values: pd.Series) -> list[str]:
    """Format a numeric column without e-notation, one number of decimals for the column.

    Whole numbers (volumes, counts) get thousands separators and no decimals; columns whose
    largest magnitude is at least 1 get 2 decimals; smaller ones (funding rates, fractions)
    get 6. Missing values print as an empty cell.
    """
    import pandas as pd

    x = pd.to_numeric(values, errors="coerce").astype(float)
    finite = x[x.notna()]
    if finite.empty:
        return ["" for _ in x]
    if (finite == finite.round()).all():
        fmt = "{:,.0f}"
    elif finite.abs().max() >= 1:
        fmt = "{:,.2f}"
    else:
        fmt = "{:.6f}"
    return ["" if pd.isna(v) else fmt.format(v) for v in x]


def dump_json(payload: Any) -> None:
    """Write a JSON-safe payload to stdout as strict, indented JSON."""
    from crashlens._result import json_safe

    sys.stdout.write(json.dumps(json_safe(payload), indent=2, ensure_ascii=False,
                                allow_nan=False) + "\n")


def unambiguous_date(value: str, name: str, dayfirst: bool | None = None) -> str:
    """Refuse a numeric date whose day/month order is a guess; pass other text through.

    ``21/11/2025`` or ``02/01/2026`` (also with ``.`` or ``-``) can be read day first or
    month first, and a silent guess reads one day-first and the other month-first. Such input
    is refused with both readings named, unless ``dayfirst`` (the ``--dayfirst`` flag) says
    how to read it. ISO dates (``2025-11-21``) and dates with a month name (``21 Nov 2025``)
    are unambiguous and pass unchanged.

    Parameters
    ----------
    value : str
        The date as typed.
    name : str
        Option name used in the error.
    dayfirst : bool, optional
        Read ``DD/MM/YYYY``; default the root ``--dayfirst`` flag (:data:`DAYFIRST`).

    Returns
    -------
    str
        ``value``, or its ISO form when read day first.

    Raises
    ------
    ParameterError
        An ambiguous numeric date without ``--dayfirst``; an impossible day-first date.
    """
    m = _NUMERIC_DATE.match(value)
    if m is None:
        return value
    a, b, year, rest = int(m.group(1)), int(m.group(3)), int(m.group(4)), m.group(5)

    def reading(day: int, month: int) -> str | None:
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None

    day_first, month_first = reading(a, b), reading(b, a)
    if DAYFIRST if dayfirst is None else dayfirst:
        if day_first is None:
            raise ParameterError(f"{name}: '{value}' is not a date read day first "
                                 "(DD/MM/YYYY)")
        return day_first + rest
    raise ParameterError(
        f"{name}: '{value}' is ambiguous: day first it is {day_first or 'not a date'}, month "
        f"first {month_first or 'not a date'}; write YYYY-MM-DD, or pass --dayfirst to read "
        "DD/MM/YYYY")


def parse_date(value: str | None, name: str = "--asof") -> pd.Timestamp | None:
    """Parse a user-supplied date (``None`` or ``""`` = not given), naming the option.

    ISO ``YYYY-MM-DD`` (optionally with a time) or another unambiguous form; a numeric
    ``DD/MM/YYYY``-or-``MM/DD/YYYY`` date is refused unless ``--dayfirst`` is given (see
    :func:`unambiguous_date`).
    """
    if isinstance(value, str) and value:
        value = unambiguous_date(value, name)
    from crashlens._dates import to_timestamp_or_none

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
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

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
