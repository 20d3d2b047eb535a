"""``airgap score``'s platform: usage records, licence, inbound keys, /ready, /metrics, workers."""

from __future__ import annotations

import json
import threading

import pytest

from airgap.platform.usage import iter_records, verify
from tests.scoring.support import SCRIPTS, ScoreServer, free_port, request

TEXT = {"Content-Type": "text/plain"}


def start(tmp_path, *args: str, script: str = "probe.py", env: dict[str, str] | None = None,
          wait: bool = True) -> ScoreServer:
    server = ScoreServer("airgap", script, free_port(), SCRIPTS, dict(env or {}), list(args))
    return server.start(tmp_path, wait=wait)


@pytest.fixture
def output(tmp_path):
    folder = tmp_path / "output"
    folder.mkdir()
    return folder


def test_each_answered_call_is_billed_before_its_response(tmp_path, output):
    server = start(tmp_path, f"Mounts:Output={output}")
    try:
        for i, body in enumerate([b"a", b"bb" * 50, b"ccc"]):
            reply = server.request("POST", "/score", body, {**TEXT, "x-request-id": f"call-{i}"})
            assert reply.status == 200
            # Durable before the response: the record is there the moment the answer is.
            records = list(iter_records(output))
            assert len(records) == i + 1
            last = records[-1]
            assert last["requestId"] == f"call-{i}"
            assert last["serviceName"] == "inference" and last["apiType"] == "CustomModel"
            assert {m["name"]: m["quantity"] for m in last["meters"]} == {
                "CustomModel.Transactions": 1, "CustomModel.RequestBytes": len(body)}
        # Not billed: a 4xx, a failed run(), OPTIONS, health and swagger.
        assert server.request("POST", "/score", b"x", {**TEXT, "x-request-id": "z" * 101}).status == 431
        assert server.request("OPTIONS", "/score").status == 200
        assert server.request("GET", "/").status == 200
        assert server.request("GET", "/swagger.json").status == 200
        assert len(list(iter_records(output))) == 3
        assert verify(output) == []
    finally:
        server.stop()


def test_no_usage_records_without_an_output_folder(tmp_path):
    server = start(tmp_path)
    try:
        assert server.request("POST", "/score", b"a", TEXT).status == 200
        assert "Usage records: off" in server.log()
    finally:
        server.stop()


def test_an_output_folder_that_does_not_exist_stops_the_start(tmp_path):
    server = start(tmp_path, f"Mounts:Output={tmp_path / 'missing'}", wait=False)
    assert server.wait_exit() == 1
    assert "Mounts:Output" in server.log()


def test_disconnected_licence_for_inference(tmp_path):
    from airgap.authority import dev

    settings = [s for s in dev.bootstrap(tmp_path / "state", ["inference"]) if not s.startswith("Eula=")]
    server = start(tmp_path, *settings)
    try:
        assert server.request("POST", "/score", b"a", TEXT).status == 200
        status = json.loads(server.request("GET", "/status").body)
        assert status["service"] == "CustomModel" and status["apiStatus"] == "Valid"
        assert len(list(iter_records(tmp_path / "state" / "output"))) == 1
    finally:
        server.stop()


def test_a_licence_without_inference_stops_the_start(tmp_path):
    from airgap.authority import dev

    settings = [s for s in dev.bootstrap(tmp_path / "state", ["language"]) if not s.startswith("Eula=")]
    server = start(tmp_path, *settings, wait=False)
    assert server.wait_exit() == 1
    assert "licence check failed" in server.log() and "inference" in server.log()


def test_inbound_keys(tmp_path):
    server = start(tmp_path, "Auth:SubscriptionKeys=k1,k2")
    try:
        refused = server.request("POST", "/score", b"a", TEXT)
        assert refused.status == 401 and "Auth:SubscriptionKeys" in refused.json()["message"]
        assert server.request("POST", "/score", b"a", {**TEXT, "Authorization": "Bearer wrong"}).status == 401
        assert server.request("POST", "/score", b"a", {**TEXT, "Authorization": "Bearer k2"}).status == 200
        assert server.request("POST", "/score", b"a", {**TEXT, "Ocp-Apim-Subscription-Key": "k1"}).status == 200
        # Probes stay open, as on every airgap server.
        assert server.request("GET", "/").status == 200
        assert server.request("GET", "/ready").status == 200
    finally:
        server.stop()


