"""Runs the script's synchronous ``run()`` off the event loop, with Azure ML's scoring timeout.

``RunPool`` is a fixed set of threads (``run_threads``, 1 by default: one ``run()`` at a time per
worker, as under azmlinfsrv's synchronous gunicorn workers, for scripts that are not thread-safe).
A call's timeout counts from the moment its ``run()`` starts, not from when it was queued, as
azmlinfsrv's does (there the queue is the listening socket's backlog).

A call past its timeout is answered at once (the caller gets ``ScoringTimeout``) and its thread is
*abandoned*: ``TimeoutError`` is raised inside it, as azmlinfsrv's ``SIGALRM`` does, which ends a
``run()`` busy in Python code at its next instruction, and a fresh thread takes its place, so the
worker goes on serving. A ``run()`` stuck where no exception reaches it (a blocking C call) keeps
its thread until it returns; when ``max_stuck`` such threads are alive, ``overloaded`` turns true
and the app asks its process to be replaced (``app.py``), as gunicorn's worker timeout would.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("azmlinfsrv")


class ScoringTimeout(Exception):
    def __init__(self, timeout_ms: int) -> None:
        super().__init__(f"Scoring timeout after {timeout_ms} ms")
        self.timeout_ms = timeout_ms


class RunInterrupted(TimeoutError):
    """Raised inside a ``run()`` that went past the scoring timeout (a ``TimeoutError``, as in azmlinfsrv)."""


class Call:
    """One unit of work: ``work(call)`` runs in a pool thread and may call ``call.start_clock()``."""

    __slots__ = ("work", "future", "loop", "started", "finished", "abandoned", "thread", "lock", "timer")

    def __init__(self, work: Callable[[Call], Any], future: asyncio.Future, loop: asyncio.AbstractEventLoop) -> None:
        self.work = work
        self.future = future
        self.loop = loop
        self.started: float | None = None  # perf_counter when run() started (the timeout's clock)
        self.finished = False
        self.abandoned = False
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.timer: asyncio.TimerHandle | None = None

    def start_clock(self) -> None:
        self.started = time.perf_counter()


_STOP = object()


class RunPool:
    def __init__(self, threads: int, timeout_ms: int, *, max_stuck: int = 4) -> None:
        self.size = threads
        self.timeout_ms = timeout_ms
        self.timeout_s = timeout_ms / 1000
        self.max_stuck = max_stuck
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._threads: set[threading.Thread] = set()
        self._stuck: set[threading.Thread] = set()
        self._lock = threading.Lock()
        self._counter = 0
        for _ in range(threads):
            self._spawn()

    # -- threads ---------------------------------------------------------------------------

    def _spawn(self) -> None:
        with self._lock:
            self._counter += 1
            thread = threading.Thread(target=self._worker, name=f"score-run-{self._counter}", daemon=True)
            self._threads.add(thread)
        thread.start()

    def _worker(self) -> None:
        me = threading.current_thread()
        while True:
            call = None
            try:
                call = self._queue.get()
                if call is _STOP:
                    return
                call.thread = me
                try:
                    result = call.work(call)
                except BaseException as exc:  # noqa: BLE001 - the caller decides what it means
                    self._settle(call, None, exc)
                else:
                    self._settle(call, result, None)
                if call.abandoned:
                    return  # a replacement thread already serves in this one's place
            except RunInterrupted:
                # The timeout's exception landed after the work had finished (a narrow race):
                # this thread was abandoned and replaced, so it ends here.
                return
            finally:
                if call is not None and call is not _STOP and call.abandoned:
                    with self._lock:
                        self._stuck.discard(me)
                        self._threads.discard(me)

    def _settle(self, call: Call, result: Any, error: BaseException | None) -> None:
        with call.lock:
            call.finished = True
            if call.abandoned:
                if error is not None and not isinstance(error, RunInterrupted):
                    log.debug("A run() that had timed out ended with %r", error)
                return
        call.loop.call_soon_threadsafe(_resolve, call, result, error)

    # -- the event loop's side ---------------------------------------------------------------

    async def submit(self, work: Callable[[Call], Any]) -> Any:
        loop = asyncio.get_running_loop()
        call = Call(work, loop.create_future(), loop)
        call.timer = loop.call_later(self.timeout_s, self._check, call)
        self._queue.put(call)
        try:
            return await call.future
        finally:
            call.timer.cancel()

    def _check(self, call: Call) -> None:
        if call.future.done():
            return
        loop = call.loop
        if call.started is None:  # still queued, or parsing its input: the clock has not started
            call.timer = loop.call_later(self.timeout_s, self._check, call)
            return
        remaining = call.started + self.timeout_s - time.perf_counter()
        if remaining > 0:
            call.timer = loop.call_later(remaining, self._check, call)
            return
        with call.lock:
            if call.finished:
                return  # its result is on its way to the loop
            call.abandoned = True
        thread = call.thread
        if thread is not None and thread.ident is not None:
            with self._lock:
                self._stuck.add(thread)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(RunInterrupted))
        self._spawn()
        call.future.set_exception(ScoringTimeout(self.timeout_ms))

    @property
    def stuck(self) -> int:
        with self._lock:
            return sum(1 for t in self._stuck if t.is_alive())

    @property
    def overloaded(self) -> bool:
        return self.stuck >= self.max_stuck

    def shutdown(self) -> None:
        for _ in range(len(self._threads)):
            self._queue.put(_STOP)


def _resolve(call: Call, result: Any, error: BaseException | None) -> None:
    if call.future.done():
        return
    if error is not None:
        call.future.set_exception(error)
    else:
        call.future.set_result(result)
