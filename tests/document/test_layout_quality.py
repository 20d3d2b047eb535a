"""Table-cell and selection-mark accuracy of the layout, per OCR engine, on generated pages.

Floors are the measured figures (docs/models.md); a drop below them is a regression.
"""

from __future__ import annotations

import pytest

from airgap.ocr import make_engine
from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from airgap.services.document.layout import lay_out
from tests.vision.pages import FORM_OPTIONS, INVOICE_TABLE, checkbox_form, checkbox_pdf, encode, ruled_table, table_pdf

CELL_FLOOR = {"tesseract": 1.0, "ocrust": 0.9}
MARK_FLOOR = {"tesseract": 1.0, "ocrust": 1.0}


@pytest.fixture(scope="module", params=["tesseract", "ocrust"])
def engine(request):
    ocr = make_engine(request.param)
    ocr.load()
    return ocr


def layout_of(engine, data: bytes):
    return lay_out(read_pages(engine, open_document(data), None, tables=True,
                              pdf=data if data.startswith(b"%PDF-") else None))


def test_table_cells(engine):
    right = total = 0
    for data in (encode(ruled_table(), "PNG"), table_pdf()):
        [table] = layout_of(engine, data).tables
        found = {(c.row, c.column): c.text for c in table.cells}
        for r, row in enumerate(INVOICE_TABLE):
            for c, text in enumerate(row):
                total += 1
                right += found.get((r, c)) == text
    accuracy = right / total
    print(f"{engine.name}: table cell accuracy {accuracy:.3f} ({right}/{total})")
    assert accuracy >= CELL_FLOOR[engine.name]


def test_selection_marks(engine):
    right = total = 0
    for data in (encode(checkbox_form(), "PNG"), checkbox_pdf()):
        marks = [m for page in layout_of(engine, data).pages for m in page.marks]
        expected = [ticked for _, ticked in FORM_OPTIONS]
        total += len(expected)
        right += sum(m.selected == t for m, t in zip(marks, expected, strict=False)) if len(marks) == len(expected) else 0
    accuracy = right / total
    print(f"{engine.name}: selection mark accuracy {accuracy:.3f} ({right}/{total})")
    assert accuracy >= MARK_FLOOR[engine.name]
