"""Where a request's CPU goes without HTTP: the composed app driven as ASGI, metered and unmetered.

``bench/platform_overhead.py`` measures the wire (uvicorn, wrk, the kernel) against the bare
ceiling; this one takes the wire away so that the platform's own share shows. Two apps are built in
this process exactly as ``airgap serve`` builds a worker's (``server.compose``: disconnected licence,
licence gate, usage journal with group commit, metrics, lenient names, the express lane), one of
them with metering off (the bench-only ``AIRGAP_BENCH_UNMETERED`` switch), and each is sent
``--concurrency`` concurrent streams of ``POST /language/:analyze-text`` (LanguageDetection, one
80-character document) as ASGI calls, in alternating rounds. Printed: CPU microseconds per request
(the process, every thread: the journal's writer included) and wall microseconds per request, and
the language detector called directly on the same text for scale.

    .venv/bin/python bench/platform_inprocess.py [--requests 3000] [--rounds 3] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uvloop

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.platform_overhead import ANALYZE, BODY  # noqa: E402

PATH, QUERY = ANALYZE.split("?", 1)
RAW_BODY = BODY.encode()


def _scope() -> dict[str, Any]:
    return {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
            "server": ("127.0.0.1", 5000), "client": ("127.0.0.1", 40000), "scheme": "http", "method": "POST",
            "root_path": "", "path": PATH, "raw_path": PATH.encode(), "query_string": QUERY.encode(),
            "headers": [(b"host", b"127.0.0.1:5000"), (b"content-type", b"application/json"),
                        (b"content-length", str(len(RAW_BODY)).encode())],
            "state": {}}


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": RAW_BODY, "more_body": False}


async def _request(app: Any) -> None:
    status: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(_scope(), _receive, send)
    if status != [200]:
        raise SystemExit(f"the app answered {status}")


class Hosted:
    """One composed app with its lifespan running."""

    def __init__(self, name: str, app: Any) -> None:
        self.name, self.app = name, app
        self._inbox: asyncio.Queue = asyncio.Queue()
        self._outbox: asyncio.Queue = asyncio.Queue()

    async def start(self) -> None:
        self._task = asyncio.create_task(self.app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                                                  self._inbox.get, self._outbox.put))
        await self._inbox.put({"type": "lifespan.startup"})
        message = await self._outbox.get()
        if message["type"] != "lifespan.startup.complete":
            raise SystemExit(f"{self.name}: {message}")
        runtime = self.app.state.runtime
        while not all(service.ready for service in runtime.services):
            await asyncio.sleep(0.1)
        for _ in range(200):  # first requests build caches (routes, metric children, Lingua off)
            await _request(self.app)

    async def stop(self) -> None:
        await self._inbox.put({"type": "lifespan.shutdown"})
        await self._outbox.get()

    async def round(self, requests: int, concurrency: int) -> tuple[float, float]:
        """(CPU µs, wall µs) per request."""
        async def stream() -> None:
            for _ in range(requests // concurrency):
                await _request(self.app)
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(stream() for _ in range(concurrency)))
        done = requests // concurrency * concurrency
        return (time.process_time() - cpu) / done * 1e6, (time.perf_counter() - wall) / done * 1e6


def _compose(state: Path, unmetered: bool) -> Any:
    from airgap.authority.dev import bootstrap
    from airgap.platform.settings import Settings
    from airgap.platform.usage.recorder import UNMETERED_ENV, UNMETERED_VALUE
    from airgap.server import compose
    from airgap.services import registry

    registry.import_settings()
    tokens = bootstrap(state, ["language"])
    settings = Settings.load([*tokens, "Services=language", "Logging:Console:LogLevel:Default=Error"])
    if unmetered:
        os.environ[UNMETERED_ENV] = UNMETERED_VALUE  # read once, when the recorder is built
    try:
        return compose(settings)
    finally:
        os.environ.pop(UNMETERED_ENV, None)


def _engine_us(text: str, n: int = 5000) -> float:
    from airgap.engines.langid import FastTextLanguageDetector

    detector = FastTextLanguageDetector()
    detector.load()
    started = time.process_time()
    for _ in range(n):
        detector.detect([text], [None])
    return (time.process_time() - started) / n * 1e6


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        apps = [Hosted("metered", _compose(Path(tmp) / "metered", False)),
                Hosted("unmetered", _compose(Path(tmp) / "unmetered", True))]
        for app in apps:
            await app.start()
        figures: dict[str, list[tuple[float, float]]] = {app.name: [] for app in apps}
        for _ in range(args.rounds):
            for app in apps:
                figures[app.name].append(await app.round(args.requests, args.concurrency))
        for app in apps:
            await app.stop()
    import orjson

    text = orjson.loads(RAW_BODY)["analysisInput"]["documents"][0]["text"]
    print(f"in process, {args.concurrency} concurrent streams, {args.requests} requests a round, "
          f"median of {args.rounds} alternating rounds")
    print(f"{'app':>10} {'cpu us/req':>11} {'wall us/req':>12}")
    medians = {}
    for name, rounds in figures.items():
        medians[name] = statistics.median(c for c, _ in rounds)
        print(f"{name:>10} {medians[name]:>11.1f} {statistics.median(w for _, w in rounds):>12.1f}")
    print(f"metering costs {medians['metered'] - medians['unmetered']:.1f} us of CPU a request; "
          f"the detector alone, called directly: {_engine_us(text):.1f} us")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    uvloop.run(main(parser.parse_args()))
