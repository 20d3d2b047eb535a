"""Errors the platform raises before the Translator's own code (an unknown path, a method the path
does not take, a missing key, the licence, throttling, readiness, a body too large) reach each API
generation in its own shape: 2026-06-06 clients get the number as a string, 3.0 clients an integer."""

from __future__ import annotations

import httpx
import pytest
from azure.ai.translation.text import TextTranslationClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ResourceNotFoundError

from airgap.platform.errors import (
    DialectMap,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthorized,
)
from airgap.platform.errors import ApiError as PlatformError
from airgap.services.translator.errors import TRANSLATOR


def test_the_2x_sdk_gets_a_string_code_from_the_platform(translator_server):
    # Every request of this client lands under a path no route serves: the platform's 404.
    client = TextTranslationClient(endpoint=translator_server.url + "/translator/nothing",
                                   credential=AzureKeyCredential("x"))
    with pytest.raises(ResourceNotFoundError) as caught:
        client.translate(["The house."], to_language=["es"], from_language="en")
    assert caught.value.error.code == "404000"
    assert caught.value.response.json()["error"]["code"] == "404000"


@pytest.mark.parametrize(("version", "code"), [("3.0", 405000), ("2026-06-06", "405000"),
                                               ("2025-10-01-preview", "405000")])
def test_a_method_the_path_does_not_take(translator_server, version, code):
    r = httpx.get(translator_server.url + "/translate", params={"API-Version": version, "to": "es"}, timeout=30)
    assert r.status_code == 405
    assert r.json()["error"]["code"] == code and r.headers["x-ms-error-code"] == "405000"


def test_3_0_keeps_integer_codes_for_platform_errors(translator_server):
    r = httpx.post(translator_server.url + "/translator/text/v3.0/nothing", params={"api-version": "3.0"},
                   json=[{"Text": "x"}], timeout=30)
    assert r.status_code == 404 and r.json()["error"]["code"] == 404000


@pytest.mark.parametrize(("error", "number"), [
    (Unauthorized("no key"), 401000), (Forbidden("licence expired"), 403000),
    (PlatformError("slow down", status=429, code="TooManyRequests"), 429000),
    (ServiceUnavailable("loading"), 503000), (PayloadTooLarge("too big"), 413000), (NotFound("no route"), 404000),
])
def test_the_dialect_is_picked_per_request(error, number):
    # The gate errors need a server with keys, a licence or a queue limit; the platform picks the
    # dialect the same way for all of them, from the path and the query.
    dialects = DialectMap()
    dialects.register("/translate", TRANSLATOR)
    new = dialects.for_request("/translate", b"to=es&api-version=2026-06-06").render(error)
    old = dialects.for_request("/translate", b"api-version=3.0&to=es").render(error)
    assert new.status == old.status == number // 1000
    assert new.body["error"]["code"] == str(number) and old.body["error"]["code"] == number
    assert dialects.for_request("/translate", b"").render(error).body["error"]["code"] == number


@pytest.mark.parametrize(("version", "code"), [("3.0", 415000), ("2026-06-06", "415000")])
def test_a_body_that_is_not_declared_json_is_415000(translator_server, version, code):
    # Azure's 415000: "The Content-Type header is missing or invalid" (a missing one is read as JSON).
    r = httpx.post(translator_server.url + "/translate", params={"api-version": version, "to": "es", "from": "en"},
                   content=b'[{"Text": "The house."}]', headers={"Content-Type": "text/plain"}, timeout=30)
    assert r.status_code == 415, r.text
    assert r.json()["error"]["code"] == code
