"""Point in time: every engine's output as of D equals its output on data truncated at D.

The truncated copy is the store with every series cut at D (``Store.read``, ``Store.query`` and
``Store.panel`` never return a row after D), so any difference means an engine used a later price. Files read outside the store
are point-in-time by their own timestamps (option chains by quote time, macro first prints by
release date) and are tested where they are read.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from crashlens.data.store import Store
from crashlens.errors import CrashlensError
from crashlens.report import engines
from crashlens.report.events import resolve

#: Engines that take an as-of date. The claims audit is left out: it grades a note's claims
#: about their own windows (ex post by design) and takes no as-of date.
ENGINES = ("cta", "gex", "crypto", "contagion", "fragility", "anatomy", "analogs", "catalysts",
           "macro", "scenarios")
DATES = ("2020-03-16", "2025-10-10", "2025-11-21", "2026-02-05")


def _run(name: str, day: pd.Timestamp) -> object:
    _, start, _ = resolve(asof=day)
    try:
        res = engines.call(name, engines.Request(asof=day, start=start))
    except CrashlensError as exc:
        return f"error: {type(exc).__name__}: {exc}"
    return engines.to_json(res, False, name)


def _same(a: object, b: object, path: str = "") -> list[str]:
    """Paths where two JSON trees differ (floats to 1e-9 relative)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: only one side" for k in set(a) ^ set(b)]
        for k in set(a) & set(b):
            out += _same(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: length {len(a)} != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in _same(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float):
        if (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
            return []
        return [f"{path}: {a} != {b}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


@pytest.fixture
def truncate_store(monkeypatch):
    """Cut every series read from the store at a date (a truncated copy of the data).

    The store's read entry points are ``Store.read`` (one series, cached), ``Store.query`` (one
    series, filters in SQL) and ``Store.panel`` (several series joined in SQL): all three are cut.
    """
    read, query, panel = Store.read, Store.query, Store.panel

    def at(day: pd.Timestamp) -> None:
        def cut(end):
            return day if end is None else min(pd.Timestamp(end), day)

        monkeypatch.setattr(Store, "read", lambda self, name, start=None, end=None, fields=None:
                            read(self, name, start, cut(end), fields))
        monkeypatch.setattr(Store, "query", lambda self, name, start=None, end=None, fields=None:
                            query(self, name, start, cut(end), fields))
        monkeypatch.setattr(Store, "panel", lambda self, columns, start=None, end=None:
                            panel(self, columns, start, cut(end)))

    return at


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.parametrize("day", DATES)
def test_engines_use_only_data_known_at_the_date(raw_dir, truncate_store, day):
    ts = pd.Timestamp(day)
    full = {name: _run(name, ts) for name in ENGINES}
    truncate_store(ts)
    cut = {name: _run(name, ts) for name in ENGINES}
    leaks = {name: _same(full[name], cut[name])[:5] for name in ENGINES}
    assert not {k: v for k, v in leaks.items() if v}, leaks
