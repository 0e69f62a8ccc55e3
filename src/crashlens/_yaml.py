"""YAML loading that remembers line numbers, and pydantic errors translated to those lines.

Scenario specs, portfolios and claims files are written by hand, so every error must say which
line of the file to fix. :func:`load_yaml` composes the YAML node tree (which carries marks),
builds plain Python data from it and records the 1-based line of every mapping key and
sequence item by its path (``("scenarios", 0, "probability")``). :func:`validate` runs a
pydantic model and re-raises its first error as a :class:`SpecError` naming that line.

Dates are *not* converted by the YAML loader (its implicit timestamp resolver is removed):
``2025-13-45`` would otherwise fail inside PyYAML without a line; pydantic parses them instead.

This is the one YAML module of crashlens: scenario specs, portfolios, claims files, catalyst
files and the macro futures file all go through :class:`LimitedLoader`, a ``SafeLoader`` (no
Python objects) with limits against hostile files:

* nesting deeper than :data:`MAX_DEPTH` levels is refused (PyYAML's composer is recursive:
  20,000 nested ``[`` would otherwise end in a ``RecursionError`` traceback);
* more than :data:`MAX_ALIASES` aliases, or a document whose aliases expand to more than
  :data:`MAX_NODES` nodes, is refused (a "billion laughs" file of 1 kB expands to 10^9 nodes
  and would take gigabytes and minutes in any code that walks it).

For code written against PyYAML's API (``yaml.load(text, Loader=...)``, ``yaml.safe_load``),
this module offers the same names - ``SafeLoader``, ``load``, ``safe_load``, ``YAMLError``,
``MappingNode`` ... - with the limits, so such a caller switches by its import line alone.
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


#: Deepest nesting of collections accepted (hand-written specs use fewer than 10 levels).
MAX_DEPTH = 64
#: Most aliases (``*name``) accepted in one document.
MAX_ALIASES = 100
#: Most nodes a document may have once its aliases are expanded.
MAX_NODES = 200_000

# PyYAML's own names, re-exported for callers that import this module in its place.
YAMLError = yaml.YAMLError
MarkedYAMLError = yaml.MarkedYAMLError
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode
Node = yaml.Node
resolver = yaml.resolver


class LimitError(yaml.MarkedYAMLError):
    """A YAML document beyond the depth, alias or size limits (a hostile or broken file)."""


class LimitedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses deep nesting and alias bombs while composing.

    The checks run on the node graph before any Python object is built, so a hostile file
    costs at most :data:`MAX_NODES` steps and a few megabytes.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise LimitError(None, None, f"more than {MAX_ALIASES} aliases (an alias bomb?)",
                                 self.peek_event().start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise LimitError(None, None, f"nesting deeper than {MAX_DEPTH} levels",
                                 self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> Any:
        node = super().compose_document()
        if node is not None and self._aliases:
            _check_expanded_size(node)
        return node


def _check_expanded_size(root: yaml.Node) -> None:
    """Count the nodes of ``root`` with every alias expanded; refuse past :data:`MAX_NODES`.

    Sizes are memoised per node, so the count itself is linear in the composed graph even
    when the expansion is exponential.
    """
    sizes: dict[int, int] = {}
    # iterative post-order walk (the graph is at most MAX_DEPTH deep, but stay safe)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > MAX_NODES:
                raise LimitError(None, None, f"the document expands to more than {MAX_NODES:,} "
                                 "nodes through its aliases (an alias bomb?)", node.start_mark)
            sizes[id(node)] = total
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def load(stream: Any, Loader: type[LimitedLoader] = LimitedLoader) -> Any:
    """``yaml.load`` with a loader derived from :class:`LimitedLoader` (the limits apply)."""
    if not issubclass(Loader, LimitedLoader):
        raise TypeError("crashlens._yaml.load needs a LimitedLoader subclass")
    loader = Loader(stream)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def safe_load(stream: Any) -> Any:
    """``yaml.safe_load`` with the depth and alias limits."""
    return load(stream, LimitedLoader)


#: Loader classes that subclass ``yaml.SafeLoader`` in code written for PyYAML get the limits.
SafeLoader = LimitedLoader


class _Loader(LimitedLoader):
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

