"""CLU predictions: the server over HTTP vs. the trained model called directly, in one run.

Starts a real ``airgap serve`` (Services=conversations), imports, trains and deploys the CLU
intent set of tests/data/quality (17 intents, 340 utterances, lists, regex and prebuilt entities)
through the authoring REST routes, then drives ``/language/:analyze-conversations`` with Debian's
``wrk`` (its own process) at concurrency 1 and 8, one utterance per request, cycling through
eight utterances. The same utterances go through the deployed model's files loaded here
(``ConversationModel.predict``, one thread). Then more copies of the project are deployed and
predicted once each: the server's RSS growth per loaded project.

    .venv/bin/python bench/conversations.py [--seconds 10] [--projects 4]
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

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airgap.services.conversations.engines.model import ConversationModel  # noqa: E402
from airgap.services.conversations.store import ConversationStore  # noqa: E402
from airgap.services.conversations.training import load_prebuilt  # noqa: E402
from tests.conversations import project_data  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

API = "?api-version=2023-04-01"
AUTHORING = "/language/authoring/analyze-conversations/projects"
PREDICT = "/language/:analyze-conversations" + API
UTTERANCES = [
    "turn off the lights in the kitchen",
    "book a flight from Paris to Berlin next Friday",
    "set the heating to 21 degrees at 7 am tomorrow",
    "what's the weather going to be like in Oslo this weekend",
    "remind me to call Anna at 5 pm",
    "play something by Miles Davis in the living room",
    "add 3 bottles of milk to my shopping list",
    "is flight BA2490 on time",
]

LUA = """
local bodies, i = {}, 0
for line in io.lines("{bodies}") do bodies[#bodies + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.0f %.0f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
"""


def task(project: str, text: str) -> dict:
    return {"kind": "Conversation",
            "analysisInput": {"conversationItem": {"id": "1", "participantId": "1", "text": text}},
            "parameters": {"projectName": project, "deploymentName": "production"}}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait(client: httpx.Client, response: httpx.Response) -> dict:
    assert response.status_code == 202, response.text
    while True:
        state = client.get(response.headers["operation-location"]).json()
        if state["status"] not in ("notStarted", "running"):
            assert state["status"] == "succeeded", state
            return state
        time.sleep(0.1)


def deploy(client: httpx.Client, name: str) -> float:
    """Import, train and deploy a copy of the bench project; the training job's wall time."""
    export = project_data.project(name, split=None)
    wait(client, client.post(f"{AUTHORING}/{name}/:import{API}", json=export))
    started = time.perf_counter()
    wait(client, client.post(f"{AUTHORING}/{name}/:train{API}", json={"modelLabel": "v1"}))
    trained = time.perf_counter() - started
    wait(client, client.put(f"{AUTHORING}/{name}/deployments/production{API}", json={"trainedModelLabel": "v1"}))
    return trained


def wrk(url: str, project: str, concurrency: int, seconds: int, tmp: Path) -> dict[str, float]:
    bodies = tmp / "bodies.jsonl"
    bodies.write_text("".join(json.dumps(task(project, t)) + "\n" for t in UTTERANCES))
    script = tmp / "post.lua"
    script.write_text(LUA.replace("{bodies}", str(bodies)))
    out = subprocess.run(
        ["wrk", f"-t{min(2, concurrency)}", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
         url], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, errors, duration_us, p50_us, p99_us = (float(v) for v in line.split()[1:])
    return {"rps": requests / (duration_us / 1e6), "errors": errors, "p50_ms": p50_us / 1000, "p99_ms": p99_us / 1000}


def direct(model: ConversationModel, seconds: float) -> tuple[float, float, float]:
    """Predictions/s, p50 and p99 ms of the model called in this process, one thread."""
    latencies = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        model.predict(UTTERANCES[len(latencies) % len(UTTERANCES)])
        latencies.append(time.perf_counter() - t0)
    latencies.sort()
    return (len(latencies) / (time.perf_counter() - start), latencies[len(latencies) // 2] * 1000,
            latencies[int(len(latencies) * 0.99)] * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--projects", type=int, default=4, help="more copies loaded for RSS per project")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench needs wrk: apt-get install -y wrk")

    tmp = Path(tempfile.mkdtemp(prefix="airgap-bench-clu-"))
    shared = tmp / "shared"
    server = ServerProcess(settings=["Services=conversations", f"Mounts:Shared={shared}"]).start()
    try:
        pid = server.process.pid
        with httpx.Client(base_url=server.url, timeout=60) as client:
            rss_ready = rss_mib(pid)
            trained_s = deploy(client, "Bench")
            assert client.post(PREDICT, json=task("Bench", UTTERANCES[0])).status_code == 200
            rss_one = rss_mib(pid)
            # The direct runs bracket the API runs, so that a load change on the machine shows.
            store = ConversationStore(shared / "conversations")
            model = ConversationModel(store.deployed_model_dir("Bench", store.deployment("Bench", "production")),
                                      load_prebuilt())
            direct(model, 1)  # warm-up: the recognizers' first calls compile their patterns
            before = direct(model, args.seconds)
            rows = [(c, wrk(server.url + PREDICT, "Bench", c, args.seconds, tmp)) for c in (1, 8)]
            after = direct(model, args.seconds)
            model.close()
            rss_after_load = rss_mib(pid)
            for i in range(args.projects):
                deploy(client, f"Bench{i}")
                assert client.post(PREDICT, json=task(f"Bench{i}", UTTERANCES[1])).status_code == 200
            rss_more = rss_mib(pid)

        direct_rate = (before[0] + after[0]) / 2
        utterances = len(project_data.rows())
        print(f"training through the API (job in the worker process), {utterances} utterances: {trained_s:.1f} s")
        for when, (rate, p50, p99) in (("before", before), ("after", after)):
            print(f"direct, one thread, {when} the API runs: {rate:,.0f} predictions/s, p50 {p50:.1f} ms, "
                  f"p99 {p99:.1f} ms")
        print(f"{'conc':>4} {'pred/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'API/direct':>10}")
        for c, r in rows:
            print(f"{c:>4} {r['rps']:>8,.0f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>6.0f} "
                  f"{r['rps'] / direct_rate:>10.2f}")
        print(f"server RSS: {rss_ready:.0f} MiB ready, {rss_one:.0f} MiB with one project predicted, "
              f"{rss_after_load:.0f} MiB after the load, {rss_more:.0f} MiB with {args.projects} more: "
              f"{(rss_more - rss_after_load) / args.projects:.1f} MiB per loaded project")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if server.output_dir:
            shutil.rmtree(server.output_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
