"""Job submissions, states and errors over raw HTTP, checked against Microsoft's contracts."""

from __future__ import annotations

import time

import httpx
import pytest
from starlette.requests import Request

from airgap.platform.jobs import JobStore
from airgap.services.language.api_jobs import render_language, render_v31
from tests.support.contract import (
    LANGUAGE_2023_04_01,
    LANGUAGE_SPECS,
    TEXT_ANALYTICS_V3_1,
    validate_definition,
    validate_response,
)

TEXT = ("Offline servers keep data at home. They answer the same REST calls as the cloud. "
        "Jobs survive restarts because their state lives in files. The weather was nice.")
DOCS = [{"id": str(i), "language": "en", "text": TEXT} for i in range(3)] + [{"id": "empty", "text": " "}]
TERMINAL = {"succeeded", "partiallyCompleted", "failed", "cancelled"}


def language_jobs(server, api: str = "2023-04-01") -> str:
    return f"{server.url}/language/analyze-text/jobs?api-version={api}"


def get(url: str, params: dict | None = None) -> httpx.Response:
    """GET keeping the URL's own query (api-version): httpx's ``params=`` would replace it."""
    return httpx.get(httpx.URL(url).copy_merge_params(params or {}), timeout=30)


def poll(url: str, spec: str, path: str, **params) -> list[httpx.Response]:
    """Every poll's response, up to the terminal one; each validated against the contract."""
    seen = []
    for _ in range(300):
        response = get(url, params)
        assert response.status_code == 200, response.text
        validate_response(spec, path, "get", 200, response.json())
        seen.append(response)
        if response.json()["status"] in TERMINAL:
            return seen
        assert response.headers["retry-after"] == "1"
        time.sleep(0.1)
    raise AssertionError("job did not finish")


@pytest.mark.parametrize("api", ["2023-04-01", "2022-05-01"])
def test_language_job_lifecycle_matches_the_contract(language_server, api) -> None:
    spec = LANGUAGE_SPECS[api]
    tasks = [{"kind": "KeyPhraseExtraction", "taskName": "phrases"}, {"kind": "EntityRecognition"}]
    if api == "2023-04-01":
        tasks.append({"kind": "ExtractiveSummarization", "taskName": "summary",
                      "parameters": {"sentenceCount": 2, "stringIndexType": "Utf16CodeUnit"}})
    submitted = httpx.post(language_jobs(language_server, api),
                           json={"displayName": "lifecycle", "analysisInput": {"documents": DOCS}, "tasks": tasks})
    assert submitted.status_code == 202, submitted.text
    validate_response(spec, "/language/analyze-text/jobs", "post", 202, submitted.content or None)
    location = submitted.headers["operation-location"]
    assert location.startswith(f"{language_server.url}/language/analyze-text/jobs/") and location.endswith(f"?api-version={api}")
    final = poll(location, spec, "/language/analyze-text/jobs/{jobId}")[-1]
    assert "retry-after" not in final.headers
    body = final.json()
    assert body["status"] == "succeeded" and body["displayName"] == "lifecycle"
    assert body["tasks"] | {"items": None} == {"completed": len(tasks), "failed": 0, "inProgress": 0,
                                              "total": len(tasks), "items": None}
    items = body["tasks"]["items"]
    assert [i["taskName"] for i in items] == ["phrases", "EntityRecognition_1", "summary"][:len(tasks)]
    assert [i["kind"] for i in items] == [t["kind"] + "LROResults" for t in tasks]
    assert [d["id"] for d in items[0]["results"]["documents"]] == ["0", "1", "2"]
    assert [e["id"] for e in items[0]["results"]["errors"]] == ["empty"]
    assert "statistics" not in body and "statistics" not in items[0]["results"]

    with_stats = get(location, {"showStats": "true"}).json()
    validate_response(spec, "/language/analyze-text/jobs/{jobId}", "get", 200, with_stats)
    assert with_stats["statistics"]["documentsCount"] == 4
    assert with_stats["statistics"]["erroneousDocumentsCount"] == 1
    assert with_stats["tasks"]["items"][0]["results"]["documents"][0]["statistics"]["charactersCount"] == len(TEXT)


def test_pages_follow_top_and_skip(language_server) -> None:
    submitted = httpx.post(language_jobs(language_server), json={
        "analysisInput": {"documents": DOCS}, "tasks": [{"kind": "ExtractiveSummarization"}]})
    location = submitted.headers["operation-location"]
    poll(location, LANGUAGE_2023_04_01, "/language/analyze-text/jobs/{jobId}")
    first = get(location, {"top": 2}).json()
    results = first["tasks"]["items"][0]["results"]
    assert [d["id"] for d in results["documents"]] == ["0", "1"] and results["errors"] == []
    second = httpx.get(first["nextLink"]).json()
    validate_response(LANGUAGE_2023_04_01, "/language/analyze-text/jobs/{jobId}", "get", 200, second)
    results = second["tasks"]["items"][0]["results"]
    assert [d["id"] for d in results["documents"]] == ["2"] and [e["id"] for e in results["errors"]] == ["empty"]
    assert "nextLink" not in second


