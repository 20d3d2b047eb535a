"""Ruled tables drawn in born-digital PDFs, found by pdfplumber from the page's own lines, and the
selection marks and barcodes drawn on such pages.

``PdfDrawings`` answers page by page (a reader streams the pages: each page's parsed objects
and rendering are dropped before the next); ``pdf_grids`` and ``pdf_drawings`` answer for
several pages at once.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from airgap.ocr.grids import Grid, grid_from_cells
from airgap.ocr.pdfium_lock import PDFIUM

_POINTS_PER_INCH = 72


class PdfDrawings:
    """The drawn tables, marks and barcodes of a born-digital PDF's pages, one page at a time."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._plumber = None

    def grids(self, number: int) -> list[Grid]:
        """Grids of page ``number``, in inches from the top-left corner."""
        import pdfplumber

        if self._plumber is None:
            self._plumber = pdfplumber.open(io.BytesIO(self.data))
        pages = self._plumber.pages
        if not 1 <= number <= len(pages):
            return []
        page = pages[number - 1]
        try:
            grids = []
            for table in page.find_tables():
                boxes = [tuple(v / _POINTS_PER_INCH for v in cell) for cell in table.cells]
                grid = grid_from_cells(boxes, tolerance=2 / _POINTS_PER_INCH)
                if grid is not None:
                    grids.append(grid)
            return grids
        finally:
            page.close()  # its parsed objects: the next page starts from nothing

    def drawings(self, number: int, marks: bool, barcodes: bool) -> tuple[list, list]:
        """(selection marks, barcodes) of page ``number``."""
        return pdf_drawings(self.data, [number], marks, barcodes).get(number, ([], []))

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()
            self._plumber = None


def pdf_grids(data: bytes, page_numbers: Iterable[int]) -> dict[int, list[Grid]]:
    """page number -> grids of that page, in inches from the top-left corner."""
    drawings = PdfDrawings(data)
    try:
        return {number: drawings.grids(number) for number in page_numbers}
    finally:
        drawings.close()


RENDER_DPI = 200  # born-digital pages are rendered once at this resolution for drawn marks and barcodes


def pdf_drawings(data: bytes, page_numbers: Iterable[int], marks: bool, barcodes: bool) -> dict[int, tuple[list, list]]:
    """page number -> (selection marks, barcodes) drawn on that born-digital page, in inches from
    the top-left corner. Each page is rendered once and its barcodes decoded once: layout needs
    them to tell a QR code's finder patterns from ticked check boxes."""
    import pypdfium2 as pdfium

    from airgap.ocr.barcodes import find_barcodes, inside_any, scaled
    from airgap.ocr.marks import Mark, find_marks
    from airgap.ocr.types import scale_polygon

    inch = 1 / RENDER_DPI
    found: dict[int, tuple[list, list]] = {}
    with PDFIUM:
        pdf = pdfium.PdfDocument(data)
    try:
        for number in page_numbers:
            with PDFIUM:  # rendering only: the marks and barcodes are found on the image, unlocked
                if not 1 <= number <= len(pdf):
                    continue
                page = pdf[number - 1]
                try:
                    image = page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()
                finally:
                    page.close()
            codes = find_barcodes(image)
            page_marks = [Mark(m.selected, scale_polygon(m.polygon, inch),
                               m.confidence)
                          for m in find_marks(image) if not inside_any(m.polygon, codes)] if marks else []
            found[number] = (page_marks, [scaled(c, inch) for c in codes] if barcodes else [])
    finally:
        with PDFIUM:
            pdf.close()
    return found
