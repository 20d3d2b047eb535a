"""Extractive summarization jobs: submit-to-result over HTTP vs. the engine called directly, in one run.

Starts a real ``airgap serve`` process and runs ``--jobs`` jobs one after another,
each with 25 documents of about 1,000 characters (Azure's per-job document limit),
polling every 20 ms (not the 1 s ``Retry-After`` the SDK honours, so the figure
is the server's, not the poll interval's). Then ranks the same documents with
``TextRankSummarizer`` in this process. Prints documents/s and p50/p99 job latency
for both, and their ratio.

    .venv/bin/python bench/jobs_summarization.py [--jobs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airgap.services.language.engines.summarization import TextRankSummarizer  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

SENTENCES = [
    "The city council approved the new budget for public transport after a long debate.",
    "Bus lines will run every ten minutes during rush hour from next spring.",
    "Critics said the plan ignores the suburbs, where most commuters live.",
    "The mayor promised a second phase that extends the network to the outskirts.",
    "Ticket prices stay the same for students and pensioners.",
    "A local bakery celebrated its fiftieth anniversary with free bread.",
    "Engineers expect the new electric buses to cut emissions by a third.",
    "The council will publish the detailed timetable online in March.",
]
DOCUMENTS = 25


def documents(job: int) -> list[dict]:
    docs = []
    for d in range(DOCUMENTS):
        rotated = SENTENCES[(job + d) % len(SENTENCES):] + SENTENCES[:(job + d) % len(SENTENCES)]
        docs.append({"id": str(d), "language": "en", "text": " ".join(rotated * 2)})
    return docs


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_server(jobs: int) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    latencies = []
    with ServerProcess(settings=["Services=language"], log_path=folder / "server.log").start(timeout=300) as server:
        url = f"{server.url}/language/analyze-text/jobs?api-version=2023-04-01"
        with httpx.Client(timeout=60) as client:
            for job in range(jobs):
                started = time.perf_counter()
                submitted = client.post(url, json={"analysisInput": {"documents": documents(job)},
                                                   "tasks": [{"kind": "ExtractiveSummarization"}]})
                location = submitted.headers["operation-location"]
                while client.get(location).json()["status"] not in ("succeeded", "failed", "partiallyCompleted"):
                    time.sleep(0.02)
                latencies.append(time.perf_counter() - started)
    return latencies


def run_direct(jobs: int) -> list[float]:
    engine = TextRankSummarizer()
    engine.load()
    latencies = []
    for job in range(jobs):
        docs = documents(job)
        started = time.perf_counter()
        engine.rank([d["text"] for d in docs], [d["language"] for d in docs])
        latencies.append(time.perf_counter() - started)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    args = parser.parse_args()
    server = run_server(args.jobs)
    direct = run_direct(args.jobs)
    for name, values in (("server (HTTP job)", server), ("engine (direct)", direct)):
        docs_per_s = DOCUMENTS * len(values) / sum(values)
        print(f"{name:18} {docs_per_s:8.1f} docs/s   p50 {statistics.median(values) * 1000:7.1f} ms   "
              f"p99 {percentile(values, 0.99) * 1000:7.1f} ms   ({len(values)} jobs x {DOCUMENTS} documents)")
    print(f"server/direct throughput ratio: {sum(direct) / sum(server):.2f}")


if __name__ == "__main__":
    main()
