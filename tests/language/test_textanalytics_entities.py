"""azure-ai-textanalytics 5.4.0, unchanged: recognize_entities and recognize_linked_entities.

Default api-version (2023-04-01, ``POST /language/:analyze-text``), ``v3.1`` and ``v3.0``
(``POST /text/analytics/{v}/entities/...``). Entity linking has no offline knowledge base:
the client raises ``HttpResponseError`` with the server's code and explanation.
"""

from __future__ import annotations

import pytest
from azure.ai.textanalytics import TextAnalyticsClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

pytestmark = pytest.mark.sdk

API_VERSIONS = [None, "v3.1", "v3.0"]

DOCUMENTS = [
    "Satya Nadella, the CEO of Microsoft, visited Berlin on March 3, 2024.",
    "🎉👩🏽‍💻 Café naïve: email jane@contoso.com or call (425) 555-0123; 20% off at https://contoso.com",
    "Apple paid $3.5 billion for a London startup last Tuesday at 10:30 am.",
]


@pytest.fixture(params=API_VERSIONS, ids=lambda v: v or "default")
def api_version(request) -> str | None:
    return request.param


@pytest.fixture
def client(language_server, api_version) -> TextAnalyticsClient:
    kwargs = {"api_version": api_version} if api_version else {}
    return TextAnalyticsClient(language_server.url, AzureKeyCredential("x"), **kwargs)


def test_recognize_entities(client, api_version):
    results = client.recognize_entities(DOCUMENTS, language="en", show_stats=True)
    assert [r.id for r in results] == ["0", "1", "2"]
    found = [{(e.text, e.category, e.subcategory) for e in r.entities} for r in results]
    assert {("Satya Nadella", "Person", None), ("CEO", "PersonType", None), ("Microsoft", "Organization", None),
            ("Berlin", "Location", "GPE"), ("March 3, 2024", "DateTime", "Date")} <= found[0]
    assert {("jane@contoso.com", "Email", None), ("(425) 555-0123", "PhoneNumber", None),
            ("20%", "Quantity", "Percentage"), ("https://contoso.com", "URL", None)} <= found[1]
    assert {("Apple", "Organization", None), ("$3.5 billion", "Quantity", "Currency"),
            ("London", "Location", "GPE")} <= found[2]
    for document, result in zip(DOCUMENTS, results, strict=True):
        assert result.statistics.character_count > 0
        for entity in result.entities:
            assert 0 < entity.confidence_score <= 1
            if api_version != "v3.0":
                # The SDK asks for UnicodeCodePoint offsets: Python string indices.
                assert document[entity.offset:entity.offset + entity.length] == entity.text


def test_unsupported_language_is_a_document_error(client, api_version):
    results = client.recognize_entities(
        [{"id": "en", "text": "Paris is in France.", "language": "en"},
         {"id": "ja", "text": "東京は日本の首都です。", "language": "ja"}])
    assert not results[0].is_error
    assert {(e.text, e.category) for e in results[0].entities} >= {("Paris", "Location"), ("France", "Location")}
    assert results[1].is_error
    expected = "unsupportedLanguageCode" if api_version == "v3.0" else "UnsupportedLanguageCode"
    assert results[1].error.code == expected
    assert "Supported languages: en" in results[1].error.message


def test_more_than_five_documents_is_rejected(client):
    with pytest.raises(HttpResponseError) as caught:
        client.recognize_entities(["Seattle"] * 6)
    assert caught.value.status_code == 400
    assert "Max 5 records" in str(caught.value)


def test_recognize_linked_entities_says_it_cannot_work_offline(client, api_version):
    with pytest.raises(HttpResponseError) as caught:
        client.recognize_linked_entities(["Microsoft was founded by Bill Gates."])
    error = caught.value
    assert error.status_code == 400
    # The client surfaces the inner code where there is one (v3.0's closed code list has no fitting one).
    assert error.error.code == ("invalidRequest" if api_version == "v3.0" else "KnowledgeBaseNotFound")
    assert "no offline knowledge base" in error.message
