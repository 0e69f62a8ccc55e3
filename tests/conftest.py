"""Session-wide test configuration and shared fixtures.

* Every test session gets its own ``CRASHLENS_HOME`` (a temporary folder), so tests never read or
  write a user's ``~/.crashlens``; the real-data store is ingested once per session.
* Tests marked ``realdata`` need ``CRASHLENS_DATA`` (the raw files of ``shared/data/raw``) and are
  skipped with a reason when it is unset.
* ``backend`` runs a test twice: with the numba kernels and with their numpy twins
  (``CRASHLENS_NO_NUMBA=1``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_SESSION_HOME: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _SESSION_HOME
    import tempfile

    _SESSION_HOME = Path(tempfile.mkdtemp(prefix="crashlens-test-home-"))
    os.environ["CRASHLENS_HOME"] = str(_SESSION_HOME)
    os.environ.setdefault("CRASHLENS_NO_PROGRESS", "1")
    # property and fuzz tests explore new inputs on every local run, but CI must not turn red
    # on a draw: there the examples are derived from each test's name (reproducible)
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CRASHLENS_DATA"):
        return
    skip = pytest.mark.skip(reason="needs CRASHLENS_DATA pointing at shared/data/raw")
    for item in items:
        if "realdata" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw-data folder (skips the test when CRASHLENS_DATA is unset)."""
    value = os.environ.get("CRASHLENS_DATA")
    if not value:
        pytest.skip("needs CRASHLENS_DATA pointing at shared/data/raw")
    path = Path(value)
    if not path.is_dir():
        pytest.skip(f"CRASHLENS_DATA={value} is not a folder")
    return path


@pytest.fixture
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty CRASHLENS_HOME for one test (and a cleared store registry)."""
    import crashlens.data as data

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CRASHLENS_HOME", str(home))
    data._ready.clear()
    yield home
    data._ready.clear()


@pytest.fixture(params=["numba", "numpy"])
def backend(request, monkeypatch):
    """Run a test with the numba kernels and with their numpy twins."""
    if request.param == "numpy":
        monkeypatch.setenv("CRASHLENS_NO_NUMBA", "1")
    else:
        monkeypatch.delenv("CRASHLENS_NO_NUMBA", raising=False)
    return request.param
