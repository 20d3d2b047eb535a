"""Language: the case variants Azure accepts are accepted (issue 11), and the Text Analytics
versions a pinned client may still send get a 404 that names what is served."""

from __future__ import annotations

import httpx
import pytest

DOCS = {"documents": [{"id": "1", "text": "Bonjour tout le monde, comment allez-vous ?"}]}


def _post(server, path: str, body) -> httpx.Response:
    return httpx.post(server.url + path, json=body, timeout=60)


@pytest.mark.parametrize("path", ["/text/analytics/V3.1/languages", "/TEXT/ANALYTICS/v3.1/LANGUAGES",
                                  "/text/analytics/V3.0/languages", "/text/analytics/v3.1/languages"])
def test_text_analytics_paths_in_any_case(language_server, path):
    r = _post(language_server, path, DOCS)
    assert r.status_code == 200, r.text
    assert r.json()["documents"][0]["detectedLanguage"]["iso6391Name"] == "fr"


@pytest.mark.parametrize("query", ["Api-Version=2023-04-01", "API-VERSION=2023-04-01", "api-version=2023-04-01"])
def test_language_api_version_name_in_any_case(language_server, query):
    body = {"kind": "LanguageDetection", "analysisInput": DOCS}
    r = _post(language_server, f"/language/:analyze-text?{query}", body)
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "LanguageDetectionResults"


@pytest.mark.parametrize("kind", ["languageDetection", "LANGUAGEDETECTION"])
def test_language_kind_in_any_case(language_server, kind):
    r = _post(language_server, "/language/:analyze-text?api-version=2023-04-01",
              {"kind": kind, "analysisInput": DOCS})
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "LanguageDetectionResults"


def test_other_query_names_in_any_case(language_server):
    r = _post(language_server, "/text/analytics/v3.1/languages?SHOWSTATS=true&Model-Version=latest", DOCS)
    assert r.status_code == 200, r.text
    assert "statistics" in r.json()


def test_locale_in_any_case(language_server):
    docs = {"documents": [{"id": "1", "text": "The food was great.", "language": "EN-us"}]}
    r = _post(language_server, "/text/analytics/v3.1/sentiment", docs)
    assert r.status_code == 200, r.text
    assert r.json()["documents"][0]["sentiment"] == "positive"


def test_unknown_route_under_a_served_version_is_still_a_plain_404(language_server):
    r = _post(language_server, "/text/analytics/v3.1/nothing", DOCS)
    assert r.status_code == 404
    assert "UnsupportedApiVersion" not in r.text


@pytest.mark.parametrize(("path", "version"), [
    ("/text/analytics/v2.1/languages", "v2.1"),
    ("/text/analytics/V2.1/sentiment", "v2.1"),
    ("/text/analytics/v2.0/keyPhrases", "v2.0"),
    ("/text/analytics/v3.2-preview.2/entities/recognition/general", "v3.2-preview.2"),
    ("/text/analytics/v3.1-preview.5/languages", "v3.1-preview.5"),
])
def test_retired_text_analytics_versions_name_what_is_served(language_server, path, version):
    r = _post(language_server, path, DOCS)
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["code"] == "NotFound" and error["innererror"]["code"] == "UnsupportedApiVersion"
    assert r.headers["x-ms-error-code"] == "NotFound"
    message = error["message"]
    assert f"Text Analytics {version} is not served" in message
    for served in ("/text/analytics/v3.0", "/text/analytics/v3.1", "api-version=2023-04-01",
                   "azure-ai-textanalytics 5.1.x", "azure-ai-textanalytics 5.3.x"):
        assert served in message
