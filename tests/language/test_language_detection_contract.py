"""Language detection on all four wire contracts, every response checked against Microsoft's spec.

Text Analytics v3.0 / v3.1 (``/text/analytics/{v}/languages``) and the Language API
2022-05-01 / 2023-04-01 (``/language/:analyze-text``, ``kind: LanguageDetection``),
against the real server process of the ``language_server`` fixture.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.contract import declared_headers
from tests.support.language_contracts import Contract, contracts

CONTRACTS = contracts()
IDS = [c.version for c in CONTRACTS]


def detect(server, contract: Contract, documents: Any, *, show_stats: bool = False) -> httpx.Response:
    response = httpx.post(server.url + contract.path, params=contract.params(show_stats),
                          json=contract.body(documents), timeout=60)
    contract.validate(response)
    return response


def detected(result_set: dict[str, Any]) -> dict[str, str]:
    return {d["id"]: d["detectedLanguage"]["iso6391Name"] for d in result_set["documents"]}


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_detects_languages_in_input_order(language_server, contract):
    docs = [
        {"id": "fr", "text": "Bonjour tout le monde, comment allez-vous aujourd'hui ?"},
        {"id": "en", "text": "The quick brown fox jumps over the lazy dog."},
        {"id": "de", "text": "Ich habe heute keine Zeit, weil ich arbeiten muss."},
        {"id": "ja", "text": "今日はとても良い天気ですね。"},
    ]
    r = detect(language_server, contract, docs)
    assert r.status_code == 200, r.text
    results = contract.result_set(r.json())
    assert [d["id"] for d in results["documents"]] == ["fr", "en", "de", "ja"]
    assert detected(results) == {"fr": "fr", "en": "en", "de": "de", "ja": "ja"}
    names = {d["id"]: d["detectedLanguage"]["name"] for d in results["documents"]}
    assert names["fr"] == "French" and names["ja"] == "Japanese"
    assert all(0.0 < d["detectedLanguage"]["confidenceScore"] <= 1.0 for d in results["documents"])
    assert results["errors"] == []
    assert "statistics" not in results
    assert all("statistics" not in d for d in results["documents"])


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_show_stats_counts_documents_and_text_elements(language_server, contract):
    docs = [
        {"id": "1", "text": "Hello world, this is English."},     # 29 elements, 1 record
        {"id": "2", "text": "Ceci est une phrase en français. " * 40},  # 1,320 elements, 2 records
        {"id": "3", "text": "   "},                                # empty: a per-document error
        {"id": "4", "text": "👍🏽 Thumbs up, e\u0301te\u0301"},     # graphemes, not code points: 16
    ]
    r = detect(language_server, contract, docs, show_stats=True)
    assert r.status_code == 200, r.text
    results = contract.result_set(r.json())
    assert results["statistics"] == {"documentsCount": 4, "validDocumentsCount": 3,
                                     "erroneousDocumentsCount": 1, "transactionsCount": 4}
    stats = {d["id"]: d["statistics"] for d in results["documents"]}
    assert stats == {"1": {"charactersCount": 29, "transactionsCount": 1},
                     "2": {"charactersCount": 1320, "transactionsCount": 2},
                     "4": {"charactersCount": 16, "transactionsCount": 1}}
    assert [e["id"] for e in results["errors"]] == ["3"]


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_country_hint_breaks_ties_and_none_switches_it_off(language_server, contract):
    def language(hint: str | None) -> str:
        doc = {"id": "1", "text": "Salut"}
        if hint is not None:
            doc["countryHint"] = hint
        r = detect(language_server, contract, [doc])
        assert r.status_code == 200, r.text
        return detected(contract.result_set(r.json()))["1"]

    assert language("FR") == "fr"
    assert language("fr") == "fr"  # ISO codes are case-insensitive
    unhinted = language(None)
    assert unhinted != "fr"  # otherwise the hint would not be what decided it above
    assert language("none") == unhinted
    assert language("") == unhinted
    # A clear detection is not overridden by a hint.
    r = detect(language_server, contract, [{"id": "1", "text": "Das ist ein ganz normaler deutscher Satz.",
                                           "countryHint": "FR"}])
    assert detected(contract.result_set(r.json())) == {"1": "de"}


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_per_document_errors_are_in_a_200(language_server, contract):
    docs = [
        {"id": "empty", "text": ""},
        {"id": "ok", "text": "Buenos días, ¿cómo estás?"},
        {"id": "long", "text": "word " * 1025},  # 5,125 text elements > 5,120
        {"id": "hint", "text": "Hello there", "countryHint": "XX1"},
    ]
    r = detect(language_server, contract, docs, show_stats=True)
    assert r.status_code == 200, r.text
    results = contract.result_set(r.json())
    assert detected(results) == {"ok": "es"}
    errors = {e["id"]: e["error"] for e in results["errors"]}
    assert list(errors) == ["empty", "long", "hint"]
    for error in errors.values():
        assert error["code"] == contract.spell("InvalidArgument")
        assert error["message"] == "Invalid document in request."
    inner = {doc_id: e["innererror"] for doc_id, e in errors.items()}
    assert inner["empty"]["code"] == contract.spell("InvalidDocument")
    assert "empty" in inner["empty"]["message"]
    assert inner["long"]["code"] == contract.spell("InvalidDocument")
    assert "5120 text elements" in inner["long"]["message"]
    assert inner["hint"]["code"] == contract.spell("InvalidCountryHint")
    assert "XX1" in inner["hint"]["message"]
    assert results["statistics"]["erroneousDocumentsCount"] == 3
    assert results["statistics"]["validDocumentsCount"] == 1


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_all_documents_failing_is_still_a_200(language_server, contract):
    r = detect(language_server, contract, [{"id": "a", "text": " "}, {"id": "b", "text": "\n"}])
    assert r.status_code == 200, r.text
    results = contract.result_set(r.json())
    assert results["documents"] == []
    assert [e["id"] for e in results["errors"]] == ["a", "b"]


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_text_without_letters_is_unknown_language(language_server, contract):
    r = detect(language_server, contract, [{"id": "1", "text": "12345 !!! 🙂"}])
    assert r.status_code == 200, r.text
    language = contract.result_set(r.json())["documents"][0]["detectedLanguage"]
    assert language == {"name": "(Unknown)", "iso6391Name": "(Unknown)", "confidenceScore": 0.0}


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_error_envelope_matches_the_contract(language_server, contract):
    r = detect(language_server, contract, [])
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == contract.spell("InvalidRequest")
    missing = "MissingInputDocuments" if contract.is_language_api else "MissingInputRecords"
    assert error["innererror"]["code"] == contract.spell(missing)
    assert "documents" in error["message"]
    assert r.headers["x-ms-error-code"] == "InvalidRequest"
    assert r.headers["content-type"].startswith("application/json")
    if contract.is_language_api:
        assert "x-ms-error-code" in declared_headers(contract.spec, contract.path, "post", 400)


@pytest.mark.parametrize("contract", CONTRACTS, ids=IDS)
def test_model_version_latest_and_exact_are_accepted(language_server, contract):
    first = detect(language_server, contract, [{"id": "1", "text": "Hello world"}])
    version = contract.result_set(first.json())["modelVersion"]
    for requested in ("latest", version):
        if contract.is_language_api:
            body = {**contract.body([{"id": "1", "text": "Hello world"}]), "parameters": {"modelVersion": requested}}
            r = httpx.post(language_server.url + contract.path, params=contract.params(), json=body, timeout=60)
        else:
            r = httpx.post(language_server.url + contract.path, params={"model-version": requested},
                           json=contract.body([{"id": "1", "text": "Hello world"}]), timeout=60)
        assert r.status_code == 200, r.text
        contract.validate(r)
        assert contract.result_set(r.json())["modelVersion"] == version
