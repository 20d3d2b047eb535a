"""Custom template models over the wire: ``documentModels:build`` (a platform job, polled at
``operations/{id}``), ``DELETE documentModels/{id}``, and clear refusals of what is not offered
offline (neural builds, composed models, classifiers). Details, the list, ``info`` and analyze
stay in ``api_analyze`` and ask ``catalog.CustomModels`` about custom ids."""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import zipfile
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response

from airgap.platform import job_files
from airgap.platform.body import read_json
from airgap.platform.errors import ApiError, BadRequest, NotFound
from airgap.platform.jobs import JobFailure, render_job_error, store_unavailable
from airgap.platform.responses import JSONResponse
from airgap.platform.upload_jobs import OPERATION_STATUS
from airgap.services.document.custom import build_job, sources
from airgap.services.document.custom.build import TrainingDataError
from airgap.services.document.custom.store import valid_model_id
from airgap.services.document.models import DOCUMENT_INTELLIGENCE_VERSIONS, FORM_RECOGNIZER_VERSIONS, MODELS

if TYPE_CHECKING:
    from airgap.services.document import DocumentService

BASES = {"/formrecognizer": FORM_RECOGNIZER_VERSIONS, "/documentintelligence": DOCUMENT_INTELLIGENCE_VERSIONS}
NOT_OFFERED = ("Offline, this server builds template models only (buildMode 'template', from labelled samples); "
               "analyze with each template model in turn instead")


def build_router(service: DocumentService) -> APIRouter:
    router = APIRouter(tags=["Document Intelligence custom models"])
    for base, versions in BASES.items():
        _routes(router, service, base, versions)
    return router


