"""The official azure-ai-translation-text 2.x client (api-version 2026-06-06), unchanged, against a
real airgap server: translate (strings and full input items), transliterate, languages, errors."""

from __future__ import annotations

import pytest
from azure.ai.translation.text import TextTranslationClient
from azure.ai.translation.text.models import TextType, TranslateInputItem, TranslationTarget
from azure.core import MatchConditions
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError, ResourceNotModifiedError

pytestmark = pytest.mark.sdk


@pytest.fixture(scope="module")
def client(translator_server) -> TextTranslationClient:
    return TextTranslationClient(endpoint=translator_server.url, credential=AzureKeyCredential("x"))


def test_translate_strings_with_a_source_language(client):
    [item] = client.translate(["The house is red."], to_language=["es", "ca"], from_language="en")
    assert [t.language for t in item.translations] == ["es", "ca"]
    assert item.translations[0].text == "La casa es roja."
    assert item.detected_language is None


def test_translate_detects_the_language(client):
    [item] = client.translate(["Hace buen tiempo hoy, vamos a pasear por el parque."], to_language=["pt"])
    assert item.detected_language.language == "es"
    assert item.translations[0].text.startswith("Faz bom tempo hoje")


def test_translate_input_items_html_and_target_scripts(client):
    body = [
        TranslateInputItem(text="<p>Please send me the <b>invoice</b>.</p>", language="en", text_type=TextType.HTML,
                           targets=[TranslationTarget(language="es")]),
        TranslateInputItem(text="Le chat est noir.", language="fr", targets=[TranslationTarget(language="en")]),
        TranslateInputItem(text="Hello.", language="en", targets=[TranslationTarget(language="es"),
                                                                  TranslationTarget(language="pt-pt")]),
    ]
    html, pivot, several = client.translate(body)
    assert html.translations[0].text.startswith("<p>") and "<b>factura</b>" in html.translations[0].text
    assert pivot.translations[0].text.lower().startswith("the cat")
    assert [t.language for t in several.translations] == ["es", "pt-pt"]


def test_transliterate(client):
    result = client.transliterate(["こんにちは", "東京"], language="ja", from_script="Jpan", to_script="Latn")
    assert [r.script for r in result] == ["Latn", "Latn"]
    [greek] = client.transliterate(["Καλημέρα"], language="el", from_script="Grek", to_script="Latn")
    assert greek.text.lower().startswith("kal")


def test_supported_languages_and_etag(client):
    languages = client.get_supported_languages()
    assert languages.translation["es"].name == "Spanish"
    assert languages.translation["es"].native_name == "Español"
    assert "ja" in languages.transliteration
    scripts = languages.transliteration["ja"].scripts
    assert scripts[0].code == "Jpan" and scripts[0].to_scripts[0].code == "Latn"
    only = client.get_supported_languages(scope="translation", accept_language="de")
    assert only.transliteration is None and only.translation["es"].name == "Spanisch"


def test_etag_gives_not_modified(client, translator_server):
    import httpx

    etag = httpx.get(translator_server.url + "/languages", params={"api-version": "2026-06-06"}).headers["etag"]
    with pytest.raises(ResourceNotModifiedError):
        client.get_supported_languages(etag=etag, match_condition=MatchConditions.IfModified)


def test_errors_carry_string_codes(client):
    with pytest.raises(HttpResponseError) as raised:
        client.translate(["Hello"], to_language=["zz"], from_language="en")
    assert raised.value.status_code == 400
    assert raised.value.error.code == "400036"
    with pytest.raises(HttpResponseError) as raised:
        client.transliterate(["x"], language="ru", from_script="Zzzz", to_script="Latn")
    assert raised.value.error.code == "400018"


def test_limits(client):
    with pytest.raises(HttpResponseError) as raised:
        client.translate(["x"] * 101, to_language=["es"], from_language="en")
    assert raised.value.error.code == "400072"
    with pytest.raises(HttpResponseError) as raised:
        client.translate([], to_language=["es"], from_language="en")
    assert raised.value.error.code == "400000"
