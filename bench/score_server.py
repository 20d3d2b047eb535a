"""``airgap score`` beside Microsoft's ``azmlinfsrv`` 1.5.1: the same score.py, the same worker count.

Two scripts: a trivial undecorated ``run()`` (``tests/scoring/scripts/plain.py``, a 3-byte JSON body)
and the scikit-learn example (``examples/sklearn``: inference_schema input, a logistic regression
on two iris rows). Both servers start with the same ``--worker_count``; airgap runs as in
production: licensed (disconnected mode, a development licence) with every call's usage record
made durable before its response. The load is ``wrk`` (its own process) in alternating rounds
(A B A B, never both at once); printed: the median requests/s and p50/p99 of the rounds, the
airgap/azmlinfsrv ratio, and the resident memory (RSS) of each worker process after the rounds.

    .venv/bin/python bench/score_server.py [--seconds 5] [--rounds 3] [--concurrency 8 32]
                                           [--workers 1 2] [--unmetered]

Needs ``.venv-azmlinfsrv`` (``make install-test``) and wrk (``apt-get install -y wrk``).
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

from tests.scoring.support import AZMLINFSRV, SCRIPTS, free_port  # noqa: E402

AIRGAP = Path(sys.executable).with_name("airgap")
EXAMPLE = ROOT / "examples" / "sklearn"

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "{content_type}"
wrk.body = io.open("{body}", "rb"):read("*a")
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %.0f %.0f\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration, latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
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

    def rss_mib(self) -> tuple[float, list[float]]:
        """The parent's RSS and each worker's (children; multiprocessing helpers left out)."""
        def rss(pid: int) -> float:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
            return 0.0

        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and b"resource_tracker" not in cmdline:
                children.append(int(stat.parent.name))
        return rss(self.process.pid), sorted(rss(pid) for pid in children)


def _wait(server: Server, timeout: float = 180) -> Server:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited: {server.log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{server.port}/", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{server.name} not ready after {timeout:.0f} s")


def start(kind: str, script: Path, workers: int, model_dir: Path | None, tmp: Path, settings: list[str],
          unmetered: bool) -> Server:
    port = free_port()
    log = tmp / f"{kind}-{script.parent.name}-{workers}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZUREML_", "AML_", "AIRGAP_"))}
    env["AML_APP_ROOT"] = str(script.parent)
    args = ["--entry_script", str(script), "--port", str(port), "--worker_count", str(workers)]
    if model_dir is not None:
        args += ["--model_dir", str(model_dir)]
    if kind == "airgap":
        cmd = [str(AIRGAP), "score", *args, "--host", "127.0.0.1", *settings]
        if unmetered:
            env["AIRGAP_BENCH_UNMETERED"] = "requests-are-not-billed"
    else:
        cmd = [str(AZMLINFSRV), *args]
    proc = subprocess.Popen(cmd, cwd=script.parent, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    return _wait(Server(kind, proc, port, log))


def wrk(port: int, body: Path, content_type: str, concurrency: int, seconds: int, tmp: Path) -> dict[str, float]:
    script = tmp / "post.lua"
    script.write_text(LUA.replace("{content_type}", content_type).replace("{body}", str(body)))
    out = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
                          f"http://127.0.0.1:{port}/score"], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, errors, bad_status, duration_us, p50_us, p99_us = (float(v) for v in line.split()[1:])
    return {"rps": requests / (duration_us / 1e6), "errors": errors, "bad_status": bad_status,
            "p50": p50_us / 1000, "p99": p99_us / 1000}


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--unmetered", action="store_true",
                        help="airgap without usage records (AIRGAP_BENCH_UNMETERED): what metering costs")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench needs wrk: apt-get install -y wrk")
    if not AZMLINFSRV.exists():
        sys.exit(f"{AZMLINFSRV} is missing: make install-test builds it")
    tmp = Path(tempfile.mkdtemp(prefix="airgap-bench-score-"))
    rows, memory = [], []
    try:
        from airgap.authority.dev import bootstrap

        settings = [s for s in bootstrap(tmp / "state", ["inference"]) if not s.startswith("Eula=")]
        sys.path.insert(0, str(EXAMPLE))
        import train  # examples/sklearn/train.py

        train.train(tmp / "models")
        (tmp / "trivial.json").write_text("[1]")
        (tmp / "iris.json").write_bytes((EXAMPLE / "sample-request.json").read_bytes())
        cases = [("trivial", SCRIPTS / "plain.py", None, tmp / "trivial.json", "text/plain"),
                 ("sklearn", EXAMPLE / "score.py", tmp / "models", tmp / "iris.json", "application/json")]
        for workers in args.workers:
            for label, script, model_dir, body, content_type in cases:
                servers = [start(kind, script, workers, model_dir, tmp, settings, args.unmetered)
                           for kind in ("azmlinfsrv", "airgap")]
                try:
                    for c in args.concurrency:
                        runs: dict[str, list[dict[str, float]]] = {"azmlinfsrv": [], "airgap": []}
                        for _ in range(args.rounds):
                            for server in servers:
                                runs[server.name].append(wrk(server.port, body, content_type, c, args.seconds, tmp))
                        theirs, ours = median_of(runs["azmlinfsrv"]), median_of(runs["airgap"])
                        ratio = statistics.median(b["rps"] / a["rps"] for a, b in
                                                  zip(runs["azmlinfsrv"], runs["airgap"]))
                        rows.append((workers, label, c, theirs, ours, ratio))
                        print(f"  workers={workers} {label:<7} c={c:<3} azmlinfsrv {theirs['rps']:>7,.0f} req/s  "
                              f"airgap {ours['rps']:>7,.0f} req/s  ratio {ratio:.2f}", flush=True)
                    for server in servers:
                        parent, workers_rss = server.rss_mib()
                        memory.append((workers, label, server.name, parent, workers_rss))
                finally:
                    for server in servers:
                        server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    metering = "usage records OFF (--unmetered)" if args.unmetered else \
        "licensed (disconnected), a durable usage record per call"
    print(f"\nmedian of {args.rounds} alternating rounds of {args.seconds} s, wrk -t2; airgap {metering}")
    print(f"{'workers':>7} {'script':<8} {'conc':>4} | {'azmlinfsrv req/s':>16} {'p50 ms':>7} {'p99 ms':>7} | "
          f"{'airgap req/s':>12} {'p50 ms':>7} {'p99 ms':>7} | {'errors':>6} | {'ratio':>5}")
    for workers, label, c, a, b, ratio in rows:
        errors = a["errors"] + b["errors"] + a["bad_status"] + b["bad_status"]
        print(f"{workers:>7} {label:<8} {c:>4} | {a['rps']:>16,.0f} {a['p50']:>7.2f} {a['p99']:>7.2f} | "
              f"{b['rps']:>12,.0f} {b['p50']:>7.2f} {b['p99']:>7.2f} | {errors:>6.0f} | {ratio:>5.2f}")
    print(f"\n{'workers':>7} {'script':<8} {'server':<10} | {'parent MiB':>10} | worker RSS MiB")
    for workers, label, name, parent, workers_rss in memory:
        print(f"{workers:>7} {label:<8} {name:<10} | {parent:>10.0f} | {', '.join(f'{r:.0f}' for r in workers_rss)}")


if __name__ == "__main__":
    main()
