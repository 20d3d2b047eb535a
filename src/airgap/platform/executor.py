"""Runs engine work off the event loop, timing it per engine."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from airgap.platform import metrics

T = TypeVar("T")


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
