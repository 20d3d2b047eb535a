"""Vision: the case variants Azure accepts are accepted (issue 11), and Read v3.0/v3.1 (and older)
get a 404 that names what is served and which SDK release speaks it."""

from __future__ import annotations

import httpx
import pytest

from tests.vision.pages import LINES, encode, printed

OCTET = {"Content-Type": "application/octet-stream"}


@pytest.fixture(scope="module")
def png() -> bytes:
    return encode(printed(LINES[:1]), "PNG")


def _lines(body: dict) -> list[str]:
    return [line["text"] for page in body["analyzeResult"]["readResults"] for line in page["lines"]]


@pytest.mark.parametrize("path", ["/vision/V3.2/read/syncAnalyze", "/VISION/v3.2/Read/SyncAnalyze"])
def test_read_path_in_any_case(vision_server, png, path):
    r = httpx.post(vision_server.url + path, content=png, headers=OCTET, timeout=60)
    assert r.status_code == 200, r.text
    assert _lines(r.json()) == LINES[:1]


@pytest.mark.parametrize("query", ["?language=EN", "?Language=en", "?readingOrder=Natural", "?READINGORDER=BASIC",
                                   "?model-version=Latest", "?Pages=1"])
def test_read_query_names_and_values_in_any_case(vision_server, png, query):
    r = httpx.post(f"{vision_server.url}/vision/v3.2/read/syncAnalyze{query}", content=png, headers=OCTET, timeout=60)
    assert r.status_code == 200, r.text
    assert _lines(r.json()) == LINES[:1]


def test_read_analyze_operation_in_another_case(vision_server, png):
    r = httpx.post(f"{vision_server.url}/vision/V3.2/read/analyze?Language=EN", content=png, headers=OCTET, timeout=60)
    assert r.status_code == 202, r.text
    assert "/vision/v3.2/read/analyzeResults/" in r.headers["operation-location"]


@pytest.mark.parametrize("query", ["api-version=2023-10-01&features=READ", "Api-Version=2023-10-01&Features=Read",
                                   "API-VERSION=2024-02-01&features=read&language=EN"])
def test_image_analysis_in_any_case(vision_server, png, query):
    r = httpx.post(f"{vision_server.url}/computervision/imageanalysis:analyze?{query}", content=png,
                   headers=OCTET, timeout=60)
    assert r.status_code == 200, r.text
    lines = [line["text"] for block in r.json()["readResult"]["blocks"] for line in block["lines"]]
    assert lines == LINES[:1]


def test_an_unknown_feature_is_still_refused_by_its_name(vision_server, png):
    r = httpx.post(f"{vision_server.url}/computervision/imageanalysis:analyze?api-version=2023-10-01&features=Bogus",
                   content=png, headers=OCTET, timeout=60)
    assert r.status_code == 400
    assert "Bogus" in r.json()["error"]["message"]


@pytest.mark.parametrize(("path", "version"), [("/vision/v3.0/read/analyze", "v3.0"),
                                               ("/vision/v3.1/read/analyze", "v3.1"),
                                               ("/vision/V3.1/read/analyzeResults/abc", "v3.1"),
                                               ("/vision/v2.1/read/core/asyncBatchAnalyze", "v2.1")])
def test_retired_read_versions_name_what_is_served(vision_server, png, path, version):
    r = httpx.post(vision_server.url + path, content=png, headers=OCTET, timeout=60)
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["innererror"]["code"] == "UnsupportedApiVersion"
    assert f"Computer Vision {version} is not served" in error["message"]
    assert "/vision/v3.2/read/analyze" in error["message"]
    assert "azure-cognitiveservices-vision-computervision 0.9.x" in error["message"]
