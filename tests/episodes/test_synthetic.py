"""Every entry point runs on the synthetic market (no CRASHLENS_DATA) and says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crashlens.episodes as ep
import crashlens.macro as macro

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    import crashlens.data as data

    home = tmp_path_factory.mktemp("synthetic-home")
    saved = {k: os.environ.get(k) for k in ("CRASHLENS_DATA", "CRASHLENS_HOME")}
    os.environ.pop("CRASHLENS_DATA", None)
    os.environ["CRASHLENS_HOME"] = str(home)
    data._ready.clear()
    yield home
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    data._ready.clear()


def _synthetic(res: object) -> None:
    assert any("SYNTHETIC" in w for w in res.warnings)  # type: ignore[attr-defined]
    json.dumps(res.to_dict(), allow_nan=False)  # type: ignore[attr-defined]


def test_all_entry_points_on_synthetic_market(synthetic_store: Path) -> None:
    import crashlens.data as data

    assert data.is_synthetic()
    last = data.close("SPX").dropna().index[-1]
    _synthetic(ep.anatomy("2025-11-17", "2025-11-21"))
    lib = ep.library()
    _synthetic(lib)
    _synthetic(ep.analogs(last, library_result=lib))
    _synthetic(ep.catalysts())
    lens = macro.lens(last)
    _synthetic(lens)
    # the synthetic macro block scripts the October-2025 shutdown hole: found from the data
    assert "2025-10-01" in lens.vacuum_summary["gaps"].get("CPI", [])
