from __future__ import annotations

import pytest


@pytest.fixture(params=["numba", "numpy"])
def backend(request, monkeypatch):
    """Run a test with the numba kernels and with their numpy twins."""
    if request.param == "numpy":
        monkeypatch.setenv("CRASHLENS_NO_NUMBA", "1")
    else:
        monkeypatch.delenv("CRASHLENS_NO_NUMBA", raising=False)
    return request.param
