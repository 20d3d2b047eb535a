"""Analyze operations on the platform job store: decode, read, lay out, serialise, bill."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from airgap.platform import job_files
from airgap.platform.context import RequestContext
from airgap.platform.errors import ApiError
from airgap.platform.jobs import JobClaim
from airgap.services.document.errors import DIALECT
from airgap.services.document.layout import lay_out
from airgap.services.document.models import MODELS
from airgap.services.document.wire import analyze_result

if TYPE_CHECKING:
    from airgap.services.document import DocumentService

HANDLER = "document.analyze"


async def submit(service: DocumentService, data: bytes, request: dict[str, Any]) -> dict[str, Any]:
    return await job_files.submit(service.runtime.jobs, service=service.name, handler=HANDLER, data=data,
                                  input=request, task={"name": "analyze", "kind": request["model"]})


def analyze(service: DocumentService, data: bytes, job: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The AnalyzeResult and the number of pages read; runs in the inference pool."""
    model = MODELS[job["model"]]
    sources = open_document(data, job["pages"])
    key_values = model.key_values or "keyValuePairs" in job["features"]
    pages = read_pages(service.ocr, sources, job["locale"], tables=model.tables,
                       pdf=data if data.startswith(b"%PDF-") else None, barcodes="barcodes" in job["features"])
    layout = lay_out(pages, tables=model.tables, key_values=key_values)
    result = analyze_result(layout, model.model_id, job["api"], job["stringIndexType"], job["markdown"])
    return result, len(pages)


class AnalyzeJobHandler:
    def __init__(self, service: DocumentService) -> None:
        self.service = service

    async def __call__(self, claim: JobClaim) -> None:
        job = claim.input
        data = await job_files.load_for(claim, job["blob"])
        if data is None:
            return
        try:
            result, pages = await self.service.runtime.pool.run(self.service.ocr.name, analyze, self.service, data, job)
        except ApiError as error:
            # The same envelope a synchronous request would have got, as the job's error.
            await asyncio.to_thread(claim.fail_task, 0, DIALECT.render(error).body["error"])
            return
        usage = RequestContext(request_id=f"{claim.job_id}/analyze", service=self.service.name)
        usage.meter(MODELS[job["model"]].meter, pages)
        await claim.complete_task(0, result, usage)
        await asyncio.to_thread(job_files.drop, claim.store, job["blob"])
