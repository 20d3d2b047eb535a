"""Held-out sentiment floors (issue 20): tests/data/quality/sentiment_{en,fr,de,es}.jsonl, 154 heldout
documents per language. Floors sit just under the figures measured 2026-12-05 (docs/models.md);
the issue's goals are English >= 0.80 and French, German, Spanish >= 0.70: all four reached
(second pass of 2026-12-05: English 0.779 -> 0.844, Spanish 0.649 -> 0.786).

Before the trained classifier (lexicons + rules only, 2026-12-04): en 0.708, fr 0.610, de 0.597,
es 0.558. Before any sentiment work: English 0.584; French, German, Spanish 0.0
(UnsupportedLanguageCode).
"""

from __future__ import annotations

import pytest

from tests.quality.sentiment import evaluate

# Measured: en 0.844, fr 0.734, de 0.701, es 0.786.
ACCURACY_FLOOR = {"en": 0.82, "fr": 0.71, "de": 0.68, "es": 0.76}
# Measured English recall: positive 0.84, negative 0.81, neutral 0.95, mixed 0.60.
EN_RECALL_FLOOR = {"positive": 0.78, "negative": 0.79, "neutral": 0.91, "mixed": 0.50}


@pytest.fixture(scope="module")
def heldout() -> dict:
    return evaluate("heldout")


@pytest.mark.parametrize("language", sorted(ACCURACY_FLOOR))
def test_heldout_accuracy(heldout, language):
    assert heldout[language]["accuracy"] >= ACCURACY_FLOOR[language], heldout[language]


def test_heldout_english_recall(heldout):
    for label, floor in EN_RECALL_FLOOR.items():
        assert heldout["en"][f"label:{label}"] >= floor, (label, heldout["en"])
