"""Events own their files; a report attaches those of the event covering its date, or none."""

from __future__ import annotations

import pandas as pd
import pytest

from crashlens.errors import DataError, ParameterError
from crashlens.report.events import EVENTS, covering, load_events, resolve


def test_shipped_events_cover_their_windows():
    nov, feb = EVENTS["2025-11"], EVENTS["2026-02"]
    assert nov.files() == {"scenarios": "2026q1", "claims": "2025-11-selloff",
                           "catalysts": "catalysts_2025_2026"}
    # default cover: 7 days before the start to 30 days after the as-of date
    assert nov.covers == ("2025-11-10", "2025-12-21")
    assert covering(pd.Timestamp("2025-11-21")) is nov
    assert covering(pd.Timestamp("2026-02-05")) is feb
    for day in ("2020-03-16", "2008-10-10", "2025-11-09", "2025-12-22"):
        assert covering(pd.Timestamp(day)) is None


def test_resolve_window():
    latest = pd.Timestamp("2026-07-31")
    assert resolve(window=("2026-01-26", "2026-02-06"), latest=latest) == (
        pd.Timestamp("2026-02-06"), pd.Timestamp("2026-01-26"), None)
    # with an event, the window replaces the event's own but the event keeps its files
    assert resolve("2026-02", window=("2026-01-26", "2026-02-06"), latest=latest)[2] == "2026-02"
    with pytest.raises(ParameterError, match="START 2026-02-06 is after END"):
        resolve(window=("2026-02-06", "2026-01-26"), latest=latest)
    with pytest.raises(ParameterError, match="--window or --asof"):
        resolve(asof="2026-02-06", window=("2026-01-26", "2026-02-06"), latest=latest)
    with pytest.raises(ParameterError, match="after the newest data"):
        resolve(window=("2026-07-01", "2026-08-03"), latest=latest)


def test_user_events_file(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text("events:\n  - key: covid\n    start: 2020-02-20\n    asof: 2020-03-23\n"
                    "    name: COVID crash\n    claims: 2026-02-selloff\n"
                    "    covers: [2020-02-01, 2020-04-30]\n")
    ev = load_events(path)["covid"]
    assert ev.name("zh") == "COVID crash" and ev.files() == {"claims": "2026-02-selloff"}
    assert ev.covers_date(pd.Timestamp("2020-03-16"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("events:\n  - key: x\n    start: 2020-02-20\n    asof: 2020-03-23\n"
                   "    name: X\n    scenario: typo\n")
    with pytest.raises(DataError) as info:
        load_events(bad)
    msg = str(info.value)
    assert "bad.yaml" in msg and "scenario" in msg and "line 6" in msg
    worse = tmp_path / "worse.yaml"
    worse.write_text("events:\n  - key: x\n    start: 2020-04-20\n    asof: 2020-03-23\n"
                     "    name: X\n")
    with pytest.raises(ParameterError, match="start 2020-04-20 is after asof"):
        load_events(worse)


@pytest.mark.realdata
def test_report_far_from_any_event_leaves_event_files_out(raw_dir):
    from crashlens.report import build_report

    rep = build_report(asof="2020-03-16", sections=["scenarios", "audit", "catalysts"])
    assert rep.attached is None
    assert rep.attached_line() == ("No event covers 16 Mar 2020: scenarios, the claims audit "
                                   "and catalysts are left out.")
    for s in rep.sections:
        assert s.status == "omitted" and "no event covers 2020-03-16" in s.notice
    zh = build_report(asof="2020-03-16", lang="zh", sections=["scenarios"])
    assert zh.sections[0].notice.startswith("本节从略：没有事件覆盖 2020-03-16")


@pytest.mark.realdata
def test_event_report_grades_scenarios_only_when_retrospective(raw_dir):
    from crashlens.report import build_report

    rep = build_report(event="2025-11", sections=["scenarios"])
    sec = rep.sections[0]
    assert rep.attached is EVENTS["2025-11"] and not rep.retrospective
    assert "scorecard" not in sec.data
    assert any("--retrospective" in p for p in sec.paragraphs)
    assert not any("data to" in p for p in sec.paragraphs)
    retro = build_report(event="2025-11", sections=["scenarios"], retrospective=True)
    sec = retro.sections[0]
    assert sec.data["scorecard"]["until"] >= "2026-03-31"
    assert any(p.startswith("Written after the fact, with data to") for p in sec.paragraphs)
    assert retro.to_dict()["retrospective"] is True


@pytest.mark.realdata
def test_user_event_attaches_its_claims(raw_dir, tmp_path):
    from crashlens.report import build_report

    path = tmp_path / "events.yaml"
    path.write_text("events:\n  - key: covid\n    start: 2020-02-20\n    asof: 2020-03-23\n"
                    "    name: COVID crash\n    claims: 2026-02-selloff\n")
    rep = build_report(asof="2020-03-16", sections=["audit", "scenarios"], events=path)
    assert rep.attached is not None and rep.attached.key == "covid"
    audit, scen = rep.section("audit"), rep.section("scenarios")
    assert audit.status == "ok" and audit.data["audit"]["name"] == "2026-02-selloff"
    assert scen.status == "omitted"  # the user's event has no scenario set
    # --window with a named event of the user's registry
    rep = build_report(event="covid", window=("2020-02-24", "2020-03-20"), sections=["audit"],
                       events=path)
    assert (rep.start, rep.asof) == (pd.Timestamp("2020-02-24"), pd.Timestamp("2020-03-20"))
