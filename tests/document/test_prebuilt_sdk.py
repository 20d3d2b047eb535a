"""prebuilt-invoice and prebuilt-receipt through azure-ai-formrecognizer 3.3 (2023-07-31, 2022-08-31)
and azure-ai-documentintelligence 1.0 (2024-11-30), against the shared real server, on documents
of the issue-17 evaluation set's dev half (tests/data/quality/invoices.py renders them)."""

from __future__ import annotations

import datetime

import pytest
from azure.ai.documentintelligence import DocumentIntelligenceClient
from azure.ai.documentintelligence.models import AnalyzeDocumentRequest
from azure.ai.formrecognizer import DocumentAnalysisApiVersion, DocumentAnalysisClient
from azure.core.credentials import AzureKeyCredential

from tests.quality.invoices import generator

KEY = AzureKeyCredential("unused")
DATA = generator()


def row(kind: str, row_id: str) -> dict:
    [found] = [r for r in DATA.rows(kind, "dev") if r["id"] == row_id]
    return found


def spans_text(content: str, spans) -> str:
    return " ".join(content[s.offset:s.offset + s.length] for s in spans)


@pytest.mark.parametrize("api_version", [DocumentAnalysisApiVersion.V2023_07_31, DocumentAnalysisApiVersion.V2022_08_31])
def test_invoice_fields_through_formrecognizer(document_server, api_version):
    truth = row("invoices", "inv-001")  # born-digital PDF, classic layout
    client = DocumentAnalysisClient(document_server.url, KEY, api_version=api_version)
    result = client.begin_analyze_document("prebuilt-invoice", DATA.render(truth)).result()
    [invoice] = result.documents
    fields, gold = invoice.fields, truth["fields"]
    assert invoice.doc_type == "invoice" and 0.5 < invoice.confidence <= 1
    total = fields["InvoiceTotal"]
    assert total.value.amount == pytest.approx(gold["InvoiceTotal"]) and total.value.symbol == "$"
    # currencyCode came with 2023-07-31; 2022-08-31 has the amount and the symbol.
    code = "USD" if api_version == DocumentAnalysisApiVersion.V2023_07_31 else None
    assert total.value.code == code and total.content == "$528.55"
    assert spans_text(result.content, total.spans) == total.content
    assert fields["InvoiceId"].value == gold["InvoiceId"]
    assert fields["InvoiceDate"].value == datetime.date.fromisoformat(gold["InvoiceDate"])
    assert fields["VendorName"].value == gold["VendorName"]
    assert fields["VendorAddress"].value.postal_code == "12207" and fields["VendorAddress"].value.city == "Albany"
    assert fields["CustomerName"].value == gold["CustomerName"]
    items = fields["Items"].value
    assert [i.value["Description"].value for i in items] == [i["Description"] for i in gold["Items"]]
    assert [i.value["Amount"].value.amount for i in items] == pytest.approx([i["Amount"] for i in gold["Items"]])
    assert [i.value["Quantity"].value for i in items] == [i["Quantity"] for i in gold["Items"]]
    assert items[0].value["UnitPrice"].value.code == code
    # Confidence is evidence: totals that add up score above a name found by position.
    assert total.confidence > fields["VendorName"].confidence


def test_receipt_fields_through_formrecognizer(document_server):
    truth = row("receipts", "rct-005")  # born-digital PDF till roll
    client = DocumentAnalysisClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-receipt", DATA.render(truth)).result()
    [receipt] = result.documents
    fields, gold = receipt.fields, truth["fields"]
    assert receipt.doc_type == "receipt.retailMeal"
    assert fields["MerchantName"].value == gold["MerchantName"]
    assert fields["Total"].value.amount == pytest.approx(gold["Total"])
    assert fields["MerchantPhoneNumber"].value == "+17735550134"
    assert fields["TransactionDate"].value == datetime.date.fromisoformat(gold["TransactionDate"])
    assert fields["TransactionTime"].value == datetime.time.fromisoformat(gold["TransactionTime"])
    assert [i.value["TotalPrice"].value.amount for i in fields["Items"].value] == pytest.approx(
        [i["TotalPrice"] for i in gold["Items"]])


def test_invoice_and_receipt_through_documentintelligence(document_server):
    client = DocumentIntelligenceClient(document_server.url, KEY)
    truth = row("invoices", "inv-017")  # German, born-digital
    result = client.begin_analyze_document("prebuilt-invoice", AnalyzeDocumentRequest(
        bytes_source=DATA.render(truth))).result()
    fields = result.documents[0].fields
    assert fields["InvoiceTotal"].value_currency.amount == pytest.approx(truth["fields"]["InvoiceTotal"])
    assert fields["InvoiceTotal"].value_currency.currency_code == "EUR"
    assert fields["DueDate"].value_date == datetime.date.fromisoformat(truth["fields"]["DueDate"])
    items = fields["Items"].value_array
    assert [i.value_object["Amount"].value_currency.amount for i in items] == pytest.approx(
        [i["Amount"] for i in truth["fields"]["Items"]])
    truth = row("receipts", "rct-013")  # restaurant, with a tip
    result = client.begin_analyze_document("prebuilt-receipt", AnalyzeDocumentRequest(
        bytes_source=DATA.render(truth))).result()
    fields = result.documents[0].fields
    assert fields["MerchantName"].value_string == truth["fields"]["MerchantName"]
    assert fields["Total"].value_currency.amount == pytest.approx(truth["fields"]["Total"])
    assert fields["Tip"].value_currency.amount == pytest.approx(truth["fields"]["Tip"])


def test_receipt_sent_to_the_invoice_model(document_server):
    client = DocumentAnalysisClient(document_server.url, KEY)
    invoice = client.begin_analyze_document("prebuilt-invoice", DATA.render(row("invoices", "inv-001"))).result()
    result = client.begin_analyze_document("prebuilt-invoice", DATA.render(row("receipts", "rct-005"))).result()
    [document] = result.documents
    assert document.doc_type == "invoice"
    assert "InvoiceId" not in document.fields and "DueDate" not in document.fields
    assert len(document.fields) < len(invoice.documents[0].fields)
    assert document.confidence < invoice.documents[0].confidence
