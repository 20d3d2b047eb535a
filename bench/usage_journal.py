"""Group commit vs one fsync per record: appends/s and fsyncs/s at concurrency 1, 16, 64.

    .venv/bin/python bench/usage_journal.py [--seconds 2] [--dir PATH]

Use --dir on the volume you will mount as Mounts:Output: fsync cost is the file system's.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from airgap.platform.usage.journal import Journal

FIELDS = {"requestId": "bench", "serviceName": "language", "apiType": "textanalytics",
          "meters": [{"name": "CognitiveServices.Language.Container.LanguageDetectionTextRecords",
                      "quantity": 1}]}


async def _load(journal: Journal, concurrency: int, seconds: float) -> int:
    done = 0
    stop = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal done
        while time.perf_counter() < stop:
            await journal.append(FIELDS)
            done += 1
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return done


def run(folder: Path, group: bool, concurrency: int, seconds: float) -> tuple[float, float, float]:
    """(appends/s, syncs/s, CPU µs of this process per append: both threads, the client loop included)."""
    journal = Journal(folder / f"{'group' if group else 'single'}-{concurrency}",
                      group=group)
    t0, c0 = time.perf_counter(), time.process_time()
    n = asyncio.run(_load(journal, concurrency, seconds))
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    journal.close()
    return n / elapsed, journal.fsyncs / elapsed, cpu / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as d:
        print(f"{'conc':>5} {'group app/s':>12} {'sync/s':>9} {'cpu us':>7} "
              f"{'single app/s':>13} {'sync/s':>9} {'cpu us':>7} {'ratio':>6}")
        for c in (1, 16, 64):
            g, gf, gc = run(Path(d), True, c, args.seconds)
            s, sf, sc = run(Path(d), False, c, args.seconds)
            print(f"{c:>5} {g:>12.0f} {gf:>9.0f} {gc:>7.1f} {s:>13.0f} {sf:>9.0f} {sc:>7.1f} {g / s:>6.1f}")


if __name__ == "__main__":
    main()
