"""``crashlens serve``: the JSON API and the live dashboard (FastAPI under uvicorn)."""

from __future__ import annotations

import ipaddress
import re
import socket
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
        host = check_host(host)
        import uvicorn

        from crashlens.api import create_app

        config = uvicorn.Config(create_app(hosts=(host,)), host=host, port=port,
                                log_level="warning")
        server = uvicorn.Server(config)
        # bind first, so an address in use or not on this machine is one line, exit 2
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
        except OSError as exc:
            sock.close()
            raise ParameterError(f"--host/--port: cannot listen on {host}:{port} "
                                 f"({exc.strerror or exc})") from None
        typer.echo(f"crashlens dashboard on http://{host}:{port}/  (API docs: /docs)")
        server.run(sockets=[sock])


_HOSTNAME = re.compile(r"^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
                       r"(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$")


def check_host(host: str) -> str:
    """Validate ``--host``: an IPv4/IPv6 address or a host name (``999.1.1.1`` is neither).

    Raises
    ------
    ParameterError
        Not an IP address, or all-numeric labels that are not a valid IPv4 address, or not a
        valid host name.
    """
    text = host.strip()
    try:
        return str(ipaddress.ip_address(text.strip("[]")))
    except ValueError:
        pass
    if _HOSTNAME.match(text) and not re.fullmatch(r"[\d.]+", text):
        return text
    raise ParameterError(f"--host: '{host}' is not an IP address or a host name "
                         "(e.g. 127.0.0.1, ::1, localhost)")
