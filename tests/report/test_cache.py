"""The report cache: a key per request, data and code; a damaged entry is a miss."""

from __future__ import annotations

import os

import pytest

from crashlens.report import cache
from crashlens.report.builder import Rendered


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CRASHLENS_HOME", str(tmp_path / "home"))
    data = tmp_path / "raw"
    data.mkdir()
    (data / "chain_quotedata.csv").write_text("x\n")
    monkeypatch.setenv("CRASHLENS_DATA", str(data))  # the store's folder of files read by name

    class Store:
        def manifest(self):
            return {"fingerprint": "abc"}

    monkeypatch.setattr("crashlens.data.store", lambda: Store())
    return data


def _pages(body: str = "<p>x</p>") -> Rendered:
    return Rendered(body=body, print_body=None, data={"asof": "2025-11-21"}, attached_line="",
                    errors=(), synthetic=False)


def test_key_covers_request_and_raw_files(home):
    k = cache.key(event="2025-11", lang="en")
    assert k == cache.key(event="2025-11", lang="en")
    assert k != cache.key(event="2025-11", lang="zh")
    assert k != cache.key(event="2026-02", lang="en")
    # a raw file read outside the store (an option chain) changes: a new key
    f = home / "chain_quotedata.csv"
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert cache.key(event="2025-11", lang="en") != k


def test_key_covers_events_file_content_and_code(home, tmp_path, monkeypatch):
    events = tmp_path / "events.yaml"
    events.write_text("a: 1\n")
    k = cache.key(event="2025-11", lang="en", events=str(events))
    events.write_text("a: 2\n")  # the same path with another content: another key
    assert cache.key(event="2025-11", lang="en", events=str(events)) != k
    events.write_text("a: 1\n")
    assert cache.key(event="2025-11", lang="en", events=str(events)) == k
    # an edited module of the package (its size or modification time) changes the key
    import crashlens

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    mod = pkg / "engine.py"
    mod.write_text("X = 1\n")
    monkeypatch.setattr(crashlens, "__file__", str(pkg / "__init__.py"))
    before = cache.key(event="2025-11", lang="en")
    assert cache.key(event="2025-11", lang="en") == before
    mod.write_text("X = 22\n")
    assert cache.key(event="2025-11", lang="en") != before


def test_key_differs_between_sources(home):
    import pandas as pd

    from crashlens.data import FramesSource

    idx = pd.bdate_range("2025-01-02", periods=30)
    spx = pd.Series(6000.0 + pd.RangeIndex(30).to_numpy(), index=idx)
    store_key = cache.key(event="2025-11", lang="en")
    mine = FramesSource({"SPX": spx})
    k = cache.key(source=mine, event="2025-11", lang="en")
    assert k != store_key  # a report on the user's frames never gets the store's page
    # the same frames give the same key; other values another one
    assert cache.key(source=FramesSource({"SPX": spx.copy()}), event="2025-11", lang="en") == k
    assert cache.key(source=FramesSource({"SPX": spx + 1.0}), event="2025-11", lang="en") != k
    # the source may also be the active one
    from crashlens.data import using

    with using(mine):
        assert cache.key(event="2025-11", lang="en") == k


def test_roundtrip_damage_and_eviction(home, monkeypatch):
    k = cache.key(event="2025-11", lang="en")
    assert cache.load(k) is None
    cache.store(k, _pages())
    assert cache.load(k) == _pages()
    (cache.cache_dir() / f"{k}.pickle").write_bytes(b"not a pickle")
    assert cache.load(k) is None  # damaged: a miss, never an error
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for i in range(5):
        cache.store(f"k{i}", _pages(str(i)))
    assert len(list(cache.cache_dir().glob("*.pickle"))) == 3


@pytest.mark.realdata
def test_cli_serves_the_second_run_from_the_cache(raw_dir, tmp_path, monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).with_name("crashlens")
    home = os.environ["CRASHLENS_HOME"]
    args = [str(exe), "report", "--event", "2025-11", "--lang", "en", "-q"]
    first = subprocess.run([*args, "--out", str(tmp_path / "a.html")], capture_output=True,
                           text=True, check=True)
    n = len(list((Path(home) / "cache" / "report").glob("*.pickle")))
    second = subprocess.run([*args, "--out", str(tmp_path / "b.html")], capture_output=True,
                            text=True, check=True)
    # the same pages, no new entry; --no-cache rebuilds the same page
    assert (tmp_path / "a.html").read_text() == (tmp_path / "b.html").read_text()
    assert len(list((Path(home) / "cache" / "report").glob("*.pickle"))) == n >= 1
    subprocess.run([*args, "--no-cache", "--out", str(tmp_path / "c.html")], check=True,
                   capture_output=True)
    def strip(s: str) -> str:  # the body, without the header's "generated" time
        return s.split("<main>")[1].split("</main>")[0]

    assert strip((tmp_path / "c.html").read_text()) == strip((tmp_path / "a.html").read_text())
    assert "wrote" in first.stdout and "wrote" in second.stdout
