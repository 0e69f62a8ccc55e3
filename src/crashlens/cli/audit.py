"""``crashlens audit CLAIMS.yaml``: check a note's claims against data."""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, emit, progress


def audit_cmd(
    claims: str = typer.Argument(
        ..., help="Claims YAML (or a shipped example: 2025-11-selloff, 2026-02-selloff)."),
    as_json: AsJson = False,
) -> None:
    """Claims audit: verdicts (confirmed / refuted / not checkable), measured vs claimed."""
    from crashlens.audit import audit

    with progress("auditing claims", quiet=as_json):
        result = audit(claims)
    emit(result, as_json)


def register(app: typer.Typer) -> None:
    """Add the ``audit`` command."""
    app.command("audit")(audit_cmd)