def test_v31_job_lifecycle_matches_the_contract(language_server) -> None:
    submitted = httpx.post(f"{language_server.url}/text/analytics/v3.1/analyze", json={
        "displayName": "v3.1", "analysisInput": {"documents": DOCS},
        "tasks": {"keyPhraseExtractionTasks": [{"taskName": "k", "parameters": {"model-version": "latest"}}],
                  "entityRecognitionPiiTasks": [{"parameters": {"domain": "phi"}}]}})
    assert submitted.status_code == 202, submitted.text
    validate_response(TEXT_ANALYTICS_V3_1, "/analyze", "post", 202, submitted.content or None)
    location = submitted.headers["operation-location"]
    assert location.startswith(f"{language_server.url}/text/analytics/v3.1/analyze/jobs/")
    body = poll(location, TEXT_ANALYTICS_V3_1, "/analyze/jobs/{jobId}", **{"$top": 3, "showStats": "true"})[-1].json()
    assert body["status"] == "succeeded" and body["tasks"]["completed"] == 2
    assert body["tasks"]["keyPhraseExtractionTasks"][0]["taskName"] == "k"
    assert body["tasks"]["entityRecognitionPiiTasks"][0]["taskName"] == "entityRecognitionPiiTasks_0"
    assert len(body["tasks"]["keyPhraseExtractionTasks"][0]["results"]["documents"]) == 3
    assert "$skip=3" in body["@nextLink"]
    # A v3.1 job is not a Language API job, and the other way round.
    job_id = location.rsplit("/", 1)[1]
    other = httpx.get(f"{language_server.url}/language/analyze-text/jobs/{job_id}?api-version=2023-04-01")
    assert other.status_code == 404


def test_cancel(language_server) -> None:
    submitted = httpx.post(language_jobs(language_server), json={
        "analysisInput": {"documents": DOCS}, "tasks": [{"kind": "KeyPhraseExtraction"}]})
    location = submitted.headers["operation-location"]
    job_id = location.split("/jobs/")[1].split("?")[0]
    cancel = httpx.post(f"{language_server.url}/language/analyze-text/jobs/{job_id}:cancel?api-version=2023-04-01")
    # The job may already have finished (a short job on an idle machine): then 409, as for any finished job.
    assert cancel.status_code in (202, 409), cancel.text
    if cancel.status_code == 202:
        assert cancel.content == b""
        validate_response(LANGUAGE_2023_04_01, "/language/analyze-text/jobs/{jobId}:cancel", "post", 202, None)
        assert cancel.headers["operation-location"] == location
    # Cancelled before it ran, or finished first: either way a terminal state the contract allows.
    final = poll(location, LANGUAGE_2023_04_01, "/language/analyze-text/jobs/{jobId}")[-1].json()
    assert final["status"] in ("cancelled", "succeeded")
    again = httpx.post(f"{language_server.url}/language/analyze-text/jobs/{job_id}:cancel?api-version=2023-04-01")
    assert again.status_code == 409 and again.json()["error"]["code"] == "Conflict"  # finished jobs stay as they are
    validate_definition(LANGUAGE_2023_04_01, "ErrorResponse", again.json())
    assert httpx.get(location).json()["status"] == final["status"]


BAD_SUBMISSIONS = [
    ({}, "analysisInput"),
    ({"analysisInput": {"documents": DOCS}}, "tasks"),
    ({"analysisInput": {"documents": DOCS}, "tasks": []}, "tasks"),
    ({"analysisInput": {"documents": []}, "tasks": [{"kind": "KeyPhraseExtraction"}]}, "documents"),
    ({"analysisInput": {"documents": DOCS}, "tasks": [{"kind": "LanguageDetection"}]}, "not a job task kind"),
    ({"analysisInput": {"documents": DOCS}, "tasks": [{"kind": "Healthcare"}]}, "not served"),
    ({"analysisInput": {"documents": DOCS}, "tasks": [{"kind": "AbstractiveSummarization"}]}, "generative"),
    ({"analysisInput": {"documents": DOCS}, "tasks": [{"kind": "ExtractiveSummarization",
                                                       "parameters": {"sentenceCount": 50}}]}, "sentenceCount"),
    ({"analysisInput": {"documents": DOCS}, "tasks": [{"kind": "KeyPhraseExtraction", "taskName": "a"},
                                                      {"kind": "EntityRecognition", "taskName": "a"}]}, "twice"),
    ({"analysisInput": {"documents": [{"id": str(i), "text": "x"} for i in range(26)]},
      "tasks": [{"kind": "KeyPhraseExtraction"}]}, "Max 25"),
    ({"analysisInput": {"documents": [{"id": "big", "text": "word " * 1100}]},
      "tasks": [{"kind": "KeyPhraseExtraction"}]}, "too large"),
]


