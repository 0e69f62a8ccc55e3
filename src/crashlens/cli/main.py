"""Entry point of the ``crashlens`` command."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import traceback

import typer

from crashlens import __version__
from crashlens.cli import _common
from crashlens.cli._common import err_console, normalise_argv
from crashlens.errors import CrashlensError

app = typer.Typer(
    name="crashlens",
    help="Market-structure forensics of sell-offs: CTA positioning, dealer gamma, crypto "
    "leverage, contagion, systemic fragility, analogs, scenarios, claims audit and the report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"crashlens {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    dayfirst: bool = typer.Option(
        False, "--dayfirst", help="Read numeric dates as DD/MM/YYYY (without it, 21/11/2025 "
        "is refused naming both readings; ISO YYYY-MM-DD always works). May be given anywhere."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Crashlens: recompute sell-off commentary from data, with open methods."""
    if debug:
        os.environ["CRASHLENS_DEBUG"] = "1"
    _common.DAYFIRST = dayfirst


def _register_commands() -> None:
    import crashlens.cli as pkg

    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if mod.name.startswith("_") or mod.name == "main":
            continue
        module = importlib.import_module(f"crashlens.cli.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


#: Exit status of a user error (a :class:`CrashlensError`: bad input, data or parameter).
EXIT_USER_ERROR = 2
#: Exit status of a bug (any other exception).
EXIT_INTERNAL_ERROR = 1


def _debug() -> bool:
    return os.environ.get("CRASHLENS_DEBUG") == "1" or "--debug" in sys.argv


def main() -> None:
    """Run the CLI.

    A user error (:class:`CrashlensError`) prints one line and exits with status 2. Any other
    exception is a bug in crashlens: "internal error (run with --debug)" and the exception's
    type and first line, exit status 1. ``--debug`` adds the traceback to both.
    """
    try:
        app(args=normalise_argv(sys.argv[1:]))
    except CrashlensError as exc:
        if _debug():
            traceback.print_exc()
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(EXIT_USER_ERROR)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug: one line (traceback with --debug), never swallowed
        if _debug():
            traceback.print_exc()
        from rich.text import Text

        first = (str(exc).splitlines() or [""])[0]  # one line; the message is not markup
        what = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
        err_console.print(Text.assemble(("internal error (run with --debug): ", "bold red"),
                                        what), highlight=False)
        sys.exit(EXIT_INTERNAL_ERROR)


if __name__ == "__main__":  # pragma: no cover
    main()
