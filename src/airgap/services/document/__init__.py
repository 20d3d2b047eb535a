"""The Document Intelligence service: Form Recognizer 2022-08-31 / 2023-07-31 and
Document Intelligence 2024-11-30, prebuilt read, layout, general document, invoice and receipt."""

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
from airgap.services.document import api_analyze, api_v21, jobs
from airgap.services.document.custom import api_models, build_job
from airgap.services.document.custom.catalog import CUSTOM_METER, CustomModels
from airgap.services.document.custom.store import FOLDER, ModelStore
from airgap.services.document.errors import DIALECT
from airgap.services.document.models import MODELS


class DocumentService(Service):
    name = "document"
    api_type = "formrecognizer"
    title = "Document Intelligence (prebuilt-read, prebuilt-layout, prebuilt-document, prebuilt-invoice, prebuilt-receipt)"
    routes = ("/formrecognizer", "/documentintelligence")
    settings = (OCR_SETTINGS,)
    dialect = DIALECT
    dialects = api_v21.DIALECTS  # Form Recognizer v2.x: {"error": {"code", "message"}}
    meters = tuple(Meter(m.meter, "page", f"{m.model_id}: one per page analyzed.") for m in MODELS.values()) + (
        Meter(CUSTOM_METER, "page", "custom template models: one per page analyzed."),)

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.ocr = ocr_engine(runtime.shared_engines, runtime.settings.section(OCR_SETTINGS))  # one per process, shared with Vision
        settings = runtime.settings
        # Custom models live on the shared mount so every replica serves them (Mounts:Output when unset).
        self.custom = CustomModels(ModelStore((settings.shared_dir or settings.output_dir) / FOLDER))

    def routers(self) -> Sequence[APIRouter]:
        return [api_analyze.build_router(self), api_v21.build_router(self), api_models.build_router(self)]

    def job_kinds(self) -> Sequence[JobKind]:
        # One job at a time per worker process (Jobs:Processes): each OCR job keeps one core busy
        # for its whole length, and in a worker process of its own it never holds the threads
        # or the GIL of the requests. The process loads this service's OCR engine once.
        worker = WorkerSetup(f"ocr:{self.ocr.name}", load_engine, (self.ocr.name,), local=lambda: self.ocr)
        # Building a template model is JSON work of a second at most: no worker process of its own.
        return [JobKind(jobs.HANDLER, jobs.AnalyzeJobHandler(self), concurrency=1, worker=worker),
                JobKind(build_job.HANDLER, build_job.BuildJobHandler(self), concurrency=1)]

    def engines(self) -> Sequence[Engine]:
        return [self.ocr]
