"""Warnings and notes as codes: :class:`Note` and the message catalogs behind it.

An engine that has something to say about its result (a stale input, a short history, a repaired
matrix) returns a :class:`Note`: a code naming the message and the parameters that fill it. The
text of every code lives in one typed table per package (``crashlens/<package>/messages.py``)
with the English and the Chinese side by side, registered with :func:`register`; the report
renders a note in its language with :meth:`Note.text`, so no warning is ever re-parsed.

A :class:`Note` *is* its English text (a ``str`` subclass): printing, logging, JSON, ``in`` and
comparisons behave exactly as the plain English warnings did, and results keep their
``warnings: tuple[str, ...]`` field. The code and the parameters ride along::

    >>> from crashlens.notes import Note
    >>> n = Note("data.stale_series", series="OI_BTC", end="2025-11-14", days=7,
    ...          asof="2025-11-21")
    >>> n.code
    'data.stale_series'
    >>> n.text("zh")  # doctest: +SKIP
    'OI_BTC 数据截至 2025-11-14，比截至日 2025-11-21 早 7 天：所示数值为 2025-11-14 的值，并非最新'

A parameter may itself be a :class:`Note` (another engine's warning wrapped in this one) or a
tuple of notes (a list of items whose words differ by language): each is rendered in the
language of the whole, a tuple joined with ``"; "`` in English and ``"；"`` in Chinese.

Templates use :meth:`str.format` fields with the standard format specs (``{x:.2f}``,
``{n:,}``) plus ``{x:usd}`` (US dollars: ``$1.2bn`` / ``12.0亿美元``, or $m / 万美元 below $0.1bn)
and ``{x:pct}`` (a fraction as a percentage with one decimal). Dates and timestamps passed as
parameters are stored as ISO days (``2025-11-21``) so the same note compares and serialises the
same wherever it was made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from collections.abc import Mapping
from typing import Any

import numpy as np

LANGS = ("en", "zh")


@dataclasses.dataclass(frozen=True)
class Message:
    """The text of one code in both languages (``str.format`` templates, same fields)."""

    en: str
    zh: str

    def template(self, lang: str) -> str:
        """The template in ``lang`` (``"en"`` or ``"zh"``)."""
        return self.zh if lang == "zh" else self.en


#: Every registered code -> its message (filled by each package's ``messages`` module).
CATALOG: dict[str, Message] = {}

#: Packages with a ``messages`` module. A code's prefix names its package: the first note of a
#: package rendered in a process imports that catalog (so a note rebuilt in a worker process,
#: or made before its package was imported, finds its text without loading the others).
PACKAGES = ("data", "cta", "options", "crypto", "systemic", "episodes", "macro", "scenarios",
            "audit", "engine", "report")


def _message(code: str) -> Message:
    """The message of ``code``, importing its package's catalog on first use."""
    msg = CATALOG.get(code)
    if msg is None:
        import importlib

        importlib.import_module(f"crashlens.{code.split('.')[0]}.messages")
        msg = CATALOG[code]  # KeyError: a code its catalog does not register (a bug)
    return msg


def load_catalogs() -> dict[str, Message]:
    """Import every package's catalog; return :data:`CATALOG` (all codes, for checks)."""
    import importlib

    for pkg in PACKAGES:
        importlib.import_module(f"crashlens.{pkg}.messages")
    return CATALOG


