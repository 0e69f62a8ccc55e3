"""Server folders out of HTTP answers: absolute paths under known roots become short names.

Successful answers carry file paths in their data (a gamma section's option chain
``source``, the catalysts' ``events_file``, the provenance's "Store built ... from ...", an
audit example's file). The CLI and the Python report are local and keep full paths; over
HTTP the server's folder layout stays private. :class:`PublicPaths` is the one place that
does it: an ASGI middleware that rewrites every JSON, HTML and plain-text answer (engine
endpoints, sections and their HTML fragments, the report, errors, ``/reports`` files).

Only the prefixes of known roots are replaced, literally (:func:`public_paths`):

======================  ==================  ==============================================
root                    written as          example
======================  ==================  ==============================================
``CRASHLENS_DATA``      ``$CRASHLENS_DATA`` ``$CRASHLENS_DATA/spy_options_chain_...csv``
``CRASHLENS_HOME``      ``$CRASHLENS_HOME`` ``$CRASHLENS_HOME/store/...``
the package folder      ``crashlens``       ``crashlens/episodes/catalysts_2025_2026.yaml``
the working folder      ``.``               ``./reports/crashlens-2025-11-en.html``
the user's home         ``~``               ``~/notes/odds.csv``
======================  ==================  ==============================================

The longest root wins (the package under the working folder reads ``crashlens/...``). A root
matches only as a whole path prefix: ``/work/main2`` is not under ``/work/main``. No general
"anything that looks like a path" pattern is used, so HTML (``</td></tr>``) and URL paths
(``/api/gex``) are left alone. Error texts additionally go through
:func:`crashlens.api.app.public_message`, which cuts any absolute path to its file name.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from markupsafe import escape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import crashlens

#: Media types whose body is rewritten (the plotly bundle and images pass untouched).
TEXT_TYPES = (b"application/json", b"text/html", b"text/plain")

# A root is a whole path prefix: its leading "/" not preceded by a character of a path
# component (a slash may precede: file:///root), and not followed by one ("/work/main2",
# "/work/main.bak"); a "." that ends a sentence ("... from /data/raw.") still ends the root.
# The pattern starts with the literal "/" (checked before the lookbehind): 30x faster than
# a leading lookbehind, which re must try at every character.
_BEFORE = r"/(?<![\w.~-]/)"
_AFTER = r"(?![\w~+@%-]|\.[\w.~-])"


def _forms(path: str) -> set[str]:
    """How ``path`` can appear in an answer: raw, HTML-escaped, inside a JSON string."""
    raw = {path, str(escape(path))}
    return raw | {json.dumps(p, ensure_ascii=a)[1:-1] for p in raw for a in (False, True)}


@functools.lru_cache(maxsize=16)
def _rewriter(roots: tuple[tuple[str, str], ...]) -> Callable[[str], str]:
    """A text rewriter for ``(root, label)`` pairs (absolute, normalised roots)."""
    labels: dict[str, str] = {}
    for root, label in roots:  # earlier pairs take precedence on an equal path
        for variant in (root, os.path.realpath(root)):  # a symlinked root, both ways
            if variant != "/":  # "/" as a root (cwd of a daemon) would rewrite every path
                for form in _forms(variant):  # each starts with "/" (no form escapes it)
                    labels.setdefault(form[1:], label)
    if not labels:
        return lambda text: text
    # longest first: re takes the first alternative that matches, the most specific root
    alternatives = "|".join(re.escape(f) for f in sorted(labels, key=len, reverse=True))
    pattern = re.compile(f"{_BEFORE}({alternatives}){_AFTER}")
    return functools.partial(pattern.sub, lambda m: labels[m.group(1)])


def roots() -> tuple[tuple[str, str], ...]:
    """The ``(absolute root, label)`` pairs of this process, most specific label first.

    Read from the environment on each call (tests and ``--data`` change it), so an unset or
    missing ``CRASHLENS_DATA`` simply contributes no root.
    """
    home = _try(lambda: str(Path.home()))
    pairs: list[tuple[str, str | None]] = [
        ("$CRASHLENS_DATA", os.environ.get("CRASHLENS_DATA", "").strip() or None),
        ("$CRASHLENS_HOME", os.environ.get("CRASHLENS_HOME", "").strip()
         or (home and os.path.join(home, ".crashlens"))),  # config.home_dir's default
        ("crashlens", str(Path(crashlens.__file__).parent)),
        (".", _try(os.getcwd)),
        ("~", home),
    ]
    return tuple((os.path.abspath(os.path.expanduser(p)), label) for label, p in pairs if p)


def _try(get: Callable[[], str]) -> str | None:
    """``get()``, or None when the folder cannot be known (cwd deleted, no home)."""
    try:
        return get()
    except (OSError, RuntimeError, KeyError):  # an answer must not fail on a missing root
        return None


def public_paths(text: str) -> str:
    """``text`` with absolute paths under a known root written relative to it.

    ``/work/shared/data/raw/spy.csv`` (``CRASHLENS_DATA=/work/shared/data/raw``) becomes
    ``$CRASHLENS_DATA/spy.csv``; the root alone becomes ``$CRASHLENS_DATA``. Works on
    plain text, HTML and serialised JSON alike (see :func:`roots` for the labels).
    """
    return _rewriter(roots())(text)


class PublicPaths:
    """ASGI middleware: JSON, HTML and text answers go through :func:`public_paths`.

    The body is collected (an answer may come in chunks, a path across two of them), rewritten
    and sent with its new ``Content-Length``. Other media types, compressed bodies and
    ``HEAD`` answers (no body to rewrite) pass through unchanged. Range requests are served
    whole: a byte range of the original file would cut paths before they can be rewritten,
    and its ``Content-Range`` would not describe the rewritten body.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, rewriting the body of a text answer before it is sent."""
        if scope["type"] != "http" or scope.get("method") == "HEAD":
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", [])
                                      if k.lower() not in (b"range", b"if-range")]}
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_public(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and _is_text(message):
                start = message  # held until the whole body is known
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            # surrogateescape: a byte that is not UTF-8 goes back out as it came in
            text = b"".join(chunks).decode("utf-8", "surrogateescape")
            body = public_paths(text).encode("utf-8", "surrogateescape")
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k.lower() not in (b"content-length", b"accept-ranges")]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_public)


def _is_text(start: Message) -> bool:
    """Whether an answer's start message announces an uncompressed text body."""
    headers = {k.lower(): v for k, v in start.get("headers", [])}
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind in TEXT_TYPES and b"content-encoding" not in headers


__all__ = ["PublicPaths", "public_paths", "roots"]
