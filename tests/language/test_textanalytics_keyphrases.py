"""azure-ai-textanalytics 5.4.0 ``extract_key_phrases``, unchanged, against a real airgap server."""

from __future__ import annotations

import pytest
from azure.ai.textanalytics import TextAnalyticsClient, TextDocumentInput
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

pytestmark = pytest.mark.sdk

API_VERSIONS = [None, "v3.1", "v3.0"]

# Azure's own documentation example and the phrases it answers with.
EXAMPLES = [
    ("Microsoft was founded by Bill Gates and Paul Allen.", {"Bill Gates", "Paul Allen", "Microsoft"}),
    ("Text Analytics is one of the Azure Cognitive Services.", {"Azure Cognitive Services", "Text Analytics"}),
    ("My cat might need to see a veterinarian.", {"cat", "veterinarian"}),
]

NEWS = ("Microsoft announced a new AI feature for its cloud platform on Monday, promising faster virtual "
        "machines and cheaper storage for customers in Europe. Analysts said the move puts pressure on "
        "Amazon and Google, which dominate the cloud market. The cloud platform will reach Europe first.")


def code(api_version: str | None, pascal: str) -> str:
    return pascal[0].lower() + pascal[1:] if api_version == "v3.0" else pascal


@pytest.fixture(params=API_VERSIONS, ids=lambda v: v or "default")
def api_version(request) -> str | None:
    return request.param


@pytest.fixture
def client(language_server, api_version) -> TextAnalyticsClient:
    kwargs = {"api_version": api_version} if api_version else {}
    return TextAnalyticsClient(language_server.url, AzureKeyCredential("x"), **kwargs)


def test_azure_documentation_examples(client):
    results = client.extract_key_phrases([text for text, _ in EXAMPLES])
    for result, (_, expected) in zip(results, EXAMPLES, strict=True):
        assert not result.is_error, result
        assert set(result.key_phrases) == expected


def test_phrases_are_ranked_deduplicated_noun_phrases(client):
    [result] = client.extract_key_phrases([NEWS])
    phrases = result.key_phrases
    assert len(phrases) == len({p.lower() for p in phrases})  # no duplicates
    for expected in ("cloud platform", "Europe", "Amazon", "Google", "cloud market", "customers"):
        assert expected in phrases
    # Repeated, specific phrases rank above incidental ones.
    assert phrases.index("cloud platform") < phrases.index("pressure")
    for phrase in phrases:
        assert phrase in NEWS  # surface forms of the text, not lemmas
        assert not phrase.lower().startswith(("the ", "a ", "its ", "which "))


def test_plural_and_singular_are_one_phrase(client):
    [result] = client.extract_key_phrases(["The hotel was quiet. Other hotels nearby were loud."])
    assert len([p for p in result.key_phrases if p.lower().startswith("hotel")]) == 1


def test_no_phrases_in_a_text_without_nouns(client):
    [result] = client.extract_key_phrases(["It is what it is, and so be it!"])
    assert not result.is_error
    assert result.key_phrases == []


def test_unsupported_language_is_a_document_error(client, api_version):
    results = client.extract_key_phrases([
        TextDocumentInput(id="ja", text="東京は日本の首都です。", language="ja"),
        TextDocumentInput(id="en", text=EXAMPLES[0][0], language="en"),
    ])
    assert results[0].is_error
    assert results[0].error.code == code(api_version, "UnsupportedLanguageCode")
    assert "'ja'" in results[0].error.message
    assert set(results[1].key_phrases) == EXAMPLES[0][1]


def test_per_document_errors(client, api_version):
    results = client.extract_key_phrases(["", "word " * 1025, EXAMPLES[2][0]])
    assert results[0].is_error and results[0].error.code == code(api_version, "InvalidDocument")
    assert results[1].is_error and "5120 text elements" in results[1].error.message
    assert set(results[2].key_phrases) == EXAMPLES[2][1]


def test_ten_documents_at_most(client, api_version):
    assert len(client.extract_key_phrases([EXAMPLES[2][0]] * 10)) == 10
    with pytest.raises(HttpResponseError) as info:
        client.extract_key_phrases([EXAMPLES[2][0]] * 11)
    assert info.value.status_code == 400
    assert info.value.error.code == code(api_version, "InvalidDocumentBatch")


def test_show_stats_and_model_version(client):
    seen = {}

    def hook(response):
        seen["statistics"], seen["version"] = response.statistics, response.model_version

    [result] = client.extract_key_phrases([EXAMPLES[0][0]], show_stats=True, raw_response_hook=hook)
    assert result.statistics.character_count == len(EXAMPLES[0][0])
    assert result.statistics.transaction_count == 1
    assert seen["statistics"].transaction_count == 1
    [pinned] = client.extract_key_phrases([EXAMPLES[0][0]], model_version=seen["version"])
    assert set(pinned.key_phrases) == EXAMPLES[0][1]