def register(messages: Mapping[str, tuple[str, str]]) -> dict[str, Message]:
    """Add a package's messages to :data:`CATALOG`: ``{code: (english, chinese)}``.

    Raises
    ------
    ValueError
        A code registered twice with another text, an empty text, or templates whose fields
        differ between the languages (a bug in a catalog, caught at import).
    """
    added = {}
    for code, (en, zh) in messages.items():
        msg = Message(en, zh)
        if not en.strip() or not zh.strip():
            raise ValueError(f"message {code}: both texts are required")
        if _fields(en) != _fields(zh):
            raise ValueError(f"message {code}: fields differ between en {sorted(_fields(en))} "
                             f"and zh {sorted(_fields(zh))}")
        if CATALOG.get(code, msg) != msg:
            raise ValueError(f"message {code} is registered twice with different texts")
        CATALOG[code] = added[code] = msg
    return added


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _Formatter(string.Formatter):
    """``str.format`` with the ``usd`` and ``pct`` specs, in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in ("usd", "pct"):
            from crashlens.report import fmt  # the locale number formats live there

            if format_spec == "usd":
                return fmt.money(value, self.lang)
            return fmt.pct(value, 1, self.lang)
        return super().format_field(value, format_spec)


def _plain(value: Any) -> Any:
    """A parameter as a plain, JSON-safe value (ISO days for dates, Python scalars)."""
    if isinstance(value, dt.datetime | dt.date | np.datetime64):
        import pandas as pd

        ts = pd.Timestamp(value)
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    return value


#: How a tuple of notes is joined in each language.
LIST_SEPARATOR = {"en": "; ", "zh": "；"}


def _localised(value: Any, lang: str) -> Any:
    """A parameter in ``lang``: notes rendered, tuples of notes joined; others unchanged."""
    if isinstance(value, Note):
        return value.text(lang)
    if isinstance(value, tuple) and value and all(isinstance(v, Note) for v in value):
        return LIST_SEPARATOR[lang].join(v.text(lang) for v in value)
    return value


def render(code: str, params: Mapping[str, Any], lang: str = "en") -> str:
    """The text of ``code`` with ``params`` in ``lang``.

    Raises
    ------
    KeyError
        Unknown code (a bug: every code a package emits is registered by its catalog).
    """
    values = {k: _localised(v, lang) for k, v in params.items()}
    return _Formatter(lang).vformat(_message(code).template(lang), (), values)


class Note(str):
    """A warning or note: its English text, carrying its code and parameters.

    Parameters
    ----------
    code : str
        A registered code (``"<package>.<what>"``).
    **params
        The values its templates name.
    """

    code: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Note:
        """Render the English text of ``code`` with ``params`` and attach both."""
        plain = {k: _plain(v) for k, v in params.items()}
        obj = super().__new__(cls, render(code, plain, "en"))
        obj.code, obj.params = code, plain
        return obj

    def text(self, lang: str = "en") -> str:
        """The note in ``lang`` (``"en"`` or ``"zh"``)."""
        return str(self) if lang == "en" else render(self.code, self.params, lang)

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "params", "text"}`` (English text), JSON-safe; nested notes as dicts."""
        def plain(v: Any) -> Any:
            if isinstance(v, Note):
                return v.to_dict()
            return [plain(x) for x in v] if isinstance(v, tuple) else v

        return {"code": self.code, "params": {k: plain(v) for k, v in self.params.items()},
                "text": str(self)}

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Note:
        """Rebuild a note from :meth:`to_dict` output (nested notes included)."""
        def back(v: Any) -> Any:
            if isinstance(v, Mapping) and "code" in v and "params" in v:
                return cls.from_dict(v)
            return tuple(back(x) for x in v) if isinstance(v, list) else v

        return cls(str(record["code"]), **{k: back(v) for k, v in record["params"].items()})

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled across processes (batch workers) as code + params, rebuilt on arrival
        return (_rebuild, (self.code, dict(self.params)))

    def __repr__(self) -> str:
        return f"Note({self.code!r}, {str(self)!r})"


def _rebuild(code: str, params: dict[str, Any]) -> Note:
    return Note(code, **params)


def reason(exc: BaseException) -> str:
    """The message of an error: the :class:`Note` it was raised with, else its text.

    A crashlens error raised with a note (``raise DataError(Note(...))``) keeps its code, so a
    warning wrapping it renders whole in every language.
    """
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, Note) else str(exc)


def wrap(code: str, why: BaseException | str, **params: Any) -> Note:
    """Note ``code`` whose ``{error}`` field is ``why`` (an error's :func:`reason`, or a text).

    ``"market liquidation map: {error}; Binance coin-margined fallback"`` around an error that
    carries a note renders that note in the language of the whole; any other reason stays its
    (English) text.
    """
    inner = reason(why) if isinstance(why, BaseException) else why
    return Note(code, error=inner, **params)


def text(warning: str, lang: str = "en") -> str:
    """A warning in ``lang``: a :class:`Note` in that language, any other string as it is."""
    return warning.text(lang) if isinstance(warning, Note) else warning


__all__ = ["CATALOG", "LANGS", "PACKAGES", "Message", "Note", "load_catalogs", "reason",
           "register", "render", "text", "wrap"]
