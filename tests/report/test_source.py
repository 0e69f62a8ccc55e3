"""The report on a caller's source: build_report(source=), reads recorded, warnings as notes."""

from __future__ import annotations

import pandas as pd
import pytest

from crashlens import data
from crashlens.data import FramesSource, using
from crashlens.notes import Note
from crashlens.report.builder import RecordingSource, run_section
from crashlens.report.context import ReportContext, SectionOutput
from crashlens.report.i18n import Translator

ASOF = pd.Timestamp("2025-11-21")


def _frames() -> FramesSource:
    idx = pd.bdate_range("2025-10-01", "2025-11-21")
    n = len(idx)
    return FramesSource({"SPX": pd.Series([6000.0 + i for i in range(n)], index=idx),
                         "VIX": pd.Series([15.0 + 0.1 * i for i in range(n)], index=idx)},
                        label="two series")


def test_recording_source_notes_reads_and_panels():
    used: set[str] = set()
    src = _frames()
    with using(RecordingSource(src, used)):
        spx = data.close("SPX", "2025-11-03", "2025-11-07")
        assert used == {"SPX"}
        panel = data.panel(["VIX", "SPX"], "2025-11-03", "2025-11-04")
        assert data.active().fingerprint() == src.fingerprint()
    assert used == {"SPX", "VIX"}
    # the rows are the source's: 2025-11-03 is the 24th business day from 2025-10-01
    assert spx.iloc[0] == 6000.0 + 23 and list(panel.columns) == ["VIX", "SPX"]
    assert panel["VIX"].tolist() == pytest.approx([15.0 + 2.3, 15.0 + 2.4])


@pytest.mark.realdata
def test_recording_the_store_is_still_the_store(raw_dir):
    from crashlens.data.source import default, is_store

    used: set[str] = set()
    store = default()
    with using(RecordingSource(store, used)):
        assert is_store()
        spx = data.close("SPX", "2025-11-17", ASOF)
        data.panel(["VIX", "UST10Y"], "2025-11-17", ASOF)
        assert data.active().fingerprint() == store.fingerprint()
    assert used == {"SPX", "VIX", "UST10Y"}
    assert spx.equals(data.close("SPX", "2025-11-17", ASOF))


def _ctx(lang: str, source=None) -> ReportContext:
    return ReportContext(asof=ASOF, start=pd.Timestamp("2025-11-17"), end=ASOF, lang=lang,
                         event=None, synthetic=False, t=Translator(lang), source=source)


def test_section_warnings_render_notes_in_the_report_language(monkeypatch):
    import crashlens.report.sections.catalysts as section

    note = Note("data.stale_series", series="OI_BTC", end=pd.Timestamp("2025-10-26"),
                days=26, asof=ASOF)

    def build(ctx):
        out = SectionOutput("catalysts", "x")
        out.warnings += [note, "a plain warning"]
        return out

    monkeypatch.setattr(section, "build", build)
    zh = run_section(_ctx("zh"), "catalysts")
    assert zh.warnings == ["OI_BTC 数据截至 2025-10-26，比截至日 2025-11-21 早 26 天：所示数值为 "
                           "2025-10-26 的值，并非最新", "a plain warning"]
    en = run_section(_ctx("en"), "catalysts")
    assert en.warnings == ["OI_BTC ends 2025-10-26, 26 days before the as-of date 2025-11-21: "
                           "its value is as of 2025-10-26, not current", "a plain warning"]


@pytest.mark.parametrize("error, status, where", [("DataError", "error", "/x/chains"),
                                                  ("InsufficientDataError", "omitted", None)])
def test_section_error_notices_render_notes_in_the_report_language(monkeypatch, error, status,
                                                                   where):
    """An error raised with a note shows in the report's language (its file kept)."""
    import crashlens.errors as errors
    import crashlens.report.sections.catalysts as section

    def build(ctx):
        note = Note("options.no_chain_file", folder=Note("options.folder_of_store"))
        raise getattr(errors, error)(note, **({"path": where} if where else {}))

    monkeypatch.setattr(section, "build", build)
    prefix = {"zh": f"{where}：" if where else "", "en": f"{where}: " if where else ""}
    zh = run_section(_ctx("zh"), "catalysts")
    assert zh.status == status
    assert prefix["zh"] + "CRASHLENS_DATA 数据文件夹中没有期权链文件（*quotedata*.csv）" in zh.notice
    en = run_section(_ctx("en"), "catalysts")
    assert prefix["en"] + "no option chain (*quotedata*.csv) in CRASHLENS_DATA" in en.notice


