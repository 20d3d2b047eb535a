"""The trained sentiment classifier: its shipped training text, the classifier itself on small
examples of our own, and how the engine turns its probabilities into Azure's labels and scores."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from airgap.services.language.engines.sentiment import (
    VaderSentimentAnalyzer,
    _labelled_scores,
    document_label,
)
from airgap.services.language.engines.sentiment_classifier import LABELS, SentimentClassifier, training_rows
from airgap.services.language.engines.sentiment_cues import CUES
from airgap.services.language.engines.sentiment_rules import SentenceRules

QUALITY = Path(__file__).resolve().parents[1] / "data" / "quality"


@pytest.fixture(scope="module")
def engine() -> VaderSentimentAnalyzer:
    analyzer = VaderSentimentAnalyzer()
    analyzer.load()
    return analyzer


@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])
def test_training_text_is_large_labelled_and_independent_of_the_evaluation_sets(language):
    rows = training_rows(language)
    texts = [r["text"] for r in rows]
    assert len(rows) >= 400
    assert {r["label"] for r in rows} == set(LABELS)
    assert len(set(texts)) == len(texts)
    # The heldout figures mean something only if no training line is (nearly) one of the rows
    # they are measured on; only the count is reported, never a row.
    with open(QUALITY / f"sentiment_{language}.jsonl", encoding="utf-8") as f:
        evaluation = [json.loads(line)["text"].lower() for line in f if line.strip()]
    close = sum(bool(difflib.get_close_matches(t.lower(), evaluation, n=1, cutoff=0.7)) for t in texts)
    assert close == 0


TOY = [
    ("What a wonderful little shop, lovely owners.", "positive"),
    ("Fantastic match, the fans were brilliant.", "positive"),
    ("I adore this jacket, so warm.", "positive"),
    ("Superb soup and friendly waiters.", "positive"),
    ("The kettle broke after a day, useless.", "negative"),
    ("Dreadful queue and rude staff.", "negative"),
    ("The lift is broken again, awful.", "negative"),
    ("Horrible smell in the corridor, disgusting.", "negative"),
    ("The office opens at nine.", "neutral"),
    ("The form has three pages.", "neutral"),
    ("The bus stops outside the town hall.", "neutral"),
    ("The invoice number is 4471.", "neutral"),
]


def test_classifier_learns_and_gives_probabilities_that_sum_to_one():
    texts, labels = zip(*TOY, strict=True)
    classifier = SentimentClassifier().fit(texts, labels)
    found = classifier.probabilities(["Brilliant soup, lovely staff.", "The kettle is useless and awful.",
                                      "The form is at the town hall."])
    assert [max(p, key=p.get) for p in found] == ["positive", "negative", "neutral"]
    for p in found:
        assert set(p) == set(LABELS)
        assert sum(p.values()) == pytest.approx(1.0)
    assert classifier.probabilities([]) == []


def test_training_is_deterministic():
    texts, labels = zip(*TOY, strict=True)
    first = SentimentClassifier().fit(texts, labels).probabilities(["Lovely owners, awful lift."])
    second = SentimentClassifier().fit(texts, labels).probabilities(["Lovely owners, awful lift."])
    assert first == second


def test_lexicon_features_are_added_as_columns():
    texts, labels = zip(*TOY, strict=True)
    seen = []

    def lexical(batch):
        seen.append(list(batch))
        return [[1.0 if "o" in t else 0.0] for t in batch]

    SentimentClassifier(lexical).fit(texts, labels).probabilities(["Lovely."])
    assert seen[0] == list(texts) and seen[-1] == ["Lovely."]


def test_unfitted_classifier_refuses():
    with pytest.raises(RuntimeError):
        SentimentClassifier().probabilities(["x"])


def test_contrast_clauses():
    rules = SentenceRules(CUES["en"])
    assert rules.contrast_clauses("The view is lovely, but the bed is hard.") == [
        "The view is lovely, ", "but the bed is hard."]
    assert rules.contrast_clauses("The view is lovely.") == ["The view is lovely."]
    assert SentenceRules(CUES["de"]).contrast_clauses("Schönes Zimmer, aber laut.") == ["Schönes Zimmer, ",
                                                                                        "aber laut."]


def test_scores_follow_the_label_they_were_given():
    scores = _labelled_scores({"positive": 0.2, "neutral": 0.7, "negative": 0.1}, "positive")
    assert scores.positive == 0.7 and scores.neutral == 0.2 and scores.negative == 0.1
    scores = _labelled_scores({"positive": 0.333, "neutral": 0.333, "negative": 0.334}, "negative")
    assert round(scores.positive + scores.neutral + scores.negative, 2) == 1.0


@pytest.mark.parametrize("text", [
    "The hotel was lovely. The pool was warm and the staff were kind.",
    "My order arrived broken. Nobody answers the phone.",
    "The parcel was posted on Monday. It should arrive on Thursday.",
    "The view is breathtaking. Sadly the room was filthy and the shower was cold.",
])
def test_sentence_labels_agree_with_the_document(engine, text):
    [result] = engine.analyze([text])
    assert result.sentiment == document_label([s.sentiment for s in result.sentences])
    for item in (result, *result.sentences):
        values = (item.scores.positive, item.scores.neutral, item.scores.negative)
        assert round(sum(values), 2) == 1.0
    for sentence in result.sentences:
        values = {"positive": sentence.scores.positive, "neutral": sentence.scores.neutral,
                  "negative": sentence.scores.negative}
        assert values[sentence.sentiment] == max(values.values())
