"""azure-ai-textanalytics 5.4.0 ``analyze_sentiment``, unchanged, against a real airgap server.

Default api-version (2023-04-01, ``POST /language/:analyze-text``), ``v3.1`` and ``v3.0``
(``POST /text/analytics/{v}/sentiment``); opinion mining exists from v3.1 on.
"""

from __future__ import annotations

import pytest
from azure.ai.textanalytics import TextAnalyticsClient, TextDocumentInput
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

pytestmark = pytest.mark.sdk

API_VERSIONS = [None, "v3.1", "v3.0"]
MINING_VERSIONS = [None, "v3.1"]

REVIEW = ("Great atmosphere. Close to plenty of restaurants, hotels, and transit! "
          "Staff are friendly and helpful.")


def code(api_version: str | None, pascal: str) -> str:
    return pascal[0].lower() + pascal[1:] if api_version == "v3.0" else pascal


def make_client(server, api_version: str | None) -> TextAnalyticsClient:
    kwargs = {"api_version": api_version} if api_version else {}
    return TextAnalyticsClient(server.url, AzureKeyCredential("x"), **kwargs)


@pytest.fixture(params=API_VERSIONS, ids=lambda v: v or "default")
def api_version(request) -> str | None:
    return request.param


@pytest.fixture
def client(language_server, api_version) -> TextAnalyticsClient:
    return make_client(language_server, api_version)


def _sums_to_one(scores) -> None:
    total = scores.positive + scores.neutral + scores.negative
    assert abs(total - 1.0) < 1e-9, scores
    for value in (scores.positive, scores.neutral, scores.negative):
        assert 0.0 <= value <= 1.0
        assert round(value, 2) == value  # two decimals, as Azure sends


@pytest.mark.parametrize(("text", "label"), [
    ("The hotel was wonderful and the staff were incredibly friendly.", "positive"),
    ("The food was cold and the waiter was rude. I will never come back.", "negative"),
    ("The meeting is scheduled for 3 pm on Tuesday.", "neutral"),
    ("The room was lovely. The wifi was terrible.", "mixed"),
])
def test_document_sentiment(client, text, label):
    [result] = client.analyze_sentiment([text])
    assert not result.is_error, result
    assert result.sentiment == label
    _sums_to_one(result.confidence_scores)
    if label != "mixed":
        scores = result.confidence_scores
        assert max(("positive", "neutral", "negative"), key=lambda k: getattr(scores, k)) == label
    for sentence in result.sentences:
        _sums_to_one(sentence.confidence_scores)
        assert sentence.sentiment in ("positive", "neutral", "negative")
        assert sentence.mined_opinions is None or sentence.mined_opinions == []


def test_sentences_and_offsets(client, api_version):
    text = "I love this phone 😀. The battery, however, is awful!  See you tomorrow."
    [result] = client.analyze_sentiment([text])
    assert [s.text for s in result.sentences] == [
        "I love this phone 😀.", "The battery, however, is awful!", "See you tomorrow."]
    assert [s.sentiment for s in result.sentences] == ["positive", "negative", "neutral"]
    assert result.sentiment == "mixed"
    for sentence in result.sentences:
        if api_version == "v3.0":
            assert sentence.offset is None  # the SDK drops v3.0 offsets (text elements)
        else:
            # The SDK asks for UnicodeCodePoint, Python's own indexing.
            assert text[sentence.offset:sentence.offset + sentence.length] == sentence.text


@pytest.mark.parametrize("mining_version", MINING_VERSIONS, ids=lambda v: v or "default")
def test_opinion_mining(language_server, mining_version):
    client = make_client(language_server, mining_version)
    [result] = client.analyze_sentiment([REVIEW], show_opinion_mining=True)
    first, second, third = result.sentences
    [opinion] = first.mined_opinions
    assert opinion.target.text == "atmosphere"
    assert opinion.target.sentiment == "positive"
    assert REVIEW[opinion.target.offset:opinion.target.offset + opinion.target.length] == "atmosphere"
    [assessment] = opinion.assessments
    assert assessment.text == "great"  # lower case, as Azure reports it
    assert assessment.sentiment == "positive"
    assert assessment.is_negated is False
    assert REVIEW[assessment.offset:assessment.offset + assessment.length].lower() == "great"
    assert assessment.confidence_scores.positive > assessment.confidence_scores.negative
    assert second.mined_opinions == []
    [staff] = third.mined_opinions
    assert staff.target.text == "Staff"
    assert [a.text for a in staff.assessments] == ["friendly", "helpful"]


