"""CLU authoring routes that ``ConversationAuthoringClient`` (azure-ai-language-conversations 1.1.0)
drives: import a project export, train it (a platform job, run in a worker process), deploy a
trained model, and read projects, models, deployments and job states.

Import and deploy finish while the request is answered (a check and a file copy); they still
answer 202 with ``operation-location``, whose job reads ``succeeded``, as the SDK's pollers
expect. A bad export is refused with a 400 then, never accepted as a job that fails later.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from airgap.platform.body import read_json
from airgap.platform.errors import BadRequest, NotFound
from airgap.platform.jobs import JobStore, render_job_error, store_unavailable
from airgap.platform.responses import JSONResponse
from airgap.services.conversations import training
from airgap.services.conversations.api_runtime import api_version
from airgap.services.conversations.engines import luis_app
from airgap.services.conversations.engines.project import ProjectError, parse_project
from airgap.services.conversations.store import now_iso, valid_name

if TYPE_CHECKING:
    from airgap.services.conversations.service import ConversationsService

PREFIX = "/language/authoring/analyze-conversations"
PROJECT = PREFIX + "/projects/{project}"
METADATA_KEYS = ("projectKind", "settings", "projectName", "multilingual", "description", "language")


def build_router(service: ConversationsService) -> APIRouter:
    router = APIRouter(tags=["Conversational language understanding authoring"])
    store = service.store

    def jobs() -> JobStore:
        assert service.runtime.jobs is not None
        return service.runtime.jobs.store

    def location(request: Request, path: str, api: str) -> str:
        return f"{str(request.base_url).rstrip('/')}{PREFIX}/{path}?api-version={api}"

    def accepted(url: str) -> Response:
        return Response(status_code=202, headers={"operation-location": url})

    def name_of(value: str, what: str) -> str:
        if not valid_name(value):
            raise BadRequest(f"{what} '{value}' is not valid: use up to 100 letters, digits, '_', '-' and '.'.",
                             inner_code="InvalidParameterValue")
        return value

    async def project_or_404(project: str) -> dict[str, Any]:
        record = await asyncio.to_thread(store.project, project)
        if record is None:
            raise NotFound(f"Project '{project}' was not found; import it first "
                           f"(POST {PREFIX}/projects/{project}/:import).", code="ProjectNotFound")
        return record

    async def body_object(request: Request) -> dict[str, Any]:
        body = await read_json(request, service.runtime.settings.max_request_bytes)
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.", inner_code="InvalidRequestBodyFormat")
        return body

    def finished_operation(warnings: tuple[str, ...] = ()) -> dict[str, Any]:
        stamp = now_iso()
        expires = (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
        record: dict[str, Any] = {"jobId": str(uuid.uuid4()), "createdDateTime": stamp, "lastUpdatedDateTime": stamp,
                                  "expirationDateTime": expires, "status": "succeeded"}
        if warnings:
            record["warnings"] = [{"code": "UnsupportedComponent", "message": w} for w in warnings]
        return record

    # -- projects --------------------------------------------------------------------------
    @router.get(PREFIX + "/projects", summary="List projects")
    async def list_projects(request: Request) -> JSONResponse:
        api_version(request)
        records = await asyncio.to_thread(store.projects)
        return JSONResponse({"value": [r["metadata"] for r in records], "nextLink": None})

    @router.get(PROJECT, summary="Get a project's metadata")
    async def get_project(request: Request, project: str) -> JSONResponse:
        api_version(request)
        return JSONResponse((await project_or_404(project))["metadata"])

    @router.post(PROJECT + "/:import", status_code=202, summary="Import a project export (replaces its assets)")
    async def import_project(request: Request, project: str) -> Response:
        api = api_version(request)
        name_of(project, "Project name")
        fmt = request.query_params.get("format", "Conversation")
        if fmt.lower() not in ("conversation", "luis"):
            raise BadRequest(f"format={fmt} is not supported; import a CLU project export (format=Conversation) or "
                             "a LUIS app JSON (format=luis).", inner_code="InvalidParameterValue")
        body = await body_object(request)
        warnings: tuple[str, ...] = ()
        try:
            if fmt.lower() == "luis":
                # Stored as the CLU export it becomes, as Azure's CLU keeps an imported LUIS app.
                app = await asyncio.to_thread(luis_app.convert, body, project)
                body, warnings = app.export, app.warnings
            parsed = await asyncio.to_thread(parse_project, body, project)
        except ProjectError as exc:
            raise BadRequest(f"The project file cannot be imported: {exc}", inner_code="InvalidParameterValue") from None
        metadata = {k: v for k, v in body["metadata"].items() if k in METADATA_KEYS}
        metadata.setdefault("projectKind", "Conversation")
        metadata.setdefault("language", parsed.language)
        metadata.setdefault("multilingual", parsed.multilingual)
        metadata["projectFileVersion"] = body["projectFileVersion"]
        operation = finished_operation(warnings + parsed.warnings)
        await asyncio.to_thread(store.save_project, project, metadata, body)
        await asyncio.to_thread(store.save_operation, project, {**operation, "kind": "import"})
        return accepted(location(request, f"projects/{project}/import/jobs/{operation['jobId']}", api))

    @router.get(PROJECT + "/import/jobs/{job_id}", summary="Import job state")
    async def import_job(request: Request, project: str, job_id: str) -> JSONResponse:
        return await operation_state(request, project, job_id, "import")

    async def operation_state(request: Request, project: str, job_id: str, kind: str) -> JSONResponse:
        api_version(request)
        record = await asyncio.to_thread(store.operation, project, job_id)
        if record is None or record.get("kind") != kind:
            raise NotFound(f"There is no {kind} job '{job_id}' in project '{project}'.", code="OperationNotFound")
        return JSONResponse({k: v for k, v in record.items() if k != "kind"})

    # -- training --------------------------------------------------------------------------
    @router.post(PROJECT + "/:train", status_code=202, summary="Train a model (a job)")
    async def train(request: Request, project: str) -> Response:
        api = api_version(request)
        await project_or_404(project)
        body = await body_object(request)
        label = body.get("modelLabel")
        if not isinstance(label, str) or not label:
            raise BadRequest("modelLabel is required: the label the trained model gets.",
                             inner_code="InvalidParameterValue")
        name_of(label, "modelLabel")
        mode = body.get("trainingMode", "standard")
        if mode not in ("standard", "advanced"):
            raise BadRequest("trainingMode must be standard or advanced.", inner_code="InvalidParameterValue")
        job_input = {"project": project, "modelLabel": label, "trainingMode": mode,
                     "trainingConfigVersion": body.get("trainingConfigVersion") or training.TRAINING_CONFIG_VERSION}
        try:
            state = await asyncio.to_thread(jobs().create, service=service.name, handler=training.HANDLER,
                                            input=job_input, tasks=[{"name": "train", "kind": "Train"}])
        except OSError as exc:
            raise store_unavailable(jobs(), exc) from exc
        assert service.runtime.jobs is not None
        service.runtime.jobs.wake()
        return accepted(location(request, f"projects/{project}/train/jobs/{state['jobId']}", api))

    @router.get(PROJECT + "/train/jobs/{job_id}", summary="Training job state")
    async def train_job(request: Request, project: str, job_id: str) -> JSONResponse:
        api_version(request)
        state = await asyncio.to_thread(jobs().get, job_id)
        if state is None or state.get("handler") != training.HANDLER or state["input"]["project"] != project:
            raise NotFound(f"There is no training job '{job_id}' in project '{project}'.", code="OperationNotFound")
        task = state["tasks"][0]
        trained = task.get("results") or {}
        status = state["status"]
        job_input = state["input"]
        training_status = {"percentComplete": 100 if status == "succeeded" else 0, "status": task["status"]}
        if trained:
            training_status["startDateTime"] = trained["trainingStartedDateTime"]
            training_status["endDateTime"] = trained["lastTrainedDateTime"]
        body: dict[str, Any] = {
            "jobId": state["jobId"], "createdDateTime": state["createdDateTime"],
            "lastUpdatedDateTime": state["lastUpdatedDateTime"], "expirationDateTime": state["expirationDateTime"],
            "status": status,
            "result": {"modelLabel": job_input["modelLabel"], "trainingConfigVersion": job_input["trainingConfigVersion"],
                       "trainingMode": job_input["trainingMode"], "trainingStatus": training_status},
        }
        if state.get("errors"):
            dialect = service.runtime.dialects.for_path(request.url.path)
            body["errors"] = [render_job_error(e, dialect) for e in state["errors"]]
        return JSONResponse(body)

    @router.get(PROJECT + "/models", summary="List trained models")
    async def list_models(request: Request, project: str) -> JSONResponse:
        api_version(request)
        await project_or_404(project)
        models = await asyncio.to_thread(store.models, project)
        return JSONResponse({"value": [_model(m) for m in models], "nextLink": None})

    @router.get(PROJECT + "/models/{label}", summary="Get a trained model")
    async def get_model(request: Request, project: str, label: str) -> JSONResponse:
        api_version(request)
        await project_or_404(project)
        trained = await asyncio.to_thread(store.model, project, label)
        if trained is None:
            raise NotFound(f"There is no trained model '{label}' in project '{project}'.", code="NotFound")
        return JSONResponse(_model(trained))

    # -- deployments -----------------------------------------------------------------------
    @router.get(PROJECT + "/deployments", summary="List deployments")
    async def list_deployments(request: Request, project: str) -> JSONResponse:
        api_version(request)
        await project_or_404(project)
        records = await asyncio.to_thread(store.deployments, project)
        return JSONResponse({"value": [_deployment(d) for d in records], "nextLink": None})

    @router.get(PROJECT + "/deployments/{deployment}", summary="Get a deployment")
    async def get_deployment(request: Request, project: str, deployment: str) -> JSONResponse:
        api_version(request)
        await project_or_404(project)
        record = await asyncio.to_thread(store.deployment, project, deployment)
        if record is None:
            raise NotFound(f"Deployment '{deployment}' was not found in project '{project}'.", code="NotFound")
        return JSONResponse(_deployment(record))

    @router.put(PROJECT + "/deployments/{deployment}", status_code=202, summary="Deploy a trained model")
    async def deploy(request: Request, project: str, deployment: str) -> Response:
        api = api_version(request)
        await project_or_404(project)
        name_of(deployment, "Deployment name")
        body = await body_object(request)
        label = body.get("trainedModelLabel")
        if not isinstance(label, str) or not label:
            raise BadRequest("trainedModelLabel is required: the label of a trained model.",
                             inner_code="InvalidParameterValue")
        trained = await asyncio.to_thread(store.model, project, label)
        if trained is None:
            raise NotFound(f"There is no trained model '{label}' in project '{project}'; train it first "
                           f"(POST {PREFIX}/projects/{project}/:train).", code="NotFound")
        await asyncio.to_thread(store.deploy, project, deployment, label, trained)
        operation = finished_operation()
        await asyncio.to_thread(store.save_operation, project, {**operation, "kind": f"deploy:{deployment}"})
        return accepted(location(request, f"projects/{project}/deployments/{deployment}/jobs/{operation['jobId']}",
                                 api))

    @router.get(PROJECT + "/deployments/{deployment}/jobs/{job_id}", summary="Deployment job state")
    async def deploy_job(request: Request, project: str, deployment: str, job_id: str) -> JSONResponse:
        return await operation_state(request, project, job_id, f"deploy:{deployment}")

    return router


def _model(trained: dict[str, Any]) -> dict[str, Any]:
    return {"label": trained["label"], "modelId": trained["modelId"],
            "lastTrainedDateTime": trained["lastTrainedDateTime"],
            "lastTrainingDurationInSeconds": max(1, round(trained["lastTrainingDurationInSeconds"])),
            "modelExpirationDate": "2099-12-31", "modelTrainingConfigVersion": trained["modelTrainingConfigVersion"],
            "hasSnapshot": False}


def _deployment(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("snapshot", "modelLabel")}

