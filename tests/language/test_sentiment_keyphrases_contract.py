"""Sentiment and key phrase responses on all four wire contracts, checked against Microsoft's specs.

Raw HTTP (no SDK) so that every field the server sends is validated, including the
ones an SDK would drop (v3.0 offsets, opinion mining relations, statistics).
"""

from __future__ import annotations

import httpx
import pytest
import regex

from airgap.platform.usage import totals
from tests.support import language_contracts
from tests.support.contract import LANGUAGE_SPECS, TEXT_ANALYTICS_SPECS, validate_definition, validate_response

SENTIMENT_METER = "CognitiveServices.Language.Container.SentimentTextRecords"
KEYPHRASES_METER = "CognitiveServices.Language.Container.KeyPhrasesTextRecords"

DOCS = [
    {"id": "empty", "text": ""},
    {"id": "review", "language": "en",
     "text": "Great atmosphere 🎉. The staff were not friendly, but the rooms are clean and quiet!"},
    # Italian: neither sentiment nor key phrases serve it (sentiment serves en, fr, de, es).
    {"id": "italian", "language": "it", "text": "La camera era pulita."},
    {"id": "plain", "text": "The meeting is at noon. Café au lait is served at the conference."},
]


def post_v3(server, version: str, operation: str, query: str = "", documents=DOCS) -> httpx.Response:
    return language_contracts.post_v3(server, version, operation, query, documents=documents)


def post_language(server, version: str, kind: str, parameters: dict | None = None,
                  documents=DOCS, query: str = "") -> httpx.Response:
    return language_contracts.post_language(server, version, kind, parameters, documents=documents, query=query)


def check_errors(results: dict, api: str) -> None:
    errors = {e["id"]: e["error"] for e in results["errors"]}
    assert set(errors) == {"empty", "italian"}
    assert errors["italian"]["innererror"]["code"] == ("unsupportedLanguageCode" if api == "v3.0"
                                                      else "UnsupportedLanguageCode")
    assert [d["id"] for d in results["documents"]] == ["review", "plain"]


def check_relations(results: dict) -> None:
    """Every relation is a JSON pointer that resolves inside this response."""
    for d_i, document in enumerate(results["documents"]):
        for s_i, sentence in enumerate(document["sentences"]):
            for target in sentence["targets"]:
                assert target["relations"]
                for relation in target["relations"]:
                    assert relation["relationType"] == "assessment"
                    _, docs, d, sents, s, kind, a = relation["ref"].split("/")
                    assert (docs, sents, kind) == ("documents", "sentences", "assessments")
                    assert (int(d), int(s)) == (d_i, s_i)
                    assert int(a) < len(sentence["assessments"])


@pytest.mark.parametrize("version", ["v3.0", "v3.1"])
@pytest.mark.parametrize("query", ["", "?showStats=true", "?opinionMining=true&stringIndexType=Utf16CodeUnit"])
def test_v3_sentiment_contract(language_server, version, query):
    r = post_v3(language_server, version, "sentiment", query)
    assert r.status_code == 200, r.text
    validate_response(TEXT_ANALYTICS_SPECS[version], f"/text/analytics/{version}/sentiment", "post", 200, r.json())
    results = r.json()
    check_errors(results, version)
    mined = "opinionMining" in query and version == "v3.1"  # v3.0 has no opinion mining
    for document in results["documents"]:
        for sentence in document["sentences"]:
            assert ("targets" in sentence) == mined
    if mined:
        check_relations(results)
    assert ("statistics" in results) == ("showStats" in query)


@pytest.mark.parametrize("version", ["v3.0", "v3.1"])
def test_v3_keyphrases_contract(language_server, version):
    r = post_v3(language_server, version, "keyPhrases", "?showStats=true")
    assert r.status_code == 200, r.text
    validate_response(TEXT_ANALYTICS_SPECS[version], f"/text/analytics/{version}/keyPhrases", "post", 200, r.json())
    results = r.json()
    check_errors(results, version)
    assert results["statistics"]["validDocumentsCount"] == 2
    assert "Café au lait" in results["documents"][1]["keyPhrases"]


@pytest.mark.parametrize("version", ["2022-05-01", "2023-04-01"])
@pytest.mark.parametrize("mining", [False, True])
def test_language_sentiment_contract(language_server, version, mining):
    r = post_language(language_server, version, "SentimentAnalysis", {"opinionMining": mining}, query="&showStats=true")
    assert r.status_code == 200, r.text
    validate_response(LANGUAGE_SPECS[version], "/:analyze-text", "post", 200, r.json())
    body = r.json()
    assert body["kind"] == "SentimentAnalysisResults"
    check_errors(body["results"], version)
    if mining:
        check_relations(body["results"])
        review = body["results"]["documents"][0]
        staff = review["sentences"][1]
        assert any(a["text"] == "friendly" and a["isNegated"] and a["sentiment"] == "negative"
                   for a in staff["assessments"])


