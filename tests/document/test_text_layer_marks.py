"""A born-digital page's bold letters are not selection marks.

``find_marks`` runs on the rendered image of a PDF page too (drawn check boxes have no text), and a
closed bold glyph ('o', 'd', 'e') looks like a small ticked box to it. On a scan ``reconcile``
drops such marks against the recognised words; the text layer's words must do the same, or the
content gets ``:selected:`` in the middle of "Total". The pages are the dev receipts of the
evaluation set (tests/data/quality/invoices.py), whose totals are printed in bold.
"""

from __future__ import annotations

from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from tests.quality.invoices import generator


def test_bold_text_in_a_pdf_gives_no_selection_marks():
    g = generator()
    rows = [r for r in g.rows("receipt", "dev") if r["medium"] == "pdf"][:3]
    assert rows
    for row in rows:
        data = g.render(row)
        pages = read_pages(None, open_document(data), None, tables=True, pdf=data)
        assert [m for p in pages for m in p.marks] == [], row["id"]
