"""On-disk cache of rendered reports, so asking for the same report twice is fast.

A report rendered for writing (:class:`~crashlens.report.builder.Rendered`: plain strings and
its JSON, no plotly objects, which are slow to unpickle) is stored compressed under
``$CRASHLENS_HOME/cache/report/<key>.pickle``. The key covers everything the report depends on:

* the request (event, as-of date, window, language, sections, retrospective, the user's events
  file by content);
* the data: the fingerprint of the source the report reads (for the store: the catalog and the
  content of every raw file it ingests; for frames: their content) and the name, size and
  modification time of every file in its folder of files read by name (option chains, first
  prints, odds and crypto files the engines read directly);
* the code: crashlens' version and the size and modification time of every module of the
  package, so an edited engine never serves an old report.

A damaged or unreadable entry is a miss (rebuilt and overwritten), never an error. Only the
newest :data:`MAX_ENTRIES` entries are kept. ``crashlens report --no-cache`` bypasses it.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import crashlens
from crashlens.config import home_dir
from crashlens.data.source import SourceLike

log = logging.getLogger(__name__)

#: Newest cached reports kept; older ones are deleted when a new one is written.
MAX_ENTRIES = 16
#: Bump when the cached object's layout changes incompatibly.
CACHE_FORMAT = 1


def cache_dir() -> Path:
    """Folder of the cached reports."""
    return home_dir() / "cache" / "report"


def _stat_digest(h: Any, files: Iterable[Path], root: Path) -> None:
    for p in sorted(files):
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{p.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())


def key(source: SourceLike = None, **request: Any) -> str:
    """The cache key of a report request (see the module docstring for what it covers).

    Parameters
    ----------
    source : Source, folder path, mapping of frames or None
        Where the report reads (default: the active source, normally the store); its
        :meth:`~crashlens.data.Source.fingerprint` is part of the key, so a report on other
        data is never served a cached store report.
    **request
        The report's other inputs (event, as-of date, language ...).
    """
    from crashlens import data as cldata

    src = cldata.as_source(source)
    h = hashlib.sha256(f"{CACHE_FORMAT}:{crashlens.__version__}".encode())
    for name in sorted(request):
        value = request[name]
        if name == "events" and value is not None and Path(str(value)).is_file():
            value = hashlib.sha256(Path(str(value)).read_bytes()).hexdigest()
        h.update(f"{name}={value!r}\n".encode())
    h.update(f"source={src.fingerprint()}\n".encode())
    folder = src.files
    if folder is not None and folder.is_dir():
        _stat_digest(h, (p for p in folder.iterdir() if p.is_file()), folder)
    pkg = Path(crashlens.__file__).parent
    _stat_digest(h, (p for p in pkg.rglob("*") if p.suffix in (".py", ".yaml", ".j2", ".css")),
                 pkg)
    return h.hexdigest()[:32]


def load(k: str) -> Any | None:
    """The cached report for key ``k``, or None (absent or unreadable)."""
    path = cache_dir() / f"{k}.pickle"
    if not path.is_file():
        return None
    try:
        return pickle.loads(zlib.decompress(path.read_bytes()))
    except Exception as exc:  # a damaged entry is a miss: the report is rebuilt
        log.debug("report cache entry %s unreadable: %s", path, exc)
        return None


def store(k: str, report: Any) -> None:
    """Write ``report`` under key ``k`` atomically and keep the newest entries."""
    from crashlens._atomic import write_atomic

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{k}.pickle", zlib.compress(pickle.dumps(report, protocol=5), 3))
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime,
                         reverse=True)
        for old in entries[MAX_ENTRIES:]:
            old.unlink(missing_ok=True)
    except Exception as exc:  # a cache that cannot be written only costs speed
        log.debug("report cache not written: %s", exc)


__all__ = ["MAX_ENTRIES", "cache_dir", "key", "load", "store"]
