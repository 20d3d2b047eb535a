"""azure-ai-formrecognizer (2023-07-31 and 2022-08-31) and azure-ai-documentintelligence
(2024-11-30), unchanged, against a real server."""

from __future__ import annotations

import base64

import pytest
from azure.ai.documentintelligence import DocumentIntelligenceClient
from azure.ai.documentintelligence.models import AnalyzeDocumentRequest, DocumentContentFormat
from azure.ai.formrecognizer import (
    DocumentAnalysisApiVersion,
    DocumentAnalysisClient,
    DocumentModelAdministrationClient,
)
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from tests.vision.pages import (
    FORM_OPTIONS,
    INVOICE_TABLE,
    LINES,
    checkbox_form,
    checkbox_pdf,
    encode,
    printed,
    ruled_table,
    table_pdf,
    text_pdf,
    tiff,
)

KEY = AzureKeyCredential("unused")


def cells(table) -> list[list[str]]:
    grid = [[""] * table.column_count for _ in range(table.row_count)]
    for cell in table.cells:
        grid[cell.row_index][cell.column_index] = cell.content
    return grid


@pytest.mark.parametrize("api_version", [DocumentAnalysisApiVersion.V2023_07_31, DocumentAnalysisApiVersion.V2022_08_31])
def test_read_png_and_multipage_tiff(document_server, api_version):
    client = DocumentAnalysisClient(document_server.url, KEY, api_version=api_version)
    result = client.begin_analyze_document("prebuilt-read", encode(printed(LINES[:3]), "PNG")).result()
    assert result.content == "\n".join(LINES[:3])
    page = result.pages[0]
    assert page.unit == "pixel" and [line.content for line in page.lines] == LINES[:3]
    word = page.words[0]
    assert word.content == "Invoice" and result.content[word.span.offset:word.span.offset + word.span.length] == "Invoice"
    result = client.begin_analyze_document("prebuilt-read", tiff([printed([l]) for l in LINES[:3]]), pages="2-3").result()
    assert [p.page_number for p in result.pages] == [2, 3]


def test_layout_of_a_ruled_table_image_has_exact_cells(document_server):
    client = DocumentAnalysisClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-layout", encode(ruled_table(), "PNG")).result()
    [table] = result.tables
    assert cells(table) == INVOICE_TABLE
    assert all(c.kind == "columnHeader" for c in table.cells if c.row_index == 0)
    assert result.paragraphs[0].role == "title" and result.paragraphs[0].content == "Invoice 4471"


def test_layout_merged_cell(document_server):
    client = DocumentAnalysisClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-layout", encode(ruled_table(merge_last_row=True), "PNG")).result()
    [table] = result.tables
    spanning = [c for c in table.cells if c.column_span == 3]
    assert len(spanning) == 1 and spanning[0].content == "Travel" and spanning[0].row_index == 3


def test_layout_of_a_born_digital_pdf_table(document_server):
    client = DocumentAnalysisClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-layout", table_pdf()).result()
    assert result.pages[0].unit == "inch" and result.pages[0].width == 8.5
    [table] = result.tables
    assert cells(table) == INVOICE_TABLE


def test_general_document_key_value_pairs(document_server):
    client = DocumentAnalysisClient(document_server.url, KEY, api_version=DocumentAnalysisApiVersion.V2022_08_31)
    pdf = text_pdf([["Customer: Northwind Traders", "Total due: 450.00", "Thank you"]])
    result = client.begin_analyze_document("prebuilt-document", pdf).result()
    pairs = {kv.key.content: kv.value.content for kv in result.key_value_pairs}
    assert pairs == {"Customer": "Northwind Traders", "Total due": "450.00"}


def test_unknown_model_and_corrupt_file(document_server):
    client = DocumentAnalysisClient(document_server.url, KEY)
    with pytest.raises(ResourceNotFoundError) as caught:
        client.begin_analyze_document("prebuilt-healthInsuranceCard.us", encode(printed(LINES[:1]), "PNG")).result()
    assert "not bundled" in caught.value.message
    with pytest.raises(HttpResponseError) as caught:
        client.begin_analyze_document("prebuilt-read", b"%PDF-1.7 broken").result()
    assert caught.value.status_code == 400 and caught.value.error.code == "InvalidRequest"


def test_administration_client(document_server):
    admin = DocumentModelAdministrationClient(document_server.url, KEY)
    assert {m.model_id for m in admin.list_document_models()} == {
        "prebuilt-read", "prebuilt-layout", "prebuilt-document", "prebuilt-invoice", "prebuilt-receipt",
        "prebuilt-idDocument", "prebuilt-businessCard"}
    assert admin.get_document_model("prebuilt-layout").description
    details = admin.get_resource_details()
    assert details.custom_document_models.count == 0


def test_document_intelligence_markdown_from_base64(document_server):
    client = DocumentIntelligenceClient(document_server.url, KEY)
    request = AnalyzeDocumentRequest(bytes_source=table_pdf())
    result = client.begin_analyze_document("prebuilt-layout", request,
                                           output_content_format=DocumentContentFormat.MARKDOWN).result()
    assert result.content_format == "markdown"
    assert result.content.startswith("# Invoice 4471\n\n<table>")
    assert "<tr><td>Consulting</td><td>10</td><td>150.00</td><td>1500.00</td></tr>" in result.content
    for word in result.pages[0].words:  # every word's span points at its own text in the markdown
        assert result.content[word.span.offset:word.span.offset + word.span.length] == word.content
    assert cells(result.tables[0]) == INVOICE_TABLE


def test_document_intelligence_read_raw_bytes(document_server):
    client = DocumentIntelligenceClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-read", base64.b64decode(base64.b64encode(text_pdf([LINES]))),
                                           content_type="application/octet-stream").result()
    assert result.content == "\n".join(LINES)


@pytest.mark.parametrize("make", [lambda: encode(checkbox_form(), "PNG"), checkbox_pdf], ids=["scan", "born-digital"])
def test_selection_marks_with_their_state(document_server, make):
    client = DocumentAnalysisClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-layout", make()).result()
    marks = result.pages[0].selection_marks
    assert [m.state for m in marks] == ["selected" if ticked else "unselected" for _, ticked in FORM_OPTIONS]
    lines = [line.content for line in result.pages[0].lines]
    assert lines[1:] == [f":{'selected' if t else 'unselected'}: {label}" for label, t in FORM_OPTIONS]
    for mark in marks:  # each mark's span points at its token in the content
        assert result.content[mark.span.offset:mark.span.offset + mark.span.length] == f":{mark.state}:"
