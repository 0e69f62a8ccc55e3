"""Time to generate the 2025-11 forensic report, and the command line's start-up.

Measures, each as a fresh process (what a user waits for):

1. ``crashlens --help`` against a reference in the same run: a bare ``python -c "import typer"``
   (the floor any typer CLI pays);
2. the first report on a fresh install: an empty ``CRASHLENS_HOME``, so the store is ingested
   from the raw files first;
3. the same report again, warm (the rendered report comes from the report cache), and with
   ``--no-cache`` (every engine recomputed; numba's on-disk cache warm);

then, in process, the build and the render warm with the time per section, and the HTML size
and render time against a naive reference written here: every chart as its own
self-contained plotly page fragment (plotly.js repeated per chart), which is what
``fig.to_html()`` does by default.

Run: ``CRASHLENS_DATA=... python -m benchmarks report``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _timed(cmd: list[str], env: dict[str, str] | None = None, runs: int = 1) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
    return times


def _report_cmd(out: Path, *extra: str) -> list[str]:
    exe = Path(sys.executable).with_name("crashlens")
    return [str(exe), "report", "--event", "2025-11", "--lang", "en", "-q", "--out", str(out),
            *extra]


def _fmt(times: list[float]) -> str:
    return (f"median {statistics.median(times):.2f} s  "
            f"(runs: {', '.join(f'{x:.2f}' for x in times)})")


def _cold(tmp: Path) -> None:
    exe = Path(sys.executable).with_name("crashlens")
    helps = _timed([str(exe), "--help"], runs=5)
    ref = _timed([sys.executable, "-c", "import typer"], runs=5)
    print(f"`crashlens --help`: {_fmt(helps)}; reference `python -c 'import typer'`: "
          f"{_fmt(ref)}")
    fresh_env = {**os.environ, "CRASHLENS_HOME": str(tmp / "fresh-home")}
    first = _timed(_report_cmd(tmp / "a.html"), env=fresh_env)
    print(f"first report on a fresh install (ingest included): {_fmt(first)}")
    warm = _timed(_report_cmd(tmp / "b.html"), env=fresh_env, runs=3)
    print(f"same report again (report cache): {_fmt(warm)}")
    nocache = _timed(_report_cmd(tmp / "c.html", "--no-cache"), env=fresh_env, runs=2)
    print(f"same report, --no-cache (engines recomputed): {_fmt(nocache)}")


def _naive_render(report) -> str:
    """Reference: each chart a standalone fragment carrying its own copy of plotly.js."""
    parts = []
    for s in report.sections:
        parts.append(f"<h2>{s.title}</h2>")
        for p in s.paragraphs:
            parts.append(f"<p>{p}</p>")
        for c in s.charts:
            parts.append(c.figure.to_html(full_html=False, include_plotlyjs=True))
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def main() -> None:
    from crashlens import data
    from crashlens.report import build_report, render_html

    if not os.environ.get("CRASHLENS_DATA"):
        print("note: CRASHLENS_DATA unset - timing the synthetic market")
    with tempfile.TemporaryDirectory() as tmp:
        _cold(Path(tmp))
    data.store()  # ingest outside the in-process timings
    builds, renders, naive, rep = [], [], [], None
    for _ in range(3):
        t0 = time.perf_counter()
        rep = build_report(event="2025-11", lang="en")
        builds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        html = render_html(rep)
        renders.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ref = _naive_render(rep)
        naive.append(time.perf_counter() - t0)
    assert rep is not None
    print(f"warm build (all sections, in process): median {statistics.median(builds):.2f} s")
    print(f"warm render, plotly.js inlined once: median {statistics.median(renders) * 1e3:.0f} "
          f"ms, {len(html.encode()) / 1e6:.1f} MB")
    print(f"reference render, plotly.js per chart: median {statistics.median(naive) * 1e3:.0f} "
          f"ms, {len(ref.encode()) / 1e6:.1f} MB  (size ratio "
          f"{len(ref.encode()) / len(html.encode()):.1f}x, time ratio "
          f"{statistics.median(naive) / statistics.median(renders):.1f}x)")
    print("per section (last warm build):")
    for s in rep.sections:
        print(f"  {s.ident:<11} {s.seconds:6.2f} s  {s.status}  {s.notice[:80]}")


if __name__ == "__main__":
    main()
