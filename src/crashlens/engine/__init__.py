"""Execution engines and partitioned, resumable batch jobs (``crashlens batch``).

One laptop is the default (:class:`LocalEngine`: in-process or a process pool); the same jobs
run on a Dask cluster (:class:`DaskEngine`, ``pip install crashlens[distributed]``) with the
same results. See ``docs/scaling.md``.

Example
-------
>>> from crashlens.engine import DaskEngine, batch_cta          # doctest: +SKIP
>>> with DaskEngine(n_workers=2) as eng:                        # doctest: +SKIP
...     res = batch_cta("2020-01-01", "2020-12-31", engine=eng)
>>> res.frame.head()                                            # doctest: +SKIP
"""

from crashlens.engine._engine import DaskEngine, Engine, LocalEngine, make_engine
from crashlens.engine._store import JobStore
from crashlens.engine.batch import (
    batch_cta,
    batch_gex,
    chain_files,
    cta_partitions,
    date_blocks,
    run_partitions,
)
from crashlens.engine.result import BatchResult

__all__ = [
    "BatchResult",
    "DaskEngine",
    "Engine",
    "JobStore",
    "LocalEngine",
    "batch_cta",
    "batch_gex",
    "chain_files",
    "cta_partitions",
    "date_blocks",
    "make_engine",
    "run_partitions",
]
