from __future__ import annotations

import os
from pathlib import Path

import pytest

RAW = Path(os.environ.get("CRASHLENS_DATA", "") or "/nonexistent")


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    if not os.environ.get("CRASHLENS_DATA") or not RAW.is_dir():
        pytest.skip("CRASHLENS_DATA is unset: real-data tests skipped")
    return RAW


@pytest.fixture(scope="session")
def report_2025_11_en(raw_dir: Path):
    from crashlens.report import build_report

    return build_report(event="2025-11", lang="en",
                        sections=["summary", "anatomy", "provenance"])


@pytest.fixture(scope="session")
def report_2025_11_zh(raw_dir: Path):
    from crashlens.report import build_report

    return build_report(event="2025-11", lang="zh",
                        sections=["summary", "anatomy", "provenance"])
