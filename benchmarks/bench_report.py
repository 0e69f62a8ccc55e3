"""Time to generate the 2025-11 forensic report from an ingested store.

Measures (1) the whole command cold, in a fresh process (imports, numba cache loads, every
engine, HTML with plotly.js inlined), (2) the build and the render warm, in process, with the
time per section, and (3) the HTML size and render time against a naive reference written
here: every chart as its own self-contained plotly page fragment (plotly.js repeated per chart),
which is what ``fig.to_html()`` does by default.

Run: ``CRASHLENS_DATA=... python -m benchmarks report`` (the store is ingested on first use).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _cold(runs: int = 2) -> list[float]:
    times = []
    exe = Path(sys.executable).with_name("crashlens")
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([str(exe), "report", "--event", "2025-11", "--lang", "en", "-q",
                            "--out", str(Path(tmp) / "r.html")], check=True,
                           capture_output=True)
            times.append(time.perf_counter() - t0)
    return times


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
    data.store()  # ingest outside the timings
    cold = _cold()
    print(f"cold `crashlens report --event 2025-11 --lang en`: median "
          f"{statistics.median(cold):.1f} s  (runs: {', '.join(f'{x:.1f}' for x in cold)})")
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
