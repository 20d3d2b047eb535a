"""English sentiment rules added for issue 20 (held-out English accuracy): a decrease reverses
the opinion of what decreases, clauses joined by a comma can hold opposite opinions, emoji
have their own valences, sarcasm speaks for the whole document, and the stacked classifier
weighs lexicon scores against what the words it has seen say. Examples are our own."""

from __future__ import annotations

import pytest

from airgap.services.language.engines.sentiment import VaderSentimentAnalyzer, _emoji_valence
from airgap.services.language.engines.sentiment_classifier import SentimentClassifier
from airgap.services.language.engines.sentiment_cues import CUES
from airgap.services.language.engines.sentiment_rules import SentenceRules


@pytest.fixture(scope="module")
def engine() -> VaderSentimentAnalyzer:
    analyzer = VaderSentimentAnalyzer()
    analyzer.load()
    return analyzer


def compound(engine, text: str) -> float:
    return engine._compounds([text], "en")[0][0]


def test_a_decrease_reverses_what_decreases(engine):
    assert compound(engine, "Child poverty in the county fell by a third.") > 0.25
    assert compound(engine, "The new treatment cut the risk of death in half.") > 0.25
    assert compound(engine, "Quarterly profits fell sharply.") < 0
    # Negated, or acting on nothing with an opinion: no reversal.
    assert compound(engine, "The swelling has not reduced since Monday.") <= 0
    rules = SentenceRules(CUES["en"], lambda text: engine._valence_sum(text, "en"))
    assert rules.read("The ferry company is cutting winter sailings.").valence == 0
    # Without a lexicon to ask, the rules reverse nothing.
    assert SentenceRules(CUES["en"]).read("Homelessness fell.").valence == 0


def test_a_decrease_stops_at_the_next_clause(engine):
    # "great news" belongs to its own clause and is not reversed with "poverty".
    assert compound(engine, "Poverty fell, which is great news.") > 0.5
    assert compound(engine, "The appeal succeeded and the conviction was overturned.") > 0


def test_clauses_joined_by_a_comma_can_make_a_document_mixed(engine):
    [result] = engine.analyze(["Loved the food, hated the rude doorman."])
    assert result.sentiment == "mixed"
    # Mild words in a list, or a one-word interjection before the comma, are not two opinions.
    [result] = engine.analyze(["The bread was warm, the soup rich, and the tart was to die for."])
    assert result.sentiment == "positive"
    rules = SentenceRules(CUES["en"])
    assert rules.read("Great, another kettle that leaks.").pieces == ()


def test_emoji_have_their_own_valence(engine):
    text, valence = _emoji_valence("ten years together ❤️", CUES["en"].emoji)
    assert "\ufe0f" not in text and "❤" not in text and valence > 0
    assert _emoji_valence("so done 😡", CUES["en"].emoji)[1] < 0
    assert _emoji_valence("plain words", CUES["en"].emoji) == ("plain words", 0.0)
    assert compound(engine, "the new stadium 🔥🔥") > 0
    assert compound(engine, "my phone screen 💔") < 0


def test_sarcasm_speaks_for_the_whole_document(engine):
    [result] = engine.analyze(["Great, so the answer is to reinstall everything? Superb support."])
    assert result.sentiment == "negative"


@pytest.mark.parametrize("text, sarcastic", [
    ("The 'fresh' salmon was grey.", True),
    ("Fantastic, another charger that only works upside down.", True),
    ('Click "Save" to keep your changes.', False),
    ('This contract (the "Agreement") is dated 1 May.', False),
])
def test_scare_quotes_and_praise_before_another_are_sarcasm(text, sarcastic):
    assert SentenceRules(CUES["en"]).read(text).sarcastic is sarcastic


@pytest.mark.parametrize("text, sign", [
    ("The app keeps crashing.", -1),
    ("The printer does not work.", -1),
    ("If the printer does not work, restart it.", 0),
    ("Rents in the city have risen again.", -1),
    ("Exports grew for the third year.", 1),
    ("Thanks for the quick reply.", 1),
    ("The storm ended and power was restored.", 1),
    ("Would definitely stay here again.", 1),
])
def test_english_cue_phrases(text, sign):
    valence = SentenceRules(CUES["en"]).read(text).valence
    assert (valence > 0) - (valence < 0) == sign


TOY = [
    ("What a lovely little shop.", "positive"), ("Fantastic match, brilliant fans.", "positive"),
    ("I adore this warm jacket.", "positive"), ("Superb soup, friendly waiters.", "positive"),
    ("Wonderful owners, great coffee.", "positive"),
    ("The kettle broke, useless.", "negative"), ("Dreadful queue and rude staff.", "negative"),
    ("The lift is broken, awful.", "negative"), ("Horrible smell, disgusting.", "negative"),
    ("Rude driver, filthy bus.", "negative"),
    ("The office opens at nine.", "neutral"), ("The form has three pages.", "neutral"),
    ("The bus stops at the town hall.", "neutral"), ("The invoice number is 4471.", "neutral"),
    ("The shop is on Mill Street.", "neutral"),
]
_WORDS = {"lovely": 1, "fantastic": 1, "brilliant": 1, "adore": 1, "superb": 1, "wonderful": 1, "great": 1,
          "friendly": 1, "splendid": 1, "useless": -1, "dreadful": -1, "rude": -1, "awful": -1,
          "horrible": -1, "disgusting": -1, "filthy": -1, "broke": -1, "broken": -1, "ghastly": -1}


def toy_lexicon(texts):
    rows = []
    for text in texts:
        score = sum(_WORDS.get(w.strip(".,!").lower(), 0) for w in text.split())
        rows.append([max(-1.0, min(1.0, score / 2)), float(score > 0), float(score < 0)])
    return rows


def test_stacked_classifier_weighs_the_lexicon_on_words_it_has_not_seen():
    texts, labels = zip(*TOY, strict=True)
    classifier = SentimentClassifier(toy_lexicon, stacked=True).fit(texts, labels)
    found = classifier.probabilities(["Splendid.", "Ghastly.", "The museum opens at ten."])
    assert [max(p, key=p.get) for p in found] == ["positive", "negative", "neutral"]
    for p in found:
        assert sum(p.values()) == pytest.approx(1.0)
    assert classifier.opinion_at < SentimentClassifier(toy_lexicon).opinion_at
    # Deterministic up to floating-point rounding (Newton-CG's sums may run in another order).
    [again] = SentimentClassifier(toy_lexicon, stacked=True).fit(texts, labels).probabilities(["Splendid."])
    assert again == pytest.approx(found[0], abs=1e-9)
