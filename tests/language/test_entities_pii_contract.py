"""Entity recognition, PII and entity linking on all four wire contracts, checked against Microsoft's specs.

Raw HTTP (no SDK), so every field the server sends is validated (subcategory,
redactedText, statistics, v3.0's lowerCamel error codes), plus the parameter
errors a client can make and the metering of valid documents.
"""

from __future__ import annotations

import httpx
import pytest

from airgap.platform.usage import totals
from tests.support import language_contracts
from tests.support.contract import LANGUAGE_SPECS, TEXT_ANALYTICS_SPECS, validate_definition, validate_response

NER_METER = "CognitiveServices.Language.Container.EntityRecognitionTextRecords"
PII_METER = "CognitiveServices.Language.Container.PiiEntityRecognitionTextRecords"

DOCS = [
    {"id": "empty", "text": ""},
    {"id": "people", "language": "en",
     "text": "Satya Nadella 👩‍👩‍👧 met the CEO of Microsoft in Seattle on March 3, 2024; mail jane@contoso.com."},
    {"id": "german", "language": "de", "text": "Angela Merkel wohnt in Berlin."},
    {"id": "numbers", "text": "Call (425) 555-0123 about SSN 536-90-4399 and card 4111 1111 1111 1111."},
]


def post_v3(server, version: str, operation: str, query: str = "", documents=DOCS) -> httpx.Response:
    return language_contracts.post_v3(server, version, operation, query, documents=documents)


def post_language(server, version: str, kind: str, parameters: dict | None = None,
                  documents=DOCS, query: str = "") -> httpx.Response:
    return language_contracts.post_language(server, version, kind, parameters, documents=documents, query=query)


def validate_error(spec: str, path: str, version: str, status: int, body: dict) -> None:
    if version == "v3.0":
        # The v3.0 file declares the bare TextAnalyticsError; the service and its SDK wrap it in "error".
        validate_definition(spec, "TextAnalyticsError", body["error"])
    else:
        validate_response(spec, path, "post", status, body)


def spell(api: str, code: str) -> str:
    return code[0].lower() + code[1:] if api == "v3.0" else code


def check_errors(results: dict, api: str) -> None:
    errors = {e["id"]: e["error"] for e in results["errors"]}
    assert set(errors) == {"empty", "german"}
    assert errors["german"]["innererror"]["code"] == spell(api, "UnsupportedLanguageCode")
    assert [d["id"] for d in results["documents"]] == ["people", "numbers"]


def by_category(document: dict) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for entity in document["entities"]:
        found.setdefault(entity["category"], set()).add(entity["text"])
    return found


def check_entities(results: dict) -> None:
    people, numbers = (by_category(d) for d in results["documents"])
    assert people["Person"] == {"Satya Nadella"}
    assert people["PersonType"] == {"CEO"}
    assert people["Location"] == {"Seattle"}
    assert people["DateTime"] == {"March 3, 2024"}
    assert people["Email"] == {"jane@contoso.com"}
    assert numbers["PhoneNumber"] == {"(425) 555-0123"}
    seattle = next(e for e in results["documents"][0]["entities"] if e["text"] == "Seattle")
    assert seattle["subcategory"] == "GPE"
    for document in results["documents"]:
        for entity in document["entities"]:
            assert 0 < entity["confidenceScore"] <= 1


def check_pii(results: dict, categories: set[str] | None = None) -> None:
    people, numbers = results["documents"]
    found = by_category(people) | by_category(numbers)
    expected = {"Person": {"Satya Nadella"}, "Email": {"jane@contoso.com"}, "PhoneNumber": {"(425) 555-0123"},
                "USSocialSecurityNumber": {"536-90-4399"}, "CreditCardNumber": {"4111 1111 1111 1111"}}
    if categories is not None:
        expected = {k: v for k, v in expected.items() if k in categories}
        assert set(found) <= categories
    for category, texts in expected.items():
        assert found.get(category) == texts, found
    # The redaction masks exactly the reported entities, one * per character.
    for document, source in zip((people, numbers), (DOCS[1], DOCS[3]), strict=True):
        text = source["text"]
        masked = list(text)
        for entity in document["entities"]:
            start = text.index(entity["text"])
            masked[start:start + len(entity["text"])] = "*" * len(entity["text"])
        assert document["redactedText"] == "".join(masked)


