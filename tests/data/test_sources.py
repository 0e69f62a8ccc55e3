"""The public sources: what ``source=`` accepts, and ProviderSource on the replay server.

ProviderSource is tested against the local replay server of the provider tests (recorded
payloads in tests/data/providers/responses); no request reaches the internet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

import crashlens as cl
from crashlens.data.folder import FolderSource
from crashlens.data.providers.source import ProviderSource
from crashlens.data.source import as_source
from crashlens.errors import ProviderError, UnknownSeriesError

sys.path.insert(0, str(Path(__file__).parent / "providers"))
from _provider_replay import URL_VARS, ReplayServer, Reply, load

GSPC = "/v8/finance/chart/%5EGSPC"
FRED = "/graph/fredgraph.csv"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ReplayServer]:
    """Every provider's base URL on a local replay server; a private CRASHLENS_HOME."""
    monkeypatch.setenv("CRASHLENS_HOME", str(tmp_path / "home"))
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.lower(), raising=False)
    srv = ReplayServer()
    for var in URL_VARS:
        monkeypatch.setenv(var, srv.url)
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


def _yahoo_closes(name: str) -> dict[pd.Timestamp, float]:
    """Closes of a recorded Yahoo chart, by exchange-local day, read with plain json."""
    res = json.loads(load(name))["chart"]["result"][0]
    tz = ZoneInfo(res["meta"]["exchangeTimezoneName"])
    closes = res["indicators"]["quote"][0]["close"]
    return {pd.Timestamp(dt.datetime.fromtimestamp(t, tz).date()): float(c)
            for t, c in zip(res["timestamp"], closes, strict=True) if c is not None}


def test_provider_source_reads_through_the_routes(server: ReplayServer,
                                                  tmp_path: Path) -> None:
    server.add(GSPC, Reply.file("yahoo_chart_gspc.json"))
    server.add(FRED, Reply.file("fred_dgs10.csv"))
    src = ProviderSource(start="2025-11-17", cache_dir=tmp_path / "http")
    names = src.names()
    assert {"SPX", "VIX", "UST10Y", "COT_ES", "FUNDING_BTC"} <= set(names)
    assert "BUND10Y" not in names and "JGB10Y" not in names  # no online provider
    with cl.data.using(src):
        spx = cl.data.close("SPX")
        ust = cl.data.close("UST10Y")
        assert not cl.data.is_synthetic() and cl.data.files_dir() is None
    assert spx.to_dict() == _yahoo_closes("yahoo_chart_gspc.json")
    assert spx.loc["2025-11-20"] == 6538.76  # the reversal day (SOURCES.md)
    rows = list(csv.DictReader(io.StringIO(load("fred_dgs10.csv").decode())))
    want = {pd.Timestamp(r["observation_date"]): float(r["DGS10"]) for r in rows
            if r["DGS10"] not in ("", ".")}
    assert ust.to_dict() == want
    assert src.fetched() == {"SPX": "yahoo:^GSPC", "UST10Y": "fred:DGS10"}
    # kept in memory: a second read makes no request
    hits = server.count()
    with cl.data.using(src):
        cl.data.panel(["SPX", "UST10Y"])
    assert server.count() == hits
    assert server.hits[0].query["period1"] == str(
        int(dt.datetime(2025, 11, 17, tzinfo=dt.UTC).timestamp()))
    # the providers' disk cache: a new source on the same cache makes no request either
    with ProviderSource(start="2025-11-17", cache_dir=tmp_path / "http") as again:
        assert again.read("SPX")["close"].to_dict() == spx.to_dict()
    assert server.count() == hits


def test_provider_errors_name_the_provider(server: ReplayServer, tmp_path: Path) -> None:
    server.add(GSPC, Reply(404, load("yahoo_chart_not_found.json")))
    from _provider_replay import make

    from crashlens.data.providers import YahooChartProvider

    fast = make(YahooChartProvider, server, cache_dir=tmp_path / "http")
    src = ProviderSource(start="2025-11-17", providers={"yahoo": fast})
    with pytest.raises(ProviderError) as exc:
        src.read("SPX")
    msg = str(exc.value)
    assert msg.startswith("yahoo") and "\n" not in msg and server.url in msg
    with pytest.raises(UnknownSeriesError, match="did you mean SPX"):
        src.read("SPXX")


def test_as_source_turns_paths_and_frames_into_sources(tmp_path: Path) -> None:
    (tmp_path / "VIX.csv").write_text("date,close\n2025-11-20,26.42\n2025-11-21,23.43\n")
    src = as_source(str(tmp_path))
    assert isinstance(src, FolderSource) and src.names() == ["VIX"]
    (tmp_path / "map.yaml").write_text("series:\n  VIX: {file: VIX.csv}\n")
    via_yaml = as_source(tmp_path / "map.yaml")
    assert isinstance(via_yaml, FolderSource) and via_yaml.mapping == (tmp_path /
                                                                       "map.yaml").resolve()
    assert via_yaml.read("VIX")["close"].tolist() == [26.42, 23.43]
    frames = as_source({"VIX": pd.Series([20.0], index=[pd.Timestamp("2025-11-21")])})
    assert frames.read("VIX")["close"].tolist() == [20.0]
