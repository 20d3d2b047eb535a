"""Read 3.2's asynchronous operations on the platform job store.

Submitted, run and polled through the upload-job template (``platform.upload_jobs``): the
upload travels as a job file, so a job accepted by one replica can be run by any other and
survives a restart. The reading runs in the kind's worker process (``ocr.work``), never in
the threads that answer requests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airgap.ocr.settings import OCR_SETTINGS
from airgap.ocr.work import read_document
from airgap.platform.jobs import JobClaim
from airgap.platform.upload_jobs import UploadJobs
from airgap.services.vision.meters import READ_PAGES
from airgap.services.vision.read_results import analyze_result

if TYPE_CHECKING:
    from airgap.services.vision import VisionService

HANDLER = "vision.read"


def upload_jobs(service: VisionService) -> UploadJobs:
    return UploadJobs(service.runtime, service=service.name, handler=HANDLER, task="read")


class ReadJobHandler:
    def __init__(self, service: VisionService) -> None:
        self.jobs = upload_jobs(service)
        self.page_memory_mb = service.runtime.settings.section(OCR_SETTINGS).page_memory_mb

    async def __call__(self, claim: JobClaim) -> None:
        job = claim.input
        assert claim.work is not None  # the kind declares its worker (VisionService.job_kinds)

        async def work(data: bytes) -> tuple[dict[str, Any], dict[str, int]]:
            pages = await claim.work.run(read_document, data, job["pages"], job["language"], self.page_memory_mb)
            return analyze_result(pages, job["language"]), {READ_PAGES: len(pages)}

        await self.jobs.run(claim, work)
