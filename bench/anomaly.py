"""Anomaly Detector: entire-series detection through the API vs. the algorithm called directly,
and last-point latency, in one run.

Starts a real ``airgap serve`` hosting only the anomaly service, then for 1,000 and 8,640 points
(hourly, a daily cycle, noise and a few spikes, from tests/quality/anomaly.py's style) prints
points/s of ``/timeseries/entire/detect`` (one client, sequential requests over a kept-alive
connection; the body encoded once, so the figure is the server's, not the client's JSON encoder)
and of ``detect_entire`` in this process, with their ratio; then p50/p99 latency of
``/timeseries/last/detect`` on a 673-point window (four weeks of hourly data plus one, the
service's suggested window for a weekly cycle).

    .venv/bin/python bench/anomaly.py [--requests 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from airgap.services.anomaly.engines.detector import detect_entire
from tests.support.server import ServerProcess


def series(n: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 100 + 20 * np.sin(2 * np.pi * t / 24) + rng.normal(0, 1.5, n)
    values[rng.choice(n, size=max(1, n // 500), replace=False)] += 40
    return values


def body(values: np.ndarray) -> bytes:
    start = datetime(2026, 1, 1)
    return json.dumps({"granularity": "hourly", "series": [
        {"timestamp": (start + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ"), "value": float(v)}
        for i, v in enumerate(values)]}).encode()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    server = ServerProcess(settings=["Services=anomaly"])
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=120, headers={"content-type": "application/json"}) as client:
            base = "/anomalydetector/v1.1/timeseries"
            print(f"{'points':>7} {'API points/s':>13} {'direct points/s':>16} {'ratio':>6}")
            for n in (1000, 8640):
                values = series(n)
                payload = body(values)
                client.post(f"{base}/entire/detect", content=payload).raise_for_status()  # warm
                started = time.perf_counter()
                for _ in range(args.requests):
                    client.post(f"{base}/entire/detect", content=payload).raise_for_status()
                api = n * args.requests / (time.perf_counter() - started)
                detect_entire(values)
                started = time.perf_counter()
                for _ in range(args.requests):
                    detect_entire(values)
                direct = n * args.requests / (time.perf_counter() - started)
                print(f"{n:>7} {api:>13,.0f} {direct:>16,.0f} {api / direct:>6.2f}")
            payload = body(series(673))
            client.post(f"{base}/last/detect", content=payload).raise_for_status()
            latencies = []
            for _ in range(max(args.requests * 4, 100)):
                started = time.perf_counter()
                client.post(f"{base}/last/detect", content=payload).raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)
            print(f"last/detect, 673 points, {len(latencies)} requests: p50 {statistics.median(latencies):.2f} ms, "
                  f"p99 {percentile(latencies, 0.99):.2f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
