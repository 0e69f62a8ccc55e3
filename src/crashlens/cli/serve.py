"""``crashlens serve``: the JSON API and the live dashboard (FastAPI under uvicorn)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crashlens.errors import ParameterError

HostOpt = Annotated[str, typer.Option("--host", help="Interface to bind (loopback by default).")]
PortOpt = Annotated[int, typer.Option("--port", help="TCP port.")]
ShotOpt = Annotated[Path | None, typer.Option(
    "--screenshot", help="Do not serve: load the dashboard in headless Chromium on a private "
    "port, save a full-page PNG to this file and exit.")]
ViewOpt = Annotated[str, typer.Option(
    "--view", help="With --screenshot: the page to load (default: the 2025-11 report).")]


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command("serve")
    def serve(host: HostOpt = "127.0.0.1", port: PortOpt = 8050, screenshot: ShotOpt = None,
              view: ViewOpt = "/?event=2025-11&lang=en") -> None:
        """Serve the JSON API (/api/...), its OpenAPI schema (/docs) and the dashboard (/)."""
        if screenshot is not None:
            from crashlens.api.live import screenshot as shoot

            typer.echo(f"wrote {shoot(screenshot, path=view)}")
            return
        if not 0 < port < 65536:
            raise ParameterError(f"--port: {port} is not a TCP port (1-65535)")
        import uvicorn

        from crashlens.api import create_app

        typer.echo(f"crashlens dashboard on http://{host}:{port}/  (API docs: /docs)")
        uvicorn.run(create_app(), host=host, port=port, log_level="warning")