@pytest.mark.parametrize("version", ["v3.0", "v3.1"])
@pytest.mark.parametrize("query", ["", "?showStats=true&stringIndexType=Utf16CodeUnit"])
def test_v3_entities_contract(language_server, version, query):
    r = post_v3(language_server, version, "entities/recognition/general", query)
    assert r.status_code == 200, r.text
    path = f"/text/analytics/{version}/entities/recognition/general"
    validate_response(TEXT_ANALYTICS_SPECS[version], path, "post", 200, r.json())
    results = r.json()
    check_errors(results, version)
    check_entities(results)
    assert ("statistics" in results) == ("showStats" in query)
    email = next(e for e in results["documents"][0]["entities"] if e["category"] == "Email")
    text = DOCS[1]["text"]
    # v3.0 has no stringIndexType: graphemes (the family emoji is one); v3.1 honours UTF-16 here.
    if version == "v3.1" and query:
        assert email["offset"] == len(text[:text.index("jane")].encode("utf-16-le")) // 2
    else:
        assert email["offset"] == text.index("jane") - 4  # 5 code points of the emoji are 1 grapheme


@pytest.mark.parametrize("query", ["", "?domain=phi&showStats=true", "?piiCategories=Email,Person",
                                   "?piiCategories=USSocialSecurityNumber,creditcardnumber&domain=none"])
def test_v31_pii_contract(language_server, query):
    r = post_v3(language_server, "v3.1", "entities/recognition/pii", query)
    assert r.status_code == 200, r.text
    validate_response(TEXT_ANALYTICS_SPECS["v3.1"], "/text/analytics/v3.1/entities/recognition/pii", "post", 200,
                      r.json())
    results = r.json()
    check_errors(results, "v3.1")
    categories = None
    if "piiCategories" in query:
        categories = {"Email", "Person"} if "Email" in query else {"USSocialSecurityNumber", "CreditCardNumber"}
    check_pii(results, categories)


@pytest.mark.parametrize("version", ["2022-05-01", "2023-04-01"])
def test_language_entities_contract(language_server, version):
    r = post_language(language_server, version, "EntityRecognition", {"stringIndexType": "UnicodeCodePoint"},
                      query="&showStats=true")
    assert r.status_code == 200, r.text
    validate_response(LANGUAGE_SPECS[version], "/:analyze-text", "post", 200, r.json())
    body = r.json()
    assert body["kind"] == "EntityRecognitionResults"
    check_errors(body["results"], version)
    check_entities(body["results"])
    for entity in body["results"]["documents"][0]["entities"]:
        assert DOCS[1]["text"][entity["offset"]:entity["offset"] + entity["length"]] == entity["text"]


@pytest.mark.parametrize("version", ["2022-05-01", "2023-04-01"])
@pytest.mark.parametrize("parameters", [{}, {"domain": "phi", "piiCategories": ["Person", "PhoneNumber"]},
                                        {"piiCategories": ["All"]}])
def test_language_pii_contract(language_server, version, parameters):
    r = post_language(language_server, version, "PiiEntityRecognition", parameters)
    assert r.status_code == 200, r.text
    validate_response(LANGUAGE_SPECS[version], "/:analyze-text", "post", 200, r.json())
    body = r.json()
    assert body["kind"] == "PiiEntityRecognitionResults"
    check_errors(body["results"], version)
    selected = set(parameters.get("piiCategories", ["All"])) - {"All"}
    check_pii(body["results"], selected or None)


