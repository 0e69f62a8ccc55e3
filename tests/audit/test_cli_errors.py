from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crashlens.cli.main import main


def run(args: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["crashlens", *args])
    with pytest.raises(SystemExit) as ei:
        main()
    out = capsys.readouterr()
    return int(ei.value.code or 0), out.out, out.err


def test_audit_bad_file_exits_2_naming_the_line(tmp_path: Path, capsys, monkeypatch) -> None:
    p = tmp_path / "claims.yaml"
    p.write_text("name: x\nclaims:\n  - id: a\n    kind: level_on_date\n    series: SPXX\n"
                 "    date: 2025-11-20\n    value: 1\n")
    rc, _, err = run(["audit", str(p)], capsys, monkeypatch)
    assert rc == 2
    assert "claims.yaml, line 5" in err and "SPXX" in err
    assert "Traceback" not in err


def test_scenarios_bad_file_exits_2(tmp_path: Path, capsys, monkeypatch) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("scenarios:\n  - id: A\n    probability: -1\n")
    rc, _, err = run(["scenarios", str(p)], capsys, monkeypatch)
    assert rc == 2 and "s.yaml, line 3" in err
    rc, _, err = run(["scenarios", str(tmp_path / "missing.yaml")], capsys, monkeypatch)
    assert rc == 2 and "no such file" in err
    rc, _, err = run(["scenarios", str(p), "--asof", "2025-13-01"], capsys, monkeypatch)
    assert rc == 2 and "--asof" in err


def test_audit_unknown_kind_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    p = tmp_path / "claims.yaml"
    p.write_text("name: x\nclaims:\n  - id: a\n    kind: vibes\n    text: markets feel bad\n")
    rc, _, err = run(["audit", str(p)], capsys, monkeypatch)
    assert rc == 2 and "claims.yaml, line 3" in err and "vibes" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    # options may come first: the group still routes to the default check
    rc, _, err = run(["audit", "--json", str(p)], capsys, monkeypatch)
    assert rc == 2 and "vibes" in err