@pytest.mark.parametrize("version", ["2022-05-01", "2023-04-01"])
def test_language_keyphrases_contract(language_server, version):
    r = post_language(language_server, version, "KeyPhraseExtraction", {"modelVersion": "latest"})
    assert r.status_code == 200, r.text
    validate_response(LANGUAGE_SPECS[version], "/:analyze-text", "post", 200, r.json())
    assert r.json()["kind"] == "KeyPhraseExtractionResults"
    check_errors(r.json()["results"], version)


def _cut(text: str, offset: int, length: int, index_type: str) -> str:
    if index_type == "UnicodeCodePoint":
        return text[offset:offset + length]
    if index_type == "Utf16CodeUnit":
        units = text.encode("utf-16-le")
        return units[2 * offset:2 * (offset + length)].decode("utf-16-le")
    graphemes = regex.findall(r"\X", text)
    return "".join(graphemes[offset:offset + length])


@pytest.mark.parametrize("index_type", ["TextElements_v8", "UnicodeCodePoint", "Utf16CodeUnit"])
def test_every_span_in_every_index_type(language_server, index_type):
    text = "👩‍👩‍👧 Das Café is great. The e\u0301clair was not good 😞! 東京 has wonderful trains."
    docs = [{"id": "1", "text": text}]
    r = post_language(language_server, "2023-04-01", "SentimentAnalysis",
                      {"opinionMining": True, "stringIndexType": index_type}, documents=docs)
    assert r.status_code == 200, r.text
    [document] = r.json()["results"]["documents"]
    spans = 0
    for sentence in document["sentences"]:
        assert _cut(text, sentence["offset"], sentence["length"], index_type) == sentence["text"]
        for item in sentence["targets"] + sentence["assessments"]:
            assert _cut(text, item["offset"], item["length"], index_type).lower() == item["text"].lower()
            spans += 1
    assert spans >= 4  # café/great, éclair/good, trains/wonderful


def test_v3_1_text_element_default(language_server):
    # v3.1 spells the grapheme index type TextElement_v8 and uses it by default; the emoji
    # (two code points, four UTF-16 units) is one text element and part of the first sentence.
    text = "👍🏽 Lovely hotel. Terrible food."
    r = post_v3(language_server, "v3.1", "sentiment", documents=[{"id": "1", "text": text}])
    sentences = r.json()["documents"][0]["sentences"]
    assert [(s["offset"], s["length"]) for s in sentences] == [(0, 15), (16, 14)]
    r = post_v3(language_server, "v3.1", "sentiment", "?stringIndexType=TextElement_v8",
                documents=[{"id": "1", "text": text}])
    assert [(s["offset"], s["length"]) for s in r.json()["documents"][0]["sentences"]] == [(0, 15), (16, 14)]


@pytest.mark.parametrize(("path", "body", "inner"), [
    ("/text/analytics/v3.1/sentiment?opinionMining=maybe", {"documents": DOCS[1:2]}, "InvalidParameterValue"),
    ("/text/analytics/v3.1/sentiment?stringIndexType=Bytes", {"documents": DOCS[1:2]}, "InvalidParameterValue"),
    ("/text/analytics/v3.1/keyPhrases", {"documents": DOCS[1:2] * 2}, "InvalidDocument"),  # duplicate ids
    ("/text/analytics/v3.1/keyPhrases", {"documents": [{"id": str(i), "text": "x"} for i in range(11)]},
     "InvalidDocumentBatch"),
    ("/language/:analyze-text?api-version=2023-04-01",
     {"kind": "SentimentAnalysis", "analysisInput": {"documents": DOCS[1:2]}, "parameters": {"opinionMining": 1}},
     "InvalidParameterValue"),
])
def test_bad_requests_get_the_error_envelope(language_server, path, body, inner):
    r = httpx.post(language_server.url + path, json=body, timeout=60)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["innererror"]["code"] == inner
    spec = LANGUAGE_SPECS["2023-04-01"] if path.startswith("/language") else TEXT_ANALYTICS_SPECS["v3.1"]
    validate_definition(spec, "ErrorResponse", r.json())


def test_text_records_are_metered(language_server):
    before = totals(language_server.output_dir)
    long_text = "The staff were friendly. " * 48  # 1,200 text elements: two records
    r = post_language(language_server, "2023-04-01", "SentimentAnalysis",
                      documents=[{"id": "1", "text": long_text}, {"id": "2", "text": "Nice."},
                                 {"id": "3", "text": "Bene.", "language": "it"}])
    assert r.status_code == 200
    r = post_v3(language_server, "v3.1", "keyPhrases", documents=[{"id": "1", "text": "My cat is cute."}])
    assert r.status_code == 200
    after = totals(language_server.output_dir)
    assert after.get(SENTIMENT_METER, 0) - before.get(SENTIMENT_METER, 0) == 3  # the Italian one is not billed
    assert after.get(KEYPHRASES_METER, 0) - before.get(KEYPHRASES_METER, 0) == 1
