"""Text Translation 3.0 over plain HTTP against a real server: every operation, the contract,
limits and errors with Azure's integer codes, metering.

Plain REST is also how the 1.x SDK (api-version 3.0) talks: its wire is checked here request by
request (bare arrays, ``{"text"}`` items, repeated ``to``), and the SDK itself in
``test_sdk_v1.py`` where its separate environment exists.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.contract import SPECS, validate_response

SPEC = "specification/translation/data-plane/TextTranslation/stable/3.0/openapi.json"
CLASSIC = "specification/cognitiveservices/data-plane/TranslatorText/stable/v3.0/TranslatorText.json"
METER = "CognitiveServices.TextTranslation.Container.TranslatedCharacters"


@pytest.fixture(scope="module")
def http(translator_server):
    with httpx.Client(base_url=translator_server.url, timeout=60) as client:
        yield client


def _post(http, path: str, body, **params):
    return http.post(path, params={"api-version": "3.0", **params}, json=body)


def _error(response, status: int, code: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["code"], int)
    return body["error"]["message"]


# --- translate ---------------------------------------------------------------------------------


def test_translate_to_several_targets(http):
    r = http.post("/translate", params=[("api-version", "3.0"), ("from", "en"), ("to", "es"), ("to", "ca")],
                  json=[{"Text": "The house is red."}, {"text": "I like the car."}])
    assert r.status_code == 200, r.text
    validate_response(SPEC, "/translate", "post", 200, r.json())
    first, second = r.json()
    assert [t["to"] for t in first["translations"]] == ["es", "ca"]
    assert first["translations"][0]["text"] == "La casa es roja."
    assert "detectedLanguage" not in first
    assert r.headers["x-mt-system"] == "apertium:eng-spa,apertium:eng-cat"
    assert r.headers["x-metered-usage"] == str((17 + 15) * 2)  # every character once per target
    assert r.headers["x-requestid"]


def test_translate_without_from_detects_the_language(http):
    r = _post(http, "/translate", [{"text": "Hace buen tiempo hoy, vamos a pasear por el parque."}], to="pt")
    assert r.status_code == 200, r.text
    [item] = r.json()
    assert item["detectedLanguage"]["language"] == "es" and 0 < item["detectedLanguage"]["score"] <= 1
    assert item["translations"][0]["text"].startswith("Faz bom tempo hoje")


def test_a_pivot_pair_is_translated_and_named(http):
    r = _post(http, "/translate", [{"text": "Le chat est noir."}], **{"from": "fr", "to": "en"})
    assert r.status_code == 200, r.text
    assert r.headers["x-mt-system"] == "apertium:fr-es>apertium:spa-eng"
    assert r.json()[0]["translations"][0]["text"].lower().startswith("the cat")


def test_html_round_trip_keeps_markup(http):
    source = '<div><p>Please send me the <b>invoice</b>.</p><p class="notranslate">Acme Corp</p></div>'
    r = _post(http, "/translate", [{"text": source}], **{"from": "en", "to": "es", "textType": "Html"})
    assert r.status_code == 200, r.text
    out = r.json()[0]["translations"][0]["text"]
    assert out.startswith("<div><p>") and out.endswith("</p></div>")
    assert "<b>factura</b>" in out and '<p class="notranslate">Acme Corp</p>' in out


def test_sentence_lengths_and_target_script(http):
    r = _post(http, "/translate", [{"text": "Hello. How are you?"}], **{
        "from": "en", "to": "es", "includeSentenceLength": "true", "includeAlignment": "true"})
    assert r.status_code == 200, r.text
    validate_response(SPEC, "/translate", "post", 200, r.json())
    translation = r.json()[0]["translations"][0]
    assert translation["sentLen"]["srcSentLen"] == [7, 12]
    assert sum(translation["sentLen"]["transSentLen"]) == len(translation["text"])
    assert "alignment" not in translation  # Apertium knows none; Azure leaves it out where it has none


def test_the_same_language_comes_back_unchanged(http):
    r = _post(http, "/translate", [{"text": "Hola."}], **{"from": "es", "to": "es"})
    assert r.json()[0]["translations"][0]["text"] == "Hola."


def test_the_versioned_path_of_the_1x_sdk_custom_domains(http):
    r = http.post("/translator/text/v3.0/translate", params={"api-version": "3.0", "from": "es", "to": "fr"},
                  json=[{"text": "Hace buen tiempo hoy."}])
    assert r.status_code == 200, r.text
    assert "temps" in r.json()[0]["translations"][0]["text"]


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "body", "status", "code"), [
    ({"to": "zz"}, [{"text": "x"}], 400, 400036),
    ({"to": "de", "from": "en"}, [{"text": "x"}], 400, 400036),  # a language no engine here has
    ({"to": "es", "from": "qq"}, [{"text": "x"}], 400, 400035),
    ({}, [{"text": "x"}], 400, 400036),  # no target at all
    ({"to": "es", "from": "da"}, [{"text": "x"}], 400, 400019),  # both served, no route between them
    ({"to": "es"}, [], 400, 400000),
    ({"to": "es"}, {"text": "not an array"}, 400, 400000),
    ({"to": "es"}, [{"text": "x"}] * 101, 400, 400072),
    ({"to": "es"}, [{"text": "x" * 10_001}], 400, 400050),
    ({"to": "es"}, [{"text": "x" * 10_000}] * 6, 400, 400077),
    ({"to": "es"}, [{"words": "x"}], 400, 400020),
    ({"to": "es"}, [{"text": 5}], 400, 400005),
    ({"to": "es", "textType": "xml"}, [{"text": "x"}], 400, 400071),
    ({"to": "es", "profanityAction": "Shout"}, [{"text": "x"}], 400, 400042),
    ({"to": "es", "from": "en", "category": "custom-1", "allowFallback": "false"}, [{"text": "x"}], 400, 400002),
    ({"to": "es", "from": "en", "toScript": "Hira"}, [{"text": "x"}], 400, 400004),
    ({"to": "es", "from": "en", "fromScript": "Cyrl"}, [{"text": "x"}], 400, 400018),
], ids=["unknown-to", "uninstalled-to", "unknown-from", "no-to", "no-route", "empty-array", "not-array",
        "101-elements", "long-element", "total-50000", "no-text", "text-not-string", "text-type", "profanity",
        "category", "to-script", "from-script"])
def test_bad_requests_get_azure_integer_codes(http, params, body, status, code):
    message = _error(_post(http, "/translate", body, **params), status, code)
    assert message


def test_api_version_is_required_and_checked(http):
    _error(http.post("/translate", params={"to": "es"}, json=[{"text": "x"}]), 400, 400021)
    _error(http.post("/translate", params={"to": "es", "api-version": "2.0"}, json=[{"text": "x"}]), 400, 400021)


def test_invalid_json_and_invalid_utf8(http):
    headers = {"Content-Type": "application/json"}
    r = http.post("/translate", params={"api-version": "3.0", "to": "es"}, content=b'[{"text": "x"', headers=headers)
    _error(r, 400, 400074)
    r = http.post("/translate", params={"api-version": "3.0", "to": "es"}, content=b'[{"text": "\xff\xfe"}]',
                  headers=headers)
    _error(r, 400, 400074)


def test_errors_match_the_contract(http):
    r = _post(http, "/translate", [{"text": "x"}], to="zz")
    validate_response(SPEC, "/translate", "post", 400, r.json())


# --- the other operations ----------------------------------------------------------------------


def test_transliterate(http):
    r = _post(http, "/transliterate", [{"text": "こんにちは"}, {"text": "東京"}], language="ja", fromScript="Jpan",
              toScript="Latn")
    assert r.status_code == 200, r.text
    validate_response(SPEC, "/transliterate", "post", 200, r.json())
    assert [x["script"] for x in r.json()] == ["Latn", "Latn"]
    assert r.json()[1]["text"].lower() == "tokyo"
    r = _post(http, "/transliterate", [{"text": "Привет, мир"}], language="ru", fromScript="cyrl", toScript="latn")
    assert r.json() == [{"text": "Privet, mir", "script": "Latn"}]
    r = _post(http, "/transliterate", [{"text": "这是个测试"}], language="zh-Hans", fromScript="Hans", toScript="Latn")
    assert r.json()[0]["text"] == "zhè shì gè cè shì"


@pytest.mark.parametrize(("params", "code"), [
    ({"language": "xx", "fromScript": "Latn", "toScript": "Cyrl"}, 400080),
    ({"language": "ru", "fromScript": "Zzzz", "toScript": "Latn"}, 400018),
    ({"language": "ru", "fromScript": "Cyrl", "toScript": "Zzzz"}, 400004),
    ({"fromScript": "Cyrl", "toScript": "Latn"}, 400003),
])
def test_transliterate_unknown_scripts(http, params, code):
    _error(_post(http, "/transliterate", [{"text": "x"}], **params), 400, code)


def test_transliterate_limits(http):
    params = {"language": "ru", "fromScript": "Cyrl", "toScript": "Latn"}
    _error(_post(http, "/transliterate", [{"text": "x"}] * 11, **params), 400, 400072)
    _error(_post(http, "/transliterate", [{"text": "x" * 1001}], **params), 400, 400050)


def test_detect(http):
    r = _post(http, "/detect", [{"Text": "Ich würde wirklich gern Ihr Auto um den Block fahren."},
                                {"Text": "Hola, ¿cómo estás?"}])
    assert r.status_code == 200, r.text
    # The classic contract's DetectSuccess schema says [{"text"}]; its own example has the real shape.
    example = json.loads((SPECS / CLASSIC).with_name("examples").joinpath("detectSuccess.json").read_text())
    expected = set(example["responses"]["200"]["body"][0]) - {"alternatives"}
    assert all(set(item) == expected for item in r.json())
    german, spanish = r.json()
    assert german["language"] == "de" and german["isTranslationSupported"] is False
    assert spanish["language"] == "es" and spanish["isTranslationSupported"] is True


def test_breaksentence(http):
    r = _post(http, "/breaksentence", [{"text": "How are you? I am fine. What did you do today?"}])
    assert r.status_code == 200, r.text
    validate_response(SPEC, "/breaksentence", "post", 200, r.json())
    assert r.json()[0]["sentLen"] == [13, 11, 22]
    assert r.json()[0]["detectedLanguage"]["language"] == "en"
    r = _post(http, "/breaksentence", [{"text": "Hola. ¿Qué tal?"}], language="es")
    assert r.json() == [{"sentLen": [6, 9]}]


def test_dictionary_lookup_and_examples(http):
    r = _post(http, "/dictionary/lookup", [{"text": "house"}], **{"from": "en", "to": "es"})
    assert r.status_code == 200, r.text
    validate_response(SPEC, "/dictionary/lookup", "post", 200, r.json())
    [entry] = r.json()
    assert entry["normalizedSource"] == "house"
    nouns = {t["normalizedTarget"]: t for t in entry["translations"] if t["posTag"] == "NOUN"}
    assert "casa" in nouns
    assert {"house", "home"} <= {b["normalizedText"] for b in nouns["casa"]["backTranslations"]}
    assert abs(sum(t["confidence"] for t in entry["translations"]) - 1) < 0.01
    r = _post(http, "/dictionary/examples", [{"text": "house", "translation": "casa"}], **{"from": "en", "to": "es"})
    assert r.status_code == 200, r.text
    validate_response(SPEC, "/dictionary/examples", "post", 200, r.json())
    assert r.json() == [{"normalizedSource": "house", "normalizedTarget": "casa", "examples": []}]
    _error(_post(http, "/dictionary/lookup", [{"text": "x"}], **{"from": "en", "to": "fr"}), 400, 400023)


def test_languages_scopes_names_and_etag(http):
    r = http.get("/languages", params={"api-version": "3.0"})
    assert r.status_code == 200, r.text
    validate_response(SPEC, "/languages", "get", 200, r.json())
    body = r.json()
    assert set(body) == {"translation", "transliteration", "dictionary"}
    assert body["translation"]["es"] == {"name": "Spanish", "nativeName": "Español", "dir": "ltr"}
    assert body["translation"]["pt-pt"]["name"] == "Portuguese (Portugal)"
    ja = body["transliteration"]["ja"]["scripts"]
    assert {"code": "Jpan", "toScripts": ["Latn"]} == {"code": ja[0]["code"],
                                                        "toScripts": [s["code"] for s in ja[0]["toScripts"]]}
    assert any(t["code"] == "es" for t in body["dictionary"]["en"]["translations"])
    etag = r.headers["etag"]
    again = http.get("/languages", params={"api-version": "3.0"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    french = http.get("/languages", params={"api-version": "3.0", "scope": "translation"},
                      headers={"Accept-Language": "fr"})
    assert set(french.json()) == {"translation"}
    assert french.json()["translation"]["es"]["name"] == "espagnol"
    assert french.headers["etag"] != etag
    _error(http.get("/languages", params={"api-version": "3.0", "scope": "everything"}), 400, 400001)


def test_usage_is_billed_per_character_and_target(translator_server):
    before = _billed(translator_server)
    with httpx.Client(base_url=translator_server.url, timeout=60) as client:
        r = client.post("/translate", params=[("api-version", "3.0"), ("from", "en"), ("to", "es"), ("to", "fr")],
                        json=[{"text": "Hello"}])
        assert r.status_code == 200
        bad = client.post("/translate", params={"api-version": "3.0", "to": "zz"}, json=[{"text": "Hello"}])
        assert bad.status_code == 400
    assert _billed(translator_server) - before == 10  # 5 characters x 2 targets; the error is not billed


def _billed(server) -> float:
    body = httpx.get(server.url + "/records/usage-logs", timeout=30).json()
    reports = body if isinstance(body, list) else [body]
    return sum(m["quantity"] for r in reports for m in r.get("meters", []) if m["name"] == METER)


def test_text_without_letters_comes_back_as_it_is(http):
    r = _post(http, "/translate", [{"text": "12345 !!!"}, {"text": ""}], to="es")
    assert r.status_code == 200, r.text
    assert [item["translations"][0]["text"] for item in r.json()] == ["12345 !!!", ""]


def test_odd_values_are_4xx_never_500(http):
    r = http.post("/translate", params={"api-version": "2026-06-06"}, json={"inputs": [
        {"text": "x", "language": "en", "targets": [{"language": "es", "profanityAction": 3}]}]})
    assert r.status_code == 400 and r.json()["error"]["code"] == "400042"
    r = _post(http, "/dictionary/lookup", [{"text": ""}, {"text": "^$[]/"}], **{"from": "en", "to": "es"})
    assert [e["translations"] for e in r.json()] == [[], []]
    r = _post(http, "/translate", [{"text": "<p><b>unclosed <i>tags</p><!-- x"}],
              **{"from": "en", "to": "es", "textType": "html"})
    assert r.status_code == 200


@pytest.mark.parametrize(("params", "expected"), [
    ({"profanityAction": "Marked"}, "Esto es ***"),
    ({"profanityAction": "Marked", "profanityMarker": "Tag"}, "Esto es <profanity>mierda</profanity>"),
    ({"profanityAction": "Deleted"}, "Esto es"),
    ({}, "Esto es mierda"),
])
def test_profanity_in_the_translation_is_marked_or_deleted(http, params, expected):
    r = _post(http, "/translate", [{"text": "This is shit."}], **{"from": "en", "to": "es", **params})
    assert r.status_code == 200, r.text
    assert r.json()[0]["translations"][0]["text"].startswith(expected)
