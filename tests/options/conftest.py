from __future__ import annotations

from pathlib import Path

import pytest

CHAIN_NAME = "spy_options_chain_20250925_quotedata.csv"


@pytest.fixture(scope="session")
def spy_chain_path(raw_dir: Path) -> Path:
    path = raw_dir / CHAIN_NAME
    if not path.is_file():
        pytest.skip(f"{CHAIN_NAME} not in CRASHLENS_DATA")
    return path