def test_ready_waits_for_init_and_score_waits_with_it(tmp_path):
    gate = tmp_path / "init-may-finish"
    server = start(tmp_path, env={"SCORE_TEST_INIT_GATE": str(gate)}, wait=False)
    try:
        # Liveness answers while init() runs; readiness says why it is not ready.
        server.until(lambda: server.request("GET", "/health").status == 200)
        ready = server.request("GET", "/ready")
        assert ready.status == 503 and ready.json()["services"] == {"inference": "loading"}
        assert "init()" in ready.json()["reason"]
        answers = []
        waiting = threading.Thread(target=lambda: answers.append(server.request("POST", "/score", b"early", TEXT)))
        waiting.start()
        gate.write_text("go")
        waiting.join(60)
        assert answers and answers[0].status == 200 and answers[0].json()["data"] == "early"
        assert server.request("GET", "/ready").status == 200
    finally:
        server.stop()


def test_metrics_count_scoring_calls(tmp_path):
    server = start(tmp_path)
    try:
        server.request("POST", "/score", b"a", TEXT)
        server.request("PUT", "/score", b"a", TEXT)
        text = server.request("GET", "/metrics").body.decode()
        assert 'airgap_requests_total{method="POST",route="/score",status="200"} 1.0' in text
        assert 'airgap_requests_total{method="PUT",route="/score",status="405"} 1.0' in text
    finally:
        server.stop()


def test_workers_share_the_port_and_each_runs_init_once(tmp_path):
    import os
    import signal
    from concurrent.futures import ThreadPoolExecutor

    record = tmp_path / "inits"
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    server = start(tmp_path, "--worker_count", "2", "--model_dir", str(model_dir),
                   env={"SCORE_TEST_INIT_RECORD": str(record)})
    try:
        inits = server.until(lambda: record.exists() and len(set(record.read_text().split())) == 2 and
                             set(record.read_text().split()))
        assert len(record.read_text().split()) == 2  # once per worker

        def call(_):
            reply = server.request("POST", "/score", b"w", TEXT)
            assert reply.status == 200 and reply.json()["model_dir"] == str(model_dir)
            return str(reply.json()["pid"])

        with ThreadPoolExecutor(8) as threads:
            answered = set(threads.map(call, range(64)))
        assert answered <= inits  # every answer came from a worker that ran init()
        # A worker that dies is replaced (and its replacement runs init()); the port keeps answering.
        victim = int(sorted(answered)[0])
        os.kill(victim, signal.SIGKILL)
        server.until(lambda: len(record.read_text().split()) == 3)
        assert server.request("POST", "/score", b"after", TEXT).status == 200
        assert server.proc.poll() is None
    finally:
        server.stop()


def test_a_worker_with_stuck_runs_is_replaced(tmp_path):
    record = tmp_path / "inits"
    server = start(tmp_path, env={"SCORING_TIMEOUT_MS": "300", "SCORE_TEST_INIT_RECORD": str(record)})
    try:
        first = server.request("POST", "/score", b"x", TEXT).json()["pid"]
        for _ in range(4):  # each 'block' holds a thread forever: after four the worker is recycled
            reply = server.request("POST", "/score", b"block", TEXT)
            assert reply.status == 500 and reply.json() == {"message": "Scoring timeout after 300 ms"}
        server.until(lambda: (r := server.request("POST", "/score", b"y", TEXT)).status == 200
                     and r.json()["pid"] != first)
        assert len(record.read_text().split()) == 2  # the new worker ran init() again
        assert "the worker restarts" in server.log()
    finally:
        server.stop()


def test_entry_script_from_the_environment_relative_to_the_app_root(tmp_path):
    port = free_port()
    server = ScoreServer("airgap", None, port, tmp_path, {"AZUREML_ENTRY_SCRIPT": "probe.py",
                                                          "AML_APP_ROOT": str(SCRIPTS)})
    server.start(tmp_path)
    try:
        assert request(port, "POST", "/score", b"env", TEXT).json()["data"] == "env"
    finally:
        server.stop()
