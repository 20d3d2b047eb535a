"""azure-ai-textanalytics 5.4.0, unchanged, against the job APIs of a real server."""

from __future__ import annotations

import pytest
from azure.ai.textanalytics import (
    AbstractiveSummaryAction,
    AnalyzeSentimentAction,
    ExtractiveSummaryAction,
    ExtractKeyPhrasesAction,
    RecognizeEntitiesAction,
    RecognizeLinkedEntitiesAction,
    RecognizePiiEntitiesAction,
    TextAnalyticsClient,
)
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

from airgap.platform.usage import iter_records
from airgap.services.language.features.keyphrases import KeyPhraseExtraction
from airgap.services.language.features.summarization import ExtractiveSummarization

pytestmark = pytest.mark.sdk

ARTICLE = (
    "The Apollo program was the third United States human spaceflight program carried out by NASA. "
    "It succeeded in preparing and landing the first humans on the Moon from 1968 to 1972. "
    "Apollo was first conceived during the Eisenhower administration as a three-person spacecraft. "
    "I had a sandwich for lunch yesterday. "
    "The Apollo spaceflight program set major milestones in human spaceflight and landed humans on the Moon."
)
REVIEW = "Contoso's new office in Seattle is wonderful. Call John Smith at 555-123-4567 or email john@contoso.com."
# Every action v3.1 has whose feature this server serves; the Language API adds summaries.
V31_ACTIONS = [RecognizeEntitiesAction, RecognizePiiEntitiesAction, ExtractKeyPhrasesAction, AnalyzeSentimentAction]


def client(server, api_version: str | None = None) -> TextAnalyticsClient:
    kwargs = {"api_version": api_version} if api_version else {}
    return TextAnalyticsClient(server.url, AzureKeyCredential("x"), **kwargs)


def test_begin_extract_summary(language_server) -> None:
    poller = client(language_server).begin_extract_summary(
        [ARTICLE, "", REVIEW], max_sentence_count=2, order_by="Rank", show_stats=True)
    article, empty, review = list(poller.result())
    assert poller.status() == "succeeded"
    assert not article.is_error and len(article.sentences) == 2
    assert "sandwich" not in " ".join(s.text for s in article.sentences)
    assert article.sentences[0].rank_score == 1.0 >= article.sentences[1].rank_score
    for sentence in article.sentences:  # the SDK asks for UnicodeCodePoint offsets
        assert ARTICLE[sentence.offset:sentence.offset + sentence.length] == sentence.text
    assert article.statistics.character_count == len(ARTICLE)
    assert empty.is_error and empty.error.code == "InvalidDocument"
    assert not review.is_error and 1 <= len(review.sentences) <= 2


def test_begin_extract_summary_pages_through_25_documents(language_server) -> None:
    documents = [f"Document {i} talks about topic {i}. It has a second sentence about topic {i}." for i in range(25)]
    results = list(client(language_server).begin_extract_summary(documents).result())
    assert [r.id for r in results] == [str(i) for i in range(25)]  # 20 per page: the SDK followed nextLink
    assert all(not r.is_error and len(r.sentences) == 2 for r in results)


def test_begin_analyze_actions_v31_pages_through_25_documents(language_server) -> None:
    documents = [f"Document {i} is about the city of Paris and its museums." for i in range(25)]
    poller = client(language_server, "v3.1").begin_analyze_actions(documents, [ExtractKeyPhrasesAction()])
    results = list(poller.result())  # the SDK follows @nextLink for documents 20-24
    assert len(results) == 25 and all(not r[0].is_error and r[0].key_phrases for r in results)
    assert [r[0].id for r in results] == [str(i) for i in range(25)]


@pytest.mark.parametrize("api_version", [None, "v3.1"], ids=["default", "v3.1"])
def test_begin_analyze_actions(language_server, api_version) -> None:
    actions = [cls() for cls in V31_ACTIONS]
    if api_version is None:
        actions.append(ExtractiveSummaryAction(max_sentence_count=1))
    poller = client(language_server, api_version).begin_analyze_actions(
        [ARTICLE, REVIEW], actions, display_name="several actions")
    documents = list(poller.result())
    assert poller.status() == "succeeded" and poller.display_name == "several actions"
    assert len(documents) == 2
    for results in documents:
        assert len(results) == len(actions)
        assert not any(r.is_error for r in results), [r for r in results if r.is_error]
    entities, pii, phrases, sentiment = documents[1][:4]
    assert "Seattle" in {e.text for e in entities.entities}
    assert "john@contoso.com" in {e.text for e in pii.entities}
    assert phrases.key_phrases and sentiment.sentiment in ("positive", "neutral", "negative", "mixed")
    if api_version is None:
        summary = documents[0][4]
        assert len(summary.sentences) == 1 and summary.sentences[0].rank_score == 1.0


def test_poller_cancel(language_server) -> None:
    documents = [REVIEW * 8] * 25  # long enough that the cancel arrives while the first task runs
    actions = [RecognizePiiEntitiesAction(), RecognizeEntitiesAction(), ExtractKeyPhrasesAction()]
    poller = client(language_server).begin_analyze_actions(documents, actions)
    poller.cancel()
    results = list(poller.result())
    assert poller.status() == "cancelled"
    assert len(results) == 25 and all(len(r) == len(actions) for r in results)
    never_ran = [r[-1] for r in results]  # the last action never ran: every document says so
    assert all(r.is_error and r.error.code == "OperationCancelled" for r in never_ran)


def test_begin_abstract_summary_says_it_is_not_available(language_server) -> None:
    with pytest.raises(HttpResponseError) as raised:
        client(language_server).begin_abstract_summary([ARTICLE])
    assert raised.value.status_code == 400
    assert "generative" in raised.value.message


def test_abstractive_action_in_a_mixed_job_is_refused_whole(language_server) -> None:
    with pytest.raises(HttpResponseError, match="generative"):
        client(language_server).begin_analyze_actions([ARTICLE], [ExtractiveSummaryAction(), AbstractiveSummaryAction()])


@pytest.mark.parametrize("api_version", [None, "v3.1"], ids=["default", "v3.1"])
def test_linked_entities_action_is_refused_clearly(language_server, api_version) -> None:
    with pytest.raises(HttpResponseError, match="knowledge base"):
        client(language_server, api_version).begin_analyze_actions([ARTICLE], [RecognizeLinkedEntitiesAction()])


def test_a_finished_job_is_billed_per_task(language_server) -> None:
    poller = client(language_server).begin_analyze_actions(
        [ARTICLE, REVIEW, ""], [ExtractiveSummaryAction(), ExtractKeyPhrasesAction()])
    list(poller.result())
    records = {r["requestId"]: r for r in iter_records(language_server.output_dir)}
    summary, phrases = records[f"{poller.id}/tasks/0"], records[f"{poller.id}/tasks/1"]
    assert summary["serviceName"] == "language"
    # Two valid documents of under 1,000 characters: one text record each; the empty one is free.
    assert summary["meters"] == [{"name": ExtractiveSummarization.meter, "quantity": 2}]
    assert phrases["meters"] == [{"name": KeyPhraseExtraction.meter, "quantity": 2}]
