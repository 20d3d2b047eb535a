"""Language detection: the server over HTTP vs. the engine called directly, in one run.

Starts a real ``airgap serve`` process, drives it with Debian's ``wrk`` (a load
generator in its own process) at concurrency 1, 16 and 64 with single-document
requests and with 1000-document batches, and runs the same documents through
``FastTextLanguageDetector`` in this process. Prints requests/s, documents/s,
p50/p99 latency, the server's RSS, and the ratio server/direct.

    .venv/bin/python bench/language_detection.py [--seconds 10] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airgap.engines.langid import FastTextLanguageDetector  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

SENTENCES = [
    "The quick brown fox jumps over the lazy dog near the river bank.",
    "Le renard brun rapide saute par-dessus le chien paresseux.",
    "Der schnelle braune Fuchs springt über den faulen Hund.",
    "El rápido zorro marrón salta sobre el perro perezoso.",
    "素早い茶色の狐がのろまな犬を飛び越える。",
    "La volpe marrone veloce salta sopra il cane pigro.",
    "Быстрая бурая лиса перепрыгивает через ленивую собаку.",
    "De snelle bruine vos springt over de luie hond.",
]

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open("{body}", "rb"):read("*a")
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.0f %.0f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
"""


def body(n: int) -> bytes:
    docs = [{"id": str(i), "text": SENTENCES[i % len(SENTENCES)]} for i in range(n)]
    return json.dumps({"documents": docs}).encode()


def rss_mib(pid: int) -> float:
    """RSS of the server and its children (workers), in MiB."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(p) for p in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def wrk(url: str, payload: bytes, concurrency: int, seconds: int, tmp: Path) -> dict[str, float]:
    body_file = tmp / f"body-{len(payload)}.json"
    body_file.write_bytes(payload)
    script = tmp / "post.lua"
    script.write_text(LUA.replace("{body}", str(body_file)))
    threads = min(2, concurrency)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, errors, duration_us, p50_us, p99_us = (float(v) for v in line.split()[1:])
    return {"rps": requests / (duration_us / 1e6), "errors": errors, "p50_ms": p50_us / 1000, "p99_ms": p99_us / 1000}


def direct(engine: FastTextLanguageDetector, batch: int, seconds: float) -> float:
    """Documents/s through the engine in this process, ``batch`` documents per call."""
    texts = [SENTENCES[i % len(SENTENCES)] for i in range(batch)]
    hints = [None] * batch
    calls = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        engine.detect(texts, hints)
        calls += 1
    return calls * batch / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64])
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench needs wrk: apt-get install -y wrk")

    engine = FastTextLanguageDetector()
    engine.load()
    direct_single = direct(engine, 1, 3)
    direct_batch = direct(engine, 1000, 3)

    tmp = Path(tempfile.mkdtemp(prefix="airgap-bench-"))
    server = ServerProcess(settings=[f"Workers={args.workers}"]).start()
    try:
        url = f"{server.url}/text/analytics/v3.1/languages"
        rows = []
        for label, n, reference in (("single", 1, direct_single), ("batch1000", 1000, direct_batch)):
            payload = body(n)
            for c in args.concurrency:
                r = wrk(url, payload, c, args.seconds, tmp)
                docs_s = r["rps"] * n
                rows.append((label, c, r["rps"], docs_s, r["p50_ms"], r["p99_ms"], r["errors"],
                             rss_mib(server.process.pid), docs_s / reference))
        print(f"direct engine: {direct_single:,.0f} docs/s one per call, {direct_batch:,.0f} docs/s 1000 per call")
        print(f"{'request':<10} {'conc':>4} {'req/s':>9} {'docs/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'errors':>6} {'RSS MiB':>8} {'server/direct':>13}")
        for label, c, rps, docs_s, p50, p99, errors, rss, ratio in rows:
            print(f"{label:<10} {c:>4} {rps:>9,.0f} {docs_s:>10,.0f} {p50:>8.1f} {p99:>8.1f} "
                  f"{errors:>6.0f} {rss:>8.0f} {ratio:>13.3f}")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if server.output_dir:
            shutil.rmtree(server.output_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
