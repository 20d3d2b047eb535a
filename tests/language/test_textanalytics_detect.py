"""The official azure-ai-textanalytics 5.4.0 client, unchanged, against a real airgap server.

Default api-version (2023-04-01, ``POST /language/:analyze-text``), ``v3.1`` and ``v3.0``
(``POST /text/analytics/{v}/languages``). v3.0 spells error codes in lowerCamel, as its contract does.
"""

from __future__ import annotations

import pytest
from azure.ai.textanalytics import DetectLanguageInput, DocumentError, TextAnalyticsClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

pytestmark = pytest.mark.sdk

API_VERSIONS = [None, "v3.1", "v3.0"]

SENTENCES = [
    ("Hello, this is an English sentence about the weather today.", "en", "English"),
    ("Bonjour, je m'appelle Marie et j'habite à Paris depuis dix ans.", "fr", "French"),
    ("Ich habe heute leider keine Zeit, weil ich arbeiten muss.", "de", "German"),
    ("Hola, ¿cómo estás? Me gusta mucho la comida española.", "es", "Spanish"),
    ("今日はとても良い天気ですね。散歩に行きましょう。", "ja", "Japanese"),
]


def code(api_version: str | None, pascal: str) -> str:
    return pascal[0].lower() + pascal[1:] if api_version == "v3.0" else pascal


@pytest.fixture(params=API_VERSIONS, ids=lambda v: v or "default")
def api_version(request) -> str | None:
    return request.param


@pytest.fixture
def client(language_server, api_version) -> TextAnalyticsClient:
    kwargs = {"api_version": api_version} if api_version else {}
    return TextAnalyticsClient(language_server.url, AzureKeyCredential("x"), **kwargs)


def _check(result, iso: str, name: str) -> None:
    assert not result.is_error, result
    language = result.primary_language
    assert language.iso6391_name == iso
    assert language.name == name
    assert 0 < language.confidence_score <= 1


@pytest.mark.parametrize(("text", "iso", "name"), SENTENCES, ids=[s[1] for s in SENTENCES])
def test_detects_the_language(client, text, iso, name):
    [result] = client.detect_language([text])
    _check(result, iso, name)


def test_mixed_batch_keeps_ids_and_order(client):
    docs = [DetectLanguageInput(id=f"doc-{iso}", text=text) for text, iso, _ in reversed(SENTENCES)]
    results = client.detect_language(docs)
    assert [r.id for r in results] == [d.id for d in docs]
    for result, (_, iso, name) in zip(results, reversed(SENTENCES), strict=True):
        _check(result, iso, name)


def test_country_hint_breaks_a_tie(client):
    # "Amor" alone is ambiguous; Azure uses the country hint as a tie-breaker.
    [no_hint] = client.detect_language(["Amor"], country_hint="none")
    [portugal] = client.detect_language(["Amor"], country_hint="PT")
    assert no_hint.primary_language.iso6391_name == "en"
    assert portugal.primary_language.iso6391_name == "pt"
    assert portugal.primary_language.name == "Portuguese"
    # A per-document hint overrides the batch one; a clear text ignores the hint.
    results = client.detect_language(
        [DetectLanguageInput(id="1", text="Amor", country_hint="BR"),
         DetectLanguageInput(id="2", text=SENTENCES[2][0], country_hint="JP")],
        country_hint="US",
    )
    assert results[0].primary_language.iso6391_name == "pt"
    assert results[1].primary_language.iso6391_name == "de"


def test_invalid_country_hint_is_a_document_error(client, api_version):
    results = client.detect_language(
        [DetectLanguageInput(id="bad", text="Hello there, friend.", country_hint="Atlantis"),
         DetectLanguageInput(id="good", text="Hello there, friend.", country_hint="GB")]
    )
    assert isinstance(results[0], DocumentError)
    assert results[0].error.code == code(api_version, "InvalidCountryHint")
    assert "Atlantis" in results[0].error.message
    _check(results[1], "en", "English")


