"""An analyze operation that fails while it runs: ``error`` as the contracts document it, with no
exception text.

Jobs are written straight into the server's job folder (as another replica would), so the
failure happens in the job itself rather than at submit.
"""

from __future__ import annotations

import time

import httpx
import orjson
import pytest

from airgap.platform import job_files
from airgap.platform.jobs import INTERNAL_MESSAGE, JobStore
from tests.support.contract import validate_definition
from tests.vision.pages import LINES, encode, printed

SPECS = {
    ("formrecognizer", "2023-07-31"): (
        "specification/cognitiveservices/data-plane/FormRecognizer/stable/2023-07-31/FormRecognizer.json",
        "AnalyzeResultOperation"),
    ("documentintelligence", "2024-11-30"): (
        "specification/ai/data-plane/DocumentIntelligence/stable/2024-11-30/DocumentIntelligence.json",
        "AnalyzeOperation"),
}


def analyze_job(server, data: bytes, model: str, version: str) -> tuple[JobStore, str]:
    store = JobStore(server.output_dir / "jobs")
    blob = job_files.save(store, data)
    state = store.create(service="document", handler="document.analyze", tasks=[{"name": "analyze", "kind": model}],
                         input={"api": version, "model": model, "pages": None, "locale": None, "blob": blob,
                                "stringIndexType": "textElements", "features": [], "markdown": False})
    return store, state["jobId"]


def finished(server, base: str, model: str, version: str, job_id: str) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        r = httpx.get(f"{server.url}/{base}/documentModels/{model}/analyzeResults/{job_id}?api-version={version}",
                      timeout=30)
        assert r.status_code == 200, r.text
        if r.json()["status"] not in ("notStarted", "running"):
            return r
        assert time.monotonic() < deadline
        time.sleep(0.2)


@pytest.mark.parametrize("base,version", list(SPECS))
def test_a_file_that_cannot_be_read_fails_with_the_nested_error(document_server, base, version):
    _, job_id = analyze_job(document_server, b"GIF89a not a format the service takes", "prebuilt-read", version)
    body = finished(document_server, base, "prebuilt-read", version, job_id).json()
    validate_definition(*SPECS[base, version], body)
    assert body["status"] == "failed" and "analyzeResult" not in body
    error = body["error"]
    assert set(error) == {"code", "message", "innererror"}
    assert error["code"] == "InvalidRequest" and error["innererror"]["code"] == "InvalidContent"
    assert "JPEG, PNG, BMP, TIFF and PDF" in error["message"]


@pytest.mark.parametrize("base,version", list(SPECS))
def test_an_internal_failure_says_see_the_log_and_nothing_of_the_exception(document_server, base, version):
    # A model this build does not know (another build wrote the job): the analysis breaks in the worker.
    store, job_id = analyze_job(document_server, encode(printed(LINES[:1]), "PNG"), "prebuilt-unknown", version)
    r = finished(document_server, base, "prebuilt-unknown", version, job_id)
    body = r.json()
    validate_definition(*SPECS[base, version], body)
    assert body["error"] == {"code": "InternalServerError", "message": INTERNAL_MESSAGE}
    assert "KeyError" not in r.text and b"KeyError" not in orjson.dumps(store.get(job_id))
    log = document_server.log_text()
    assert f"Job {job_id} (document.analyze) failed" in log and "KeyError" in log
