"""The language identifier's second stage: confusable groups, marker rules, Chinese scripts.

Examples are written for these tests (not taken from tests/data/quality), one per rule class.
"""

from __future__ import annotations

import pytest

from airgap.engines.hanzi_script import is_traditional
from airgap.engines.langid import FastTextLanguageDetector
from airgap.engines.langid_groups import group_for, script_of
from airgap.engines.langid_markers import dari_or, galician_or, nepali_or, serbian_bosnian_croatian, words


@pytest.fixture(scope="module")
def detector() -> FastTextLanguageDetector:
    engine = FastTextLanguageDetector()
    engine.load()
    return engine


def test_traditional_and_simplified_by_their_own_characters() -> None:
    assert is_traditional("這個問題我們應該討論一下。")
    assert not is_traditional("这个问题我们应该讨论一下。")
    # Characters both scripts write alike (后, 面, 里) are no evidence either way.
    assert not is_traditional("后面")
    assert not is_traditional("Hello")


def test_galician_spelling_beats_portuguese_and_spanish() -> None:
    assert galician_or("pt", "Onte non había xente na rúa e moita choiva.", "pt") == "gl"
    assert galician_or("pt", "Ontem não havia ninguém na rua.", "pt") == "pt"
    assert galician_or("es", "Ayer no había nadie en la calle y llovía mucho.", "es") == "es"
    # fastText's own Galician answer survives a text without markers.
    assert galician_or("pt", "Vou a praia.", "gl") == "gl"


def test_nepali_grammar_words_beat_hindi() -> None:
    assert nepali_or("hi", "म भोलि काठमाडौं जाँदैछु, तिमी पनि आउँछौ?", "hi") == "ne"
    assert nepali_or("hi", "मैं कल दिल्ली जा रहा हूँ, क्या तुम भी आओगे?", "hi") == "hi"
    assert nepali_or("mr", "मी उद्या मुंबईला जाणार आहे.", "hi") == "mr"


def test_dari_vocabulary_beats_iranian_persian() -> None:
    assert dari_or("fa", "برادرم در پوهنتون هرات درس می‌خواند.", ) == "prs"
    assert dari_or("fa", "برادرم در دانشگاه تهران درس می‌خواند.") == "fa"


def test_ekavian_is_serbian_ijekavian_croatian_or_bosnian() -> None:
    assert serbian_bosnian_croatian(["hr", "bs", "sr"], "Gde je moje dete?") == "sr"
    assert serbian_bosnian_croatian(["sr", "bs", "hr"], "Tko je vidio moj kruh?") == "hr"
    assert serbian_bosnian_croatian(["hr", "sr", "bs"], "Ko je popio kahvu prije podne?") == "bs"


def test_words_split_persian_suffixes_and_punctuation() -> None:
    assert words("کتاب‌های خوب!") == ["کتاب", "های", "خوب"]
    assert words("¿Qué tal, amigo?") == ["qué", "tal", "amigo"]


def test_groups_route_only_close_languages() -> None:
    assert group_for([("da", 0.9)], "latin")[0].name == "scandinavian"
    assert group_for([("en", 0.9)], "latin") is None
    # Serbian in Cyrillic is a Cyrillic-group question, not a Latin-script BCS one.
    assert group_for([("sr", 0.9)], "cyrillic")[0].name == "cyrillic"
    # Unsure: a lower candidate's group counts, and the other known candidates join the choice.
    group, languages = group_for([("pl", 0.3), ("sk", 0.25), ("cs", 0.2)], "latin")
    assert group.name == "czech_slovak" and "POLISH" in languages
    # Unsure about a language Lingua cannot name: fastText's guess stands.
    assert group_for([("ky", 0.4), ("kk", 0.3)], "cyrillic") is None
    assert script_of("Привет, мир") == "cyrillic" and script_of("你好") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Jeg har glemt nøklene mine hjemme i dag.", "no"),
    ("Jeg har glemt mine nøgler derhjemme i dag, desværre.", "da"),
    ("Saya tidak boleh datang esok kerana ada mesyuarat penting.", "ms"),
    ("Saya tidak bisa datang besok karena ada rapat penting.", "id"),
    ("Это очень интересная книга о войне.", "ru"),
    ("Це дуже цікава книжка про війну.", "uk"),
    ("我們下個星期要去臺灣旅遊。", "zh-Hant"),
    ("我们下个星期要去台湾旅游。", "zh"),
    ("The weather is nice today.", "en"),
])
def test_detector_end_to_end(detector: FastTextLanguageDetector, text: str, expected: str) -> None:
    [detection] = detector.detect([text], [None])
    assert detection.language == expected
    assert 0.0 < detection.confidence <= 1.0
