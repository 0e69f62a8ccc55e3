"""``crashlens audit CLAIMS.yaml`` and ``crashlens audit draft NOTE.txt``.

``audit`` is a group whose default command checks a claims file, so ``crashlens audit
2025-11-selloff --json`` keeps working next to ``crashlens audit draft NOTE.txt``.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from crashlens.cli._common import AsJson, DataOpt, dump_json, emit, progress, reads_data


class _DefaultToCheck(TyperGroup):
    """A group that runs ``check`` when the first argument is not a subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


audit_app = typer.Typer(cls=_DefaultToCheck, no_args_is_help=True,
                        help="Claims audit: check a claims file (default), or draft claims "
                             "from a note (`audit draft NOTE.txt`).")


@audit_app.command("check")
@reads_data
def audit_cmd(
    claims: str = typer.Argument(
        ..., help="Claims YAML (or a shipped example: 2025-11-selloff, 2026-02-selloff)."),
    as_json: AsJson = False,
    data_path: DataOpt = None,
) -> None:
    """Claims audit: verdicts (confirmed / refuted / not checkable), measured vs claimed."""
    from crashlens.audit import audit

    with progress("auditing claims", quiet=as_json):
        result = audit(claims)
    emit(result, as_json)


@audit_app.command("draft")
def draft_cmd(
    note: str = typer.Argument(..., help="The note, a UTF-8 (or UTF-16 with BOM) text file."),
    lang: str = typer.Option(None, "--lang", help="Language of the note, zh or en (default: "
                             "detected from the share of Chinese characters)."),
    as_json: AsJson = False,
) -> None:
    """Draft claims from a note: YAML drafts (draft: true) for a person to confirm."""
    from pathlib import Path

    from crashlens.audit import draft as dr
    from crashlens.errors import ParameterError

    if lang is not None and lang not in ("zh", "en"):
        raise ParameterError(f"--lang: '{lang}' must be zh or en")
    claims = dr.draft_file(note, lang=lang)
    if as_json:
        dump_json(dr.to_json_dict(claims))
        return
    typer.echo(dr.to_yaml(claims, name=Path(note).stem), nl=False)


def register(app: typer.Typer) -> None:
    """Add the ``audit`` group (default command: check a claims file)."""
    app.add_typer(audit_app, name="audit")
