"""SSML for text to speech: what is spoken, with which voice and prosody; what is refused; what is billed."""

from __future__ import annotations

import logging

import pytest

from airgap.services.speech import ssml
from airgap.services.speech.engines.tts_types import Prosody

NS = 'xmlns="http://www.w3.org/2001/10/synthesis" xmlns:mstts="http://www.w3.org/2001/mstts"'


def speak(body: str, lang: str = "en-US") -> str:
    return f'<speak version="1.0" {NS} xml:lang="{lang}">{body}</speak>'


def pieces(doc: ssml.Document) -> list[ssml.Piece]:
    return [i for i in doc.items if isinstance(i, ssml.Piece)]


def test_voices_switch_within_one_request():
    doc = ssml.parse(speak('<voice name="en-US-JennyNeural">Hello there.</voice>'
                           '<voice name="de-DE-KatjaNeural">Guten Tag.</voice>'))
    assert [(p.voice, p.text) for p in pieces(doc)] == [("en-US-JennyNeural", "Hello there."),
                                                        ("de-DE-KatjaNeural", "Guten Tag.")]
    assert doc.lang == "en-US"


def test_text_around_inline_elements_stays_one_sentence():
    doc = ssml.parse(speak('<voice name="a-B-C">We met <sub alias="World Wide Web Consortium">W3C</sub> on '
                           '<say-as interpret-as="date" format="mdy">3/4/2024</say-as> at <emphasis>noon</emphasis>.'
                           '</voice>'))
    assert [p.text.strip() for p in pieces(doc)] == ["We met World Wide Web Consortium on March 4th, 2024 at noon."]


@pytest.mark.parametrize(("interpret", "fmt", "text", "spoken"), [
    ("characters", "", "SSML", "S S M L"),
    ("spell-out", "", "ab1", "A B 1"),
    ("digits", "", "2024", "2 0 2 4"),
    ("cardinal", "", "12,345", "12345"),
    ("ordinal", "", "3", "3rd"),
    ("ordinal", "", "11", "11th"),
    ("ordinal", "", "22", "22nd"),
    ("date", "dmy", "04-03-2024", "March 4th, 2024"),
    ("date", "ymd", "2024/12/25", "December 25th, 2024"),
    ("date", "md", "7/4", "July 4th"),
    ("date", "mdy", "13/45/2024", "13/45/2024"),  # not a date: as written
    ("telephone", "", "555-0123", "5 5 5, 0 1 2 3"),
    ("time", "hms12", "4:30pm", "4:30pm"),
])
def test_say_as(interpret: str, fmt: str, text: str, spoken: str):
    assert ssml.say_as(text, interpret, fmt, "en-US") == spoken


def test_say_as_in_other_languages():
    assert ssml.say_as("3", "ordinal", "", "de-DE") == "3."
    assert ssml.say_as("04.03.2024", "date", "dmy", "de-DE") == "4. 3 2024"


def test_prosody_nests_and_maps_azure_values():
    doc = ssml.parse(speak('<voice name="a-B-C"><prosody rate="slow" pitch="+2st" volume="soft">Slow.'
                           '<prosody rate="+50%" volume="+20">Less slow.</prosody></prosody>'
                           '<prosody rate="1.2" pitch="-10%" volume="50">Numbers.</prosody>'
                           '<prosody pitch="+15Hz" rate="x-fast" volume="silent">Hz.</prosody></voice>'))
    prosodies = [p.prosody for p in pieces(doc)]
    assert prosodies[0] == Prosody(rate=0.64, pitch=pytest.approx(2 ** (2 / 12)), volume=0.4)
    assert prosodies[1].rate == pytest.approx(0.96) and prosodies[1].volume == pytest.approx(0.6)
    assert prosodies[2] == Prosody(rate=1.2, pitch=pytest.approx(0.9), volume=0.5)
    assert prosodies[3] == Prosody(rate=2.0, pitch=pytest.approx(1.1), volume=0.0)


def test_breaks_sentences_bookmarks_and_phonemes():
    doc = ssml.parse(speak('<voice name="a-B-C"><p><s>One</s><s>Two</s></p>Wait<break time="1.5s"/>'
                           '<break strength="weak"/><break/><break time="99s"/><bookmark mark="here"/>'
                           '<phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomato</phoneme></voice>'))
    kinds = [type(i).__name__ for i in doc.items]
    assert kinds == ["Piece", "SentenceEdge", "Piece", "SentenceEdge", "Piece", "Break", "Break", "Break", "Break",
                     "Bookmark", "Piece"]
    assert [b.ms for b in doc.items if isinstance(b, ssml.Break)] == [1500, 500, 750, 20_000]
    assert doc.items[-1] == ssml.Piece("tomato", "a-B-C", "en-US", Prosody(), "təˈmɑːtoʊ")
    assert doc.items[-2] == ssml.Bookmark("here")


def test_express_as_is_accepted_and_logged(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.INFO, logger="airgap.speech.tts"):
        doc = ssml.parse(speak('<voice name="a-B-C"><mstts:express-as style="cheerful">Happy!</mstts:express-as>'
                               '<mstts:silence type="Sentenceboundary" value="200ms"/></voice>'))
    assert [p.text for p in pieces(doc)] == ["Happy!"]
    assert "express-as (style=cheerful" in caplog.text


@pytest.mark.parametrize(("document", "reason"), [
    ("", "empty"),
    ("just text", "not well-formed XML"),
    ("<speak><voice name='x'>unclosed</speak>", "not well-formed XML: mismatched tag (line 1, column"),
    ("<voice name='x'>hi</voice>", "root element is <voice>"),
    ("<speak><voice>no name</voice></speak>", "no name attribute"),
    ("<speak><mstts:express-as>unbound prefix</mstts:express-as></speak>", "unbound prefix"),
    ('<?xml version="1.0"?><!DOCTYPE speak [<!ENTITY x "boom">]><speak>&x;</speak>', "DTD or entities"),
    ("<speak><break time='soon'/></speak>", "break time='soon' is not valid"),
    ("<speak><break strength='huge'/></speak>", "break strength='huge' is not valid"),
    ("<speak><prosody rate='fastish'>x</prosody></speak>", "prosody rate='fastish' is not valid"),
    ("<speak><sub>x</sub></speak>", "no alias"),
    ("<speak>" + "<voice name='a-B-C'>x</voice>" * 51 + "</speak>", "more than 50 <voice> elements"),
])
def test_bad_ssml_says_why(document: str, reason: str):
    with pytest.raises(ssml.SsmlError, match=reason.replace("(", r"\(").replace("[", r"\[")):
        ssml.parse(document)


def test_billable_characters_as_azure_counts():
    body = '<voice name="en-US-JennyNeural">Hello <break time="1s"/>world.</voice>'
    # Markup inside the document counts; the speak and voice tags do not.
    assert ssml.parse(speak(body)).billable_characters == len('Hello <break time="1s"/>world.')
    assert ssml.billable_characters(speak('<voice name="zh-CN-XiaoxiaoNeural">你好</voice>')) == 4
    assert ssml.count_characters("abc 你好") == 8
    assert ssml.plain_text("Hello world").billable_characters == 11
