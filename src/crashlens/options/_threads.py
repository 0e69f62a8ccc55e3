"""Run small numba kernels on one thread.

A parallel region pays a fixed scheduling cost, and on a busy machine it waits for every worker
to be scheduled: a 20,000-contract greeks pass took a 26 ms median on two threads under load,
against 1.3 ms on one. Kernels whose work is below a threshold therefore run on the calling
thread only (``numba.set_num_threads`` is per calling thread, so this is thread-safe).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from crashlens.config import numba_enabled

#: Elements (contracts, or contract x spot pairs for exp-based profiles) below which a kernel
#: runs serially.
SERIAL_BELOW = 200_000


@contextmanager
def threads_for(work: float, threshold: float = SERIAL_BELOW) -> Iterator[None]:
    """Context in which numba kernels use one thread when ``work < threshold``."""
    if work >= threshold or not numba_enabled():
        yield
        return
    import numba

    prev = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(prev)
