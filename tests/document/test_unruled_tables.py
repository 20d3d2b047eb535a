"""Unruled tables on born-digital and scanned pages: found only where text is clearly set in columns."""

from __future__ import annotations

import pytest
from azure.ai.formrecognizer import DocumentAnalysisClient
from azure.core.credentials import AzureKeyCredential

from tests.document.test_formrecognizer_sdk import cells
from tests.vision.pages import (
    INVOICE_TABLE,
    LINES,
    encode,
    evaluation_set,
    ruled_table,
    scanned_pdf,
    table_pdf,
    text_columns_pdf,
    text_pdf,
    unruled_table_pdf,
    unruled_table_scan,
)

KEY = AzureKeyCredential("unused")


def layout(server, data: bytes):
    return DocumentAnalysisClient(server.url, KEY).begin_analyze_document("prebuilt-layout", data).result()


@pytest.mark.parametrize("source", ["born-digital pdf", "png scan", "scanned pdf"])
def test_unruled_table_cells_and_surrounding_paragraphs(document_server, source):
    data = {"born-digital pdf": unruled_table_pdf, "png scan": lambda: encode(unruled_table_scan(), "PNG"),
            "scanned pdf": lambda: scanned_pdf([unruled_table_scan()])}[source]()
    result = layout(document_server, data)
    [table] = result.tables
    assert (table.row_count, table.column_count) == (4, 4)
    assert cells(table) == INVOICE_TABLE
    assert [c.kind for c in table.cells if c.row_index == 0] == ["columnHeader"] * 4
    # The running text above and below stays paragraphs, outside the table.
    top, bottom = table.bounding_regions[0].polygon[0].y, table.bounding_regions[0].polygon[2].y
    for line in result.pages[0].lines:
        if line.content in LINES:
            assert not top <= line.polygon[0].y <= bottom
            assert any(line.content in p.content for p in result.paragraphs)
    assert sum(line.content in LINES for line in result.pages[0].lines) == (len(LINES) if source == "born-digital pdf"
                                                                           else 4)


@pytest.mark.parametrize("name", ["plain text", "newspaper columns", "ruled table", "ruled table scan"])
def test_no_unruled_table_where_there_is_none(document_server, name):
    data = {"plain text": lambda: text_pdf([LINES]), "newspaper columns": text_columns_pdf, "ruled table": table_pdf,
            "ruled table scan": lambda: encode(ruled_table(), "PNG")}[name]()
    result = layout(document_server, data)
    # The ruled table is found once (from its lines), not a second time from its text's alignment.
    assert len(result.tables or []) == (1 if name.startswith("ruled table") else 0)


def test_no_table_on_the_evaluation_pages(document_server):
    # Printed, turned, skewed and noisy pages of running text: none of them is a table.
    for page in evaluation_set():
        assert not layout(document_server, page.png()).tables, page.name
