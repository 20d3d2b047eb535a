"""Reading pages: the text layer where a PDF has one, the OCR engine everywhere else.

Runs in the inference pool. The result is the engine-neutral ``Page`` list the
wire modules serialise; coordinates are scaled into each page's unit here.
With ``tables=True`` ruled tables are found too (from the PDF's drawing, or
from the ruling lines of an image, which are erased before OCR because
Tesseract misreads text boxed in by lines), and unruled ones from the alignment
of the words read; with ``barcodes=True`` barcodes
(from the image as uploaded, or a rendering of a born-digital page).
"""

from __future__ import annotations

from collections.abc import Sequence

from airgap.ocr.barcodes import Barcode, find_barcodes, inside_any, scaled
from airgap.ocr.grids import Grid, GridCell, erase_rules, find_ruled_grids
from airgap.ocr.marks import Mark, find_marks, reconcile
from airgap.ocr.pages import PageSource, TextLayerPage
from airgap.ocr.types import Line, OcrEngine, Page, Word, scale_polygon
from airgap.ocr.unruled import find_unruled_grids


def read_pages(engine: OcrEngine, sources: Sequence[PageSource], language: str | None,
               tables: bool = False, pdf: bytes | None = None, barcodes: bool = False) -> list[Page]:
    pdf_tables: dict[int, list[Grid]] = {}
    pdf_marks: dict[int, list[Mark]] = {}
    pdf_codes: dict[int, list[Barcode]] = {}
    numbers = [s.number for s in sources if isinstance(s, TextLayerPage)]
    if (tables or barcodes) and pdf is not None and numbers:
        from airgap.ocr import pdf_tables as drawn

        if tables:
            pdf_tables = drawn.pdf_grids(pdf, numbers)
        for number, (page_marks, page_codes) in drawn.pdf_drawings(pdf, numbers, tables, barcodes).items():
            pdf_marks[number], pdf_codes[number] = page_marks, page_codes
    pages: list[Page] = []
    for source in sources:
        if isinstance(source, TextLayerPage):
            ruled = pdf_tables.get(source.number, [])
            unruled = find_unruled_grids(source.lines, [g.box for g in ruled]) if tables else []
            pages.append(Page(source.number, source.width, source.height, source.unit, 0.0, source.lines,
                              tuple(sorted([*ruled, *unruled], key=lambda g: g.box[1])),
                              tuple(pdf_marks.get(source.number, ())), tuple(pdf_codes.get(source.number, ()))))
            continue
        image = source.image
        grids: list[Grid] = find_ruled_grids(image) if tables else []
        angle, lines = engine.recognize(erase_rules(image, grids), language)
        if tables:
            grids = sorted([*grids, *find_unruled_grids(lines, [g.box for g in grids])], key=lambda g: g.box[1])
        # Layout looks for barcodes even when not asked to report them: a QR code's finder
        # patterns are inked squares that would otherwise pass for ticked check boxes.
        codes = find_barcodes(image) if barcodes or tables else []
        marks: list[Mark] = []
        if tables:
            found = find_marks(image, max_side=max(90, min(image.size) // 10))
            marks, lines = reconcile([m for m in found if not inside_any(m.polygon, codes)], lines)
        width, height = image.size
        scale = source.unit_per_pixel
        if scale != 1.0:
            lines = tuple(_scaled(line, scale) for line in lines)
            grids = [_scaled_grid(grid, scale) for grid in grids]
            marks = [Mark(m.selected, scale_polygon(m.polygon, scale), m.confidence) for m in marks]
            codes = [scaled(code, scale) for code in codes]
            width, height = round(width * scale, 4), round(height * scale, 4)
        pages.append(Page(source.number, width, height, source.unit, angle, lines, tuple(grids), tuple(marks),
                          tuple(codes) if barcodes else ()))
    return pages


def _scaled(line: Line, scale: float) -> Line:
    def poly(polygon):
        return scale_polygon(polygon, scale)

    return Line(line.text, poly(line.polygon),
                tuple(Word(w.text, poly(w.polygon), w.confidence) for w in line.words), line.handwritten)


def _scaled_grid(grid: Grid, scale: float) -> Grid:
    def box(b):
        return tuple(round(v * scale, 4) for v in b)

    return Grid(grid.rows, grid.columns,
                tuple(GridCell(c.row, c.column, c.row_span, c.column_span, box(c.box)) for c in grid.cells),
                box(grid.box))
