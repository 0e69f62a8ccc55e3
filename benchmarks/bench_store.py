"""Store reads: filters and panels in DuckDB SQL vs the pandas path they replaced.

Needs the real data (``CRASHLENS_DATA``); the store under ``CRASHLENS_HOME`` is ingested first
if needed (not timed). Every variant runs interleaved in the same process, ``ROUNDS`` times;
medians in milliseconds.

* **one series with a date filter** (SPX close, 2025-01-01..2025-11-21, 225 of ~25,000 rows):
  - *reference*: the old read: a new DuckDB connection per read, ``SELECT *`` of the whole file,
    the date slice and the column taken in pandas;
  - ``Store.query``: the store's one connection, ``WHERE date >= ? AND date <= ?`` and only the
    asked column in SQL, no cache;
  - ``Store.read`` cold: the whole file read once on the shared connection, then sliced (what the
    first read of a series in a process costs);
  - ``Store.read`` cached: later reads of the same series (a pandas slice of the kept copy).
* **10-series panel** (price, value, funding, COT, monthly macro; 2025-01-01..2025-11-21 and the
  full history):
  - *reference*: the old pandas panel, cold: ten old reads, ``pd.concat`` outer join;
  - the pandas panel on the warm cache (ten cached ``Store.read`` + ``pd.concat``);
  - ``Store.panel``: one SQL query (UNION ALL + GROUP BY date) over the ten Parquet files.

Run: ``python -m benchmarks store``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

ROUNDS = 21
PANEL = ("SPX", "BTC", "GOLD", "UST10Y", "COT_ES", "FUNDING_BTC", "VIX", "NVDA", "HY_OAS", "CPI")
START, END = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-11-21")


def _old_read(path: Path, start: pd.Timestamp | None, end: pd.Timestamp | None,
              column: str) -> pd.Series:
    """The read as it was before: a connection per read, SELECT *, slicing in pandas."""
    con = duckdb.connect()
    try:
        frame = con.execute("SELECT * FROM read_parquet(?) ORDER BY date", [str(path)]).df()
    finally:
        con.close()
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame.set_index("date").loc[start:end, column].copy()


def _median_ms(fn: Callable[[], object], times: list[float]) -> None:
    t0 = time.perf_counter()
    fn()
    times.append((time.perf_counter() - t0) * 1e3)


def main() -> None:
    import crashlens.data as data
    from crashlens.data import close_column, spec

    st = data.store()
    vdir = st.root / "versions" / str(st.version) / "series"
    cols = [(spec(n).name, close_column(spec(n))) for n in PANEL]
    window_rows = len(st.query("SPX", START, END, ["close"]))
    print(f"store {st.version}: SPX {len(st.read('SPX'))} rows, window {window_rows} rows; "
          f"{ROUNDS} rounds, interleaved")

    one: dict[str, list[float]] = {k: [] for k in ("reference (old read)", "Store.query (SQL)",
                                                   "Store.read cold", "Store.read cached")}
    panels: dict[str, list[float]] = {}
    for r in range(ROUNDS):
        _median_ms(lambda: _old_read(vdir / "SPX.parquet", START, END, "close"),
                   one["reference (old read)"])
        _median_ms(lambda: st.query("SPX", START, END, ["close"]), one["Store.query (SQL)"])
        st._cache.clear()
        _median_ms(lambda: st.read("SPX", START, END, ["close"]), one["Store.read cold"])
        _median_ms(lambda: st.read("SPX", START, END, ["close"]), one["Store.read cached"])
        for label, lo, hi in (("2025", START, END), ("full", None, None)):
            ref = f"{label}: reference (old pandas panel, cold)"
            warm = f"{label}: pandas panel, warm cache"
            sql = f"{label}: Store.panel (one SQL query)"
            for k in (ref, warm, sql):
                panels.setdefault(k, [])
            _median_ms(lambda lo=lo, hi=hi: pd.concat(  # type: ignore[misc]
                [_old_read(vdir / f"{n}.parquet", lo, hi, c).rename(n) for n, c in cols],
                axis=1, sort=True), panels[ref])
            for n, _ in cols:
                st.read(n)  # warm
            _median_ms(lambda lo=lo, hi=hi: pd.concat(  # type: ignore[misc]
                [st.read(n, lo, hi, [c])[c].rename(n) for n, c in cols], axis=1, sort=True),
                panels[warm])
            _median_ms(lambda lo=lo, hi=hi: st.panel(cols, lo, hi),  # type: ignore[misc]
                       panels[sql])
        if r == 0:  # the SQL panel is the pandas one, exactly
            pd.testing.assert_frame_equal(
                st.panel(cols, START, END),
                pd.concat([st.read(n, START, END, [c])[c].rename(n) for n, c in cols], axis=1,
                          sort=True), check_exact=True)

    print("\none series (SPX close, 2025-01-01..2025-11-21)")
    base = statistics.median(one["reference (old read)"])
    for k, v in one.items():
        m = statistics.median(v)
        print(f"  {k:<40} {m:8.3f} ms   x{base / m:6.2f} vs reference")
    print("\n10-series panel")
    for label in ("2025", "full"):
        base = statistics.median(panels[f"{label}: reference (old pandas panel, cold)"])
        for k, v in panels.items():
            if k.startswith(label):
                m = statistics.median(v)
                print(f"  {k:<52} {m:8.2f} ms   x{base / m:6.2f} vs reference")


if __name__ == "__main__":
    main()
