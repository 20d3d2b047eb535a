"""azure-ai-textanalytics 5.4.0, unchanged: recognize_pii_entities.

Default api-version (2023-04-01) and ``v3.1`` (v3.0 has no PII operation; the
client refuses it itself), with ``categories_filter`` and the PHI domain.
"""

from __future__ import annotations

import pytest
from azure.ai.textanalytics import PiiEntityCategory, PiiEntityDomain, TextAnalyticsClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

pytestmark = pytest.mark.sdk

DOCUMENTS = [
    "My name is John Smith, email john.smith@contoso.com, phone (425) 555-0123.",
    "SSN 536-90-4399, card 4111 1111 1111 1111, IBAN DE89370400440532013000, IP 192.168.1.20.",
    "The 45-year-old patient, DEA number AB1234563, lives at 1 Microsoft Way, Redmond, WA 98052.",
]


@pytest.fixture(params=[None, "v3.1"], ids=lambda v: v or "default")
def client(language_server, request) -> TextAnalyticsClient:
    kwargs = {"api_version": request.param} if request.param else {}
    return TextAnalyticsClient(language_server.url, AzureKeyCredential("x"), **kwargs)


def masked(text: str, spans: list[str]) -> str:
    for span in spans:
        text = text.replace(span, "*" * len(span))
    return text


def test_recognize_pii_entities(client):
    results = client.recognize_pii_entities(DOCUMENTS, language="en")
    found = [{(e.text, e.category) for e in r.entities} for r in results]
    assert found[0] == {("John Smith", "Person"), ("john.smith@contoso.com", "Email"),
                        ("(425) 555-0123", "PhoneNumber")}
    assert found[1] == {("536-90-4399", "USSocialSecurityNumber"), ("4111 1111 1111 1111", "CreditCardNumber"),
                        ("DE89370400440532013000", "InternationalBankingAccountNumber"),
                        ("192.168.1.20", "IPAddress")}
    # Health identifiers and ages are only reported in the PHI domain; roles always are (Azure's PersonType).
    assert found[2] == {("1 Microsoft Way, Redmond, WA 98052", "Address"), ("patient", "PersonType")}
    for document, result in zip(DOCUMENTS, results, strict=True):
        assert result.redacted_text == masked(document, [e.text for e in result.entities])
        for entity in result.entities:
            assert document[entity.offset:entity.offset + entity.length] == entity.text
            assert 0 < entity.confidence_score <= 1


def test_categories_filter(client):
    results = client.recognize_pii_entities(
        DOCUMENTS, categories_filter=[PiiEntityCategory.EMAIL, PiiEntityCategory.US_SOCIAL_SECURITY_NUMBER])
    assert [{(e.text, e.category) for e in r.entities} for r in results] == [
        {("john.smith@contoso.com", "Email")}, {("536-90-4399", "USSocialSecurityNumber")}, set()]
    assert results[0].redacted_text == masked(DOCUMENTS[0], ["john.smith@contoso.com"])
    assert results[2].redacted_text == DOCUMENTS[2]


def test_phi_domain_adds_health_information(client):
    results = client.recognize_pii_entities(
        DOCUMENTS[2:], domain_filter=PiiEntityDomain.PROTECTED_HEALTH_INFORMATION)
    entities = {(e.text, e.category, e.subcategory) for e in results[0].entities}
    assert entities == {("45-year-old", "Quantity", "Age"), ("AB1234563", "DrugEnforcementAgencyNumber", None),
                        ("1 Microsoft Way, Redmond, WA 98052", "Address", None), ("patient", "PersonType", None)}


def test_unknown_category_lists_the_valid_ones(client):
    with pytest.raises(HttpResponseError) as caught:
        client.recognize_pii_entities(DOCUMENTS[:1], categories_filter=["SocialSecurityNumber"])
    assert caught.value.status_code == 400
    assert "SocialSecurityNumber" in caught.value.message
    assert "USSocialSecurityNumber" in caught.value.message
