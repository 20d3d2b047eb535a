"""Analyze operations on the platform job store: decode, read, lay out, serialise, bill.

Submitted, run and polled through the upload-job template (``platform.upload_jobs``). The
whole analysis (``analyze``) runs in the kind's worker process with that process's OCR
engine, never in the threads that answer requests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from airgap.ocr.settings import DEFAULT_PAGE_MEMORY_MB, OCR_SETTINGS
from airgap.ocr.types import OcrEngine
from airgap.platform.jobs import JobClaim
from airgap.platform.upload_jobs import UploadJobs
from airgap.services.document.custom.catalog import CUSTOM_METER
from airgap.services.document.custom.template import analyze_template
from airgap.services.document.engines import extract_fields
from airgap.services.document.layout import lay_out
from airgap.services.document.models import MODELS
from airgap.services.document.wire import analyze_result

if TYPE_CHECKING:
    from airgap.services.document import DocumentService

HANDLER = "document.analyze"


def upload_jobs(service: DocumentService) -> UploadJobs:
    return UploadJobs(service.runtime, service=service.name, handler=HANDLER, task="analyze")


def analyze(engine: OcrEngine, data: bytes, job: dict[str, Any],
            page_memory_mb: int = DEFAULT_PAGE_MEMORY_MB) -> tuple[dict[str, Any], int]:
    """The AnalyzeResult and the number of pages read; runs in a job worker process. Pages are
    decoded, read and dropped one at a time (``read_pages``); only their text is kept for layout."""
    template = job.get("template")  # a custom template model: its template travels in the job
    model = MODELS[job["model"]] if template is None else None
    tables = model.tables if model is not None else True
    sources = open_document(data, job["pages"], page_memory_mb)
    key_values = (model is not None and model.key_values) or "keyValuePairs" in job["features"]
    # A driving licence's fields are in the PDF417 on its back: the ID model always reads barcodes.
    barcodes = "barcodes" in job["features"] or (model is not None and model.fields == "idDocument")
    pages = read_pages(engine, sources, job["locale"], tables=tables,
                       pdf=data if data.startswith(b"%PDF-") else None, barcodes=barcodes)
    layout = lay_out(pages, tables=tables, key_values=key_values)
    if model is None:
        documents = [analyze_template(template, job["model"], layout)]
    else:
        documents = [extract_fields(model.fields, layout)] if model.fields else None
    result = analyze_result(layout, job["model"], job["api"], job["stringIndexType"], job["markdown"],
                            documents=documents)
    return result, len(pages)


class AnalyzeJobHandler:
    def __init__(self, service: DocumentService) -> None:
        self.jobs = upload_jobs(service)
        self.page_memory_mb = service.runtime.settings.section(OCR_SETTINGS).page_memory_mb

    async def __call__(self, claim: JobClaim) -> None:
        job = claim.input
        assert claim.work is not None  # the kind declares its worker (DocumentService.job_kinds)

        async def work(data: bytes) -> tuple[dict[str, Any], dict[str, int]]:
            result, pages = await claim.work.run(analyze, data, job, self.page_memory_mb)
            meter = MODELS[job["model"]].meter if "template" not in job else CUSTOM_METER
            return result, {meter: pages}

        await self.jobs.run(claim, work)
