"""What durable metering costs: a billable endpoint with metering on vs off, concurrency 64.

    .venv/bin/python bench/metering_overhead.py [--seconds 15] [--warmup 3] [--connections 64]
                                                [--dir PATH] [--workers 1]

Starts two real servers: one with the ``JournalRecorder`` (fsync'ed group
commit), one with metering switched off by the bench-only
``AIRGAP_BENCH_UNMETERED`` switch. They are loaded in alternating rounds (never
both at once), each by ``wrk`` (Debian package ``wrk``, its own process) posting one short
document to ``POST /text/analytics/v3.1/languages``. Prints requests/s,
p50/p99 latency, non-2xx answers, and for the metered run fsyncs/s and records
per fsync (from ``/metrics``). Use --dir on the volume you will mount as
Mounts:Output: the fsync cost is the file system's.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from airgap.platform.usage.recorder import UNMETERED_ENV, UNMETERED_VALUE

PATH = "/text/analytics/v3.1/languages"
BODY = '{"documents":[{"id":"1","text":"This is a short English sentence."}]}'
LUA = f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{BODY}'
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(output: Path, metered: bool, workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ)
    env.pop(UNMETERED_ENV, None)
    if not metered:
        env[UNMETERED_ENV] = UNMETERED_VALUE
    cmd = [sys.executable, "-m", "airgap", "serve", "Eula=accept", "Host=127.0.0.1", f"Port={port}",
           "Services=language", f"Workers={workers}", "Logging:Console:LogLevel:Default=Warning",
           f"Mounts:Output={output}"]
    proc = subprocess.Popen(cmd, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server not ready after 120 s")


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(20)


def _cpu_seconds(pgid: int) -> float:
    """User + system CPU of every process in the server's process group (all workers).

    On a shared machine wall-clock throughput swings with others' load; the
    server's own CPU per request is what metering adds to, and it barely moves."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        if int(fields[2]) == pgid:  # pgrp; fields[11], [12]: utime, stime
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _metric(url: str, name: str) -> float:
    text = httpx.get(url + "/metrics", timeout=10).text
    return sum(float(m.group(1)) for m in re.finditer(rf"^{name}(?:{{[^}}]*}})? ([0-9.e+]+)$", text, re.M))


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(url: str, script: Path, connections: int, seconds: float) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "-s", str(script),
                          url + PATH], capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1)),
              "requests": float(re.search(r"(\d+) requests in", out).group(1)),
              "seconds": _ms(re.search(r"requests in ([0-9.]+(?:us|ms|s)),", out).group(1)) / 1000,
              "non2xx": float(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0.0}
    for pct in ("50", "99"):
        result[f"p{pct}"] = _ms(re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M).group(1))
    return result


def _merge(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Throughput over all rounds; latency percentiles as the median round's."""
    def median(key: str) -> float:
        return sorted(r[key] for r in rounds)[len(rounds) // 2]
    total = sum(r["requests"] for r in rounds)
    return {"rps": total / sum(r["seconds"] for r in rounds), "p50": median("p50"), "p99": median("p99"),
            "cpu_ms": 1000 * sum(r["cpu"] for r in rounds) / total,
            "non2xx": sum(r["non2xx"] for r in rounds), "rounds": [r["rps"] for r in rounds]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="measured seconds per server")
    ap.add_argument("--rounds", type=int, default=4, help="alternations on/off (others' load drifts)")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--dir", type=Path, default=None, help="where the output folders go (default: $TMPDIR)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install -y wrk")
    per_round = args.seconds / args.rounds
    with tempfile.TemporaryDirectory(prefix="metering-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        script = work / "post.lua"
        script.write_text(LUA)
        servers = {}
        try:
            for name, metered in (("on", True), ("off", False)):
                (work / name).mkdir()
                servers[name] = _start(work / name, metered, args.workers, work / f"server-{name}.log")
            for _, url in servers.values():
                _wrk(url, script, args.connections, args.warmup)
            on_url = servers["on"][1]
            fsyncs0, records0 = _metric(on_url, "airgap_usage_fsyncs_total"), _metric(on_url, "airgap_usage_records_total")
            rounds: dict[str, list[dict[str, float]]] = {"on": [], "off": []}
            for _ in range(args.rounds):  # alternate, so that a load change hits both alike
                for name, (proc, url) in servers.items():
                    cpu0 = _cpu_seconds(proc.pid)
                    rounds[name].append(_wrk(url, script, args.connections, per_round))
                    rounds[name][-1]["cpu"] = _cpu_seconds(proc.pid) - cpu0
            on_seconds = sum(r["seconds"] for r in rounds["on"])
            fsyncs = _metric(on_url, "airgap_usage_fsyncs_total") - fsyncs0
            records = _metric(on_url, "airgap_usage_records_total") - records0
            if _metric(servers["off"][1], "airgap_usage_records_total"):
                raise SystemExit("the unmetered server recorded usage: the bench switch did not take effect")
        finally:
            for proc, _ in servers.values():
                _stop(proc)
    on, off = _merge(rounds["on"]), _merge(rounds["off"])
    print(f"POST {PATH}, one short document, {args.connections} connections, {args.workers} worker(s), "
          f"{args.rounds} alternating rounds of {per_round:g} s per server")
    print(f"{'metering':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'CPU ms/req':>10}  per-round req/s")
    for name, r in (("on", on), ("off", off)):
        print(f"{name:>9} {r['rps']:>9.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['non2xx']:>8.0f} {r['cpu_ms']:>10.3f}  "
              + " ".join(f"{x:.0f}" for x in r["rounds"]))
    print(f"fsyncs/s (metered, while measured): {fsyncs / on_seconds:.0f}; "
          f"records per fsync: {records / fsyncs if fsyncs else 0:.1f}")
    print(f"metered / unmetered throughput: {on['rps'] / off['rps']:.3f} "
          f"(metering costs {100 * (1 - on['rps'] / off['rps']):.1f}%)")
    print(f"server CPU per request, metered / unmetered: {on['cpu_ms'] / off['cpu_ms']:.3f} "
          f"(metering costs {100 * (on['cpu_ms'] / off['cpu_ms'] - 1):.1f}% more CPU per request)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
