"""The one lock around every call into PDFium in this process.

PDFium (through pypdfium2) is not thread-safe, and pypdfium2 leaves serialising calls to the
caller, process-wide: not per document. Requests and jobs run on pools of threads, and one
process can host Vision, Document Intelligence (``ocr.pages``, ``ocr.pdf_tables``) and the
Translator's PDF documents (``services/translator/pdf.py``) at once, so all of them take this
lock, for the span in which PDFium objects are created, used and released (a page's bitmap or
text page freed by the garbage collector outside it would be a call outside it too). Re-entrant,
so that code holding it may call a helper that takes it again; never held while a caller's
engine works on what was read (OCR of a rendered page, translation of a PDF's text).
"""

from __future__ import annotations

import threading

PDFIUM = threading.RLock()
