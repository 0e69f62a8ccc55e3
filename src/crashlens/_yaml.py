"""YAML loading that remembers line numbers, and pydantic errors translated to those lines.

Scenario specs, portfolios and claims files are written by hand, so every error must say which
line of the file to fix. :func:`load_yaml` composes the YAML node tree (which carries marks),
builds plain Python data from it and records the 1-based line of every mapping key and
sequence item by its path (``("scenarios", 0, "probability")``). :func:`validate` runs a
pydantic model and re-raises its first error as a :class:`SpecError` naming that line.

Dates are *not* converted by the YAML loader (its implicit timestamp resolver is removed):
``2025-13-45`` would otherwise fail inside PyYAML without a line; pydantic parses them instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from crashlens.errors import CrashlensError, DataError

Lines = dict[tuple[Any, ...], int]
M = TypeVar("M", bound=BaseModel)


class SpecError(DataError):
    """A hand-written YAML/CSV input (scenario spec, portfolio, claims) is invalid.

    Parameters
    ----------
    message : str
        What is wrong.
    path : str
        The file at fault (``"<string>"`` for text given directly).
    line : int, optional
        1-based line of the offending entry.
    """

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        self.path = path
        self.column = None
        self.row = line
        self.line = line
        where = f"{path}, line {line}" if line is not None else path
        CrashlensError.__init__(self, f"{where}: {message}")


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 habits: dates stay strings, only true/false are booleans.

    (YAML 1.1 would read the key ``on:`` as the boolean True, and ``no`` as False.)
    """


_BOOL = "tag:yaml.org,2002:bool"
_BOOL_RX = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_Loader.yaml_implicit_resolvers = {}
for _key, _resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    kept = []
    for _tag, _rx in _resolvers:
        if _tag == "tag:yaml.org,2002:timestamp":
            continue
        kept.append((_tag, _BOOL_RX if _tag == _BOOL else _rx))
    if _key in ("o", "O", "y", "Y", "n", "N"):  # on/off/yes/no start with these: no bool
        kept = [(t, r) for t, r in kept if t != _BOOL]
    if kept:
        _Loader.yaml_implicit_resolvers[_key] = kept


def _walk(node: yaml.Node, loader: _Loader, path: tuple[Any, ...], lines: Lines,
          source: str) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _walk(key_node, loader, (*path, "<key>"), {}, source)
            if isinstance(key, list | dict):
                raise SpecError("a mapping key must be a plain value", path=source,
                                line=key_node.start_mark.line + 1)
            if key in out:
                raise SpecError(f"duplicate key '{key}'", path=source,
                                line=key_node.start_mark.line + 1)
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _walk(value_node, loader, (*path, key), lines, source)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            items.append(_walk(item, loader, (*path, i), lines, source))
        return items
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, source: str = "<string>") -> tuple[Any, Lines]:
    """Parse YAML text into plain data and a ``path -> line`` map.

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        Name used in error messages (the file path).

    Returns
    -------
    data : object
        Plain dicts, lists and scalars (dates stay strings).
    lines : dict
        1-based line of every mapping key / sequence item, by its path tuple.

    Raises
    ------
    SpecError
        Syntax errors (with the line PyYAML reports), an empty document, duplicate keys.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError("the file is empty (expected a YAML mapping)", path=source, line=1)
        lines: Lines = {}
        data = _walk(node, loader, (), lines, source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise SpecError(f"YAML syntax error: {exc.problem or exc}", path=source,
                        line=line) from exc
    except yaml.YAMLError as exc:
        raise SpecError(f"YAML error: {exc}", path=source) from exc
    finally:
        loader.dispose()
    return data, lines


def read_yaml(path: str | Path) -> tuple[Any, Lines, str]:
    """Read and parse a YAML file; returns ``(data, lines, source_name)``."""
    p = Path(path)
    if not p.is_file():
        raise DataError("no such file", path=str(p))
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read the file: {exc}", path=str(p)) from exc
    data, lines = parse_yaml(text, str(p))
    return data, lines, str(p)


def line_of(lines: Lines, loc: tuple[Any, ...]) -> int | None:
    """Line of the longest prefix of ``loc`` present in ``lines``."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def validate(model: type[M], data: Any, lines: Lines, source: str,
             context: Mapping[str, Any] | None = None) -> M:
    """Validate ``data`` with a pydantic ``model``; the first error becomes a SpecError.

    The error's location is mapped to the YAML line of the deepest known path component
    (pydantic's union-tag components, which are not keys of the file, are skipped).
    """
    if not isinstance(data, dict):
        raise SpecError(f"expected a YAML mapping at the top level, got {type(data).__name__}",
                        path=source, line=1)
    try:
        return model.model_validate(data, context=dict(context or {}))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        clean: list[Any] = []
        last_used = False  # whether the last component of loc is a key of the file
        node: Any = data
        for part in loc:
            if isinstance(node, dict) and part in node:
                clean.append(part)
                node = node[part]
                last_used = True
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                clean.append(part)
                node = node[part]
                last_used = True
            else:  # a union-member tag pydantic inserts, or a missing field
                last_used = False
        missing = err["type"] == "missing" and not last_used and loc and isinstance(loc[-1], str)
        tail = [loc[-1]] if missing else []
        field = ".".join(str(p) for p in (*clean, *tail)) or "<document>"
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise SpecError(f"{field}: {msg}", path=source,
                        line=line_of(lines, tuple(clean))) from None