@pytest.mark.parametrize("mining_version", MINING_VERSIONS, ids=lambda v: v or "default")
def test_opinion_mining_negation_and_mixed_targets(language_server, mining_version):
    client = make_client(language_server, mining_version)
    texts = ["The food was not good, but the dessert was delicious.",
             "The screen is bright and the screen is also tiny."]
    food, screen = client.analyze_sentiment(texts, show_opinion_mining=True)
    opinions = {o.target.text: o for o in food.sentences[0].mined_opinions}
    assert opinions["food"].target.sentiment == "negative"
    [negated] = opinions["food"].assessments
    assert negated.text == "good" and negated.is_negated and negated.sentiment == "negative"
    assert opinions["dessert"].target.sentiment == "positive"
    assert not opinions["dessert"].assessments[0].is_negated
    # Every assessment the SDK resolved from a relation pointer is one of the sentence's own.
    for sentence in screen.sentences:
        for opinion in sentence.mined_opinions:
            assert opinion.assessments
            for a in opinion.assessments:
                assert texts[1][a.offset:a.offset + a.length].lower() == a.text


def test_opinion_relations_point_past_erroneous_documents(language_server):
    # The relation refs are JSON pointers into the response: a rejected document before
    # this one must not shift them (the SDK resolves them by sentence and index).
    client = make_client(language_server, None)
    bad, good = client.analyze_sentiment(["", "The staff were friendly."], show_opinion_mining=True)
    assert bad.is_error
    [opinion] = good.sentences[0].mined_opinions
    assert [a.text for a in opinion.assessments] == ["friendly"]


def test_unsupported_language_is_a_document_error(client, api_version):
    results = client.analyze_sentiment([
        TextDocumentInput(id="it", text="L'albergo era meraviglioso.", language="it"),
        TextDocumentInput(id="en", text="The hotel was wonderful.", language="en"),
        TextDocumentInput(id="en-us", text="The hotel was wonderful.", language="en-US"),
    ])
    assert results[0].is_error
    assert results[0].error.code == code(api_version, "UnsupportedLanguageCode")
    assert "'it'" in results[0].error.message and "en" in results[0].error.message
    assert results[1].sentiment == "positive"
    assert results[2].sentiment == "positive"


def test_per_document_errors_and_stats(client, api_version):
    seen = {}

    def hook(response):
        seen["statistics"] = response.statistics

    results = client.analyze_sentiment(["", "a" * 5121, "It was fine. " * 100], show_stats=True,
                                       raw_response_hook=hook)
    assert results[0].is_error and results[0].error.code == code(api_version, "InvalidDocument")
    assert results[1].is_error and "5120 text elements" in results[1].error.message
    assert results[2].statistics.character_count == 1300
    assert results[2].statistics.transaction_count == 2
    batch = seen["statistics"]
    assert (batch.document_count, batch.valid_document_count, batch.erroneous_document_count) == (3, 1, 2)


def test_ten_documents_at_most(client, api_version):
    assert len(client.analyze_sentiment(["Nice."] * 10)) == 10
    with pytest.raises(HttpResponseError) as info:
        client.analyze_sentiment(["Nice."] * 11)
    assert info.value.status_code == 400
    assert info.value.error.code == code(api_version, "InvalidDocumentBatch")
    assert "10" in info.value.error.message


def test_model_version(client, api_version):
    seen = {}
    client.analyze_sentiment(["Nice."], raw_response_hook=lambda r: seen.setdefault("v", r.model_version))
    assert client.analyze_sentiment(["Nice."], model_version=seen["v"])[0].sentiment == "positive"
    with pytest.raises(HttpResponseError) as info:
        client.analyze_sentiment(["Nice."], model_version="2019-10-01")
    assert info.value.error.code == code(api_version, "ModelVersionIncorrect")


@pytest.mark.parametrize("job_version", MINING_VERSIONS, ids=lambda v: v or "default")
def test_sentiment_and_key_phrases_as_job_actions(language_server, job_version):
    # The same features run as tasks of an analyze job (v3.1 /analyze, Language analyze-text/jobs);
    # v3.1 tasks carry opinionMining as a JSON boolean, not as query text.
    from azure.ai.textanalytics import AnalyzeSentimentAction, ExtractKeyPhrasesAction

    client = make_client(language_server, job_version)
    poller = client.begin_analyze_actions(
        ["", "Great atmosphere. The staff were not friendly.", "My cat might need to see a veterinarian."],
        actions=[AnalyzeSentimentAction(show_opinion_mining=True), ExtractKeyPhrasesAction()],
        polling_interval=1,
    )
    empty, review, cat = poller.result()
    assert all(r.is_error for r in empty)
    sentiment, phrases = review
    assert sentiment.sentiment == "mixed"
    mined = {o.target.text: [(a.text, a.is_negated) for a in o.assessments]
             for s in sentiment.sentences for o in s.mined_opinions}
    assert mined == {"atmosphere": [("great", False)], "staff": [("friendly", True)]}
    assert set(phrases.key_phrases) == {"Great atmosphere", "staff"}
    assert set(cat[1].key_phrases) == {"cat", "veterinarian"}
