"""Every PDFium call of OCR and of the Translator's PDF documents holds the one process-wide lock.

PDFium is not thread-safe, and Vision, Document Intelligence and the Translator can run in one
process on pools of threads. The modules that call PDFium are given a lock that records which
thread holds it, and PDFium's entry points are wrapped to note any call made by a thread that
does not: reading a born-digital page and a scanned one, rendering for marks and barcodes, and
reading and translating a PDF's text layer must note none.
"""

from __future__ import annotations

import threading

import pytest

pdfium = pytest.importorskip("pypdfium2")

from airgap.ocr import pages, pdf_tables  # noqa: E402
from airgap.services.translator import pdf as translator_pdf  # noqa: E402
from tests.vision.pages import LINES, printed, scanned_pdf, text_pdf  # noqa: E402


class OwnedLock:
    """A re-entrant lock that knows which thread holds it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.owner: int | None = None
        self._depth = 0

    def __enter__(self) -> OwnedLock:
        self._lock.acquire()
        self.owner, self._depth = threading.get_ident(), self._depth + 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if not self._depth:
            self.owner = None
        self._lock.release()


@pytest.fixture
def pdfium_calls(monkeypatch) -> tuple[list[str], list[str]]:
    """(every watched call, those made without the lock)"""
    lock, calls, outside = OwnedLock(), [], []
    for module in (pages, pdf_tables, translator_pdf):
        monkeypatch.setattr(module, "PDFIUM", lock)

    def watched(cls, name):
        original = getattr(cls, name)

        def call(*args, **kwargs):
            calls.append(name)
            if lock.owner != threading.get_ident():
                outside.append(f"{cls.__name__}.{name}")
            return original(*args, **kwargs)
        monkeypatch.setattr(cls, name, call)

    for cls, names in ((pdfium.PdfDocument, ("__init__", "__getitem__", "get_page_size", "close")),
                       (pdfium.PdfPage, ("render", "get_textpage", "get_size", "close"))):
        for name in names:
            watched(cls, name)
    return calls, outside


def test_ocr_pages_call_pdfium_only_under_the_lock(pdfium_calls):
    calls, unlocked = pdfium_calls
    born_digital = list(pages.open_document(text_pdf([LINES[:3]])))
    scanned = list(pages.open_document(scanned_pdf([printed(LINES[:2])])))
    assert isinstance(born_digital[0], pages.TextLayerPage) and isinstance(scanned[0], pages.ImagePage)
    pdf_tables.pdf_drawings(text_pdf([LINES[:2]]), [1], marks=True, barcodes=True)
    assert {"__init__", "get_page_size", "render", "get_textpage", "close"} <= set(calls), calls
    assert unlocked == []


def test_translator_pdf_calls_pdfium_only_under_the_lock(pdfium_calls):
    calls, unlocked = pdfium_calls
    data = text_pdf([LINES[:3]])
    assert LINES[0].split()[0] in translator_pdf.text_of(data)
    translated = translator_pdf.translate(data, lambda texts, _html: [text.upper() for text in texts])
    assert LINES[0].split()[0].upper() in translator_pdf.text_of(translated)
    assert {"__init__", "get_textpage", "close"} <= set(calls), calls
    assert unlocked == []
