"""Translator: the API vs. the engine called directly, in one run.

Starts a real ``airgap serve`` hosting the translator with ``Languages=en,es,fr,ca`` (ten Apertium
directions, all started with the server) and a tiny mounted CTranslate2 model (en to de, built
here), then drives with Debian's ``wrk`` (a load generator in its own process):

- ``/translate?api-version=3.0`` with one sentence and with 50 sentences per request, per pair
  (``--pairs``, each in its own language from the parallel set), and the
  Apertium engine process's own ``/translate`` with the same texts and mode (the "direct" reference: the
  process the API calls, without the API in front), at each concurrency;
- the same for the mounted model (API vs. the model's batch worker called in this process);

and prints requests/s, sentences/s, characters/s, p50/p99 latency, the server's RSS (with its
Apertium process and pipelines) and the ratio API/direct (the goal: >= 0.8).

    .venv/bin/python bench/translator.py [--seconds 10] [--concurrency 1 4 16] [--pairs en-es,es-fr,ca-es]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.server import ServerProcess  # noqa: E402

PARALLEL = [json.loads(line) for line in (ROOT / "tests/data/translation_parallel.jsonl").read_text(
    encoding="utf-8").splitlines()]
SENTENCES = [row["en"] for row in PARALLEL]

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


def tree_rss_mib(pid: int) -> float:
    """RSS of a process and all its descendants (workers, the Apertium process, its pipelines)."""
    pids, todo = set(), [pid]
    while todo:
        current = todo.pop()
        pids.add(current)
        out = subprocess.run(["pgrep", "-P", str(current)], capture_output=True, text=True).stdout.split()
        todo.extend(int(p) for p in out if int(p) not in pids)
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def wrk(url: str, payload: bytes, concurrency: int, seconds: int, tmp: Path) -> dict[str, float]:
    body_file = tmp / f"body-{abs(hash(payload))}.json"
    body_file.write_bytes(payload)
    script = tmp / "post.lua"
    script.write_text(LUA.replace("{body}", str(body_file)))
    out = subprocess.run(["wrk", f"-t{min(2, concurrency)}", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s",
                          "-s", str(script), url], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, errors, duration_us, p50_us, p99_us = (float(v) for v in line.split()[1:])
    return {"rps": requests / (duration_us / 1e6), "errors": errors, "p50_ms": p50_us / 1000, "p99_ms": p99_us / 1000}


def threaded(fn, concurrency: int, seconds: float) -> float:
    """Calls/s of ``fn`` from ``concurrency`` threads in this process."""
    count = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def loop() -> None:
        while time.perf_counter() < stop:
            fn()
            with lock:
                count[0] += 1

    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count[0] / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--pairs", default="en-es,es-fr,ca-es",
                        help="direct Apertium pairs among Languages=en,es,fr,ca, each with its own sentences")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench needs wrk: apt-get install -y wrk")

    from tests.translator.tiny_model import build

    tmp = Path(tempfile.mkdtemp(prefix="airgap-bench-"))
    models = tmp / "models"
    models.mkdir()
    build(models, "en", "de", "hallo")
    server = ServerProcess(settings=["Services=translator", "Languages=en,es,fr,ca,de",
                                     f"Mounts:Models={models}"]).start()
    try:
        status = httpx.get(server.url + "/status").json()
        engine_url = next(p for p in status["processes"] if p["name"] == "apertium")["address"]
        # every pipeline of the ten directions warm before measuring memory
        pairs = [("en", "es"), ("es", "en"), ("en", "ca"), ("ca", "en"), ("es", "fr"), ("fr", "es"), ("es", "ca"),
                 ("ca", "es"), ("fr", "ca"), ("ca", "fr")]
        for source, target in pairs:
            r = httpx.post(server.url + "/translate", params={"api-version": "3.0", "from": source, "to": target},
                           json=[{"text": "Hello."}], timeout=60)
            assert r.status_code == 200, r.text
        rss = tree_rss_mib(server.process.pid)
        print(f"server + Apertium process with {len(pairs)} directions warm + tiny model: RSS {rss:,.0f} MiB")

        rows = []
        for pair in args.pairs.split(","):
            source, target = pair.split("-")
            written = [row[source] for row in PARALLEL]
            # the mode the API itself picks for the pair, so that "direct" runs the same pipeline
            probe = httpx.post(server.url + "/translate", params={"api-version": "3.0", "from": source, "to": target},
                               json=[{"text": written[0]}], timeout=60)
            system = probe.headers["x-mt-system"]
            assert system.startswith("apertium:") and ">" not in system, f"{pair}: {system} (a direct pair only)"
            mode = system.removeprefix("apertium:")
            for label, n in (("1 sentence", 1), ("50 sentences", 50)):
                texts = [written[i % len(written)] for i in range(n)]
                chars = sum(len(t) for t in texts)
                api_body = json.dumps([{"text": t} for t in texts]).encode()
                direct_body = json.dumps({"mode": mode, "texts": texts, "format": "txt"}).encode()
                for c in args.concurrency:
                    api = wrk(f"{server.url}/translate?api-version=3.0&from={source}&to={target}", api_body, c,
                              args.seconds, tmp)
                    direct = wrk(f"{engine_url}/translate", direct_body, c, args.seconds, tmp)
                    rows.append((f"apertium {mode}", label, c, api, direct, n, chars))
            # the mounted model: API vs. its batch worker called in this process
        from airgap.services.translator.engines.neural import NeuralEngine

        neural = NeuralEngine(models)
        neural.load()
        for label, n in (("1 sentence", 1), ("50 sentences", 50)):
            texts = [SENTENCES[i % len(SENTENCES)] for i in range(n)]
            chars = sum(len(t) for t in texts)
            api_body = json.dumps([{"text": t} for t in texts]).encode()
            for c in args.concurrency:
                api = wrk(f"{server.url}/translate?api-version=3.0&from=en&to=de", api_body, c, args.seconds, tmp)
                rate = threaded(lambda: neural.translate(("en", "de"), texts), c, min(args.seconds, 5))
                rows.append(("ctranslate2 en-de", label, c, api, {"rps": rate, "p50_ms": 0, "p99_ms": 0}, n, chars))
        neural.close()

        print(f"{'engine':<18} {'request':<13} {'conc':>4} {'API req/s':>9} {'sent/s':>8} {'chars/s':>9} "
              f"{'p50 ms':>7} {'p99 ms':>7} {'direct req/s':>12} {'API/direct':>10}")
        for engine, label, c, api, direct, n, chars in rows:
            print(f"{engine:<18} {label:<13} {c:>4} {api['rps']:>9,.1f} {api['rps'] * n:>8,.0f} "
                  f"{api['rps'] * chars:>9,.0f} {api['p50_ms']:>7.1f} {api['p99_ms']:>7.1f} {direct['rps']:>12,.1f} "
                  f"{api['rps'] / direct['rps']:>10.3f}")
        print(f"RSS after the runs: {tree_rss_mib(server.process.pid):,.0f} MiB")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if server.output_dir:
            shutil.rmtree(server.output_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
