"""Accepted jobs survive kill -9, and any server on the same Mounts:Shared answers the poll."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from airgap.platform.jobs import TERMINAL, JobStore
from airgap.platform.usage import iter_records
from tests.support.server import ServerProcess

PARAGRAPH = ("Maria Garcia from Contoso visited the Seattle office on Monday to review the new budget. "
             "She said the offline servers worked well, although the network team disagreed. "
             "Her phone number is 425-555-0100 and her email is maria@contoso.com. ")


def server(tmp_path: Path, name: str, shared: Path, output: Path) -> ServerProcess:
    output.mkdir(exist_ok=True)
    return ServerProcess(settings=["Services=language", f"Mounts:Shared={shared}", f"Mounts:Output={output}"],
                         log_path=tmp_path / f"{name}.log")


def wait_finished(url: str) -> dict:
    for _ in range(600):
        body = httpx.get(url, timeout=30).json()
        if body["status"] in TERMINAL:
            return body
        time.sleep(0.2)
    raise AssertionError(f"job not finished: {body}")


def test_a_job_survives_kill_9_and_a_second_server_answers(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    first = server(tmp_path, "first", shared, tmp_path / "output").start()
    documents = [{"id": str(i), "language": "en", "text": PARAGRAPH * 8} for i in range(25)]
    tasks = [{"kind": kind, "taskName": kind} for kind in
             ("PiiEntityRecognition", "EntityRecognition", "KeyPhraseExtraction", "ExtractiveSummarization")]
    try:
        submitted = httpx.post(f"{first.url}/language/analyze-text/jobs?api-version=2023-04-01",
                               json={"analysisInput": {"documents": documents}, "tasks": tasks})
        assert submitted.status_code == 202, submitted.text
    finally:
        first.kill()
    path = submitted.headers["operation-location"].split(first.url, 1)[1]
    job_id = path.split("/jobs/")[1].split("?")[0]
    at_kill = JobStore(shared / "jobs").get(job_id)
    assert at_kill is not None and at_kill["status"] not in TERMINAL  # the crash really interrupted it

    # The same server restarted (same output folder): the job is taken up again and finishes.
    restarted = server(tmp_path, "restarted", shared, tmp_path / "output").start()
    try:
        body = wait_finished(restarted.url + path)
    finally:
        restarted.stop()
    assert body["status"] == "succeeded", body["errors"]
    assert [item["taskName"] for item in body["tasks"]["items"]] == [t["taskName"] for t in tasks]
    for item in body["tasks"]["items"]:
        assert len(item["results"]["documents"]) == 20 and item["results"]["errors"] == []
    billed = {r["requestId"] for r in iter_records(tmp_path / "output")}
    assert {f"{job_id}/tasks/{i}" for i in range(len(tasks))} <= billed

    # Another replica on the same shared folder (own output folder) answers the poll with the same state.
    other = server(tmp_path, "other", shared, tmp_path / "other-output").start()
    try:
        answer = httpx.get(other.url + path).json()
        # nextLink names the server that was asked; everything else is the stored job.
        assert answer.pop("nextLink").startswith(other.url) and body.pop("nextLink").startswith(restarted.url)
        assert answer == body
        page = httpx.get(other.url + path + "&skip=20").json()
        assert [d["id"] for d in page["tasks"]["items"][0]["results"]["documents"]] == ["20", "21", "22", "23", "24"]
    finally:
        other.stop()
