"""OCR in a job worker process (``platform.executor.WorkPool``).

``load_engine`` is the worker's setup: it builds and loads the engine once, when the
process starts. ``read_document`` is the work of a read job, run there with that engine:
a thin call into ``pages.open_document`` and ``reading.read_pages`` with the arguments the
synchronous routes use, so what those do (page by page) is what a job does. Arguments and
results cross the process boundary pickled: the upload's bytes in, ``types.Page`` out.
"""

from __future__ import annotations

from airgap.ocr import make_engine
from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from airgap.ocr.settings import DEFAULT_PAGE_MEMORY_MB
from airgap.ocr.types import OcrEngine, Page


def load_engine(name: str) -> OcrEngine:
    """The ``Ocr:Engine`` called ``name``, loaded (a worker process's setup)."""
    engine = make_engine(name)
    engine.load()
    return engine


def read_document(engine: OcrEngine, data: bytes, pages: str | None, language: str | None,
                  page_memory_mb: int = DEFAULT_PAGE_MEMORY_MB) -> list[Page]:
    """Every selected page of ``data`` read (Vision Read), one page at a time."""
    return read_pages(engine, open_document(data, pages, page_memory_mb), language)
