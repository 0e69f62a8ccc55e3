"""Any date works: a report as of any of 40+ dates from 1990 to 2026 has no sentence with a
missing value, no empty parentheses and no section crash; a section without data is left out
with its reason."""

from __future__ import annotations

import re

import pandas as pd
import pytest

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


#: Builds the reports of some dates with the placeholder swapped and prints the problems as
#: JSON; two of these run at once (the machine has two cores and the test is the slowest).
WORKER = """
import json, re, sys
from crashlens.report import build_report, fmt
fmt.DASH = {missing!r}
bad = re.compile({pattern!r}, re.IGNORECASE)
out = {{}}
for item in sys.argv[1:]:
    day, lang = item.split(":")
    probs = []
    for s in build_report(asof=day, lang=lang).sections:
        if s.status == "error":
            probs.append(f"{{s.ident}}: crashed: {{s.notice}}")
        if s.status == "omitted" and not s.notice:
            probs.append(f"{{s.ident}}: left out without a reason")
        probs += [f"{{s.ident}}: {{p}}" for p in s.paragraphs + [a.text for a in s.argument]
                  if bad.search(p)]
    if probs:
        out[item] = probs[:4]
print(json.dumps(out))
"""


@pytest.mark.realdata
@pytest.mark.slow
def test_reports_on_any_date_have_no_missing_values(raw_dir):
    import json
    import subprocess
    import sys

    # a missing value renders as MISSING, so any sentence that would print a dash is caught;
    # every fifth report is in Chinese
    items = [f"{d}:{'zh' if i % 5 == 0 else 'en'}" for i, d in enumerate(DATES)]
    code = WORKER.format(missing=MISSING, pattern=BAD.pattern)
    procs = [subprocess.Popen([sys.executable, "-c", code, *items[k::2]],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k in range(2)]
    failures: dict[str, list[str]] = {}
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0, err[-2000:]
        failures.update(json.loads(out.strip().splitlines()[-1]))
    assert not failures, failures
