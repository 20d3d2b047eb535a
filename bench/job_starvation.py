"""Do quick requests wait behind long jobs? Language detection while two long document jobs run.

Starts one real server with every service (``Workers=1``) and measures single-document language
detection (``POST /language/:analyze-text``, one short document, one client, back to back): idle
(before the jobs and after them), and while two Document Intelligence ``prebuilt-layout`` jobs of
12 scanned pages each (full US Letter pages of text) run, a third being submitted meanwhile (its
submit latency is printed too). Prints p50/p99 of each phase and the busy/idle p99 ratio (goal:
<= 2); as a control, the same detection beside a plain CPU-bound process at the job workers'
niceness, the floor the machine allows (on a small shared machine it is not 1).

    .venv/bin/python bench/job_starvation.py [--pages 12] [--idle 1000] [--settings Jobs:Processes=0 ...]

A bench, not a test: the figures depend on the machine (cores, other load).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airgap.platform.executor import WORKER_NICE  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402
from PIL import Image  # noqa: E402

from tests.vision.pages import LINES, printed, scanned_pdf  # noqa: E402

DETECT = "/language/:analyze-text?api-version=2023-04-01"
DETECT_BODY = {"kind": "LanguageDetection",
               "analysisInput": {"documents": [{"id": "1", "text": "The quick brown fox jumps over the lazy dog."}]}}
ANALYZE = "/formrecognizer/documentModels/prebuilt-layout:analyze?api-version=2023-07-31"


def letter_page() -> Image.Image:
    """A full US Letter page of text as a scanner writes it at 150 dpi (rendered at 300 dpi for OCR)."""
    return printed(LINES * 8, size=22, width=1275)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def detect(client: httpx.Client) -> float:
    started = time.perf_counter()
    response = client.post(DETECT, json=DETECT_BODY)
    response.raise_for_status()
    return time.perf_counter() - started


def submit(client: httpx.Client, pdf: bytes) -> tuple[str, float]:
    started = time.perf_counter()
    response = client.post(ANALYZE, content=pdf, headers={"Content-Type": "application/pdf"})
    response.raise_for_status()
    return response.headers["Operation-Location"], time.perf_counter() - started


def finished(client: httpx.Client, location: str) -> bool:
    status = client.get(location).json()["status"]
    if status == "failed":
        raise RuntimeError(f"document job failed: {client.get(location).text[:500]}")
    return status == "succeeded"


def summary(name: str, latencies: list[float]) -> str:
    return (f"{name:<26} n={len(latencies):>4}  p50 {percentile(latencies, 0.5) * 1000:>9.1f} ms  "
            f"p99 {percentile(latencies, 0.99) * 1000:>9.1f} ms  max {max(latencies) * 1000:>9.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12, help="pages of each long document job")
    parser.add_argument("--jobs", type=int, default=2, help="long document jobs running at once")
    parser.add_argument("--idle", type=int, default=1000,
                        help="detection requests measured when idle, before the jobs and again after them")
    parser.add_argument("--settle", type=float, default=10, help="seconds to wait after the server is ready")
    parser.add_argument("--settings", nargs="*", default=[], help="extra server settings, Key=Value")
    parser.add_argument("--control", type=float, default=30, help="seconds of the CPU-hog control, at most")
    args = parser.parse_args()

    pdf = scanned_pdf([letter_page()] * args.pages)
    server = ServerProcess(settings=["Services=language,vision,document", "Workers=1", *args.settings]).start(
        timeout=300)
    try:
        with httpx.Client(base_url=server.url, timeout=600) as client:
            # Let start-up settle (job worker processes start and load their engine once ready).
            time.sleep(args.settle)
            for _ in range(50):  # warm up
                detect(client)
            idle = [detect(client) for _ in range(args.idle)]

            started = time.perf_counter()
            locations = [submit(client, pdf)[0] for _ in range(args.jobs)]
            busy: list[float] = []
            submit_busy: float | None = None
            next_check = time.perf_counter() + 1
            while True:
                busy.append(detect(client))
                if submit_busy is None and len(busy) >= 5:
                    # One more long document while the two run (its job then waits in the queue).
                    extra, submit_busy = submit(client, pdf)
                    locations.append(extra)
                if time.perf_counter() >= next_check:  # look at the jobs once a second, as a client would
                    next_check = time.perf_counter() + 1
                    if all(finished(client, location) for location in locations[:args.jobs]):
                        break
            jobs_wall = time.perf_counter() - started
            while not finished(client, locations[-1]):
                time.sleep(0.5)
            time.sleep(1)
            idle += [detect(client) for _ in range(args.idle)]  # idle again: half before, half after
            # The machine's floor: the same detection beside a plain CPU-bound process at the
            # workers' niceness, for as long as the jobs took (what no scheduling in airgap can beat).
            hog = subprocess.Popen(["nice", "-n", str(WORKER_NICE), sys.executable, "-c", "while True: pass"])
            try:
                time.sleep(0.5)
                control: list[float] = []
                until = time.perf_counter() + min(jobs_wall, args.control)
                while time.perf_counter() < until:
                    control.append(detect(client))
            finally:
                hog.kill()
                hog.wait()
    finally:
        server.stop()
        if server.output_dir:
            shutil.rmtree(server.output_dir, ignore_errors=True)

    print(f"settings: {' '.join(args.settings) or '(defaults)'}; {args.jobs} x {args.pages}-page prebuilt-layout jobs")
    print(summary("detection, idle", idle))
    print(summary("detection, during jobs", busy))
    print(f"{args.jobs} jobs finished in {jobs_wall:.1f} s; mean detection while busy "
          f"{statistics.mean(busy) * 1000:.1f} ms")
    if submit_busy is not None:
        print(f"document submit during jobs: {submit_busy * 1000:.1f} ms")
    print(summary("detection, beside a CPU hog", control))
    ratio = percentile(busy, 0.99) / percentile(idle, 0.99)
    floor = percentile(control, 0.99) / percentile(idle, 0.99)
    print(f"busy/idle p99 ratio: {ratio:.2f} (goal <= 2); one nice-{WORKER_NICE} CPU hog on this machine: {floor:.2f}")


if __name__ == "__main__":
    main()
