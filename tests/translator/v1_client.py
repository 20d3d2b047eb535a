"""Runs in the separate 1.x environment (``.venv-translation1``, ``make install-test``): the azure-ai-translation-text 1.0.x
client, unchanged, on every operation it has, against the server at argv[1]. Prints one JSON
object of what came back; ``tests/translator/test_sdk_v1.py`` checks it."""

from __future__ import annotations

import json
import sys

from azure.ai.translation.text import TextTranslationClient
from azure.ai.translation.text.models import DictionaryExampleTextItem, InputTextItem
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError


def main(url: str) -> dict:
    import azure.ai.translation.text as sdk

    client = TextTranslationClient(endpoint=url, credential=AzureKeyCredential("x"))
    out: dict = {"version": sdk.VERSION}
    [item] = client.translate(body=[InputTextItem(text="The house is red.")], to_language=["es", "ca"],
                              from_language="en", include_sentence_length=True)
    out["translate"] = [{"to": t.to, "text": t.text, "srcSentLen": t.sent_len.src_sent_len} for t in item.translations]
    [item] = client.translate(body=["Le chat est noir."], to_language=["en"])
    out["detected"] = item.detected_language.language
    out["pivot"] = item.translations[0].text
    [item] = client.translate(body=["<p>Please send me the <b>invoice</b>.</p>"], to_language=["es"],
                              from_language="en", text_type="html")
    out["html"] = item.translations[0].text
    result = client.transliterate(body=["こんにちは"], language="ja", from_script="Jpan", to_script="Latn")
    out["transliterate"] = [{"text": r.text, "script": r.script} for r in result]
    result = client.find_sentence_boundaries(body=["How are you? I am fine. What did you do today?"])
    out["sentences"] = {"sentLen": result[0].sent_len, "detected": result[0].detected_language.language}
    [entry] = client.lookup_dictionary_entries(body=["house"], from_language="en", to_language="es")
    out["lookup"] = {"source": entry.normalized_source,
                     "targets": [t.normalized_target for t in entry.translations],
                     "pos": sorted({t.pos_tag for t in entry.translations})}
    [example] = client.lookup_dictionary_examples(
        body=[DictionaryExampleTextItem(text="house", translation="casa")], from_language="en", to_language="es")
    out["examples"] = {"source": example.normalized_source, "target": example.normalized_target,
                       "examples": len(example.examples)}
    languages = client.get_supported_languages()
    out["languages"] = {"es": languages.translation["es"].name,
                        "dictionary_en": sorted(t.code for t in languages.dictionary["en"].translations)}
    try:
        client.translate(body=["Hello"], to_language=["zz"], from_language="en")
    except HttpResponseError as exc:
        out["error"] = {"status": exc.status_code, "code": exc.error.code if exc.error else None}
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