def test_sections_read_the_context_source(monkeypatch):
    """A section reads the report's source (not the store), and its reads are recorded."""
    import crashlens.report.sections.catalysts as section

    def build(ctx):
        out = SectionOutput("catalysts", "x")
        out.data["spx"] = float(data.close("SPX").iloc[-1])
        out.data["label"] = ctx.source_label()
        return out

    monkeypatch.setattr(section, "build", build)
    ctx = _ctx("en", _frames())
    out = run_section(ctx, "catalysts")
    n = len(pd.bdate_range("2025-10-01", "2025-11-21"))
    assert out.data == {"spx": 6000.0 + n - 1, "label": "two series"}
    assert ctx.used == {"SPX"}


@pytest.fixture(scope="module")
def store_frames(raw_dir):
    """Every series of the store as known at 2025-11-21, as in-memory frames (no files)."""
    return FramesSource({n: data.get(n, end=ASOF) for n in data.names()}, label="my frames")


@pytest.mark.realdata
def test_report_on_frames_equals_the_store_report(store_frames):
    from crashlens.report import build_report

    wanted = ["anatomy", "cta", "gamma", "provenance"]
    store = build_report(asof=ASOF, lang="en", sections=wanted)
    mine = build_report(asof=ASOF, lang="en", sections=wanted, source=store_frames)
    for ident in ("anatomy", "cta"):
        a, b = store.section(ident), mine.section(ident)
        assert b.status == "ok"
        assert [t.rows for t in a.tables] == [t.rows for t in b.tables], ident
        assert [t.numbers for t in a.tables] == [t.numbers for t in b.tables], ident
        assert a.paragraphs == b.paragraphs, ident
    # the S&P 500 move over the window, from the closes themselves: 14 Nov -> 21 Nov 2025
    spx = data.close("SPX", "2025-11-10", ASOF)
    change = spx.loc["2025-11-21"] / spx.loc["2025-11-14"] - 1.0
    row = mine.section("anatomy").tables[0]
    i = [r[0] for r in row.rows].index("S&P 500")
    assert row.numbers[i][2] == pytest.approx(change, rel=1e-12)
    # charts name the caller's source; the store report names the store
    assert "my frames" in mine.section("anatomy").charts[0].source
    assert "crashlens store" in store.section("anatomy").charts[0].source
    # no folder of files: no option chain, and the gamma section says so
    gamma = mine.section("gamma")
    assert "No option chain" in gamma.notice
    assert any("has no folder of files" in w for w in gamma.warnings)
    # provenance: the source by its label, its series up to the as-of date, no raw files
    prov = mine.section("provenance")
    assert prov.paragraphs[0] == ("Every series the report read from my frames, with its "
                                  "coverage up to the as-of date.")
    assert prov.paragraphs[1] == (f"Series read from my frames, not the crashlens store; "
                                  f"fingerprint {prov.data['source']['fingerprint'][:24]}.")
    assert not any("Store built" in p for p in prov.paragraphs)
    assert prov.data["source"]["label"] == "my frames"
    series = {r[0]: r for r in prov.tables[0].rows}
    assert series["SPX"][5] == "21 Nov 2025" and series["SPX"][7] == "my frames"
    assert "prov-files" not in [t.ident for t in prov.tables]
    assert set(prov.data["series"]) >= {"SPX", "VIX", "BTC"}
    assert any(p.startswith("Store built") for p in store.section("provenance").paragraphs)


@pytest.mark.realdata
def test_report_numbers_come_from_the_source(raw_dir):
    """The S&P 500 doubled in the caller's frames: its level and the value lost double."""
    from crashlens.report import build_report

    names = ["SPX", "NDX", "VIX", "BTC", "UST10Y", "HY_OAS"]
    frames = {n: data.get(n, "2023-01-01", ASOF) for n in names}
    doubled = dict(frames, SPX=frames["SPX"] * 2.0)
    a = build_report(asof=ASOF, lang="en", sections=["anatomy"], source=FramesSource(frames))
    b = build_report(asof=ASOF, lang="en", sections=["anatomy"], source=FramesSource(doubled))
    ta, tb = a.section("anatomy").tables[0], b.section("anatomy").tables[0]
    i = [r[0] for r in ta.rows].index("S&P 500")
    spx = float(data.close("SPX", ASOF, ASOF).iloc[0])
    assert ta.numbers[i][1] == pytest.approx(spx) and tb.numbers[i][1] == pytest.approx(2 * spx)
    assert tb.numbers[i][2] == pytest.approx(ta.numbers[i][2])  # the same relative move
    mva = a.section("anatomy").data["episodes_anatomy"]["market_value"]
    mvb = b.section("anatomy").data["episodes_anatomy"]["market_value"]
    assert mvb["spx_value_lost_usd"] == pytest.approx(2 * mva["spx_value_lost_usd"])
    # only the series given are measured; one the source lacks is named in a warning
    out = b.section("anatomy")
    assert {r["name"] for r in out.data["assets"]} == set(names)
    assert any(w.startswith("RUT: ") for w in out.warnings)
