"""Any date works: a report as of any of 40+ dates from 1990 to 2026 has no sentence with a
missing value, no empty parentheses and no section crash; a section without data is left out
with its reason."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from crashlens.report import fmt

#: The required dates plus one date in every year-and-a-half from 1990 to 2026 (fixed, so a
#: failure is reproducible; the spread covers every data regime: no VIX3M, no BTC, no chains).
REQUIRED = ("2008-10-10", "2018-12-24", "2020-03-16", "2022-06-16", "2025-11-21", "2026-02-05")
SPREAD = tuple(d.date().isoformat() for d in pd.date_range("1990-03-15", "2026-06-30",
                                                           freq="11MS") + pd.Timedelta(days=14))
DATES = tuple(sorted(set(REQUIRED + SPREAD)))
MISSING = "<MISSING>"
BAD = re.compile(r"\(\s*\)|（\s*）|\bnan\b|\bNone\b|<MISSING>", re.IGNORECASE)


def test_enough_dates():
    assert len(DATES) >= 40 and DATES[0] < "1991" and DATES[-1] > "2026"


def _problems(rep) -> list[str]:
    out = []
    for s in rep.sections:
        if s.status == "error":
            out.append(f"{s.ident}: crashed: {s.notice}")
        if s.status == "omitted" and not s.notice:
            out.append(f"{s.ident}: left out without a reason")
        for p in s.paragraphs:
            if BAD.search(p):
                out.append(f"{s.ident}: {p}")
    return out


@pytest.mark.realdata
@pytest.mark.slow
def test_reports_on_any_date_have_no_missing_values(raw_dir, monkeypatch):
    from crashlens.report import build_report

    # a missing value renders as MISSING, so any sentence that would print a dash is caught
    monkeypatch.setattr(fmt, "DASH", MISSING)
    failures = {}
    for i, day in enumerate(DATES):
        lang = "zh" if i % 5 == 0 else "en"
        probs = _problems(build_report(asof=day, lang=lang))
        if probs:
            failures[f"{day} {lang}"] = probs[:4]
    assert not failures, failures
