"""Case 7 of issue #17: hostile YAML never hangs, never eats memory, never gives a traceback.

Each bomb runs through the real CLI in its own process with a 20 s wall-clock bound and a
1 GiB address-space limit (``RLIMIT_AS``): before the fix, the billion-laughs file took 3 GB
in 44 s and the nested file ended in a ``RecursionError`` traceback.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crashlens import _yaml
from crashlens._yaml import LimitError, SpecError, parse_yaml

#: Wall-clock bound of one bomb, seconds (the CLI itself starts in ~2 s on the shared machine).
TIME_BOUND_S = 20.0
#: Address-space bound of the process, bytes.
MEMORY_BOUND = 1 << 30


def billion_laughs(levels: int = 9) -> str:
    """The classic: 9 levels of 10 aliases each expand to 10^9 leaves from ~1 kB of text."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def quadratic_blowup(width: int = 2000) -> str:
    """One anchor of ``width`` items referenced ``width`` times (few aliases... 2000 of them)."""
    items = ",".join(["x"] * width)
    refs = ",".join(["*big"] * width)
    return f"big: &big [{items}]\nall: [{refs}]\n"


def nested(depth: int = 20_000) -> str:
    return "x: " + "[" * depth + "]" * depth + "\n"


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOUND, MEMORY_BOUND))


def _run_bounded(args: list[str], home: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    import os

    env = dict(os.environ, CRASHLENS_HOME=str(home), CRASHLENS_NO_PROGRESS="1")
    env.pop("CRASHLENS_DATA", None)  # parsing fails before any data is read
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "crashlens.cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=TIME_BOUND_S,
                          preexec_fn=_limit_memory)
    return proc, time.monotonic() - t0


BOMBS = {"billion_laughs": billion_laughs(), "quadratic": quadratic_blowup(),
         "nested": nested()}
COMMANDS = {
    "scenarios": lambda f: ["scenarios", f, "--asof", "2025-11-21"],
    "audit": lambda f: ["audit", f],
    "catalysts": lambda f: ["catalysts", "--events", f],
}


#: The issue's cases (billion laughs hung scenarios and audit; deep nesting gave a traceback)
#: in real processes; every other bomb x loader pair is checked in process below.
CASES = [("billion_laughs", "scenarios"), ("billion_laughs", "audit"), ("nested", "catalysts"),
         ("quadratic", "scenarios")]


@pytest.mark.parametrize(("bomb", "command"), CASES)
def test_bomb_is_a_one_line_error_within_bounds(command: str, bomb: str, tmp_path: Path) -> None:
    path = tmp_path / f"{bomb}.yaml"
    path.write_text(BOMBS[bomb])
    proc, seconds = _run_bounded(COMMANDS[command](str(path)), tmp_path)
    assert proc.returncode == 2, proc.stderr[-1500:]
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr[-1500:]
    assert str(path) in lines[0]
    expected = "nesting deeper than" if bomb == "nested" else "alias"
    assert expected in lines[0], lines[0]
    assert seconds < TIME_BOUND_S


def test_limits_in_process() -> None:
    """The parser refuses each bomb quickly and names the line where the limit was hit."""
    t0 = time.perf_counter()
    with pytest.raises(SpecError, match=r"<string>, line 1: YAML syntax error: nesting deeper "
                                        r"than 64 levels"):
        parse_yaml(nested())
    with pytest.raises(SpecError, match=r"line \d+: YAML syntax error: .*more than 200,000 nodes"):
        parse_yaml(billion_laughs())
    with pytest.raises(LimitError, match=r"more than 100 aliases"):
        _yaml.safe_load(quadratic_blowup())
    assert time.perf_counter() - t0 < 5  # generous: the checks are linear in the file


def test_honest_aliases_and_depth_still_load() -> None:
    """A file using a few anchors, and 60 levels of nesting, loads to the expected data."""
    data, _ = parse_yaml("base: &b {vol: 0.2, drift: 0.0}\nbear: *b\nbull: *b\n")
    assert data == {"base": {"vol": 0.2, "drift": 0.0}, "bear": {"vol": 0.2, "drift": 0.0},
                    "bull": {"vol": 0.2, "drift": 0.0}}
    deep = _yaml.safe_load("[" * 60 + "1" + "]" * 60)
    for _ in range(60):
        assert isinstance(deep, list) and len(deep) == 1
        deep = deep[0]
    assert deep == 1
    # 10 levels of 10 aliases is too much; 3 levels (1,110 nodes) is fine
    assert len(_yaml.safe_load(billion_laughs(levels=2))["a2"]) == 10


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_every_loader_refuses_every_bomb(bomb: str, tmp_path: Path) -> None:
    """Scenario specs, claims, catalysts and the macro futures file share the limited loader."""
    from crashlens.audit.claims import load_claims
    from crashlens.episodes.events import parse_events
    from crashlens.errors import CrashlensError
    from crashlens.scenarios.portfolio import load_portfolio
    from crashlens.scenarios.spec import load as load_spec

    path = tmp_path / f"{bomb}.yaml"
    path.write_text(BOMBS[bomb])
    for load in (load_spec, load_claims, load_portfolio,
                 lambda p: parse_events(p.read_text(), str(p))):
        with pytest.raises(CrashlensError, match=r"nesting deeper|alias"):
            load(path)
    with pytest.raises(_yaml.YAMLError):
        _yaml.safe_load(BOMBS[bomb])
