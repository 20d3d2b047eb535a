"""features=barcodes (2023-07-31, 2024-11-30): symbols written by ZXing, read back through
the official SDKs from a scan, a scanned PDF and a born-digital PDF."""

from __future__ import annotations

import httpx
import pytest
from azure.ai.documentintelligence import DocumentIntelligenceClient
from azure.ai.documentintelligence.models import (
    DocumentAnalysisFeature,
    DocumentContentFormat,
)
from azure.ai.formrecognizer import AnalysisFeature, DocumentAnalysisClient
from azure.core.credentials import AzureKeyCredential

from tests.document.test_analyze_api import DI, FR, OCTET, submit, wait
from tests.support.contract import validate_definition
from tests.vision.pages import (
    BARCODES,
    LINES,
    barcode_page,
    barcode_pdf,
    encode,
    scanned_pdf,
)

KEY = AzureKeyCredential("unused")


def found(result) -> list[tuple[str, str]]:
    return sorted((b.kind, b.value) for page in result.pages for b in page.barcodes or ())


@pytest.mark.parametrize("source", ["png", "scanned pdf", "born-digital pdf"])
def test_form_recognizer_reads_barcodes(document_server, source):
    data = {"png": lambda: encode(barcode_page(), "PNG"), "scanned pdf": lambda: scanned_pdf([barcode_page()]),
            "born-digital pdf": barcode_pdf}[source]()
    client = DocumentAnalysisClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-layout", data, features=[AnalysisFeature.BARCODES]).result()
    assert found(result) == sorted(BARCODES)
    [page] = result.pages
    assert [line.content for line in page.lines if line.content != ":barcode:"] == LINES[:2]
    unit_width = page.width
    for barcode in page.barcodes:
        # Each barcode stands in the content as ":barcode:", and its polygon lies on the page, in its unit.
        assert result.content[barcode.span.offset:barcode.span.offset + barcode.span.length] == ":barcode:"
        assert all(0 <= p.x <= unit_width and 0 <= p.y <= page.height for p in barcode.polygon)
        assert barcode.confidence == 1.0
    assert page.unit == ("pixel" if source == "png" else "inch")


@pytest.mark.parametrize("source", ["png", "born-digital pdf"])
def test_without_the_feature_there_are_no_barcodes_and_no_false_check_boxes(document_server, source):
    data = encode(barcode_page(), "PNG") if source == "png" else barcode_pdf()
    client = DocumentAnalysisClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-layout", data).result()
    assert found(result) == [] and ":barcode:" not in result.content
    # A QR code's three finder patterns are inked squares: they must not come out as ticked boxes.
    assert not result.pages[0].selection_marks and ":selected:" not in result.content


def test_document_intelligence_markdown_spans_point_at_the_placeholders(document_server):
    client = DocumentIntelligenceClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-layout", barcode_pdf(), features=[DocumentAnalysisFeature.BARCODES],
                                           output_content_format=DocumentContentFormat.MARKDOWN).result()
    assert found(result) == sorted(BARCODES)
    for barcode in result.pages[0].barcodes:
        assert result.content[barcode.span.offset:barcode.span.offset + barcode.span.length] == ":barcode:"


@pytest.mark.parametrize("base,version,spec,definition", [
    ("formrecognizer", "2023-07-31", FR["2023-07-31"], "AnalyzeResultOperation"),
    ("documentintelligence", "2024-11-30", DI, "AnalyzeOperation"),
])
def test_barcode_results_match_the_contract(document_server, base, version, spec, definition):
    r = submit(document_server, base, "prebuilt-read", version, encode(barcode_page(), "PNG"), "&features=barcodes")
    assert r.status_code == 202, r.text
    final = wait(r.headers["Operation-Location"])[-1]
    validate_definition(spec, definition, final)
    assert {b["kind"] for b in final["analyzeResult"]["pages"][0]["barcodes"]} == {"QRCode", "Code128"}


def test_barcodes_need_2023_07_31(document_server):
    r = httpx.post(f"{document_server.url}/formrecognizer/documentModels/prebuilt-read:analyze"
                   "?api-version=2022-08-31&features=barcodes", content=encode(barcode_page(), "PNG"), headers=OCTET)
    assert r.status_code == 400 and "2023-07-31" in r.json()["error"]["message"]
