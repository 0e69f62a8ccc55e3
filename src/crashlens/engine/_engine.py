"""Execution backends: run independent partitions locally or on a Dask cluster.

An :class:`Engine` maps a picklable function over a list of picklable items and yields
``(index, result)`` pairs as each item finishes, in completion order. Two backends:

* :class:`LocalEngine` (default): in-process (``processes=0``) or a
  :class:`concurrent.futures.ProcessPoolExecutor` with ``processes`` workers (spawned, so
  numba kernels and threads of the parent are never forked).
* :class:`DaskEngine`: a :class:`dask.distributed.Client` connected to an existing scheduler
  (``tcp://host:port``) or to a private :class:`dask.distributed.LocalCluster` of
  ``n_workers`` single-threaded worker processes bound to 127.0.0.1. A worker that dies
  mid-task is replaced by its nanny and the scheduler re-runs the lost tasks elsewhere.

Functions and items must be importable / picklable on the workers: use module-level functions
of an installed package (every partition task of :mod:`crashlens.engine.batch` is one).
"""

from __future__ import annotations

import abc
import concurrent.futures as cf
import logging
import multiprocessing
import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from crashlens.errors import ParameterError, ProviderError

T = TypeVar("T")
R = TypeVar("R")

_ADDRESS = re.compile(r"^(tcp|tls|inproc|ws|wss|ucx)://[^\s/:]+(:\d{1,5})?/?$")


class Engine(abc.ABC):
    """A backend that runs independent tasks and yields their results as they finish."""

    #: Short backend name (``local``, ``dask``).
    name: str = "engine"

    @abc.abstractmethod
    def run(self, fn: Callable[..., R], items: Sequence[T],
            shared: Mapping[str, Any] | None = None) -> Iterator[tuple[int, R]]:
        """Apply ``fn`` to every item; yield ``(position in items, result)`` in finish order.

        ``fn(item, **shared)`` is called: ``shared`` holds inputs common to every item (a price
        panel), sent to each worker once where the backend can (Dask scatters them).
        An exception raised by ``fn`` propagates out of the iterator (after which the engine
        stops handing out work); results already yielded are unaffected.
        """

    @property
    @abc.abstractmethod
    def n_workers(self) -> int:
        """Number of task slots working in parallel (1 for in-process)."""

    def describe(self) -> dict[str, Any]:
        """JSON-safe description of the backend (recorded in batch results)."""
        return {"engine": self.name, "workers": self.n_workers}

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release workers (no-op by default)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Seconds between two checks of a pool worker that its parent is alive.
PARENT_POLL_S = 0.5


def watch_parent(parent_pid: int, poll: float = PARENT_POLL_S) -> None:
    """Pool-worker initializer: exit as soon as the process that started the pool is gone.

    A ``ProcessPoolExecutor`` worker outlives a parent killed with SIGKILL or SIGTERM (it
    waits on its task queue forever, or finishes a task nobody will read). A daemon thread
    polls the parent pid and ends the worker with ``os._exit`` within ``poll`` seconds.
    Polling the pid (not ``PR_SET_PDEATHSIG``) is portable and does not fire when merely the
    thread that started the pool exits.
    """
    def _poll() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            time.sleep(poll)

    threading.Thread(target=_poll, name="crashlens-watch-parent", daemon=True).start()