def _routes(router: APIRouter, service: DocumentService, base: str, versions: tuple[str, ...]) -> None:
    version_param = {"name": "api-version", "in": "query", "required": True,
                     "schema": {"type": "string", "enum": list(versions)}}

    @router.post(f"{base}/documentModels:build", status_code=202, name=f"{base}-build",
                 summary="Build a template model from labelled samples (base64Source zip, or a shared-mount folder)",
                 openapi_extra={"parameters": [version_param]})
    async def build(request: Request) -> Response:
        version = _version(request, versions)
        body = await read_json(request, service.runtime.settings.max_file_bytes * 2)
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.", inner_code="InvalidRequest")
        model_id = body.get("modelId")
        if not isinstance(model_id, str) or not valid_model_id(model_id):
            raise BadRequest("modelId is required: 2-64 characters, letters, digits and . _ ~ -, starting with a "
                             "letter or digit, not starting with 'prebuilt-'.", inner_code="InvalidParameter",
                             target="modelId")
        mode = body.get("buildMode")
        if mode == "neural":
            raise BadRequest("buildMode 'neural' is not offered: this offline server trains no neural models. Build "
                             "with buildMode 'template' from labelled samples (five or more of one form).",
                             inner_code="InvalidParameter", target="buildMode")
        if mode != "template":
            raise BadRequest("buildMode is required and must be 'template' (the one build mode offered offline).",
                             inner_code="InvalidParameter", target="buildMode")
        if not body.get("allowOverwrite") and await asyncio.to_thread(service.custom.store.exists, model_id):
            raise ApiError(f"A model named '{model_id}' exists; choose another modelId, delete it first"
                           + (", or set allowOverwrite." if version >= "2024-11-30" else "."),
                           code="Conflict", status=409, inner_code="ModelExists")
        data = _source(body, service)
        job = {"api": version, "base": base,
               "request": {k: v for k, v in body.items() if k != "base64Source"}}
        task = {"name": "build", "kind": "documentModelBuild"}
        jobs = service.runtime.jobs
        if data is not None:
            state = await job_files.submit(jobs, service=service.name, handler=build_job.HANDLER, data=data,
                                           input=job, task=task)
        else:
            try:
                state = await asyncio.to_thread(jobs.store.create, service=service.name, handler=build_job.HANDLER,
                                                input=job, tasks=[task])
            except OSError as exc:
                raise store_unavailable(jobs.store, exc) from exc
            jobs.wake()
        location = f"{str(request.base_url).rstrip('/')}{base}/operations/{state['jobId']}?api-version={version}"
        return Response(status_code=202, headers={"Operation-Location": location, "Retry-After": "1"})

    @router.get(f"{base}/operations/{{operation_id}}", name=f"{base}-operation",
                summary="State of a build operation", openapi_extra={"parameters": [version_param]})
    async def operation(operation_id: str, request: Request) -> JSONResponse:
        version = _version(request, versions)
        state = await asyncio.to_thread(service.runtime.jobs.store.get, operation_id)
        if state is None or state.get("handler") != build_job.HANDLER or state["input"]["base"] != base:
            raise NotFound(f"Operation '{operation_id}' was not found; operations are kept for 24 hours.",
                           inner_code="OperationNotFound")
        job = state["input"]
        status = OPERATION_STATUS.get(state["status"], "running")
        model_id = job["request"]["modelId"]
        body: dict[str, Any] = {
            "operationId": operation_id, "status": status,
            "percentCompleted": 100 if status in ("succeeded", "failed") else 0,
            "createdDateTime": state["createdDateTime"], "lastUpdatedDateTime": state["lastUpdatedDateTime"],
            "kind": "documentModelBuild",
            "resourceLocation": f"{str(request.base_url).rstrip('/')}{base}/documentModels/{model_id}"
                                f"?api-version={version}",
            "apiVersion": job["api"]}
        if job["request"].get("tags"):
            body["tags"] = job["request"]["tags"]
        if status == "succeeded":
            body["result"] = state["tasks"][0]["results"]
        elif status == "failed":
            stored = (state.get("errors") or [JobFailure.internal().to_json()])[0]
            error = render_job_error(stored, service.dialect)
            body["error"] = {k: v for k, v in error.items() if k in ("code", "message", "innererror")}
        return JSONResponse(body, headers={} if status in ("succeeded", "failed") else {"Retry-After": "1"})

    @router.delete(f"{base}/documentModels/{{model_id}}", status_code=204, name=f"{base}-delete-model",
                   summary="Delete a custom model", openapi_extra={"parameters": [version_param]})
    async def delete(model_id: str, request: Request) -> Response:
        _version(request, versions)
        if model_id in MODELS:
            raise BadRequest(f"'{model_id}' is a prebuilt model and cannot be deleted.", inner_code="InvalidParameter")
        if not await asyncio.to_thread(service.custom.store.delete, model_id):
            raise NotFound(f"Model '{model_id}' was not found.", inner_code="ModelNotFound")
        return Response(status_code=204)

    @router.post(f"{base}/documentModels:compose", name=f"{base}-compose", include_in_schema=False)
    async def compose(request: Request) -> Response:
        _version(request, versions)
        raise BadRequest(f"Composed models are not offered. {NOT_OFFERED}.", inner_code="InvalidRequest")

    @router.post(f"{base}/documentClassifiers:build", name=f"{base}-classifier-build", include_in_schema=False)
    async def classifier(request: Request) -> Response:
        _version(request, versions)
        raise BadRequest(f"Document classifiers are not offered. {NOT_OFFERED}, and keep the one whose "
                         "documents[0].confidence is highest.", inner_code="InvalidRequest")


def _source(body: dict[str, Any], service: DocumentService) -> bytes | None:
    """The zip of base64Source (checked now), or None for a folder source (checked now too)."""
    encoded = body.get("base64Source")
    if encoded is not None:
        try:
            data = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else b""
        except (binascii.Error, ValueError):
            data = b""
        if not data or not zipfile.is_zipfile(io.BytesIO(data)):
            raise BadRequest("base64Source must be a base64-encoded zip of fields.json, <document>.labels.json and "
                             "<document>.ocr.json files.", inner_code="InvalidContentSourceFormat", target="base64Source")
        return data
    source = body.get("azureBlobSource") or body.get("azureBlobFileListSource")
    if not isinstance(source, dict) or not isinstance(source.get("containerUrl"), str):
        raise BadRequest("The training data is missing: send the labelled files zipped in base64Source, or a "
                         "shared-mount folder as azureBlobSource.containerUrl (file:///<folder>).",
                         inner_code="InvalidParameter")
    try:
        sources.folder_of(source["containerUrl"], service.runtime.settings.shared_dir)
    except TrainingDataError as exc:
        raise BadRequest(str(exc), inner_code=exc.inner_code, target="azureBlobSource") from None
    return None


def _version(request: Request, versions: tuple[str, ...]) -> str:
    version = request.query_params.get("api-version")
    if version not in versions:
        given = f"api-version '{version}' is not supported here" if version else "The api-version query parameter is required"
        raise BadRequest(f"{given}; use one of {', '.join(versions)}.",
                         inner_code="UnsupportedApiVersion" if version else "MissingApiVersion")
    return version
