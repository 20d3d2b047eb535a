"""A Read 3.2 operation that fails while it runs: the documented shape, and no exception text.

Jobs are written straight into the server's job folder (as another replica would), with a
file that passes no check at submit, so the failure happens in the job itself.
"""

from __future__ import annotations

import time

import httpx
import orjson

from airgap.platform import job_files
from airgap.platform.jobs import INTERNAL_MESSAGE, JobStore
from tests.support.contract import validate_definition
from tests.vision.pages import LINES, encode, printed

OCR_SPEC = "specification/cognitiveservices/data-plane/ComputerVision/stable/v3.2/Ocr.json"


def read_job(server, data: bytes, pages) -> tuple[JobStore, str, str]:
    store = JobStore(server.output_dir / "jobs")
    blob = job_files.save(store, data)
    state = store.create(service="vision", handler="vision.read", tasks=[{"name": "read", "kind": "Read"}],
                         input={"api": "read-3.2", "pages": pages, "language": None, "blob": blob})
    return store, state["jobId"], blob


def finished(server, job_id: str) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        r = httpx.get(f"{server.url}/vision/v3.2/read/analyzeResults/{job_id}", timeout=30)
        assert r.status_code == 200, r.text
        if r.json()["status"] not in ("notStarted", "running"):
            return r
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_a_file_that_cannot_be_read_fails_the_operation_with_its_reason_kept(vision_server):
    store, job_id, blob = read_job(vision_server, b"GIF89a not a format Read takes", None)
    r = finished(vision_server, job_id)
    body = r.json()
    # ReadOperationResult has no error member: the failure is the status alone.
    assert set(body) == {"status", "createdDateTime", "lastUpdatedDateTime"} and body["status"] == "failed"
    validate_definition(OCR_SPEC, "ReadOperationResult", body)
    assert "Retry-After" not in r.headers
    [error] = store.get(job_id)["errors"]
    assert error["code"] == "InvalidImageFormat" and error["status"] == 400
    assert not (store.blobs / blob).exists()  # the upload goes with the finished job


def test_an_internal_failure_says_see_the_log_and_nothing_of_the_exception(vision_server):
    store, job_id, _ = read_job(vision_server, encode(printed(LINES[:1]), "PNG"), 5)  # pages: not a string
    r = finished(vision_server, job_id)
    assert r.json()["status"] == "failed" and "strip" not in r.text
    state = store.get(job_id)
    assert state["errors"] == [{"code": "InternalServerError", "message": INTERNAL_MESSAGE,
                                "target": "#/tasks/items/0"}]
    assert b"strip" not in orjson.dumps(state) and b"Error" not in orjson.dumps(state["errors"][0]["message"])
    log = vision_server.log_text()
    assert f"Job {job_id} (vision.read) failed" in log and "AttributeError" in log  # the reason is in the log
