"""The sentiment rule classes (engines/sentiment_rules.py, sentiment_cues.py, sentiment_lexical.py)
on small examples of our own, not rows of the quality sets."""

from __future__ import annotations

import pytest

from airgap.services.language.engines.sentiment import VaderSentimentAnalyzer
from airgap.services.language.engines.sentiment_cues import CUES
from airgap.services.language.engines.sentiment_lexical import LexicalScorer
from airgap.services.language.engines.sentiment_rules import SentenceRules


@pytest.fixture(scope="module")
def engine() -> VaderSentimentAnalyzer:
    e = VaderSentimentAnalyzer()
    e.load()
    return e


def label(engine, text: str, language: str = "en") -> str:
    return engine.analyze([text], language=language)[0].sentiment


def test_formulas_are_masked_and_keep_their_length():
    reading = SentenceRules(CUES["en"]).read("Please send the form, kind regards.")
    assert len(reading.masked) == len("Please send the form, kind regards.")
    assert "Please" not in reading.masked and "regards" not in reading.masked


@pytest.mark.parametrize("text", [
    "Please forward the quarterly figures to the audit team.",
    "Thank you for your letter; we will reply within ten working days.",
    "The lease shall be governed by the laws of Ontario.",
])
def test_polite_and_formal_text_is_neutral(engine, text):
    assert label(engine, text) == "neutral"


@pytest.mark.parametrize("text", [
    "The patient denies nausea or vomiting.",
    "Negative for cough and fever.",
    "No evidence of fracture on the X-ray.",
])
def test_clinical_negations_are_neutral(engine, text):
    assert label(engine, text) == "neutral"


@pytest.mark.parametrize("text", [
    "I have been on hold for 35 minutes now.",
    "The dishwasher stopped working after a week.",
    "This is the third time my parcel went to the wrong address.",
])
def test_implicit_complaints_are_negative(engine, text):
    assert label(engine, text) == "negative"


def test_information_request_is_neutral(engine):
    assert label(engine, "Could you tell me whether the blue model is available in large?") == "neutral"


def test_sarcasm_marker_turns_praise_negative(engine):
    assert label(engine, "Oh wonderful, the train is late again.") == "negative"
    assert label(engine, "The delivery came two weeks late. Great.") == "negative"


def test_opposite_clauses_make_the_document_mixed(engine):
    assert label(engine, "The screen is gorgeous, but the battery is awful.") == "mixed"
    assert label(engine, "The screen is gorgeous and the speakers are great.") == "positive"


def test_lexical_scorer_negation_booster_and_ending():
    scorer = LexicalScorer({"bon": 2.0, "aimable": 1.5}, frozenset({"pas"}), frozenset({"très"}))
    assert scorer.valence_sum("pas bon") < 0 < scorer.valence_sum("bon")
    assert scorer.valence_sum("très bon") > scorer.valence_sum("bon")
    assert scorer.valence_sum("aimables") == pytest.approx(1.5)
    german = LexicalScorer({"gefällt": 2.0}, frozenset({"nicht"}), frozenset(), negator_after=True)
    assert german.valence_sum("Das gefällt mir nicht") < 0


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("fr", "Le service était excellent et le personnel très aimable.", "positive"),
    ("fr", "Pas de fièvre, pas de douleur.", "neutral"),
    ("de", "Das Zimmer war schmutzig und das Personal unfreundlich.", "negative"),
    ("de", "Sehr geehrte Frau Braun, anbei die Unterlagen. Mit freundlichen Grüßen", "neutral"),
    ("es", "La comida estaba riquísima y el personal fue muy amable.", "positive"),
    ("es", "¿Cuándo abre la tienda el domingo?", "neutral"),
])
def test_french_german_spanish_use_their_own_lexicons(engine, language, text, expected):
    assert label(engine, text, language) == expected


def test_unserved_language_is_refused(engine):
    with pytest.raises(ValueError):
        engine.analyze(["Buongiorno"], language="it")
