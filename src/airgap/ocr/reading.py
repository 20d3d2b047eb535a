"""Reading pages: the text layer where a PDF has one, the OCR engine everywhere else.

Runs in the inference pool. The result is the engine-neutral ``Page`` list the
wire modules serialise; coordinates are scaled into each page's unit here.
Ruled tables are found in every image (from its ruling lines, which are erased before OCR
because Tesseract misreads or drops text boxed in by lines); with ``tables=True`` they are
reported (a PDF's from its drawing), and unruled ones from the alignment
of the words read; with ``barcodes=True`` barcodes
(from the image as uploaded, or a rendering of a born-digital page). Lines are rebuilt whole
and put in reading order from the engine's words (``order``), whatever the engine.
Pages are taken and dropped one at a time, so a long document costs one page of memory.
"""

from __future__ import annotations

from collections.abc import Iterable

from airgap.ocr.barcodes import find_barcodes, inside_any, scaled
from airgap.ocr.grids import Grid, GridCell, erase_rules, find_ruled_grids
from airgap.ocr.marks import Mark, find_marks, outside_words, reconcile
from airgap.ocr.order import assemble, reading_order
from airgap.ocr.pages import ImagePage, PageSource, TextLayerPage
from airgap.ocr.second_look import recognize
from airgap.ocr.types import Line, OcrEngine, Page, Word, scale_polygon
from airgap.ocr.unruled import find_unruled_grids


def read_pages(engine: OcrEngine, sources: Iterable[PageSource], language: str | None,
               tables: bool = False, pdf: bytes | None = None, barcodes: bool = False) -> list[Page]:
    """Every page of ``sources`` read, in order. The sources are taken one at a time (a
    ``pages.Document`` decodes or renders each page only when it is taken) and each page's
    picture is dropped once it is read: memory holds one page, not the document."""
    release_freed_memory()
    drawn = None
    pages: list[Page] = []
    try:
        for source in sources:
            if isinstance(source, TextLayerPage):
                if (tables or barcodes) and pdf is not None and drawn is None:
                    from airgap.ocr.pdf_tables import PdfDrawings

                    drawn = PdfDrawings(pdf)
                pages.append(_text_layer_page(source, drawn, tables, barcodes))
            else:
                pages.append(_image_page(engine, source, language, tables, barcodes))
            del source  # the page's picture goes before the next one is decoded
    finally:
        if drawn is not None:
            drawn.close()
    return pages


_M_MMAP_THRESHOLD = -3  # glibc mallopt parameter
_heap_set = False


def release_freed_memory() -> None:
    """Large blocks (page pictures, their arrays) freed go back to the system at once.

    glibc raises its mmap threshold each time such a block is freed, so the next page's
    blocks come from the heap and stay there when freed: a worker would keep the high-water
    mark of every page it read, and each page's work would start on top of the last one's.
    A fixed threshold (which turns that off) is set once per process that reads pages."""
    global _heap_set
    if _heap_set:
        return
    _heap_set = True
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def _text_layer_page(source: TextLayerPage, drawn, tables: bool, barcodes: bool) -> Page:
    ruled: list[Grid] = drawn.grids(source.number) if drawn is not None and tables else []
    marks, codes = drawn.drawings(source.number, tables, barcodes) if drawn is not None else ([], [])
    # The text layer's words are exact: a mark inside one is a glyph, and no word is ever dropped.
    marks = outside_words(marks, source.lines)
    unruled = find_unruled_grids(source.lines, [g.box for g in ruled]) if tables else []
    return Page(source.number, source.width, source.height, source.unit, 0.0, source.lines,
                tuple(sorted([*ruled, *unruled], key=lambda g: g.box[1])), tuple(marks), tuple(codes))


def _image_page(engine: OcrEngine, source: ImagePage, language: str | None, tables: bool, barcodes: bool) -> Page:
    image = source.image
    # Ruled cells are found for Read too: their rules are erased (Tesseract drops text boxed in
    # by lines, a whole table at times) and a line never crosses one (order.assemble).
    ruled: list[Grid] = find_ruled_grids(image)
    # A page read badly (skewed past what the engine straightens, speckled) is read again.
    angle, lines = recognize(engine, erase_rules(image, ruled), language)
    lines = assemble(lines, angle, ruled)
    grids: list[Grid] = []
    if tables:
        grids = sorted([*ruled, *find_unruled_grids(lines, [g.box for g in ruled])], key=lambda g: g.box[1])
    # Layout looks for barcodes even when not asked to report them: a QR code's finder
    # patterns are inked squares that would otherwise pass for ticked check boxes.
    codes = find_barcodes(image) if barcodes or tables else []
    marks: list[Mark] = []
    if tables:
        found = find_marks(image, max_side=max(90, min(image.size) // 10))
        marks, lines = reconcile([m for m in found if not inside_any(m.polygon, codes)], lines)
    lines = reading_order(lines, angle, grids if tables else ruled)
    width, height = image.size
    scale = source.unit_per_pixel
    if scale != 1.0:
        lines = tuple(_scaled(line, scale) for line in lines)
        grids = [_scaled_grid(grid, scale) for grid in grids]
        marks = [Mark(m.selected, scale_polygon(m.polygon, scale), m.confidence) for m in marks]
        codes = [scaled(code, scale) for code in codes]
        width, height = round(width * scale, 4), round(height * scale, 4)
    if source.size is not None:
        width, height = source.size
    return Page(source.number, width, height, source.unit, angle, lines, tuple(grids), tuple(marks),
                tuple(codes) if barcodes else ())


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
