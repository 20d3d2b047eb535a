"""Ruled tables drawn in born-digital PDFs, found by pdfplumber from the page's own lines."""

from __future__ import annotations

import io
from collections.abc import Iterable

from airgap.ocr.grids import Grid, grid_from_cells

_POINTS_PER_INCH = 72


def pdf_grids(data: bytes, page_numbers: Iterable[int]) -> dict[int, list[Grid]]:
    """page number -> grids of that page, in inches from the top-left corner."""
    import pdfplumber

    found: dict[int, list[Grid]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number in page_numbers:
            if not 1 <= number <= len(pdf.pages):
                continue
            grids = []
            for table in pdf.pages[number - 1].find_tables():
                boxes = [tuple(v / _POINTS_PER_INCH for v in cell) for cell in table.cells]
                grid = grid_from_cells(boxes, tolerance=2 / _POINTS_PER_INCH)
                if grid is not None:
                    grids.append(grid)
            found[number] = grids
    return found


_MARK_DPI = 150  # check boxes of a born-digital page are found on a rendering at this resolution


def pdf_marks(data: bytes, page_numbers: Iterable[int]) -> dict[int, list]:
    """page number -> selection marks drawn on that page, in inches from the top-left corner."""
    import pypdfium2 as pdfium

    from airgap.ocr.barcodes import find_barcodes, inside_any
    from airgap.ocr.marks import Mark, find_marks

    found: dict[int, list[Mark]] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        for number in page_numbers:
            if not 1 <= number <= len(pdf):
                continue
            page = pdf[number - 1]
            try:
                image = page.render(scale=_MARK_DPI / 72, grayscale=True).to_pil()
            finally:
                page.close()
            codes = find_barcodes(image)  # a QR code's finder patterns are not check boxes
            found[number] = [Mark(m.selected, tuple((round(x / _MARK_DPI, 4), round(y / _MARK_DPI, 4))
                                                    for x, y in m.polygon), m.confidence)
                             for m in find_marks(image) if not inside_any(m.polygon, codes)]
    finally:
        pdf.close()
    return found
