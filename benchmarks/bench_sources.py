"""Reading through a Source: the store against the user's frames and folder of files.

Needs the real data (``CRASHLENS_DATA``). The store is the reference; the same series are put
into a :class:`~crashlens.data.FramesSource` (the store's frames) and a
:class:`~crashlens.data.FolderSource` (one Bloomberg-style wide CSV export of the CTA desk
universe's closes written from the store into a temporary folder, mapped by ``crashlens.yaml``).
Every variant runs interleaved in the same process, ``ROUNDS`` times; medians in milliseconds.

* **one close** (SPX, 2025-01-01..2025-11-21) through ``crashlens.data.close`` with each source
  active: the cost of the active-source indirection and of each source's cache;
* **folder, cold**: a new FolderSource reading the export (parse, checks) for that one close;
* **CTA positioning** as of 2025-11-21 (desk preset, global universe) on each source: what a
  user's export costs an engine run end to end.

Run: ``python -m benchmarks sources``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROUNDS = 11
ASOF = "2025-11-21"
START = "2025-01-01"


def _timed(fn: Callable[[], object], out: list[float]) -> None:
    t0 = time.perf_counter()
    fn()
    out.append((time.perf_counter() - t0) * 1e3)


def _export(folder: Path, names: list[str]) -> None:
    """A Bloomberg-style wide export of the closes (``#N/A N/A`` for gaps) and its mapping."""
    import crashlens as cl

    wide = pd.concat([cl.data.close(n) for n in names], axis=1, keys=names)
    wide.index = wide.index.strftime("%Y-%m-%d")
    header = ",".join(["Dates", *(f"{n} Index" for n in names)])
    body = "\n".join(",".join([day, *("#N/A N/A" if pd.isna(v) else repr(float(v)) for v in row)])
                     for day, row in zip(wide.index, wide.to_numpy(), strict=True))
    (folder / "export.csv").write_text(header + "\n" + body + "\n")
    lines = ["series:"] + [f'  {n}: {{file: export.csv, date: Dates, close: "{n} Index"}}'
                           for n in names]
    (folder / "crashlens.yaml").write_text("\n".join(lines) + "\n")


def main() -> None:
    import crashlens as cl
    from crashlens.cta import GLOBAL_UNIVERSE, positioning

    names = [n for n in GLOBAL_UNIVERSE if n in cl.data.names()]
    store = cl.data.source.default()
    frames = cl.data.FramesSource({n: cl.data.close(n) for n in names}, label="frames")
    with tempfile.TemporaryDirectory() as tmp:
        _export(Path(tmp), names)
        folder = cl.data.FolderSource(tmp)
        sources = {"store (reference)": store, "FramesSource": frames, "FolderSource": folder}
        # warm every cache once; the folder's closes equal the store's
        for src in sources.values():
            with cl.data.using(src):
                got = cl.data.close("SPX", START, ASOF)
        pd.testing.assert_series_equal(got, cl.data.close("SPX", START, ASOF),
                                       check_freq=False)
        read: dict[str, list[float]] = {k: [] for k in [*sources, "FolderSource, cold"]}
        cta: dict[str, list[float]] = {k: [] for k in sources}
        for _ in range(ROUNDS):
            for key, src in sources.items():
                with cl.data.using(src):
                    _timed(lambda: cl.data.close("SPX", START, ASOF), read[key])
            fresh = cl.data.FolderSource(tmp)
            with cl.data.using(fresh):
                _timed(lambda: cl.data.close("SPX", START, ASOF), read["FolderSource, cold"])
            for key, src in sources.items():
                _timed(lambda s=src: positioning(ASOF, source=s), cta[key])
    print(f"{len(names)} series in the export; {ROUNDS} rounds, interleaved")
    for title, table in (("SPX close through crashlens.data.close", read),
                         (f"cta.positioning({ASOF}) (global universe)", cta)):
        print(f"\n{title}")
        ref = statistics.median(next(iter(table.values())))
        for key, times in table.items():
            med = statistics.median(times)
            print(f"  {key:<28} {med:10.2f} ms   x {ref / med:6.2f} vs reference")


if __name__ == "__main__":
    main()
