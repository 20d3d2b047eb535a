"""Opinion-mining cases real clients found (issue 11): emoji after an assessment, review words."""

from __future__ import annotations

import pytest

from airgap.services.language.engines.sentiment import VaderSentimentAnalyzer


@pytest.fixture(scope="module")
def engine():
    analyzer = VaderSentimentAnalyzer()
    analyzer.load()
    return analyzer


def _opinions(engine, text):
    result = engine.analyze([text], opinion_mining=True)[0]
    found = []
    for sentence in result.sentences:
        for target in sentence.targets:
            found.append((target.text, target.sentiment,
                          tuple(sentence.assessments[a].text for a in target.assessments)))
            assert text[target.start:target.end] == target.text
        for assessment in sentence.assessments:
            assert text[assessment.start:assessment.end].lower() == assessment.text
    return found


@pytest.mark.parametrize("text, expected", [
    ("The food was great 😀", [("food", "positive", ("great",))]),
    ("The food was great 😀 but the service was slow 😞",
     [("food", "positive", ("great",)), ("service", "negative", ("slow",))]),
    ("The service was slow.", [("service", "negative", ("slow",))]),
    ("The room was dirty 👎🏽 and noisy.", [("room", "negative", ("dirty", "noisy"))]),
])
def test_opinions_survive_emoji_and_review_words(engine, text, expected):
    assert _opinions(engine, text) == expected


def test_emoji_keep_their_sentence_and_offsets(engine):
    text = "Great view 🌅! The bed was comfortable 👍🏽"
    result = engine.analyze([text], opinion_mining=True)[0]
    assert [text[s.start:s.end] for s in result.sentences] == [s.text for s in result.sentences]
    assert ("bed", "positive", ("comfortable",)) in _opinions(engine, text)