def test_show_stats(client):
    seen = {}

    def hook(response):
        seen["statistics"] = response.statistics
        seen["model_version"] = response.model_version

    texts = ["Hello world, this is English.", "", "Bonjour " * 150]
    results = client.detect_language(texts, show_stats=True, raw_response_hook=hook)
    batch = seen["statistics"]
    assert batch.document_count == 3
    assert batch.valid_document_count == 2
    assert batch.erroneous_document_count == 1
    assert batch.transaction_count == 1 + 2  # one text record per started 1,000 text elements
    assert results[0].statistics.character_count == len(texts[0])
    assert results[0].statistics.transaction_count == 1
    assert results[2].statistics.character_count == len(texts[2])
    assert results[2].statistics.transaction_count == 2
    assert results[1].is_error
    assert seen["model_version"]


def test_no_stats_unless_asked(client):
    [result] = client.detect_language(["Hello world, this is English."])
    assert result.statistics is None


def test_per_document_errors(client, api_version):
    too_long = "a" * 5121
    results = client.detect_language(["", "   ", too_long, SENTENCES[0][0]])
    for bad in results[:3]:
        assert isinstance(bad, DocumentError)
        assert bad.is_error
        assert bad.error.code == code(api_version, "InvalidDocument")
    assert "empty" in results[0].error.message
    assert "5120 text elements" in results[2].error.message
    _check(results[3], "en", "English")


def test_just_long_enough_document_is_analysed(client):
    [result] = client.detect_language(["word " * 1024])  # 5,120 text elements: the limit itself
    _check(result, "en", "English")


def test_too_many_documents_is_a_batch_error(client, api_version):
    with pytest.raises(HttpResponseError) as info:
        client.detect_language(["Hello world."] * 1001)
    assert info.value.status_code == 400
    assert info.value.error.code == code(api_version, "InvalidDocumentBatch")
    assert "1000" in info.value.error.message


def test_duplicate_ids_is_a_batch_error(client, api_version):
    with pytest.raises(HttpResponseError) as info:
        client.detect_language([DetectLanguageInput(id="1", text="Hello"), DetectLanguageInput(id="1", text="Hallo")])
    assert info.value.status_code == 400
    assert info.value.error.code == code(api_version, "InvalidDocument")


def test_model_version(client, api_version):
    seen = {}
    [latest] = client.detect_language(["Hello world, this is English."], model_version="latest",
                                      raw_response_hook=lambda r: seen.setdefault("version", r.model_version))
    _check(latest, "en", "English")
    version = seen["version"]
    # The version the server reports is one it accepts.
    [pinned] = client.detect_language(["Hello world, this is English."], model_version=version)
    _check(pinned, "en", "English")
    with pytest.raises(HttpResponseError) as info:
        client.detect_language(["Hello world, this is English."], model_version="2019-10-01")
    assert info.value.status_code == 400
    assert info.value.error.code == code(api_version, "ModelVersionIncorrect")
    assert version in info.value.error.message  # names what would work


def test_client_default_country_hint(language_server, api_version):
    kwargs = {"api_version": api_version} if api_version else {}
    client = TextAnalyticsClient(language_server.url, AzureKeyCredential("x"), default_country_hint="PT", **kwargs)
    [result] = client.detect_language(["Amor"])
    assert result.primary_language.iso6391_name == "pt"


# v3.0 has no loggingOptOut: the SDK itself refuses disable_service_logs there.
@pytest.mark.parametrize("version", [None, "v3.1"], ids=["default", "v3.1"])
def test_disable_service_logs(language_server, version):
    kwargs = {"api_version": version} if version else {}
    client = TextAnalyticsClient(language_server.url, AzureKeyCredential("x"), **kwargs)
    [result] = client.detect_language([SENTENCES[1][0]], disable_service_logs=True)
    _check(result, "fr", "French")
