"""Runtime configuration read from the environment.

``CRASHLENS_DATA``
    Folder with the raw data files (see ``shared/data/raw/SOURCES.md``). Unset means: no real
    data; crashlens falls back to the deterministic synthetic market.
``CRASHLENS_HOME``
    Folder of the local store (DuckDB + Parquet) and caches. Default ``~/.crashlens``.
``CRASHLENS_NO_NUMBA``
    Set to ``1`` to run the pure-numpy twin of every numba kernel (the kill switch).
"""

from __future__ import annotations

import os
from pathlib import Path

from crashlens.errors import DataError


def data_dir() -> Path | None:
    """Return the raw-data folder from ``CRASHLENS_DATA``, or None when it is unset.

    Raises
    ------
    DataError
        If ``CRASHLENS_DATA`` is set but does not point at an existing folder.
    """
    value = os.environ.get("CRASHLENS_DATA", "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_dir():
        raise DataError(
            "CRASHLENS_DATA points at nothing (no such folder); unset it to use the synthetic "
            "market or set it to the folder holding the raw CSV files",
            path=str(path),
        )
    return path


def home_dir() -> Path:
    """Return the store folder (``CRASHLENS_HOME``, default ``~/.crashlens``), creating it."""
    value = os.environ.get("CRASHLENS_HOME", "").strip()
    path = Path(value).expanduser() if value else Path.home() / ".crashlens"
    path.mkdir(parents=True, exist_ok=True)
    return path


def numba_enabled() -> bool:
    """Whether numba kernels are used (False when ``CRASHLENS_NO_NUMBA=1`` or numba is absent)."""
    if os.environ.get("CRASHLENS_NO_NUMBA", "").strip() in {"1", "true", "yes"}:
        return False
    from crashlens._numba import NUMBA_AVAILABLE  # the one import check (see crashlens._numba)

    return NUMBA_AVAILABLE
