"""azure-ai-textanalytics 5.4.0, unchanged, on French documents (``language="fr"``).

NER, PII and key phrases serve French through ``fr_core_news_sm``; sentiment serves French,
German and Spanish through packaged lexicons (engines/sentiment_lexicons.py); German NER, PII
and key phrases have no model: per-document ``UnsupportedLanguageCode`` errors next to served
documents.
"""

from __future__ import annotations

import pytest
from azure.ai.textanalytics import TextAnalyticsClient, TextDocumentInput
from azure.core.credentials import AzureKeyCredential

pytestmark = pytest.mark.sdk

TEXT = ("Emmanuel Macron a rencontré les dirigeants de Renault à Lyon. "
        "Écrivez à jean.dupont@orange.fr ou appelez le 01 42 68 53 00.")


def code(api_version: str | None, pascal: str) -> str:
    return pascal[0].lower() + pascal[1:] if api_version == "v3.0" else pascal


@pytest.fixture(params=[None, "v3.1", "v3.0"], ids=lambda v: v or "default")
def api_version(request) -> str | None:
    return request.param


def make_client(server, api_version: str | None) -> TextAnalyticsClient:
    kwargs = {"api_version": api_version} if api_version else {}
    return TextAnalyticsClient(server.url, AzureKeyCredential("x"), **kwargs)


def test_recognize_entities_in_french(language_server, api_version):
    client = make_client(language_server, api_version)
    [result] = client.recognize_entities([TEXT], language="fr")
    assert not result.is_error
    found = {(e.text, e.category) for e in result.entities}
    assert found >= {("Emmanuel Macron", "Person"), ("Renault", "Organization"), ("Lyon", "Location"),
                     ("jean.dupont@orange.fr", "Email"), ("01 42 68 53 00", "PhoneNumber")}
    if api_version != "v3.0":  # the v3.0 SDK models carry no offsets
        for entity in result.entities:
            assert TEXT[entity.offset:entity.offset + entity.length] == entity.text


@pytest.mark.parametrize("api_version", [None, "v3.1"], ids=["default", "v3.1"])
def test_recognize_pii_entities_in_french(language_server, api_version):
    client = make_client(language_server, api_version)
    [result] = client.recognize_pii_entities([TEXT], language="fr")
    assert not result.is_error
    found = {(e.text, e.category) for e in result.entities}
    assert found >= {("Emmanuel Macron", "Person"), ("Renault", "Organization"), ("Lyon", "Address"),
                     ("jean.dupont@orange.fr", "Email"), ("01 42 68 53 00", "PhoneNumber")}
    assert "Emmanuel Macron" not in result.redacted_text and "jean.dupont" not in result.redacted_text
    assert result.redacted_text.startswith("*" * len("Emmanuel Macron") + " a rencontré")


def test_extract_key_phrases_in_french(language_server, api_version):
    client = make_client(language_server, api_version)
    text = ("La Banque de France publie un rapport annuel sur l'économie. "
            "Le rapport annuel décrit la croissance des entreprises françaises.")
    [result] = client.extract_key_phrases([text], language="fr")
    assert not result.is_error
    assert "rapport annuel" in result.key_phrases
    assert "Banque de France" in result.key_phrases
    for phrase in result.key_phrases:
        assert phrase in text
        assert not phrase.lower().startswith(("la ", "le ", "l'", "un ", "des "))


def test_mixed_languages_in_one_request(language_server, api_version):
    client = make_client(language_server, api_version)
    results = client.recognize_entities([
        TextDocumentInput(id="fr", text="Victor Hugo est né à Besançon.", language="fr"),
        TextDocumentInput(id="en", text="Victor Hugo was born in Besançon.", language="en"),
        TextDocumentInput(id="de", text="Angela Merkel wohnt in Berlin.", language="de"),
    ])
    assert {(e.text, e.category) for e in results[0].entities} >= {("Victor Hugo", "Person"), ("Besançon", "Location")}
    assert ("Victor Hugo", "Person") in {(e.text, e.category) for e in results[1].entities}
    assert results[2].is_error
    assert results[2].error.code == code(api_version, "UnsupportedLanguageCode")
    assert "Supported languages: en, fr" in results[2].error.message


def test_german_pii_and_key_phrases_stay_unsupported(language_server):
    client = make_client(language_server, None)
    [pii] = client.recognize_pii_entities(["Angela Merkel wohnt in Berlin."], language="de")
    [phrases] = client.extract_key_phrases(["Angela Merkel wohnt in Berlin."], language="de")
    assert pii.is_error and pii.error.code == "UnsupportedLanguageCode"
    assert phrases.is_error and phrases.error.code == "UnsupportedLanguageCode"


def test_french_german_spanish_sentiment_served(language_server, api_version):
    client = make_client(language_server, api_version)
    results = client.analyze_sentiment([
        TextDocumentInput(id="fr", text="Le personnel était charmant. La chambre était sale et bruyante.", language="fr"),
        TextDocumentInput(id="de", text="Das Essen war ausgezeichnet und das Personal sehr freundlich.", language="de"),
        TextDocumentInput(id="es", text="El camarero fue un maleducado y la comida estaba fría. Un asco.", language="es"),
        TextDocumentInput(id="it", text="L'albergo era meraviglioso.", language="it"),
    ])
    assert [r.sentiment for r in results[:3]] == ["mixed", "positive", "negative"]
    assert [s.sentiment for s in results[0].sentences] == ["positive", "negative"]
    assert results[3].is_error and results[3].error.code == code(api_version, "UnsupportedLanguageCode")