@pytest.mark.parametrize(("body", "says"), BAD_SUBMISSIONS, ids=[s for _, s in BAD_SUBMISSIONS])
def test_bad_submissions_are_400_envelopes(language_server, body, says) -> None:
    response = httpx.post(language_jobs(language_server), json=body)
    assert response.status_code == 400, response.text
    validate_definition(LANGUAGE_2023_04_01, "ErrorResponse", response.json())
    assert says in response.json()["error"]["message"]


def test_summarization_is_not_in_2022_05_01_nor_v31(language_server) -> None:
    response = httpx.post(language_jobs(language_server, "2022-05-01"), json={
        "analysisInput": {"documents": DOCS}, "tasks": [{"kind": "ExtractiveSummarization"}]})
    assert response.status_code == 400 and "2023-04-01" in response.json()["error"]["message"]
    response = httpx.post(f"{language_server.url}/text/analytics/v3.1/analyze", json={
        "analysisInput": {"documents": DOCS}, "tasks": {"extractiveSummarizationTasks": [{}]}})
    assert response.status_code == 400 and "2023-04-01" in response.json()["error"]["message"]


@pytest.mark.parametrize("path", [
    "/language/analyze-text/jobs/00000000-0000-0000-0000-000000000000?api-version=2023-04-01",
    "/language/analyze-text/jobs/not-a-job?api-version=2023-04-01",
    "/text/analytics/v3.1/analyze/jobs/00000000-0000-0000-0000-000000000000",
])
def test_unknown_jobs_are_404_envelopes(language_server, path) -> None:
    response = httpx.get(language_server.url + path)
    assert response.status_code == 404
    validate_definition(LANGUAGE_2023_04_01, "ErrorResponse", response.json())
    cancel = httpx.post(language_server.url + path.replace("?", ":cancel?"))
    if "language" in path:
        assert cancel.status_code == 404


def test_bad_paging_parameters_are_400(language_server) -> None:
    submitted = httpx.post(language_jobs(language_server), json={
        "analysisInput": {"documents": DOCS[:1]}, "tasks": [{"kind": "KeyPhraseExtraction"}]})
    location = submitted.headers["operation-location"]
    for params in ({"top": 0}, {"top": 51}, {"skip": -1}, {"top": "ten"}):
        assert get(location, params).status_code == 400


def _request(path: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": [],
                    "scheme": "http", "server": ("testserver", 80), "root_path": ""})


class _Service:
    @staticmethod
    def job_feature(kind: str) -> None:
        return None


def test_partially_completed_and_failed_tasks_render_per_contract(tmp_path) -> None:
    """A task failing at run time: partiallyCompleted (Language) with a targeted error the SDK can match."""
    store = JobStore(tmp_path)
    documents = [{"id": "1", "text": TEXT, "language": "en"}]
    results = {"documents": [{"id": "1", "keyPhrases": ["data"], "warnings": []}], "errors": [], "modelVersion": "m"}
    for api in ("2023-04-01", "v3.1"):
        tasks = [{"kind": "KeyPhraseExtraction", "name": "ok", "list": "keyPhraseExtractionTasks", "listIndex": 0},
                 {"kind": "EntityRecognition", "name": "bad", "list": "entityRecognitionTasks", "listIndex": 0}]
        state = store.create(service="language", handler="language.analyze",
                             input={"api": api, "documents": documents}, tasks=tasks)
        claim = store.try_claim(state["jobId"])
        claim.start()
        claim.tasks[0].update(status="succeeded", results=results)
        claim.fail_task(1, {"code": "InternalServerError", "message": "engine broke"})
        claim.finish()
        state = store.get(state["jobId"])
        if api == "v3.1":
            body = render_v31(state, _Service(), _request("/text/analytics/v3.1/analyze/jobs/x"))
            validate_response(TEXT_ANALYTICS_V3_1, "/analyze/jobs/{jobId}", "get", 200, body)
            assert body["status"] == "succeeded"  # v3.1 has no partiallyCompleted; errors[] names the task
            assert body["errors"][0]["target"] == "#/tasks/entityRecognitionTasks/0"
            assert body["tasks"]["entityRecognitionTasks"][0]["status"] == "failed"
        else:
            body = render_language(state, _Service(), _request("/language/analyze-text/jobs/x"), api)
            validate_response(LANGUAGE_2023_04_01, "/language/analyze-text/jobs/{jobId}", "get", 200, body)
            assert body["status"] == "partiallyCompleted"
            assert body["errors"] == [{"code": "InternalServerError", "message": "engine broke",
                                       "target": "#/tasks/items/1"}]
            assert [i["taskName"] for i in body["tasks"]["items"]] == ["ok"]
        assert body["tasks"]["completed"] == 1 and body["tasks"]["failed"] == 1
