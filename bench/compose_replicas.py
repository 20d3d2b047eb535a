"""Throughput of 1 vs 3 language replicas behind the compose stack's nginx front, on this machine.

Brings up deploy/compose/compose.yaml (images from `make image`), drives the front with Debian's
``wrk`` at a fixed concurrency with single-document and 100-document requests, scales to the
other replica count, repeats, and prints requests/s, documents/s and the 3-vs-1 ratio, plus the
images' sizes and each replica's RSS. The ratio, not the absolute figure, is the result: on a
2-core machine three replicas share the same two cores.

    .venv/bin/python bench/compose_replicas.py [--seconds 10] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from language_detection import body, wrk  # noqa: E402
from tests.support.containers import PREFIX, VERSION, docker  # noqa: E402
from tests.support.server import free_port  # noqa: E402

COMPOSE = ROOT / "deploy" / "compose" / "compose.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench needs wrk: apt-get install -y wrk")
    import compose

    binary = os.path.join(os.path.dirname(compose.__file__), "docker-compose")
    port = free_port()
    project = f"airgapbench{os.getpid()}"
    url = f"http://127.0.0.1:{port}"

    def run(replicas: int, *cmd: str) -> None:
        env = {**os.environ, "AIRGAP_PORT": str(port), "AIRGAP_VERSION": VERSION, "AIRGAP_REPLICAS": str(replicas)}
        subprocess.run([binary, "-p", project, "-f", str(COMPOSE), *cmd], env=env, check=True,
                       capture_output=True, timeout=600)

    for target in ("language", "nginx"):
        size = int(docker("image", "inspect", "-f", "{{.Size}}", f"{PREFIX}/{target}:{VERSION}").stdout)
        print(f"image {PREFIX}/{target}:{VERSION}: {size / 1e6:.0f} MB")
    results: dict[int, dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for replicas in (1, 3):
                started = time.monotonic()
                run(replicas, "up", "-d", "--wait", "--wait-timeout", "300")
                # nginx resolves the replicas when it starts: restart it after scaling.
                run(replicas, "restart", "nginx")
                while httpx.get(url + "/nginx-health", timeout=5).status_code != 200:
                    time.sleep(0.1)
                print(f"\n{replicas} replica(s): up --wait + nginx restart {time.monotonic() - started:.1f} s")
                for n in (1, 100):
                    r = wrk(url + "/text/analytics/v3.1/languages", body(n), args.concurrency, args.seconds, Path(tmp))
                    results.setdefault(replicas, {})[n] = r["rps"] * n
                    print(f"  {n:>3} doc/request, c={args.concurrency}: {r['rps']:.0f} req/s, {r['rps'] * n:.0f} docs/s, "
                          f"p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, errors {r['errors']:.0f}")
                ids = subprocess.run([binary, "-p", project, "-f", str(COMPOSE), "ps", "-q", "language"],
                                     capture_output=True, text=True, check=True).stdout.split()
                rss = [docker("exec", cid, "sh", "-c", "grep VmRSS /proc/1/status").stdout.split()[1] for cid in ids]
                print(f"  RSS per replica: {', '.join(f'{int(k) / 1024:.0f} MiB' for k in rss)}")
    finally:
        subprocess.run([binary, "-p", project, "-f", str(COMPOSE), "down", "-v", "--timeout", "10"],
                       capture_output=True, timeout=300)
    for n in (1, 100):
        print(f"3 vs 1 replicas, {n} doc/request: {results[3][n] / results[1][n]:.2f}x")


if __name__ == "__main__":
    main()
