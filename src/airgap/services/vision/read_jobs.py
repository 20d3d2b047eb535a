"""Read 3.2's asynchronous operations on the platform job store.

The upload travels as a job file (``platform.job_files``), so a job accepted by
one replica can be run by any other, and survives a restart.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from airgap.platform import job_files
from airgap.platform.context import RequestContext
from airgap.platform.jobs import JobClaim
from airgap.services.vision.meters import READ_PAGES
from airgap.services.vision.read_results import analyze_result

if TYPE_CHECKING:
    from airgap.services.vision import VisionService

HANDLER = "vision.read"


async def submit(service: VisionService, data: bytes, pages: str | None, language: str | None) -> dict[str, Any]:
    return await job_files.submit(service.runtime.jobs, service=service.name, handler=HANDLER, data=data,
                                  input={"api": "read-3.2", "pages": pages, "language": language},
                                  task={"name": "read", "kind": "Read"})


class ReadJobHandler:
    def __init__(self, service: VisionService) -> None:
        self.service = service

    async def __call__(self, claim: JobClaim) -> None:
        job = claim.input
        data = await job_files.load_for(claim, job["blob"])
        if data is None:
            return
        pool = self.service.runtime.pool
        try:
            sources = await pool.run("document-decoder", open_document, data, job["pages"])
            pages = await pool.run(self.service.ocr.name, read_pages, self.service.ocr, sources, job["language"])
        except Exception as exc:  # a file that passed the checks at submit but not here
            await asyncio.to_thread(claim.fail_task, 0, {"code": "FailedToProcess", "message": str(exc)})
            return
        usage = RequestContext(request_id=f"{claim.job_id}/read", service=self.service.name)
        usage.meter(READ_PAGES, len(pages))
        await claim.complete_task(0, analyze_result(pages, job["language"]), usage)
        await asyncio.to_thread(job_files.drop, claim.store, job["blob"])
