"""platform/lenient.py: canonical case for paths, query parameter names, enum values and locales."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from airgap.platform.lenient import QUERY_NAMES, _Tables, choice, locale_tag

SRC = Path(__file__).resolve().parents[2] / "src" / "airgap"

ROUTES = [
    "/text/analytics/v3.1/languages",
    "/text/analytics/v3.1/keyPhrases",
    "/vision/v3.2/read/analyze",
    "/vision/v3.2/read/analyzeResults/{operation_id}",
    "/formrecognizer/documentModels/{model_id}:analyze",
    "/formrecognizer/v2.1/layout/analyze",
    "/formrecognizer/v2.1/{rest:path}",
    "/text/analytics/v2.1/{rest:path}",
    "/ContainerLiveness",
]
TABLES = _Tables(ROUTES, QUERY_NAMES)


@pytest.mark.parametrize(("sent", "routed"), [
    ("/text/analytics/V3.1/languages", "/text/analytics/v3.1/languages"),
    ("/TEXT/Analytics/v3.1/KEYPHRASES", "/text/analytics/v3.1/keyPhrases"),
    ("/vision/V3.2/read/analyze", "/vision/v3.2/read/analyze"),
    # parameter values keep their case
    ("/vision/v3.2/READ/analyzeresults/AbC-12", "/vision/v3.2/read/analyzeResults/AbC-12"),
    ("/formrecognizer/documentmodels/prebuilt-Layout:ANALYZE",
     "/formrecognizer/documentModels/prebuilt-Layout:analyze"),
    # a specific route wins over a catch-all that matches the path exactly
    ("/formrecognizer/v2.1/Layout/Analyze", "/formrecognizer/v2.1/layout/analyze"),
    ("/FormRecognizer/V2.1/custom/models", "/formrecognizer/v2.1/custom/models"),
    ("/text/analytics/V2.1/languages", "/text/analytics/v2.1/languages"),
    ("/containerliveness", "/ContainerLiveness"),
])
def test_paths_take_the_case_of_the_route_they_match(sent, routed):
    assert TABLES.path(sent) == routed


@pytest.mark.parametrize("path", ["/text/analytics/v3.1/languages", "/formrecognizer/v2.1/anything/else",
                                  "/nowhere", "/text/analytics/v3.1/languages/extra"])
def test_exact_or_unknown_paths_are_untouched(path):
    assert TABLES.path(path) == path


@pytest.mark.parametrize(("sent", "seen"), [
    (b"Api-Version=2023-04-01", b"api-version=2023-04-01"),
    (b"API-VERSION=2023-04-01&SHOWSTATS=True", b"api-version=2023-04-01&showStats=True"),
    (b"stringindextype=UnicodeCodePoint&x=Y", b"stringIndexType=UnicodeCodePoint&x=Y"),
    (b"%24TOP=5", b"$top=5"),
    (b"api-version=2023-04-01", b"api-version=2023-04-01"),
    (b"Unknown=1&%FF=2&=3&flag", b"Unknown=1&%FF=2&=3&flag"),  # unknown, undecodable, empty: as sent
    (b"", b""),
])
def test_query_parameter_names_take_their_canonical_spelling(sent, seen):
    assert TABLES.query(sent) == seen


def test_unchanged_query_is_the_same_object():
    query = b"api-version=2023-04-01&showStats=true"
    assert TABLES.query(query) is query


@pytest.mark.parametrize(("raw", "choices", "expected"), [
    ("READ", ("read",), "read"),
    ("UnicodeCodePoint", ("textElements", "unicodeCodePoint", "utf16CodeUnit"), "unicodeCodePoint"),
    ("Markdown", ("text", "markdown"), "markdown"),
    (" natural ", ("basic", "natural"), "natural"),
    ("bogus", ("basic", "natural"), "bogus"),
    (None, ("basic",), None),
])
def test_choice(raw, choices, expected):
    assert choice(raw, choices) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("EN-us", "en-US"), ("en", "en"), ("EN", "en"), ("zh-hans", "zh-Hans"), ("ZH-HANT-tw", "zh-Hant-TW"),
    ("sr-latn-rs", "sr-Latn-RS"), ("es-419", "es-419"), ("en_gb", "en-GB"), ("not a tag", "not a tag"),
    ("", ""), (None, None),
])
def test_locale_tag(raw, expected):
    assert locale_tag(raw) == expected


def test_every_query_parameter_a_handler_reads_is_known():
    """A handler that reads a new query parameter must add its name to QUERY_NAMES (or declare it
    in its route's OpenAPI parameters), or ``Api-Version``-style spellings would miss it."""
    read = set()
    for path in (SRC / "services").rglob("*.py"):
        text = path.read_text()
        read.update(re.findall(r"""(?:query|query_params)\.get\(\s*["']([^"']+)["']""", text))
        read.update(re.findall(r"""(?:query_bool|_flag)\(\s*[\w.]+,\s*["']([^"']+)["']""", text))
        for names in re.findall(r"""_query_int\(\s*\w+,\s*\(([^)]*)\)""", text):  # ("$top", "top")
            read.update(re.findall(r"""["']([^"']+)["']""", names))
    assert "api-version" in read and "stringIndexType" in read
    assert read <= set(QUERY_NAMES), sorted(read - set(QUERY_NAMES))
