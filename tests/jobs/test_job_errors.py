"""A Language job whose tasks fail while they run: ``errors[]`` as the contracts document them,
and no exception text.

Jobs are written straight into the server's job folder (as another replica, or another
build, would), so the failures happen in the job rather than at submit.
"""

from __future__ import annotations

import time

import httpx
import orjson
import pytest

from airgap.platform.jobs import INTERNAL_MESSAGE, JobStore
from tests.support.contract import LANGUAGE_2023_04_01, TEXT_ANALYTICS_V3_1, validate_response
from tests.support.server import ServerProcess

TEXT = "Offline servers keep data at home."
CONTRACTS = {
    "2023-04-01": ("/language/analyze-text/jobs/{id}?api-version=2023-04-01", LANGUAGE_2023_04_01,
                   "/language/analyze-text/jobs/{jobId}", "#/tasks/items/"),
    "v3.1": ("/text/analytics/v3.1/analyze/jobs/{id}", TEXT_ANALYTICS_V3_1, "/analyze/jobs/{jobId}",
             "#/tasks/keyPhraseExtractionTasks/"),
}


@pytest.fixture(scope="module")
def broken_jobs_server(tmp_path_factory):
    """Its own server: the broken job below puts a traceback in the log, which the session's
    shared language server must never show (tests/language/test_bad_input.py checks it)."""
    folder = tmp_path_factory.mktemp("job-errors-server")
    server = ServerProcess(settings=["Services=language"], log_path=folder / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def run_job(server, api: str, documents: list[dict], parameters: list[dict]) -> tuple[httpx.Response, dict]:
    url, spec, path, _ = CONTRACTS[api]
    store = JobStore(server.output_dir / "jobs")
    tasks = [{"kind": "KeyPhraseExtraction", "name": f"t{i}", "parameters": p, "list": "keyPhraseExtractionTasks",
              "listIndex": i} for i, p in enumerate(parameters)]
    job_id = store.create(service="language", handler="language.analyze", tasks=tasks,
                          input={"api": api, "documents": documents})["jobId"]
    deadline = time.monotonic() + 60
    while True:
        r = httpx.get(server.url + url.format(id=job_id), timeout=30)
        assert r.status_code == 200, r.text
        body = r.json()
        if body["status"] not in ("notStarted", "running"):
            validate_response(spec, path, "get", 200, body)
            return r, store.get(job_id)
        assert time.monotonic() < deadline
        time.sleep(0.2)


@pytest.mark.parametrize("api", list(CONTRACTS))
def test_a_task_failing_with_an_api_error_keeps_its_codes(broken_jobs_server, api):
    documents = [{"id": "1", "text": TEXT, "language": "en"}]
    r, _ = run_job(broken_jobs_server, api, documents, [{"modelVersion": "1999-01-01"}, {}])
    body = r.json()
    assert body["status"] == ("succeeded" if api == "v3.1" else "partiallyCompleted")
    [error] = body["errors"]
    assert error["target"] == CONTRACTS[api][3] + "0"
    assert error["code"] == "InvalidRequest" and error["innererror"]["code"] == "ModelVersionIncorrect"
    assert error["message"].startswith("Invalid model version '1999-01-01'")


@pytest.mark.parametrize("api", list(CONTRACTS))
def test_a_task_that_breaks_says_see_the_log_and_nothing_of_the_exception(broken_jobs_server, api):
    # A document whose text is not a string: a job file no submit writes (another build's, or a
    # damaged one). The engine breaks on it with an exception no client should read.
    documents = [{"id": "1", "text": 12345, "language": "en"}]
    r, state = run_job(broken_jobs_server, api, documents, [{}])
    body = r.json()
    assert body["status"] == "failed"
    assert body["errors"] == [{"code": "InternalServerError", "message": INTERNAL_MESSAGE,
                               "target": CONTRACTS[api][3] + "0"}]
    assert "Error" not in orjson.dumps(state["errors"]).decode().replace("InternalServerError", "")
    assert f"Task 0 (KeyPhraseExtraction) of job {state['jobId']} failed" in broken_jobs_server.log_text()
