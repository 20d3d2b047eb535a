"""Vision Read: the server over HTTP vs. the engine called directly vs. the tesseract CLI.

Same pages for all three: the generated evaluation pages (PNG), a scanned PDF
and a born-digital PDF. Prints pages/s and p50/p99 latency per request for each
path, the ratios, and the server's peak RSS.

    .venv/bin/python bench/vision_read.py [--rounds 2] [--concurrency 1 2] [--engine ocrust]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airgap.ocr import ENGINES, make_engine  # noqa: E402
from airgap.ocr.pages import open_document  # noqa: E402
from airgap.ocr.reading import read_pages  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402
from tests.vision.pages import LINES, evaluation_set, printed, scanned_pdf, text_pdf  # noqa: E402


def workloads() -> dict[str, list[tuple[bytes, int]]]:
    """name -> list of (file, pages in it)."""
    images = [(page.png(), 1) for page in evaluation_set()]
    scans = [(scanned_pdf([printed(LINES)] * 4), 4)]
    digital = [(text_pdf([LINES] * 10), 10)]
    return {"images": images, "scanned-pdf": scans, "born-digital-pdf": digital}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summarize(latencies: list[float], pages: int, wall: float) -> dict[str, float]:
    return {"pages_s": pages / wall, "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000}


def run_direct(engine, files: list[tuple[bytes, int]], rounds: int) -> dict[str, float]:
    latencies, pages = [], 0
    start = time.perf_counter()
    for _ in range(rounds):
        for data, count in files:
            t = time.perf_counter()
            read_pages(engine, open_document(data), None)
            latencies.append(time.perf_counter() - t)
            pages += count
    return summarize(latencies, pages, time.perf_counter() - start)


def run_http(url: str, files: list[tuple[bytes, int]], rounds: int, concurrency: int) -> dict[str, float]:
    jobs = [f for _ in range(rounds) for f in files]
    client = httpx.Client(timeout=300)

    def one(item: tuple[bytes, int]) -> float:
        t = time.perf_counter()
        r = client.post(url, content=item[0], headers={"Content-Type": "application/octet-stream"})
        r.raise_for_status()
        return time.perf_counter() - t

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(one, jobs))
    wall = time.perf_counter() - start
    client.close()
    return summarize(latencies, sum(count for _, count in jobs), wall)


def run_cli(files: list[tuple[bytes, int]], rounds: int, tmp: Path) -> dict[str, float] | None:
    """The tesseract command line on the same images (images only: the CLI reads no PDF)."""
    if shutil.which("tesseract") is None:
        return None
    paths = []
    for i, (data, _) in enumerate(files):
        path = tmp / f"page{i}.png"
        path.write_bytes(data)
        paths.append(path)
    latencies = []
    start = time.perf_counter()
    for _ in range(rounds):
        for path in paths:
            t = time.perf_counter()
            subprocess.run(["tesseract", str(path), "-", "--psm", "1"], capture_output=True, check=True,
                           env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
            latencies.append(time.perf_counter() - t)
    return summarize(latencies, len(paths) * rounds, time.perf_counter() - start)


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--engine", choices=ENGINES, default="tesseract", help="the Ocr:Engine to measure")
    args = parser.parse_args()

    engine = make_engine(args.engine)
    engine.load()
    loads = workloads()
    tmp = Path(tempfile.mkdtemp(prefix="airgap-bench-"))
    server = ServerProcess(settings=["Services=vision", f"Ocr:Engine={args.engine}"]).start()
    rows = []
    try:
        url = f"{server.url}/vision/v3.2/read/syncAnalyze"
        for name, files in loads.items():
            direct = run_direct(engine, files, args.rounds)
            rows.append((name, "engine direct", 1, direct, 1.0))
            for c in args.concurrency:
                http = run_http(url, files, args.rounds, c)
                rows.append((name, "server HTTP", c, http, http["pages_s"] / direct["pages_s"]))
            if name == "images":
                cli = run_cli(files, args.rounds, tmp)
                if cli:
                    rows.append((name, "tesseract CLI", 1, cli, cli["pages_s"] / direct["pages_s"]))
        rss = peak_rss_mib(server.process.pid)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if server.output_dir:
            shutil.rmtree(server.output_dir, ignore_errors=True)
    print(f"{'workload':<17} {'path':<14} {'conc':>4} {'pages/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs direct':>9}")
    for name, path, c, r, ratio in rows:
        print(f"{name:<17} {path:<14} {c:>4} {r['pages_s']:>8.2f} {r['p50_ms']:>8.0f} {r['p99_ms']:>8.0f} {ratio:>9.2f}")
    print(f"server peak RSS: {rss:.0f} MiB" + ("" if shutil.which("tesseract") else
                                              "  (tesseract CLI not installed: apt-get install tesseract-ocr)"))


if __name__ == "__main__":
    main()
