"""Bad input on every Language wire contract: a specific 4xx envelope, never a 500, never a crash.

Each case is one row: what is sent, on which contracts it applies, and what Azure
answers (../shared/reference/azure-contract.md B.5): the status, the top-level and
inner error codes, and a fragment the message must contain so that a person can
act on it. Error bodies are also checked against the contract's error schema.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.language_contracts import Contract, contracts
from tests.support.server import ServerProcess

CONTRACTS = contracts()
ALL = tuple(c.version for c in CONTRACTS)
V3 = ("v3.0", "v3.1")
LANGUAGE_API = ("2022-05-01", "2023-04-01")
JSON = {"content-type": "application/json"}
ONE_MIB = 1_048_576


def docs_body(contract: Contract, documents: Any) -> bytes:
    return json.dumps(contract.body(documents)).encode()


def good_docs(n: int = 1) -> list[dict[str, str]]:
    return [{"id": str(i), "text": "Hello world"} for i in range(n)]


@dataclass(frozen=True)
class Case:
    name: str
    status: int
    inner: str | None           # innererror.code (PascalCase), None where Azure sends none
    says: str                   # fragment the message must contain
    applies: tuple[str, ...] = ALL
    body: Callable[[Contract], Any] = lambda c: docs_body(c, good_docs())
    headers: dict[str, str] = field(default_factory=lambda: dict(JSON))
    method: str = "POST"
    path: Callable[[Contract], str] = lambda c: c.path
    params: Callable[[Contract], dict[str, str]] = lambda c: c.params()
    code: str = "InvalidRequest"  # error.code (PascalCase)


def _chunks(size: int) -> Iterator[bytes]:
    """A body sent with Transfer-Encoding: chunked, so no Content-Length announces its size."""
    yield b'{"documents": [{"id": "1", "text": "'
    sent = 0
    while sent < size:
        yield b"a" * 65536
        sent += 65536
    yield b'"}]}'


CASES = [
    Case("malformed JSON", 400, "InvalidRequestBodyFormat", "not valid JSON",
         body=lambda c: docs_body(c, good_docs())[:-5]),
    Case("wrong content type", 415, "InvalidRequestBodyFormat", "text/plain",
         headers={"content-type": "text/plain"}),
    Case("form content type", 415, "InvalidRequestBodyFormat", "application/x-www-form-urlencoded",
         headers={"content-type": "application/x-www-form-urlencoded"}),
    Case("empty body", 400, "EmptyRequest", "body", body=lambda c: b""),
    Case("whitespace body", 400, "EmptyRequest", "body", body=lambda c: b"  \n "),
    Case("body over the size limit", 413, "InvalidDocumentBatch", "1,048,576",
         body=lambda c: docs_body(c, [{"id": "1", "text": "a" * (ONE_MIB + 10)}])),
    Case("chunked body over the size limit", 413, "InvalidDocumentBatch", "1,048,576",
         body=lambda c: _chunks(ONE_MIB + 10)),
    Case("invalid UTF-8", 400, "InvalidRequestBodyFormat", "UTF-8",  # café in Latin-1
         body=lambda c: json.dumps(c.body([{"id": "1", "text": "caf\u00e9"}]), ensure_ascii=False).encode("latin-1")),
    Case("UTF-16 body", 400, "InvalidRequestBodyFormat", "UTF-8",
         body=lambda c: json.dumps(c.body(good_docs())).encode("utf-16")),
    Case("missing api-version", 400, "InvalidParameterValue", "api-version", applies=LANGUAGE_API,
         params=lambda c: {}),
    Case("unknown api-version", 400, "InvalidParameterValue", "2021-01-01", applies=LANGUAGE_API,
         params=lambda c: {"api-version": "2021-01-01"}),
    # One row: the path names no contract, so it is answered in the default (PascalCase) dialect.
    Case("unknown Text Analytics version", 404, None, "/text/analytics/v2.9/languages", applies=("v3.1",),
         path=lambda c: "/text/analytics/v2.9/languages", code="NotFound"),
    Case("missing documents", 400, "MissingInputDocuments", "documents",
         body=lambda c: json.dumps({"kind": "LanguageDetection", "analysisInput": {}} if c.is_language_api
                                   else {}).encode()),
    Case("missing analysisInput", 400, "MissingInputDocuments", "analysisInput.documents", applies=LANGUAGE_API,
         body=lambda c: b'{"kind": "LanguageDetection"}'),
    Case("documents is not an array", 400, "InvalidParameterValue", "documents",
         body=lambda c: docs_body(c, {"id": "1", "text": "hi"})),
    Case("empty documents list", 400, "MissingInputDocuments", "empty", body=lambda c: docs_body(c, [])),
    Case("document is not an object", 400, "InvalidDocument", "documents[0]",
         body=lambda c: docs_body(c, ["Hello world"])),
    Case("non-string text", 400, "InvalidDocument", "documents[1].text",
         body=lambda c: docs_body(c, [*good_docs(), {"id": "x", "text": 42}])),
    Case("missing text", 400, "InvalidDocument", "documents[0].text must be a string (missing)",
         body=lambda c: docs_body(c, [{"id": "1"}])),
    Case("null text", 400, "InvalidDocument", "documents[0].text must be a string (null)",
         body=lambda c: docs_body(c, [{"id": "1", "text": None}])),
    Case("non-string id", 400, "InvalidDocument", "documents[0].id",
         body=lambda c: docs_body(c, [{"id": 1, "text": "Hello"}])),
    Case("empty id", 400, "InvalidDocument", "documents[0].id",
         body=lambda c: docs_body(c, [{"id": "", "text": "Hello"}])),
    Case("non-string countryHint", 400, "InvalidDocument", "countryHint",
         body=lambda c: docs_body(c, [{"id": "1", "text": "Hello", "countryHint": 33}])),
    Case("duplicate ids", 400, "InvalidDocument", "duplicated Ids ('7')",
         body=lambda c: docs_body(c, [{"id": "7", "text": "a b"}, {"id": "8", "text": "c"}, {"id": "7", "text": "d"}])),
    Case("more than 1000 documents", 400, "InvalidDocumentBatch", "Max 1000 records",
         body=lambda c: docs_body(c, good_docs(1001))),
    Case("body is a JSON array", 400, "InvalidRequestBodyFormat", "JSON object",
         body=lambda c: json.dumps([c.body(good_docs())]).encode()),
    Case("body is a JSON string", 400, "InvalidRequestBodyFormat", "JSON object", body=lambda c: b'"hello"'),
    Case("unknown kind", 400, "InvalidParameterValue", "kind 'Sentiments'", applies=LANGUAGE_API,
         body=lambda c: json.dumps({**c.body(good_docs()), "kind": "Sentiments"}).encode()),
    Case("missing kind", 400, "InvalidParameterValue", "kind", applies=LANGUAGE_API,
         body=lambda c: json.dumps({"analysisInput": {"documents": good_docs()}}).encode()),
    Case("analysisInput is not an object", 400, "InvalidParameterValue", "analysisInput", applies=LANGUAGE_API,
         body=lambda c: json.dumps({"kind": "LanguageDetection", "analysisInput": []}).encode()),
    Case("parameters is not an object", 400, "InvalidParameterValue", "parameters", applies=LANGUAGE_API,
         body=lambda c: json.dumps({**c.body(good_docs()), "parameters": []}).encode()),
    Case("unknown model version", 400, "ModelVersionIncorrect", "'2019-01-01'", applies=LANGUAGE_API,
         body=lambda c: json.dumps({**c.body(good_docs()), "parameters": {"modelVersion": "2019-01-01"}}).encode()),
    Case("unknown model-version", 400, "ModelVersionIncorrect", "'2019-01-01'", applies=V3,
         params=lambda c: {"model-version": "2019-01-01"}),
    Case("showStats not a boolean", 400, "InvalidParameterValue", "showStats",
         params=lambda c: {**c.params(), "showStats": "maybe"}),
    Case("wrong method", 405, None, "GET", method="GET", body=lambda c: None, code="MethodNotAllowed"),
    Case("unknown path", 404, None, "/language", applies=V3,
         path=lambda c: f"/text/analytics/{c.version}/language", code="NotFound"),
    Case("unknown Language path", 404, None, "/language/:analyse-text", applies=LANGUAGE_API,
         path=lambda c: "/language/:analyse-text", code="NotFound"),
]

MATRIX = [pytest.param(case, contract, id=f"{case.name}-{contract.version}")
          for case in CASES for contract in CONTRACTS if contract.version in case.applies]


def send(server: ServerProcess, case: Case, contract: Contract) -> httpx.Response:
    return httpx.request(case.method, server.url + case.path(contract), params=case.params(contract),
                         headers=case.headers, content=case.body(contract), timeout=60)


def check_error(response: httpx.Response, contract: Contract, case: Case) -> dict[str, Any]:
    assert response.status_code == case.status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str)
    assert error["code"] == contract.spell(case.code)
    assert response.headers["x-ms-error-code"] == case.code
    assert case.says in error["message"], error["message"]
    if case.inner is None:
        assert "innererror" not in error
    else:
        inner = case.inner
        if not contract.is_language_api and inner == "MissingInputDocuments":
            inner = "MissingInputRecords"  # v3.x's name for the same thing
        assert error["innererror"]["code"] == contract.spell(inner)
        assert case.says in error["innererror"]["message"]
    return body


@pytest.mark.parametrize("case, contract", MATRIX)
def test_bad_request_gets_a_specific_error(language_server, case, contract):
    response = send(language_server, case, contract)
    check_error(response, contract, case)
    if case.status != 404 and case.status != 405:  # those are not operations of the contract
        contract.validate(response)
    if case.status == 405:
        assert "POST" in response.headers["allow"]


# Problems of one document: a 200 whose errors[] names it, while its neighbours are analysed.
DOCUMENT_CASES = [
    ("empty text", {"text": ""}, "InvalidDocument", "Document text is empty."),
    ("whitespace-only text", {"text": " \n\t "}, "InvalidDocument", "Document text is empty."),
    ("over 5,120 text elements", {"text": "é" * 5121}, "InvalidDocument", "Limit document size to: 5120 text elements"),
    ("unknown country hint", {"text": "Hello there", "countryHint": "Narnia"}, "InvalidCountryHint", "'Narnia'"),
]


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c.version for c in CONTRACTS])
@pytest.mark.parametrize("name, document, inner, says", DOCUMENT_CASES, ids=[c[0] for c in DOCUMENT_CASES])
def test_bad_document_is_an_error_inside_a_200(language_server, contract, name, document, inner, says):
    docs = [{"id": "good", "text": "Dzień dobry, jak się masz?"}, {"id": "bad", **document}]
    response = httpx.post(language_server.url + contract.path, params=contract.params(show_stats=True),
                          json=contract.body(docs), timeout=60)
    assert response.status_code == 200, response.text
    contract.validate(response)
    results = contract.result_set(response.json())
    assert [(d["id"], d["detectedLanguage"]["iso6391Name"]) for d in results["documents"]] == [("good", "pl")]
    assert [e["id"] for e in results["errors"]] == ["bad"]
    error = results["errors"][0]["error"]
    assert error["code"] == contract.spell("InvalidArgument")
    assert error["innererror"]["code"] == contract.spell(inner)
    assert says in error["innererror"]["message"]
    assert results["statistics"]["erroneousDocumentsCount"] == 1


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c.version for c in CONTRACTS])
def test_document_at_the_limit_is_analysed_and_one_over_is_a_document_error(language_server, contract):
    docs = [{"id": "at", "text": "ab " * 1706 + "ab"}, {"id": "over", "text": "ab " * 1707}]  # 5,120 and 5,121
    response = httpx.post(language_server.url + contract.path, params=contract.params(),
                          json=contract.body(docs), timeout=60)
    assert response.status_code == 200, response.text
    contract.validate(response)
    results = contract.result_set(response.json())
    assert [d["id"] for d in results["documents"]] == ["at"]
    assert [e["id"] for e in results["errors"]] == ["over"]
    assert results["errors"][0]["error"]["innererror"]["code"] == contract.spell("InvalidDocument")


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c.version for c in CONTRACTS])
def test_utf8_byte_order_mark_is_ignored(language_server, contract):
    body = b"\xef\xbb\xbf" + json.dumps(contract.body([{"id": "1", "text": "Bonjour tout le monde"}])).encode()
    response = httpx.post(language_server.url + contract.path, params=contract.params(), headers=JSON,
                          content=body, timeout=60)
    assert response.status_code == 200, response.text
    contract.validate(response)
    assert contract.result_set(response.json())["documents"][0]["detectedLanguage"]["iso6391Name"] == "fr"


def test_exactly_1000_documents_are_accepted(language_server):
    contract = CONTRACTS[-1]
    response = httpx.post(language_server.url + contract.path, params=contract.params(),
                          json=contract.body(good_docs(1000)), timeout=120)
    assert response.status_code == 200, response.text
    assert len(contract.result_set(response.json())["documents"]) == 1000


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
# Near-valid documents reach deeper checks than arbitrary JSON does.
DOCUMENTS = st.lists(
    st.dictionaries(st.sampled_from(["id", "text", "countryHint", "language"]),
                    JSON_VALUES | st.text(max_size=30) | st.sampled_from(["US", "none", "", "fr", "1"]), max_size=4),
    max_size=4,
) | JSON_VALUES


def _any_body(contract: Contract) -> st.SearchStrategy[Any]:
    if contract.is_language_api:
        near = st.fixed_dictionaries({"kind": st.sampled_from(["LanguageDetection", "Unknown", ""]) | JSON_VALUES,
                                      "analysisInput": st.fixed_dictionaries({"documents": DOCUMENTS}) | JSON_VALUES},
                                     optional={"parameters": JSON_VALUES})
    else:
        near = st.fixed_dictionaries({"documents": DOCUMENTS})
    return near | JSON_VALUES


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c.version for c in CONTRACTS])
def test_any_json_body_is_a_result_or_a_400_envelope(language_server, contract):
    """Generated bodies: never a 500, and every answer is one the contract allows."""

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(body=_any_body(contract))
    def check(body: Any) -> None:
        response = httpx.post(language_server.url + contract.path, params=contract.params(), headers=JSON,
                              content=json.dumps(body).encode(), timeout=60)
        assert response.status_code in (200, 400), response.text
        contract.validate(response)
        if response.status_code == 400:
            error = response.json()["error"]
            assert error["message"] and response.headers["x-ms-error-code"] == "InvalidRequest"

    check()


def test_server_survives_bad_input_and_logs_no_failure(language_server):
    """Runs after the table above: the process is alive, answers, and never hit the 500 path."""
    assert language_server.process.poll() is None
    for contract in CONTRACTS:
        response = httpx.post(language_server.url + contract.path, params=contract.params(),
                              json=contract.body([{"id": "1", "text": "Guten Morgen, wie geht es dir?"}]), timeout=60)
        assert response.status_code == 200, response.text
        assert contract.result_set(response.json())["documents"][0]["detectedLanguage"]["iso6391Name"] == "de"
    log = language_server.log_path.read_text(errors="replace") if language_server.log_path else ""
    assert "Unhandled error" not in log and "Traceback" not in log, log


@pytest.fixture(scope="module")
def small_body_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small-body")
    with ServerProcess(settings=["Services=language", "Http:MaxRequestBodyBytes=2000"],
                       log_path=folder / "server.log") as server:
        yield server


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c.version for c in CONTRACTS])
def test_max_request_body_setting_is_enforced(small_body_server, contract):
    url = small_body_server.url + contract.path
    fits = contract.body([{"id": "1", "text": "Hello world. " * 100}])  # about 1,400 bytes
    assert len(json.dumps(fits)) < 2000
    ok = httpx.post(url, params=contract.params(), json=fits, timeout=60)
    assert ok.status_code == 200, ok.text

    too_big = json.dumps(contract.body([{"id": "1", "text": "Hello world. " * 160}])).encode()
    assert len(too_big) > 2000
    case = Case("over 2000", 413, "InvalidDocumentBatch", "2,000")
    for content in (too_big, iter([too_big[:1000], too_big[1000:]])):  # with Content-Length, then chunked
        response = httpx.post(url, params=contract.params(), headers=JSON, content=content, timeout=60)
        check_error(response, contract, case)
        assert "Http:MaxRequestBodyBytes" in response.json()["error"]["message"]
        contract.validate(response)
    assert httpx.post(url, params=contract.params(), json=fits, timeout=60).status_code == 200
