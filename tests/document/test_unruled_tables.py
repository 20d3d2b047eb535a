"""Unruled tables on born-digital PDF pages: found only where text is clearly set in columns."""

from __future__ import annotations

import pytest
from azure.ai.formrecognizer import DocumentAnalysisClient
from azure.core.credentials import AzureKeyCredential

from tests.document.test_formrecognizer_sdk import cells
from tests.vision.pages import INVOICE_TABLE, LINES, table_pdf, text_columns_pdf, text_pdf, unruled_table_pdf

KEY = AzureKeyCredential("unused")


def layout(server, data: bytes):
    return DocumentAnalysisClient(server.url, KEY).begin_analyze_document("prebuilt-layout", data).result()


def test_unruled_table_cells_and_surrounding_paragraphs(document_server):
    result = layout(document_server, unruled_table_pdf())
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
    assert sum(line.content in LINES for line in result.pages[0].lines) == len(LINES)


@pytest.mark.parametrize("name", ["plain text", "newspaper columns", "ruled table"])
def test_no_unruled_table_where_there_is_none(document_server, name):
    data = {"plain text": lambda: text_pdf([LINES]), "newspaper columns": text_columns_pdf, "ruled table": table_pdf}[name]()
    result = layout(document_server, data)
    # The ruled table is found once (from its lines), not a second time from its text's alignment.
    assert len(result.tables or []) == (1 if name == "ruled table" else 0)
