"""prebuilt-idDocument and prebuilt-businessCard through azure-ai-formrecognizer 3.3 (2023-07-31,
2022-08-31) and azure-ai-documentintelligence 1.0 (2024-11-30), against the shared real server, on
documents of the issue-17 evaluation set's dev half (tests/data/quality/id_documents.py renders them)."""

from __future__ import annotations

import datetime

import pytest
from azure.ai.documentintelligence import DocumentIntelligenceClient
from azure.ai.documentintelligence.models import AnalyzeDocumentRequest
from azure.ai.formrecognizer import DocumentAnalysisApiVersion, DocumentAnalysisClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

from tests.quality.id_documents import generator

KEY = AzureKeyCredential("unused")
DATA = generator()


def row(kind: str, row_id: str) -> dict:
    [found] = [r for r in DATA.rows(kind, "dev") if r["id"] == row_id]
    return found


def spans_text(content: str, spans) -> str:
    return " ".join(content[s.offset:s.offset + s.length] for s in spans)


def test_passport_machine_readable_zone_through_formrecognizer(document_server):
    truth = row("id_documents", "id-001")  # a scanned passport, TD3 zone
    client = DocumentAnalysisClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-idDocument", DATA.render(truth)).result()
    [passport] = result.documents
    fields, gold = passport.fields, truth["fields"]
    assert passport.doc_type == "idDocument.passport" and passport.confidence > 0.9
    zone = fields["MachineReadableZone"].value
    assert zone["DocumentNumber"].value == gold["DocumentNumber"]
    assert zone["DateOfBirth"].value == datetime.date.fromisoformat(gold["DateOfBirth"])
    assert zone["LastName"].value == "THORNBURY" and zone["Nationality"].value == "GBR"
    number = fields["DocumentNumber"]
    assert number.value == gold["DocumentNumber"] and number.confidence >= 0.95  # its check digit held
    assert spans_text(result.content, number.spans) == number.content
    assert fields["DateOfExpiration"].value == datetime.date.fromisoformat(gold["DateOfExpiration"])
    assert fields["FirstName"].value == "MARGARET ELLEN" and fields["Sex"].value == "F"
    assert fields["CountryRegion"].value == "GBR"


def test_driving_licence_barcode_through_formrecognizer_2022(document_server):
    truth = row("id_documents", "id-015")  # front and back, AAMVA record in the PDF417 symbol
    client = DocumentAnalysisClient(document_server.url, KEY, api_version=DocumentAnalysisApiVersion.V2022_08_31)
    result = client.begin_analyze_document("prebuilt-idDocument", DATA.render(truth)).result()
    [licence] = result.documents
    fields, gold = licence.fields, truth["fields"]
    assert licence.doc_type == "idDocument.driverLicense"
    assert fields["DocumentNumber"].value == gold["DocumentNumber"]
    assert fields["FirstName"].value == "REBECCA" and fields["LastName"].value == "HALLOWAY"
    assert fields["DateOfBirth"].value == datetime.date.fromisoformat(gold["DateOfBirth"])
    assert fields["Region"].value == "WA" and fields["CountryRegion"].value == "USA"
    address = fields["Address"].value
    assert address.postal_code == "99203" and address.city == "SPOKANE" and address.house_number == "1420"
    assert fields["Height"].value == gold["Height"]


def test_identity_card_through_documentintelligence(document_server):
    truth = row("id_documents", "id-011")  # born-digital identity card, TD1 zone
    client = DocumentIntelligenceClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-idDocument", AnalyzeDocumentRequest(
        bytes_source=DATA.render(truth))).result()
    [card] = result.documents
    assert card.doc_type == "idDocument.nationalIdentityCard"
    fields = card.fields
    assert fields["DocumentNumber"].value_string == truth["fields"]["DocumentNumber"]
    assert fields["DateOfBirth"].value_date == datetime.date.fromisoformat(truth["fields"]["DateOfBirth"])
    assert fields["Nationality"].value_country_region == "BEL"
    assert fields["LastName"].value_string == "JANSSENS"


def test_business_card_through_formrecognizer(document_server):
    truth = row("business_cards", "bc-002")
    client = DocumentAnalysisClient(document_server.url, KEY)
    result = client.begin_analyze_document("prebuilt-businessCard", DATA.render(truth)).result()
    [card] = result.documents
    fields = card.fields
    assert card.doc_type == "businessCard"
    [name] = fields["ContactNames"].value
    assert name.value["FirstName"].value == "Rafael" and name.value["LastName"].value == "Quintero"
    assert [c.value for c in fields["CompanyNames"].value] == ["Quintero & Hale LLP"]
    assert [t.value for t in fields["JobTitles"].value] == ["Managing Partner"]
    assert [e.value for e in fields["Emails"].value] == ["rquintero@quinterohale.com"]
    assert [p.value for p in fields["WorkPhones"].value] == ["+14155550192"]
    assert [p.value for p in fields["Faxes"].value] == ["+14155550193"]
    [address] = fields["Addresses"].value
    assert address.value.city == "San Francisco" and address.value.postal_code == "94111"


def test_business_card_is_not_offered_on_2024_11_30(document_server):
    client = DocumentIntelligenceClient(document_server.url, KEY)
    with pytest.raises(HttpResponseError) as error:
        client.begin_analyze_document("prebuilt-businessCard", AnalyzeDocumentRequest(
            bytes_source=DATA.render(row("business_cards", "bc-002")))).result()
    assert error.value.status_code == 404 and "ModelNotFound" in str(error.value)
