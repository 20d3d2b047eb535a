"""The analyze operations over HTTP: contracts of every state, errors, string index types, billing."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support.contract import validate_definition
from tests.vision.pages import LINES, encode, printed, table_pdf

FR = {"2023-07-31": "specification/cognitiveservices/data-plane/FormRecognizer/stable/2023-07-31/FormRecognizer.json",
      "2022-08-31": "specification/cognitiveservices/data-plane/FormRecognizer/stable/2022-08-31/FormRecognizer.json"}
DI = "specification/ai/data-plane/DocumentIntelligence/stable/2024-11-30/DocumentIntelligence.json"
OCTET = {"Content-Type": "application/octet-stream"}


def submit(server, base, model, version, data, query="", headers=OCTET):
    return httpx.post(f"{server.url}/{base}/documentModels/{model}:analyze?api-version={version}{query}",
                      content=data, headers=headers, timeout=60)


def wait(location: str) -> list[dict]:
    seen = []
    deadline = time.monotonic() + 120
    while True:
        r = httpx.get(location, timeout=30)
        assert r.status_code == 200, r.text
        seen.append(r.json())
        if seen[-1]["status"] not in ("notStarted", "running"):
            return seen
        assert r.headers["Retry-After"] == "1" and time.monotonic() < deadline
        time.sleep(0.2)


@pytest.mark.parametrize("base,version,spec,definition", [
    ("formrecognizer", "2023-07-31", FR["2023-07-31"], "AnalyzeResultOperation"),
    ("formrecognizer", "2022-08-31", FR["2022-08-31"], "AnalyzeResultOperation"),
    ("documentintelligence", "2024-11-30", DI, "AnalyzeOperation"),
])
def test_every_poll_matches_the_contract(document_server, base, version, spec, definition):
    r = submit(document_server, base, "prebuilt-layout", version, table_pdf())
    assert r.status_code == 202 and r.content == b""
    states = wait(r.headers["Operation-Location"])
    for state in states:
        validate_definition(spec, definition, state)
    assert states[-1]["status"] == "succeeded"
    assert states[-1]["analyzeResult"]["apiVersion"] == version


@pytest.mark.parametrize("index_type,expected", [("textElements", 2), ("unicodeCodePoint", 2), ("utf16CodeUnit", 2)])
def test_string_index_types_are_echoed(document_server, index_type, expected):
    r = submit(document_server, "formrecognizer", "prebuilt-read", "2023-07-31", encode(printed(LINES[:1]), "PNG"),
               f"&stringIndexType={index_type}")
    result = wait(r.headers["Operation-Location"])[-1]["analyzeResult"]
    assert result["stringIndexType"] == index_type
    word = result["pages"][0]["words"][1]
    assert result["content"][word["span"]["offset"]:][: word["span"]["length"]] == word["content"]


def test_pages_are_billed_per_model(document_server):
    def billed(name):
        report = httpx.get(f"{document_server.url}/records/usage-logs").json()
        return sum(m["quantity"] for m in report["meters"] if m["name"] == name)

    meter = "CognitiveServices.FormRecognizer.Container.ReadPages"
    before = billed(meter)
    r = submit(document_server, "formrecognizer", "prebuilt-read", "2023-07-31", encode(printed(LINES[:1]), "PNG"))
    wait(r.headers["Operation-Location"])
    assert billed(meter) == before + 1


BAD = [
    ("unknown model", "formrecognizer", "prebuilt-tax.us.w2", "2023-07-31", b"%PDF", "", OCTET, 404, "ModelNotFound"),
    ("document model not in 2024-11-30", "documentintelligence", "prebuilt-document", "2024-11-30", b"x", "", OCTET,
     404, "ModelNotFound"),
    ("unknown api-version", "formrecognizer", "prebuilt-read", "2099-01-01", b"x", "", OCTET, 400,
     "UnsupportedApiVersion"),
    ("corrupt png", "formrecognizer", "prebuilt-read", "2023-07-31", b"\x89PNG\r\n\x1a\nxx", "", OCTET, 400,
     "InvalidContent"),
    ("not a document", "formrecognizer", "prebuilt-read", "2023-07-31", b"hello", "", OCTET, 400, "InvalidContent"),
    ("url refused offline", "formrecognizer", "prebuilt-read", "2023-07-31", b'{"urlSource": "https://x/y.pdf"}', "",
     {"Content-Type": "application/json"}, 400, "InvalidContentSourceFormat"),
    ("bad base64", "documentintelligence", "prebuilt-read", "2024-11-30", b'{"base64Source": "%%%"}', "",
     {"Content-Type": "application/json"}, 400, "InvalidRequest"),
    ("feature not bundled", "formrecognizer", "prebuilt-read", "2023-07-31", b"x", "&features=formulas", OCTET, 400,
     "InvalidParameter"),
    ("barcodes before 2023-07-31", "formrecognizer", "prebuilt-read", "2022-08-31", b"x", "&features=barcodes", OCTET,
     400, "InvalidParameter"),
    ("markdown before 2024-11-30", "formrecognizer", "prebuilt-read", "2023-07-31", b"x",
     "&outputContentFormat=markdown", OCTET, 400, "InvalidParameter"),
    ("bad page range", "formrecognizer", "prebuilt-read", "2023-07-31", encode(printed(LINES[:1]), "PNG"),
     "&pages=2-1", OCTET, 400, "InvalidParameter"),
    ("bad string index type", "formrecognizer", "prebuilt-read", "2023-07-31", b"x", "&stringIndexType=bytes", OCTET,
     400, "InvalidParameter"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_input(document_server, case):
    _, base, model, version, data, query, headers, status, inner = case
    r = submit(document_server, base, model, version, data, query, headers)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["innererror"]["code"] == inner and len(error["message"]) > 20
    validate_definition(FR["2023-07-31"], "Error", error)


def test_unknown_result_is_404(document_server):
    r = httpx.get(f"{document_server.url}/formrecognizer/documentModels/prebuilt-read/analyzeResults/"
                  "00000000-0000-0000-0000-000000000000?api-version=2023-07-31")
    assert r.status_code == 404 and r.json()["error"]["code"] == "NotFound"
