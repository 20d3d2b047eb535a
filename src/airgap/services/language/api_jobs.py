"""The Language long-running job APIs on two wire contracts.

* Text Analytics v3.1: ``POST /text/analytics/v3.1/analyze`` (tasks grouped in
  named lists) and ``GET .../analyze/jobs/{jobId}`` (``$top``, ``$skip``, ``showStats``).
* Language 2022-05-01 / 2023-04-01: ``POST /language/analyze-text/jobs``,
  ``GET .../jobs/{jobId}`` (``top``, ``skip``, ``showStats``) and
  ``POST .../jobs/{jobId}:cancel``.

A submission is validated whole (documents, every task's kind and parameters)
before it is accepted: a bad one is a 400, never a failed job. Accepted jobs go
to the platform job store and answer 202 with ``Operation-Location``; any
server sharing the store can run them and answer the poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from airgap.platform.body import read_json
from airgap.platform.errors import AZURE, ApiError, BadRequest, Dialect, NotFound
from airgap.platform.jobs import (
    CANCELLED, PARTIAL, SUCCEEDED, TERMINAL, JobStore, render_job_error, store_unavailable,
)
from airgap.platform.responses import JSONResponse
from airgap.services.language.api_language import api_version
from airgap.services.language.api_textanalytics import PREFIX as TA_PREFIX
from airgap.services.language.documents import MAX_TEXT_ELEMENTS, parse_documents
from airgap.services.language.features.base import V3_1, V2022_05_01
from airgap.services.language.jobs import HANDLER, MAX_JOB_CHARACTERS, MAX_JOB_DOCUMENTS, task_parameters
from airgap.services.language.params import query_bool
from airgap.services.language.text_elements import count_text_elements

if TYPE_CHECKING:
    from airgap.services.language import LanguageService

LANGUAGE_JOBS = "/language/analyze-text/jobs"
V31_ANALYZE = f"{TA_PREFIX}/v3.1/analyze"

# Task kinds each contract defines for jobs (LanguageDetection is never a job task).
LRO_KINDS_2022 = ("SentimentAnalysis", "EntityRecognition", "PiiEntityRecognition", "KeyPhraseExtraction",
                  "EntityLinking", "Healthcare", "CustomEntityRecognition", "CustomSingleLabelClassification",
                  "CustomMultiLabelClassification")
LRO_KINDS_2023 = (*LRO_KINDS_2022, "ExtractiveSummarization", "AbstractiveSummarization")
# v3.1 groups tasks in lists named by kind.
V31_TASK_LISTS = {
    "entityRecognitionTasks": "EntityRecognition",
    "entityRecognitionPiiTasks": "PiiEntityRecognition",
    "keyPhraseExtractionTasks": "KeyPhraseExtraction",
    "entityLinkingTasks": "EntityLinking",
    "sentimentAnalysisTasks": "SentimentAnalysis",
}
DEFAULT_TOP, MAX_TOP = 20, 50


def build_router(service: LanguageService) -> APIRouter:
    router = APIRouter(tags=["Language jobs"])

    def store() -> JobStore:
        return service.runtime.jobs.store

    async def accept(api: str, display_name: Any, documents: Any,
                     tasks: list[dict[str, Any]], missing_code: str, where: str) -> dict[str, Any]:
        if display_name is not None and not isinstance(display_name, str):
            raise BadRequest("displayName must be a string.", inner_code="InvalidParameterValue")
        docs = parse_documents(documents, missing_code=missing_code, max_documents=MAX_JOB_DOCUMENTS, where=where)
        total = 0
        for doc in docs:
            elements = count_text_elements(doc.text)
            total += elements
            if elements > MAX_TEXT_ELEMENTS:
                raise BadRequest(
                    f"Document '{doc.id}' is too large to be processed: {elements} text elements; the limit is "
                    f"{MAX_TEXT_ELEMENTS}. For additional details on the data limitations see "
                    "https://aka.ms/text-analytics-data-limits", inner_code="InvalidDocument")
        if total > MAX_JOB_CHARACTERS:
            raise BadRequest(f"The job's documents hold {total} characters in all; the limit is {MAX_JOB_CHARACTERS}.",
                             inner_code="InvalidDocumentBatch")
        names: set[str] = set()
        for task in tasks:
            if task["name"] in names:
                raise BadRequest(f"Task name '{task['name']}' is used twice; give each task its own taskName.",
                                 inner_code="InvalidParameterValue")
            names.add(task["name"])
            feature = service.job_feature(task["kind"])
            assert feature is not None  # checked by the contract's parser
            task_parameters(feature, api, task["parameters"])  # raises the 400 now, not in the job
        job_input = {"api": api, "documents": [
            {"id": d.id, "text": d.text, "language": d.language, "countryHint": d.country_hint} for d in docs]}
        try:
            state = await asyncio.to_thread(store().create, service=service.name, handler=HANDLER,
                                            input=job_input, tasks=tasks, display_name=display_name)
        except OSError as exc:
            raise store_unavailable(store(), exc) from exc
        service.runtime.jobs.wake()
        return state

    def served_kind(kind: Any, api: str, allowed: tuple[str, ...], where: str) -> str:
        if not isinstance(kind, str) or not kind:
            raise BadRequest(f"{where}.kind is required; kinds served here: {', '.join(served(allowed))}.",
                             inner_code="InvalidParameterValue")
        if service.job_feature(kind) is not None and kind in allowed:
            return kind
        if kind in LRO_KINDS_2023 and kind not in allowed:
            raise BadRequest(f"Task kind {kind} is not part of api-version {api}; use api-version 2023-04-01.",
                             inner_code="InvalidParameterValue")
        if kind in allowed:
            raise BadRequest(f"Task kind {kind} is not served by this offline server (no bundled model for it); "
                             f"kinds served here: {', '.join(served(allowed))}.", inner_code="InvalidParameterValue")
        raise BadRequest(f"{where}.kind '{kind}' is not a job task kind; kinds served here: "
                         f"{', '.join(served(allowed))}.", inner_code="InvalidParameterValue")

    def served(allowed: tuple[str, ...]) -> list[str]:
        return [k for k in allowed if service.job_feature(k) is not None]

    # -- Language API ----------------------------------------------------------------------
    @router.post(LANGUAGE_JOBS, status_code=202, summary="Submit an analysis job (Language API)")
    async def submit_language(request: Request) -> Response:
        api = api_version(request)
        payload = await _object(request, service)
        analysis_input = payload.get("analysisInput")
        if not isinstance(analysis_input, dict):
            raise BadRequest("analysisInput must be an object: {\"documents\": [...]}.", inner_code="InvalidParameterValue")
        raw_tasks = payload.get("tasks")
        if not isinstance(raw_tasks, list) or not raw_tasks:
            raise BadRequest("tasks must be a non-empty array of {kind, taskName?, parameters?} objects.",
                             inner_code="InvalidParameterValue")
        allowed = LRO_KINDS_2022 if api == V2022_05_01 else LRO_KINDS_2023
        tasks = []
        for i, raw in enumerate(raw_tasks):
            where = f"tasks[{i}]"
            if not isinstance(raw, dict):
                raise BadRequest(f"{where} must be an object with kind and parameters.", inner_code="InvalidParameterValue")
            kind = served_kind(raw.get("kind"), api, allowed, where)
            tasks.append({"kind": kind, "name": _task_name(raw, where, f"{kind}_{i}"),
                          "parameters": _parameters(raw, where)})
        state = await accept(api, payload.get("displayName"), analysis_input.get("documents"), tasks,
                             "MissingInputDocuments", "analysisInput.documents")
        return _accepted(_language_location(request, state["jobId"], api))

    @router.get(LANGUAGE_JOBS + "/{job_id}", summary="Analysis job status and results (Language API)")
    async def get_language(request: Request, job_id: str) -> JSONResponse:
        api = api_version(request)
        state = await _job(store(), job_id, family="language")
        body = render_language(state, service, request, api, service.runtime.dialects.for_path(request.url.path))
        return _status_response(body, state)

    @router.post(LANGUAGE_JOBS + "/{job_id}:cancel", status_code=202, summary="Cancel an analysis job (Language API)")
    async def cancel_language(request: Request, job_id: str) -> Response:
        api = api_version(request)
        state = await _job(store(), job_id, family="language")
        if state["status"] in TERMINAL:
            # As Azure: only an unfinished job can be cancelled (the SDK documents an error here).
            raise ApiError(f"Job '{job_id}' has already finished ({state['status']}); only a job that is not "
                           "finished can be cancelled.", status=409, code="Conflict")
        await asyncio.to_thread(store().request_cancel, job_id)
        return _accepted(_language_location(request, job_id, api))

    # -- Text Analytics v3.1 ---------------------------------------------------------------
    @router.post(V31_ANALYZE, status_code=202, summary="Submit an analysis job (Text Analytics v3.1)")
    async def submit_v31(request: Request) -> Response:
        payload = await _object(request, service)
        analysis_input = payload.get("analysisInput")
        if not isinstance(analysis_input, dict):
            raise BadRequest("analysisInput must be an object: {\"documents\": [...]}.", inner_code="InvalidParameterValue")
        lists = payload.get("tasks")
        if not isinstance(lists, dict):
            raise BadRequest("tasks must be an object of task lists: " + ", ".join(V31_TASK_LISTS) + ".",
                             inner_code="InvalidParameterValue")
        tasks = []
        allowed = tuple(V31_TASK_LISTS.values())
        for list_name, items in lists.items():
            if list_name not in V31_TASK_LISTS:
                raise BadRequest(f"tasks.{list_name} is not a v3.1 task list; use {', '.join(V31_TASK_LISTS)} "
                                 "(summarization needs the Language API, api-version 2023-04-01).",
                                 inner_code="InvalidParameterValue")
            if items is None:
                continue
            if not isinstance(items, list):
                raise BadRequest(f"tasks.{list_name} must be an array.", inner_code="InvalidParameterValue")
            for j, raw in enumerate(items):
                where = f"tasks.{list_name}[{j}]"
                if not isinstance(raw, dict):
                    raise BadRequest(f"{where} must be an object.", inner_code="InvalidParameterValue")
                kind = served_kind(V31_TASK_LISTS[list_name], V3_1, allowed, where)
                tasks.append({"kind": kind, "name": _task_name(raw, where, f"{list_name}_{j}"),
                              "parameters": _parameters(raw, where), "list": list_name, "listIndex": j})
        if not tasks:
            raise BadRequest("tasks holds no task; add at least one to a task list.", inner_code="InvalidParameterValue")
        state = await accept(V3_1, payload.get("displayName"), analysis_input.get("documents"), tasks,
                             "MissingInputRecords", "analysisInput.documents")
        return _accepted(f"{_base(request)}{V31_ANALYZE}/jobs/{state['jobId']}")

    @router.get(V31_ANALYZE + "/jobs/{job_id}", summary="Analysis job status and results (Text Analytics v3.1)")
    async def get_v31(request: Request, job_id: str) -> JSONResponse:
        state = await _job(store(), job_id, family="v3.1")
        body = render_v31(state, service, request, service.runtime.dialects.for_path(request.url.path))
        return _status_response(body, state)

    return router


# -- rendering -------------------------------------------------------------------------------
def render_language(state: dict[str, Any], service: LanguageService, request: Request, api: str,
                    dialect: Dialect = AZURE) -> dict[str, Any]:
    page = _Page(state, request, prefix="")
    body: dict[str, Any] = {
        "jobId": state["jobId"],
        "createdDateTime": state["createdDateTime"],
        "expirationDateTime": state["expirationDateTime"],
        "lastUpdatedDateTime": state["lastUpdatedDateTime"],
        "status": state["status"],
        "errors": [_wire_error(e, dialect) for e in state["errors"]],
        "tasks": {**_counts(state), "items": [
            {"kind": f"{task['kind']}LROResults", "taskName": task["name"],
             "lastUpdateDateTime": task["lastUpdateDateTime"], "status": task["status"],
             "results": page.results(task, service)}
            for task in state["tasks"] if task["status"] in (SUCCEEDED, CANCELLED)]},
    }
    if state.get("displayName") is not None:
        body["displayName"] = state["displayName"]
    if page.show_stats and (stats := _job_statistics(state)) is not None:
        body["statistics"] = stats
    if (link := page.next_link("top", "skip")) is not None:
        body["nextLink"] = link
    return body


def render_v31(state: dict[str, Any], service: LanguageService, request: Request,
               dialect: Dialect = AZURE) -> dict[str, Any]:
    page = _Page(state, request, prefix="$")
    lists: dict[str, list[dict[str, Any]]] = {}
    for task in state["tasks"]:
        item: dict[str, Any] = {"lastUpdateDateTime": task["lastUpdateDateTime"], "taskName": task["name"],
                                "status": task["status"]}
        if task["status"] in (SUCCEEDED, CANCELLED):
            item["results"] = page.results(task, service)
        lists.setdefault(task["list"], []).append(item)
    errors = []
    for error in state["errors"]:
        wire = _wire_error(error, dialect)
        target = error.get("target", "")
        if target.startswith("#/tasks/items/"):
            task = state["tasks"][int(target.rsplit("/", 1)[1])]
            wire["target"] = f"#/tasks/{task['list']}/{task['listIndex']}"
        errors.append(wire)
    # v3.1 has no partiallyCompleted job status: the failed tasks are in errors[].
    status = SUCCEEDED if state["status"] == PARTIAL else state["status"]
    body: dict[str, Any] = {
        "jobId": state["jobId"],
        "createdDateTime": state["createdDateTime"],
        "expirationDateTime": state["expirationDateTime"],
        "lastUpdateDateTime": state["lastUpdatedDateTime"],
        "status": status,
        "errors": errors,
        "tasks": {**_counts(state), **lists},
    }
    if state.get("displayName") is not None:
        body["displayName"] = state["displayName"]
    if page.show_stats and (stats := _job_statistics(state)) is not None:
        body["statistics"] = stats
    if (link := page.next_link("$top", "$skip")) is not None:
        body["@nextLink"] = link
    return body


class _Page:
    """One page of documents (``top``/``skip`` over the input order) and the showStats choice."""

    def __init__(self, state: dict[str, Any], request: Request, prefix: str) -> None:
        query = request.query_params
        self.request = request
        self.state = state
        self.show_stats = query_bool(query, "showStats")
        self.top = _query_int(query, ("$top", "top"), DEFAULT_TOP, 1, MAX_TOP)
        self.skip = _query_int(query, ("$skip", "skip"), 0, 0, None)
        ids = [d["id"] for d in state["input"]["documents"]]
        self.total = len(ids)
        self.page_ids = ids[self.skip:self.skip + self.top]
        self.ids = set(self.page_ids)

    def results(self, task: dict[str, Any], service: LanguageService) -> dict[str, Any]:
        results = task.get("results")
        if results is None:  # cancelled before it ran: each document of the page says so
            feature = service.job_feature(task["kind"])
            # Not an empty result set: the SDK would pad every document of the job onto each page.
            errors = [{"id": doc_id, "error": {"code": "OperationCancelled",
                                                "message": "The job was cancelled before this task ran."}}
                      for doc_id in self.page_ids]
            return {"documents": [], "errors": errors, "modelVersion": feature.model_version if feature else "latest"}
        documents = [self._doc(d) for d in results["documents"] if d["id"] in self.ids]
        errors = [e for e in results["errors"] if e["id"] in self.ids]
        page: dict[str, Any] = {"documents": documents, "errors": errors}
        if self.show_stats and "statistics" in results:
            page["statistics"] = results["statistics"]
        page["modelVersion"] = results["modelVersion"]
        return page

    def _doc(self, doc: dict[str, Any]) -> dict[str, Any]:
        if self.show_stats or "statistics" not in doc:
            return doc
        return {k: v for k, v in doc.items() if k != "statistics"}

    def next_link(self, top_name: str, skip_name: str) -> str | None:
        if self.state["status"] not in TERMINAL or self.skip + self.top >= self.total:
            return None
        params = [(k, v) for k, v in self.request.query_params.multi_items()
                  if k not in ("$top", "top", "$skip", "skip")]
        params += [(top_name, str(self.top)), (skip_name, str(self.skip + self.top))]
        # "$" stays literal: the SDK strips it from the raw query before parsing the link.
        return str(self.request.url.replace(query=urlencode(params, safe="$")))


def _counts(state: dict[str, Any]) -> dict[str, int]:
    statuses = [t["status"] for t in state["tasks"]]
    completed = sum(s == SUCCEEDED for s in statuses)
    failed = sum(s in ("failed", CANCELLED) for s in statuses)
    return {"completed": completed, "failed": failed, "inProgress": len(statuses) - completed - failed,
            "total": len(statuses)}


def _job_statistics(state: dict[str, Any]) -> dict[str, int] | None:
    stats = [t["results"]["statistics"] for t in state["tasks"] if "statistics" in (t.get("results") or {})]
    if not stats:
        return None
    documents = len(state["input"]["documents"])
    valid = min(s["validDocumentsCount"] for s in stats)
    return {"documentsCount": documents, "validDocumentsCount": valid, "erroneousDocumentsCount": documents - valid,
            "transactionsCount": sum(s["transactionsCount"] for s in stats)}


def _wire_error(error: dict[str, Any], dialect: Dialect) -> dict[str, Any]:
    """A job error in the job's ``errors[]``: the service's error object (code, message, target,
    innererror)."""
    wire = render_job_error(error, dialect)
    return {k: wire[k] for k in ("code", "message", "target", "innererror") if k in wire}


def _status_response(body: dict[str, Any], state: dict[str, Any]) -> JSONResponse:
    # Pollers sleep Retry-After seconds; without it the SDK waits 5 s between polls.
    headers = {} if state["status"] in TERMINAL else {"Retry-After": "1"}
    return JSONResponse(body, headers=headers)


def _accepted(location: str) -> Response:
    return Response(status_code=202, headers={"Operation-Location": location})


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _language_location(request: Request, job_id: str, api: str) -> str:
    return f"{_base(request)}{LANGUAGE_JOBS}/{job_id}?api-version={api}"


async def _object(request: Request, service: LanguageService) -> dict[str, Any]:
    payload = await read_json(request, service.runtime.settings.max_request_bytes)
    if not isinstance(payload, dict):
        raise BadRequest("Request body must be a JSON object with analysisInput and tasks.",
                         inner_code="InvalidRequestBodyFormat")
    return payload


async def _job(store: JobStore, job_id: str, family: str) -> dict[str, Any]:
    state = await asyncio.to_thread(store.get, job_id)
    if state is not None and state.get("handler") == HANDLER:
        submitted_on_v31 = state["input"]["api"] == V3_1
        if submitted_on_v31 == (family == "v3.1"):
            return state
    raise NotFound(f"Job '{job_id}' was not found. Jobs are kept for 24 hours after submission, and are answered "
                   "on the API they were submitted to.")


def _task_name(raw: Mapping[str, Any], where: str, default: str) -> str:
    name = raw.get("taskName")
    if name is None:
        return default
    if not isinstance(name, str):
        raise BadRequest(f"{where}.taskName must be a string.", inner_code="InvalidParameterValue")
    return name


def _parameters(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    params = raw.get("parameters")
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise BadRequest(f"{where}.parameters must be an object.", inner_code="InvalidParameterValue")
    return params


def _query_int(query: Mapping[str, str], names: tuple[str, ...], default: int, low: int, high: int | None) -> int:
    for name in names:
        raw = query.get(name)
        if raw is None:
            continue
        try:
            value = int(raw)
        except ValueError:
            raise BadRequest(f"Query parameter {name}={raw!r} must be a whole number.",
                             inner_code="InvalidParameterValue") from None
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise BadRequest(f"Query parameter {name}={value} must be {bounds}.", inner_code="InvalidParameterValue")
        return value
    return default