class LocalEngine(Engine):
    """Run tasks on this machine: in-process, or in a pool of spawned processes.

    Parameters
    ----------
    processes : int, default 0
        0 or 1 runs every task in the calling process, one after the other (no pickling);
        ``N > 1`` uses a ``ProcessPoolExecutor`` with ``N`` spawned workers.
    """

    name = "local"

    def __init__(self, processes: int = 0) -> None:
        if isinstance(processes, bool) or not isinstance(processes, int) or processes < 0:
            raise ParameterError(f"processes={processes!r}: need an integer >= 0")
        self.processes = processes
        self._pool: cf.ProcessPoolExecutor | None = None

    @property
    def n_workers(self) -> int:
        """Number of parallel processes (1 when in-process)."""
        return max(1, self.processes)

    def describe(self) -> dict[str, Any]:
        """Backend name, worker count and whether a process pool is used."""
        return {"engine": self.name, "workers": self.n_workers,
                "processes": self.processes > 1}

    def run(self, fn: Callable[..., R], items: Sequence[T],
            shared: Mapping[str, Any] | None = None) -> Iterator[tuple[int, R]]:
        """Apply ``fn`` to the items (see :meth:`Engine.run`); a pool pickles ``shared``."""
        kw = dict(shared or {})
        if self.processes <= 1:
            for i, item in enumerate(items):
                yield i, fn(item, **kw)
            return
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.processes, mp_context=multiprocessing.get_context("spawn"),
                initializer=watch_parent, initargs=(os.getpid(),))
        futures = {self._pool.submit(fn, item, **kw): i for i, item in enumerate(items)}
        try:
            for fut in cf.as_completed(futures):
                yield futures[fut], fut.result()
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        """Shut the process pool down."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskEngine(Engine):
    """Run tasks on a Dask cluster (``pip install crashlens[distributed]``).

    Parameters
    ----------
    address : str, optional
        Scheduler address ``tcp://host:port`` of an existing cluster. When omitted a private
        ``LocalCluster`` is started on 127.0.0.1 (closed by :meth:`close`).
    n_workers : int, default 2
        Worker processes of the private local cluster (ignored with ``address``).
    threads_per_worker : int, default 1
        Threads per local worker (1: the kernels are numpy/numba-bound and hold the GIL in
        their Python parts, so processes scale better than threads).
    timeout : float, default 10
        Seconds to wait for the scheduler before giving up.
    retries : int, default 0
        Extra attempts for a task that raised (a task lost with a dead worker is always
        re-run by the scheduler, up to ``distributed.scheduler.allowed-failures``).

    Raises
    ------
    ParameterError
        Malformed address, bad worker count.
    ProviderError
        The scheduler cannot be reached in ``timeout`` seconds, or Dask is not installed.
    """

    name = "dask"

    def __init__(self, address: str | None = None, n_workers: int = 2, *,
                 threads_per_worker: int = 1, timeout: float = 10.0, retries: int = 0) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask is in the dev environment
            raise ProviderError("the Dask backend needs dask[distributed]: "
                                "pip install 'crashlens[distributed]'") from exc
        if isinstance(n_workers, bool) or not isinstance(n_workers, int) or n_workers < 1:
            raise ParameterError(f"n_workers={n_workers!r}: need an integer >= 1")
        if not timeout > 0:
            raise ParameterError(f"timeout={timeout!r}: need seconds > 0")
        self.address = address
        self.retries = int(retries)
        self._cluster: Any = None
        if address is not None:
            if not isinstance(address, str) or not _ADDRESS.match(address.strip()):
                raise ParameterError(f"scheduler address {address!r}: expected "
                                     "tcp://host:port (e.g. tcp://10.0.0.5:8786)")
            try:
                self.client = Client(address.strip(), timeout=timeout,
                                     set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise ProviderError(f"cannot reach the Dask scheduler at {address} within "
                                    f"{timeout:g} s ({type(exc).__name__}: {exc})") from exc
        else:
            with warnings.catch_warnings():  # the scheduler's HTTP port falls back silently
                warnings.filterwarnings("ignore", message=r"Port \d+ is already in use")
                self._cluster = LocalCluster(
                    n_workers=n_workers, threads_per_worker=threads_per_worker,
                    processes=True, host="127.0.0.1", dashboard_address=None,
                    silence_logs=logging.ERROR)
            self.client = Client(self._cluster, set_as_default=False)

    @property
    def n_workers(self) -> int:
        """Task slots currently in the cluster (threads summed over workers)."""
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def describe(self) -> dict[str, Any]:
        """Backend name, scheduler address and task slots."""
        return {"engine": self.name, "workers": self.n_workers,
                "scheduler": self.address or "LocalCluster(127.0.0.1)"}

    def worker_pids(self) -> dict[str, int]:
        """Process id of every worker, by worker address (``client.run(os.getpid)``)."""
        import os

        return dict(self.client.run(os.getpid))

    def run(self, fn: Callable[..., R], items: Sequence[T],
            shared: Mapping[str, Any] | None = None) -> Iterator[tuple[int, R]]:
        """Apply ``fn`` to the items on the cluster (see :meth:`Engine.run`).

        Each ``shared`` value is scattered to every worker once (``broadcast=True``), not
        shipped with every task.
        """
        from dask.distributed import as_completed

        if not items:
            return
        kw = {k: self.client.scatter(v, broadcast=True, hash=False)
              for k, v in (shared or {}).items()}
        futures = self.client.map(fn, list(items), pure=False, retries=self.retries, **kw)
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in as_completed(futures, loop=self.client.loop):
                result = fut.result()
                i = index[fut.key]
                fut.release()
                yield i, result
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def close(self) -> None:
        """Close the client and, when it was started here, the local cluster."""
        try:
            self.client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()
                self._cluster = None


def make_engine(*, scheduler: str | None = None, dask_local: int | None = None,
                processes: int = 0, timeout: float = 10.0) -> Engine:
    """The engine a batch command asked for.

    Parameters
    ----------
    scheduler : str, optional
        Dask scheduler address: use :class:`DaskEngine` connected to it.
    dask_local : int, optional
        Start a private Dask ``LocalCluster`` with this many worker processes.
    processes : int, default 0
        Otherwise: :class:`LocalEngine` with this many processes (0 = in-process).
    timeout : float
        Scheduler connection timeout, seconds.

    Raises
    ------
    ParameterError
        Both ``scheduler`` and ``dask_local`` given, or a bad count.
    """
    if scheduler is not None and dask_local is not None:
        raise ParameterError("--scheduler and --dask-local are exclusive: pick one backend")
    if scheduler is not None:
        return DaskEngine(scheduler, timeout=timeout)
    if dask_local is not None:
        if isinstance(dask_local, bool) or not isinstance(dask_local, int) or dask_local < 1:
            raise ParameterError(f"--dask-local {dask_local!r}: need a worker count >= 1")
        return DaskEngine(None, n_workers=dask_local, timeout=timeout)
    return LocalEngine(processes)
