"""The Vision service: Read 3.2 and Image Analysis 4.0 (read), one OCR engine behind both."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from airgap.engines.ocr import ocr_engine
from airgap.ocr.settings import OCR_SETTINGS
from airgap.ocr.work import load_engine
from airgap.platform.executor import WorkerSetup
from airgap.platform.jobs import JobKind
from airgap.platform.runtime import Runtime
from airgap.services.base import Engine, Meter, Service
from airgap.services.vision import api_imageanalysis, api_read, api_retired, read_jobs
from airgap.services.vision.meters import READ_PAGES


class VisionService(Service):
    name = "vision"
    api_type = "computervision"
    title = "Vision (Read 3.2, Image Analysis 4.0 read)"
    routes = (api_read.PREFIX, api_imageanalysis.PREFIX)
    dialects = {f"{api_imageanalysis.PREFIX}imageanalysis": api_imageanalysis.DIALECT}
    settings = (OCR_SETTINGS,)
    meters = (
        Meter(READ_PAGES, "page", "Read / Image Analysis read: one per page (image, TIFF frame or PDF page) read."),
    )

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.ocr = ocr_engine(runtime.shared_engines, runtime.settings.section(OCR_SETTINGS))  # one per process, shared with Document Intelligence

    def routers(self) -> Sequence[APIRouter]:
        return [api_read.build_router(self), api_imageanalysis.build_router(self), api_retired.build_router()]

    def job_kinds(self) -> Sequence[JobKind]:
        # One job at a time per worker process (Jobs:Processes): each OCR job keeps one core busy
        # for its whole length, and in a worker process of its own it never holds the threads
        # or the GIL of the requests. The process loads this service's OCR engine once.
        worker = WorkerSetup(f"ocr:{self.ocr.name}", load_engine, (self.ocr.name,), local=lambda: self.ocr)
        return [JobKind(read_jobs.HANDLER, read_jobs.ReadJobHandler(self), concurrency=1, worker=worker)]

    def engines(self) -> Sequence[Engine]:
        return [self.ocr]
