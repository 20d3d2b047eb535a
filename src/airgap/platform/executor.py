"""Runs engine work off the event loop, timing it per engine.

Two places to run it:

- ``InferencePool``: the threads of one server process (``Threads``), for the work of
  synchronous requests (and short job work, such as a Language task's batch).
- ``WorkPool``: worker processes for long CPU-heavy job work (multi-page OCR and layout),
  so that such a job never holds the threads that answer requests, nor the GIL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

from airgap.platform import metrics

T = TypeVar("T")

log = logging.getLogger("airgap.executor")


class InferencePool:
    """A fixed pool of inference threads shared by every engine of one process.

    Engines are CPU-bound; running them here keeps the event loop free to
    accept connections and answer health probes while a batch is scored.
    """

    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="inference")

    async def run(self, engine: str, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, _timed, engine, fn, args)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _timed(engine: str, fn: Callable[..., T], args: tuple) -> T:
    started = time.perf_counter()
    try:
        return fn(*args)
    finally:
        metrics.INFERENCE_SECONDS.labels(engine=engine).observe(time.perf_counter() - started)


# Worker processes run at this niceness: the kernel then gives the server process (requests)
# the CPU first whenever both want it, so a long job slows down rather than the requests.
WORKER_NICE = 10


@dataclass(frozen=True)
class WorkerSetup:
    """What each worker process of a ``WorkPool`` builds once, when it starts.

    ``factory(*args)`` runs in a fresh interpreter (``forkserver``), so it must be a
    module-level function with picklable arguments, e.g. ``airgap.ocr.work.load_engine``
    with the engine's name; what it returns (a loaded engine) is handed to every work
    function run in that process, as its first argument. ``local`` returns the same object
    in this process (the service's own loaded engine), for a pool with no processes.
    """

    key: str  # names the pool in logs and metrics, e.g. "ocr:tesseract"
    factory: Callable[..., Any]
    args: tuple[Any, ...] = ()
    local: Callable[[], Any] | None = field(default=None, compare=False)


class WorkerLost(RuntimeError):
    """A worker process died while it ran (or held) this work: killed, out of memory, crashed."""


# In a worker process: what its WorkerSetup built, by key.
_prepared: dict[str, Any] = {}


def _start_worker(key: str, factory: Callable[..., Any], args: tuple[Any, ...], nice: int) -> None:
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)
    # One job is one core's work: native libraries loaded from here on use one thread each,
    # unless the operator said otherwise.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    _prepared[key] = factory(*args)


def _started() -> None:
    """A no-op: run once per worker so that it starts (and loads its engine) ahead of the first job."""


def _call_in_worker(key: str, fn: Callable[..., T], args: tuple) -> tuple[T, float]:
    started = time.perf_counter()
    result = fn(_prepared[key], *args)
    return result, time.perf_counter() - started


class WorkPool:
    """Worker processes for CPU-heavy job work: ``await pool.run(fn, *args)``.

    ``fn`` is a module-level function; it runs in a worker process as
    ``fn(prepared, *args)``, ``prepared`` being what the pool's ``WorkerSetup`` built in
    that process, and its arguments and result travel pickled (bytes, plain data, the
    dataclasses of ``airgap.ocr.types``). Processes come from a ``forkserver`` (never
    ``fork``: the server has threads), start at ``warm()`` (the job runner calls it once the
    server is ready) or on first use, load their engine once, and run at a lower priority
    (``WORKER_NICE``). A worker that dies fails the work it held (``WorkerLost``) and the
    pool starts afresh on the next call.

    With ``processes=0`` the work runs in this process's inference threads instead,
    with the setup's ``local`` object (no extra process, no second copy of the engine).
    """

    def __init__(self, processes: int, setup: WorkerSetup, *, threads: InferencePool | None = None,
                 nice: int = WORKER_NICE, context: str = "forkserver") -> None:
        if processes < 0:
            raise ValueError("processes must be 0 or more")
        if processes == 0 and (threads is None or setup.local is None):
            raise ValueError("a pool without processes needs the inference threads and the setup's local object")
        self.processes = processes
        self.setup = setup
        self.threads = threads
        self.nice = nice
        self.context = context
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                setup = self.setup
                self._executor = ProcessPoolExecutor(
                    max_workers=self.processes, mp_context=multiprocessing.get_context(self.context),
                    initializer=_start_worker, initargs=(setup.key, setup.factory, setup.args, self.nice))
            return self._executor

    def warm(self) -> None:
        """Start the worker processes now (they load their engine) rather than at the first job;
        returns at once."""
        if self.processes == 0:
            return
        executor = self._pool()
        for _ in range(self.processes):
            executor.submit(_started)

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        if self.processes == 0:
            assert self.threads is not None and self.setup.local is not None
            return await self.threads.run(self.setup.key, fn, self.setup.local(), *args)
        executor = self._pool()
        loop = asyncio.get_running_loop()
        try:
            result, seconds = await loop.run_in_executor(executor, _call_in_worker, self.setup.key, fn, args)
        except BrokenProcessPool as exc:
            self._discard(executor)
            raise WorkerLost(f"a {self.setup.key} worker process stopped while running {fn.__name__}") from exc
        metrics.INFERENCE_SECONDS.labels(engine=self.setup.key).observe(seconds)
        return result

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is executor:
                self._executor = None
        log.warning("A %s worker process died; the next job starts a new one", self.setup.key)
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the workers now, work in progress included (a job left unfinished stays pending)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=5)
