"""The API returns exactly the JSON the CLI prints with --json for the same call.

Except for server folders: the CLI (local) prints full paths, the API writes the data folder
as ``$CRASHLENS_DATA`` and the package folder as ``crashlens`` (``crashlens.api.paths``). The
CLI's text gets the same two replacements, by hand, before the comparison.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import crashlens

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def _cli_json(*args):
    proc = subprocess.run([sys.executable, "-m", "crashlens.cli.main", *args, "--json"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    data = Path(os.environ["CRASHLENS_DATA"])
    # the data folder as given and as resolved (CI may reach ../shared through a symlink)
    for folder, label in [(Path(crashlens.__file__).parent, "crashlens"),
                          (data.resolve(), "$CRASHLENS_DATA"), (data, "$CRASHLENS_DATA")]:
        # the folder before "/", a quote, ";" or a space ("Store built ... from <data>;",
        # zh: "由 <data> 构建")
        text = re.sub(re.escape(str(folder)) + r'(?=[/"; ])', lambda _, lab=label: lab, text)
    return json.loads(text)


@pytest.mark.parametrize("endpoint, params, cli", [
    ("fragility", {"asof": "2025-11-21"}, ["fragility", "--asof", "2025-11-21"]),
    ("audit", {"example": "2025-11-selloff"}, ["audit", "2025-11-selloff"]),
    ("macro", {"asof": "2025-11-21"}, ["macro", "--asof", "2025-11-21"]),
])
def test_api_equals_cli_json(realdata, client, endpoint, params, cli):
    from crashlens.api import sessions

    sessions.clear()
    r = client.get(f"/api/{endpoint}", params=params)
    assert r.status_code == 200, r.text
    assert r.json() == _cli_json(*cli)


def test_api_report_equals_cli_report_json(realdata, client):
    from crashlens.api import sessions

    sessions.clear()
    r = client.get("/api/report", params={"event": "2026-02", "lang": "zh"})
    assert r.status_code == 200, r.text
    assert r.json() == _cli_json("report", "--event", "2026-02", "--lang", "zh")
