"""Sentiment (with and without opinion mining) and key phrases: server over HTTP vs. engine, one run.

Starts a real ``airgap serve`` process and posts 10-document batches (Azure's limit for both
features) of review sentences from ``tests/data/sentiment_en.jsonl`` from 1 and 4 client
threads; runs the same batches through the engines in this process. Prints documents/s,
p50/p99 latency per request and the ratio server/direct.

    .venv/bin/python bench/sentiment_keyphrases.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airgap.services.language.engines.keyphrases import YakeKeyPhraseExtractor  # noqa: E402
from airgap.services.language.engines.sentiment import VaderSentimentAnalyzer  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

BATCH = 10
TEXTS = [json.loads(line)["text"] for line in (ROOT / "tests/data/sentiment_en.jsonl").read_text().splitlines()]


def batches() -> list[list[str]]:
    return [TEXTS[i:i + BATCH] for i in range(0, len(TEXTS) - BATCH + 1, BATCH)]


def direct(call, seconds: float) -> float:
    docs, start, i = 0, time.perf_counter(), 0
    groups = batches()
    while time.perf_counter() - start < seconds:
        call(groups[i % len(groups)])
        docs += BATCH
        i += 1
    return docs / (time.perf_counter() - start)


def served(url: str, query: str, seconds: float, threads: int) -> tuple[float, float, float]:
    groups = batches()
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        with httpx.Client(timeout=60) as http:
            i = offset
            while time.perf_counter() < deadline:
                docs = [{"id": str(n), "text": t} for n, t in enumerate(groups[i % len(groups)])]
                started = time.perf_counter()
                r = http.post(url + query, json={"documents": docs})
                r.raise_for_status()
                with lock:
                    latencies.append(time.perf_counter() - started)
                i += 1

    start = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) * BATCH / elapsed, statistics.median(latencies) * 1000, p99 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()

    sentiment, keyphrases = VaderSentimentAnalyzer(), YakeKeyPhraseExtractor()
    sentiment.load()
    keyphrases.load()
    cases = [
        ("sentiment", "sentiment", "", lambda b: sentiment.analyze(b)),
        ("opinions", "sentiment", "?opinionMining=true", lambda b: sentiment.analyze(b, opinion_mining=True)),
        ("keyPhrases", "keyPhrases", "", lambda b: keyphrases.extract(b, "en")),
    ]
    server = ServerProcess(settings=["Services=language"]).start()
    try:
        print(f"{'case':<11} {'threads':>7} {'docs/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'direct docs/s':>13} "
              f"{'server/direct':>13}")
        for label, operation, query, call in cases:
            reference = direct(call, args.seconds)
            for threads in (1, 4):
                docs_s, p50, p99 = served(f"{server.url}/text/analytics/v3.1/{operation}", query, args.seconds, threads)
                print(f"{label:<11} {threads:>7} {docs_s:>8.0f} {p50:>7.1f} {p99:>7.1f} {reference:>13.0f} "
                      f"{docs_s / reference:>13.2f}")
    finally:
        server.stop()
        if server.output_dir:
            shutil.rmtree(server.output_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