def test_phi_domain_adds_health_categories(language_server):
    doc = [{"id": "1", "text": "The 45-year-old patient, DEA number AB1234563, was seen by Dr. Jane Smith."}]
    plain = post_language(language_server, "2023-04-01", "PiiEntityRecognition", {}, documents=doc).json()
    phi = post_language(language_server, "2023-04-01", "PiiEntityRecognition", {"domain": "phi"}, documents=doc).json()
    plain_found = by_category(plain["results"]["documents"][0])
    phi_found = by_category(phi["results"]["documents"][0])
    assert plain_found.get("Person") == phi_found.get("Person") == {"Jane Smith"}
    assert "Quantity" not in plain_found and "DrugEnforcementAgencyNumber" not in plain_found
    assert phi_found["Quantity"] == {"45-year-old"}
    assert phi_found["DrugEnforcementAgencyNumber"] == {"AB1234563"}
    age = next(e for e in phi["results"]["documents"][0]["entities"] if e["category"] == "Quantity")
    assert age["subcategory"] == "Age"


@pytest.mark.parametrize("request_kind", ["v3.1", "2023-04-01"])
@pytest.mark.parametrize("bad", [("piiCategories", "Email,NotACategory"), ("domain", "medical")])
def test_pii_parameter_errors(language_server, request_kind, bad):
    name, value = bad
    if request_kind == "v3.1":
        r = post_v3(language_server, "v3.1", "entities/recognition/pii", f"?{name}={value}")
        spec, path = TEXT_ANALYTICS_SPECS["v3.1"], "/text/analytics/v3.1/entities/recognition/pii"
    else:
        parameters = {name: value.split(",") if name == "piiCategories" else value}
        r = post_language(language_server, request_kind, "PiiEntityRecognition", parameters)
        spec, path = LANGUAGE_SPECS[request_kind], "/:analyze-text"
    assert r.status_code == 400, r.text
    validate_response(spec, path, "post", 400, r.json())
    error = r.json()["error"]
    assert error["innererror"]["code"] == "InvalidParameterValue"
    if name == "piiCategories":
        assert "NotACategory" in error["message"] and "InternationalBankingAccountNumber" in error["message"]
    else:
        assert "phi" in error["message"]


@pytest.mark.parametrize("version", ["v3.0", "v3.1", "2022-05-01", "2023-04-01"])
def test_entity_linking_says_it_cannot_be_served_offline(language_server, version):
    before = totals(language_server.output_dir).get("CognitiveServices.Language.Container.EntityLinkingTextRecords", 0)
    if version.startswith("v3"):
        r = post_v3(language_server, version, "entities/linking")
        spec, path = TEXT_ANALYTICS_SPECS[version], f"/text/analytics/{version}/entities/linking"
    else:
        r = post_language(language_server, version, "EntityLinking")
        spec, path = LANGUAGE_SPECS[version], "/:analyze-text"
    assert r.status_code == 400, r.text
    validate_error(spec, path, version, 400, r.json())
    error = r.json()["error"]
    assert error["code"] == spell(version, "InvalidRequest")
    if version != "v3.0":  # v3.0's closed list of inner codes has none that fits
        assert error["innererror"]["code"] == "KnowledgeBaseNotFound"
    assert "no offline knowledge base" in error["message"] and "EntityRecognition" in error["message"]
    after = totals(language_server.output_dir).get("CognitiveServices.Language.Container.EntityLinkingTextRecords", 0)
    assert after == before


def test_too_many_documents_is_a_400(language_server):
    docs = [{"id": str(i), "text": "Hello Seattle"} for i in range(6)]
    for operation in ("entities/recognition/general", "entities/recognition/pii"):
        r = post_v3(language_server, "v3.1", operation, documents=docs)
        assert r.status_code == 400, r.text
        assert r.json()["error"]["innererror"]["code"] == "InvalidDocumentBatch"
        assert "Max 5 records" in r.json()["error"]["innererror"]["message"]


@pytest.mark.parametrize(("operation", "meter"), [("entities/recognition/general", NER_METER),
                                                  ("entities/recognition/pii", PII_METER)])
def test_valid_documents_are_metered(language_server, operation, meter):
    before = totals(language_server.output_dir).get(meter, 0)
    r = post_v3(language_server, "v3.1", operation)
    assert r.status_code == 200, r.text
    after = totals(language_server.output_dir).get(meter, 0)
    assert after - before == 2  # "people" and "numbers"; the empty and German documents are not billed
