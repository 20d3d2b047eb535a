"""The ``documentModels:build`` job: read the labelled files (the zip kept beside the job, or
the shared-mount folder), build the template, save the model. Pure JSON work, seconds at most:
it runs in a thread of the server, not in an OCR worker process."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airgap.platform import job_files
from airgap.platform.context import RequestContext
from airgap.platform.jobs import JobClaim, JobFailure
from airgap.services.document.custom import sources
from airgap.services.document.custom.build import TrainingDataError, build_template, read_training_set
from airgap.services.document.custom.catalog import details
from airgap.services.document.custom.store import ModelStore

if TYPE_CHECKING:
    from airgap.services.document import DocumentService

HANDLER = "document.build"


def build_model(files: dict[str, bytes], job: dict[str, Any]) -> dict[str, Any]:
    """The stored model (details + template) from the labelling files; raises TrainingDataError."""
    started = time.perf_counter()
    schema, samples = read_training_set(files)
    template = build_template(schema, samples)
    request = job["request"]
    record = {"modelId": request["modelId"], "createdDateTime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "apiVersion": job["api"], "buildSeconds": round(time.perf_counter() - started, 4)}
    if request.get("description"):
        record["description"] = request["description"]
    if request.get("tags"):
        record["tags"] = request["tags"]
    return {"details": record, "template": template}


def training_files(job: dict[str, Any], blob: bytes | None, shared: Path | None) -> dict[str, bytes]:
    if blob is not None:
        return sources.zip_files(blob)
    source = job["request"].get("azureBlobSource") or job["request"].get("azureBlobFileListSource")
    folder = sources.folder_of(source["containerUrl"], shared)
    return sources.folder_files(folder, source.get("prefix"), source.get("fileList"))


class BuildJobHandler:
    def __init__(self, service: DocumentService) -> None:
        self.service = service

    async def __call__(self, claim: JobClaim) -> None:
        job = claim.input
        blob = None
        if job.get("blob"):
            blob = await job_files.load_for(claim, job["blob"])
            if blob is None:
                return
        store: ModelStore = self.service.custom.store
        try:
            files = await asyncio.to_thread(training_files, job, blob, self.service.runtime.settings.shared_dir)
            model = await asyncio.to_thread(build_model, files, job)
            if not job["request"].get("allowOverwrite") and await asyncio.to_thread(store.exists, job["request"]["modelId"]):
                raise TrainingDataError(f"A model named '{job['request']['modelId']}' was built meanwhile; choose "
                                        "another modelId or delete that model first.", "ModelExists")
            await asyncio.to_thread(store.save, model)
        except TrainingDataError as exc:
            await asyncio.to_thread(claim.fail_task, 0, JobFailure("InvalidRequest", str(exc), exc.inner_code,
                                                                    status=400))
        else:
            # Building is not billed (the container meters analyzed pages).
            await claim.complete_task(0, details(model, job["api"]),
                                      RequestContext(request_id=f"{claim.job_id}/build", service=self.service.name))
        finally:
            if job.get("blob"):
                await asyncio.to_thread(job_files.drop, claim.store, job["blob"])
