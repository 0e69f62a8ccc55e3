"""``--data PATH``: every command that reads series runs on a folder of the user's files.

The folder is written in tmp_path from the store's real series: the CTA desk universe as
``<NAME>.csv`` files, SPX as a Bloomberg-style wide export mapped by ``crashlens.yaml``. Holding
the same data as the store, the folder gives the store's numbers; every bad input is one line
on stderr with exit code 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import crashlens as cl
from crashlens._result import json_safe
from crashlens.cli.main import app
from crashlens.data.folder import FolderSource

ASOF = "2025-11-21"
COMMANDS = [
    ["cta"], ["cta", "calibrate"], ["gex"], ["crypto"], ["crypto", "replay"],
    ["crypto", "stablecoins"], ["contagion"], ["fragility"], ["anatomy"], ["analogs"],
    ["catalysts"], ["macro"], ["scenarios"], ["audit", "check"], ["report"], ["episodes"],
    ["batch", "cta"], ["data", "show"], ["data", "list"],
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crashlens.cli.main", *args],
                          capture_output=True, text=True, env=dict(os.environ))


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_the_data_option(command: list[str]) -> None:
    out = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "--data" in out.output
    assert "Read series from your own files (a folder of CSV/Parquet, or a crashlens.yaml " \
           "mapping) instead of the store; see docs/data.md" in " ".join(out.output.split())


def _store_frame(name: str) -> pd.DataFrame:
    with cl.data.using(cl.data.source.default()):
        return cl.data.get(name)


def _num(x: float) -> str:
    return "#N/A N/A" if np.isnan(x) else format(float(x), ",")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, raw_dir: Path) -> Path:
    """The desk universe from the store; SPX as a wide export with a mapping."""
    out = tmp_path_factory.mktemp("mydata")
    for name in cl.cta.CTAParams.preset("desk").universe:
        if name != "SPX":
            _store_frame(name).to_csv(out / f"{name}.csv")  # full precision, date index
    spx = _store_frame("SPX")
    fields = {"open": "PX_OPEN", "high": "PX_HIGH", "low": "PX_LOW", "close": "PX_LAST",
              "volume": "PX_VOLUME"}
    lines = ["Dates," + ",".join(fields.values())]
    for day, row in spx.iloc[::-1].iterrows():
        lines.append(day.strftime("%d/%m/%Y") + "," + ",".join(
            f'"{_num(row[c])}"' for c in fields))
    (out / "bbg_spx.csv").write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    cols = ", ".join(f"{k}: {v}" for k, v in fields.items())
    (out / "crashlens.yaml").write_text(
        "series:\n"
        f"  SPX: {{file: bbg_spx.csv, date: Dates, date_format: '%d/%m/%Y', {cols}}}\n")
    return out


@pytest.mark.realdata
def test_cta_on_a_folder_equals_the_api_and_the_store(folder: Path) -> None:
    out = run("cta", "--data", str(folder), "--asof", ASOF, "--json")
    assert out.returncode == 0, out.stderr
    cli = json.loads(out.stdout)
    api = cl.cta.positioning(ASOF, source=FolderSource(folder))
    assert cli == json.loads(json.dumps(json_safe(api.to_dict())))
    store = cl.cta.positioning(ASOF, source=cl.data.source.default())
    spx_close = float(_store_frame("SPX").loc[ASOF, "close"])
    assert cli["assets"]["SPX"]["price"] == spx_close
    assert cli["assets"]["SPX"]["position_pct"] == store.to_dict()["assets"]["SPX"][
        "position_pct"]
    assert cli["total"]["notional_usd"] == store.to_dict()["total"]["notional_usd"]


@pytest.mark.realdata
def test_data_show_and_list_read_the_folder(folder: Path) -> None:
    out = run("data", "show", "SPX", "--data", str(folder / "crashlens.yaml"),
              "--start", "2025-11-17", "--end", ASOF, "--json")
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    want = _store_frame("SPX").loc["2025-11-17":ASOF, "close"]
    assert [r["date"] for r in shown] == [d.date().isoformat() for d in want.index]
    assert [r["close"] for r in shown] == list(want)
    out = run("data", "list", "--data", str(folder), "--json")
    assert out.returncode == 0, out.stderr
    listed = {s["name"]: s for s in json.loads(out.stdout)["series"]}
    assert sorted(listed) == sorted(cl.cta.CTAParams.preset("desk").universe)
    assert listed["SPX"]["rows"] == len(_store_frame("SPX"))
    assert listed["SPX"]["sources"] == "bbg_spx.csv"
    assert listed["GOLD"]["last"] == _store_frame("GOLD").index[-1].date().isoformat()


@pytest.mark.realdata
def test_batch_cta_on_a_folder_equals_the_store(folder: Path) -> None:
    args = ("batch", "cta", "--start", "2025-10-01", "--end", ASOF, "--assets", "SPX,GOLD",
            "--no-flows", "--mc-freq", "none", "--json")
    mine, store = run(*args, "--data", str(folder)), run(*args)
    assert mine.returncode == 0 and store.returncode == 0, mine.stderr + store.stderr
    a, b = json.loads(mine.stdout), json.loads(store.stdout)
    assert a["job_id"] != b["job_id"]  # the job id follows the data read
    got, want = pd.read_parquet(a["output"]), pd.read_parquet(b["output"])
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, want)


GOOD = "Dates,SPX Index\n2025-11-19,6642.16\n2025-11-20,6538.76\n2025-11-21,6602.99\n"
MAP = "series:\n  SPX: {file: export.csv, date: Dates, close: SPX Index}\n"


# every bad input's exact message is tested on FolderSource (tests/data/test_folder_source.py);
# here two of them go through a real CLI process: one line on stderr, exit 2, no traceback
@pytest.mark.parametrize(("mapping", "body", "expected"), [
    ("series:\n  SPX: {file: export.csv\n  VIX: x\n", GOOD,
     "crashlens.yaml, line 3: YAML syntax error"),
    (MAP, GOOD.replace("2025-11-20", "20/13/2025"),
     "export.csv, row 3, column 'Dates': '20/13/2025' is not a date"),
], ids=["yaml-line", "bad-date"])
def test_bad_input_is_one_line_exit_2(tmp_path: Path, mapping: str, body: str,
                                      expected: str) -> None:
    (tmp_path / "export.csv").write_text(body)
    (tmp_path / "crashlens.yaml").write_text(mapping)
    out = run("data", "show", "SPX", "--data", str(tmp_path))
    assert out.returncode == 2, out.stdout + out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert expected in lines[0]


def test_data_path_that_is_not_a_folder_or_mapping(tmp_path: Path) -> None:
    out = run("cta", "--data", str(tmp_path / "none"))
    assert out.returncode == 2 and "--data: no such folder or file" in out.stderr
    (tmp_path / "SPX.csv").write_text(GOOD)
    out = run("data", "show", "SPX", "--data", str(tmp_path / "SPX.csv"))
    assert out.returncode == 2
    assert "is a file; give a folder of CSV/Parquet files or a crashlens.yaml mapping" in \
        out.stderr
    out = run("cta", "--data", str(tmp_path), "calibrate", "--readings", "x.csv")
    assert out.returncode == 2
    assert "--data goes after the subcommand: crashlens cta calibrate --data PATH" in \
        out.stderr
