"""Form Recognizer v2.1 over HTTP (layout; the rest a clear 404), the retired versions, and the case
variants Document Intelligence accepts (issue 11).

Results are checked against the v2.1 contract (``FormRecognizer/stable/v2.1/FormRecognizer.json``)
through tests/support/contract.py when that file is in shared/specs, and always against
``V21_RESULT`` below: the same definitions (AnalyzeOperationResult, AnalyzeResult, ReadResult,
TextLine, TextWord, SelectionMark, PageResult, DataTable, DataTableCell, ErrorInformation) written
out as strict JSON Schema, extra properties refused.
"""

from __future__ import annotations

import json
import re

import httpx
import jsonschema
import pytest

from tests.document.test_analyze_api import OCTET, submit, wait
from tests.support import contract
from tests.vision.pages import INVOICE_TABLE, LINES, checkbox_form, encode, printed, ruled_table, table_pdf

FR_V21 = "specification/cognitiveservices/data-plane/FormRecognizer/stable/v2.1/FormRecognizer.json"
BASE = "/formrecognizer/v2.1"

_BOX = {"type": "array", "minItems": 8, "maxItems": 8, "items": {"type": "number"}}
_CONFIDENCE = {"type": "number", "minimum": 0, "maximum": 1}
_ERROR = {"type": "object", "required": ["code", "message"], "additionalProperties": False,
          "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}


def _object(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}


_WORD = _object(["boundingBox", "text"], text={"type": "string"}, boundingBox=_BOX, confidence=_CONFIDENCE)
_LINE = _object(["text", "boundingBox", "words"], text={"type": "string"}, boundingBox=_BOX,
                words={"type": "array", "items": _WORD},
                appearance=_object(["style"], style=_object(["name", "confidence"], name={"type": "string"},
                                                            confidence={"type": "number"})))
_MARK = _object(["boundingBox", "confidence", "state"], boundingBox=_BOX, confidence=_CONFIDENCE,
                state={"enum": ["selected", "unselected"]})
_READ = _object(["page", "angle", "width", "height", "unit"],
                page={"type": "integer", "minimum": 1},
                angle={"type": "number", "exclusiveMinimum": -180, "maximum": 180},
                width={"type": "number", "minimum": 0}, height={"type": "number", "minimum": 0},
                unit={"enum": ["pixel", "inch"]}, lines={"type": "array", "items": _LINE},
                selectionMarks={"type": "array", "items": _MARK})
_CELL = _object(["rowIndex", "columnIndex", "text", "boundingBox", "confidence"],
                rowIndex={"type": "integer", "minimum": 0}, columnIndex={"type": "integer", "minimum": 0},
                rowSpan={"type": "integer", "minimum": 1}, columnSpan={"type": "integer", "minimum": 1},
                text={"type": "string"}, boundingBox=_BOX, confidence=_CONFIDENCE,
                elements={"type": "array", "items": {"type": "string"}},
                isHeader={"type": "boolean"}, isFooter={"type": "boolean"})
_TABLE = _object(["rows", "columns", "cells", "boundingBox"], rows={"type": "integer", "minimum": 1},
                 columns={"type": "integer", "minimum": 1}, cells={"type": "array", "items": _CELL}, boundingBox=_BOX)
_PAGE = _object(["page"], page={"type": "integer", "minimum": 1}, clusterId={"type": "integer"},
                keyValuePairs={"type": "array"}, tables={"type": "array", "items": _TABLE})
V21_RESULT = _object(
    ["status", "createdDateTime", "lastUpdatedDateTime"],
    status={"enum": ["notStarted", "running", "succeeded", "failed"]},
    createdDateTime={"type": "string"}, lastUpdatedDateTime={"type": "string"},
    analyzeResult=_object(["version", "readResults"], version={"type": "string"},
                          readResults={"type": "array", "items": _READ},
                          pageResults={"type": "array", "items": _PAGE},
                          documentResults={"type": "array"}, errors={"type": "array", "items": _ERROR}))
V21_ERROR = _object(["error"], error=_ERROR)


def _check(body: dict, schema: dict = V21_RESULT, definition: str = "AnalyzeOperationResult") -> None:
    jsonschema.validate(body, schema)
    if (contract.SPECS / FR_V21).exists():
        contract.validate_definition(FR_V21, definition, body)


def layout(server, data: bytes, query: str = "", headers=OCTET) -> httpx.Response:
    return httpx.post(f"{server.url}{BASE}/layout/analyze{query}", content=data, headers=headers, timeout=60)


def test_layout_of_a_ruled_table_every_poll_matches_the_contract(document_server):
    r = layout(document_server, encode(ruled_table(), "PNG"), headers={"Content-Type": "image/png"})
    assert r.status_code == 202 and r.content == b""
    location = r.headers["Operation-Location"]
    assert re.fullmatch(rf"{re.escape(document_server.url)}{BASE}/layout/analyzeResults/[0-9a-f-]{{36}}", location)
    states = wait(location)
    for state in states:
        _check(state)
    result = states[-1]["analyzeResult"]
    assert states[-1]["status"] == "succeeded" and result["version"] == "2.1.0"
    [read] = result["readResults"]
    assert read["unit"] == "pixel" and read["page"] == 1
    # A scan: each ruled cell is its own line, row by row (reading order, issue 11).
    assert [line["text"] for line in read["lines"]] == ["Invoice 4471", *(cell for row in INVOICE_TABLE for cell in row)]
    [page] = result["pageResults"]
    [table] = page["tables"]
    assert (table["rows"], table["columns"]) == (4, 4)
    grid = [[""] * 4 for _ in range(4)]
    for cell in table["cells"]:
        grid[cell["rowIndex"]][cell["columnIndex"]] = cell["text"]
        # every element is a JSON pointer to a word of the cell
        words = []
        for pointer in cell["elements"]:
            i, j, k = map(int, re.fullmatch(r"#/readResults/(\d+)/lines/(\d+)/words/(\d+)", pointer).groups())
            words.append(result["readResults"][i]["lines"][j]["words"][k]["text"])
        assert " ".join(words) == cell["text"]
        assert cell.get("isHeader", False) == (cell["rowIndex"] == 0)
    assert grid == INVOICE_TABLE


def test_layout_of_a_pdf_is_in_inches_with_a_page_result_per_page(document_server):
    r = layout(document_server, table_pdf(), headers={"Content-Type": "application/pdf"})
    result = wait(r.headers["Operation-Location"])[-1]
    _check(result)
    result = result["analyzeResult"]
    assert [p["unit"] for p in result["readResults"]] == ["inch"]
    assert len(result["pageResults"]) == len(result["readResults"])


def test_selection_marks_are_not_words(document_server):
    r = layout(document_server, encode(checkbox_form(), "PNG"))
    result = wait(r.headers["Operation-Location"])[-1]
    _check(result)
    [read] = result["analyzeResult"]["readResults"]
    assert [m["state"] for m in read["selectionMarks"]] == ["selected", "unselected", "selected"]
    assert not any(":selected:" in line["text"] or ":unselected:" in line["text"] for line in read["lines"])


def test_options_in_any_case_and_pages(document_server):
    r = layout(document_server, encode(printed(LINES[:2]), "PNG"), "?Language=EN&ReadingOrder=Natural&PAGES=1")
    assert r.status_code == 202, r.text
    result = wait(r.headers["Operation-Location"])[-1]["analyzeResult"]
    assert [line["text"] for line in result["readResults"][0]["lines"]] == LINES[:2]


@pytest.mark.parametrize(("query", "code"), [("?readingOrder=sideways", "InvalidParameter"),
                                             ("?language=xx", "InvalidParameter"),
                                             ("?pages=9", "InvalidPageRange")])
def test_bad_options_are_v2_envelopes(document_server, query, code):
    r = layout(document_server, encode(printed(LINES[:1]), "PNG"), query)
    assert r.status_code == 400
    _check(r.json(), V21_ERROR, "ErrorResponse")
    assert r.json()["error"]["code"] == code


def test_a_broken_file_is_a_400_at_submit(document_server):
    r = layout(document_server, b"\x89PNG\r\n\x1a\n" + b"broken" * 10)
    assert r.status_code == 400
    _check(r.json(), V21_ERROR, "ErrorResponse")


def test_unknown_result_and_a_v3_result_are_404(document_server):
    r = httpx.get(f"{document_server.url}{BASE}/layout/analyzeResults/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404
    _check(r.json(), V21_ERROR, "ErrorResponse")
    v3 = submit(document_server, "formrecognizer", "prebuilt-layout", "2023-07-31", encode(printed(LINES[:1]), "PNG"))
    job_id = v3.headers["Operation-Location"].split("/analyzeResults/")[1].split("?")[0]
    assert httpx.get(f"{document_server.url}{BASE}/layout/analyzeResults/{job_id}").status_code == 404


@pytest.mark.parametrize("path", [f"{BASE}/prebuilt/receipt/analyze", f"{BASE}/prebuilt/invoice/analyze",
                                  f"{BASE}/prebuilt/businessCard/analyze", f"{BASE}/prebuilt/idDocument/analyze",
                                  f"{BASE}/custom/models"])
def test_models_not_available_yet_say_so(document_server, path):
    r = httpx.post(document_server.url + path, content=encode(printed(LINES[:1]), "PNG"), headers=OCTET)
    assert r.status_code == 404
    _check(r.json(), V21_ERROR, "ErrorResponse")
    error = r.json()["error"]
    assert error["code"] == "ModelNotFound"
    assert "not available on this offline server" in error["message"]
    assert f"{BASE}/layout/analyze" in error["message"]


@pytest.mark.parametrize(("path", "version"), [("/formrecognizer/v2.0/layout/analyze", "v2.0"),
                                               ("/formrecognizer/v2.0/prebuilt/receipt/analyze", "v2.0"),
                                               ("/formrecognizer/v2.1-preview.3/layout/analyze", "v2.1-preview.3")])
def test_retired_form_recognizer_versions_name_what_is_served(document_server, path, version):
    r = httpx.post(document_server.url + path, content=b"x", headers=OCTET)
    assert r.status_code == 404
    _check(r.json(), V21_ERROR, "ErrorResponse")
    message = r.json()["error"]["message"]
    assert f"Form Recognizer {version} is not served" in message
    for served in ("/formrecognizer/v2.1/layout/analyze (azure-ai-formrecognizer 3.1.x)",
                   "api-version=2023-07-31 (azure-ai-formrecognizer 3.3.x)",
                   "api-version=2024-11-30 (azure-ai-documentintelligence 1.0.x)"):
        assert served in message


def test_other_v21_operations_are_a_404_naming_what_v21_serves(document_server):
    r = httpx.get(f"{document_server.url}{BASE}/something/else")
    assert r.status_code == 404
    _check(r.json(), V21_ERROR, "ErrorResponse")
    assert f"POST {BASE}/layout/analyze" in r.json()["error"]["message"]


# -- Document Intelligence (2022-08-31 and later): case variants -------------------------------

@pytest.mark.parametrize(("base", "version", "query", "check"), [
    ("formrecognizer", "2023-07-31", "&stringIndexType=UnicodeCodePoint",
     lambda result: result["stringIndexType"] == "unicodeCodePoint"),
    ("formrecognizer", "2023-07-31", "&STRINGINDEXTYPE=utf16codeunit",
     lambda result: result["stringIndexType"] == "utf16CodeUnit"),
    ("documentintelligence", "2024-11-30", "&outputContentFormat=Markdown",
     lambda result: result["contentFormat"] == "markdown"),
    ("formrecognizer", "2023-07-31", "&locale=EN-us", lambda result: result["content"].startswith("Invoice")),
    # accepted (was a 400 naming the feature); printed lines hold no key-value pair to find
    ("formrecognizer", "2023-07-31", "&features=KeyValuePairs", lambda result: result["content"].startswith("Invoice")),
])
def test_document_intelligence_values_in_any_case(document_server, base, version, query, check):
    r = httpx.post(f"{document_server.url}/{base}/documentModels/prebuilt-layout:analyze?Api-Version={version}{query}",
                   content=encode(printed(LINES[:2]), "PNG"), headers=OCTET, timeout=60)
    assert r.status_code == 202, r.text
    result = wait(r.headers["Operation-Location"])[-1]
    assert result["status"] == "succeeded", result
    assert check(result["analyzeResult"])


def test_document_intelligence_path_in_any_case(document_server):
    r = httpx.post(f"{document_server.url}/FormRecognizer/DocumentModels/prebuilt-read:Analyze?api-version=2023-07-31",
                   content=encode(printed(LINES[:1]), "PNG"), headers=OCTET, timeout=60)
    assert r.status_code == 202, r.text
    assert wait(r.headers["Operation-Location"])[-1]["analyzeResult"]["content"] == LINES[0]


def test_a_failed_operation_reports_why_in_analyze_result_errors():
    """v2.1 has no operation-level ``error``: the SDK (AnalyzePolling) reads ``analyzeResult.errors``."""
    from airgap.platform.jobs import JobFailure
    from airgap.services.document.api_v21 import _poll

    state = {"status": "failed", "createdDateTime": "2026-01-01T00:00:00Z",
             "lastUpdatedDateTime": "2026-01-01T00:00:01Z", "errors": [JobFailure.internal().to_json()], "tasks": [{}]}
    body = json.loads(_poll(state).body)
    _check(body)
    [error] = body["analyzeResult"]["errors"]
    assert error["code"] and error["message"]
    assert "error" not in body
