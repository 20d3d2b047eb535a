"""Sentiment per sentence (English, French, German, Spanish), opinion mining from the parse (English).

Labels and confidence scores come from a classifier per language trained at first use on the
project's own training text (``sentiment_classifier``); the lexicon and rule scores below are
among its features, settle "mixed" with it, and drive opinion mining.
English sentences are scored by VADER (a rule-based lexicon model); French, German and Spanish
ones by the same arithmetic over packaged lexicons (``sentiment_lexicons``,
``sentiment_lexical``), never by the English rules. In every language the sentence rules
(``sentiment_rules``) first blank what carries no opinion (politeness formulas, legal and
clinical register, negated findings) and add what the lexicon has no word for (implicit
complaints, good and bad outcomes); sarcasm turns praise negative. The compound score in
[-1, 1] is one of the classifier's features (``sentence_scores`` keeps its old mapping to a
label and scores for callers that want the lexicon's view alone). Opinion
mining links opinion words (assessments: VADER lexicon words, mostly
adjectives) to what they describe (targets: nouns) through the parse:
``amod`` ("great atmosphere"), a copula's subject ("the staff were friendly"),
a verb's object ("I love the design") and conjunctions of either side.

Spans are Python code-point offsets into the document; the wire layer
converts them to the requested string index type.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from airgap.services.language.engines import sentiment_lexicons, spacy_pipelines
from airgap.services.language.engines.sentiment_classifier import LABELS, SentimentClassifier, training_rows
from airgap.services.language.engines.sentiment_cues import CUES
from airgap.services.language.engines.sentiment_lexical import (
    LexicalScorer,
    normalize,
    unnormalize,
)
from airgap.services.language.engines.sentiment_rules import Reading, SentenceRules

_GRAPHEME = regex.compile(r"\X")

# Thresholds on the compound score. VADER's README suggests ±0.05, which makes a sentence with
# one mild word ("Can you tell me whether the router supports WPA3?" 0.36 before the rules) an
# opinion; measured on the dev half of tests/data/quality, ±0.25 keeps neutral text neutral.
_POSITIVE_AT = 0.25
_NEGATIVE_AT = -0.25
# A clause must reach this on its own for a sentence to count both ways ("The refund came
# through, which is great, but it took six weeks"): Azure calls such a document mixed.
_CLAUSE_AT = 0.3
# Clauses joined by a comma with no contrast word ("Loved the movie, hated the wait") count both
# ways only when each is this strong: lists of findings or dishes mix mild words ("The pasta was
# fresh, the sauce rich"; "Excellent response; the rash has cleared").
_JUXTAPOSED_AT = 0.5
# A question asking for information is neutral unless it is this strong.
_REQUEST_AT = 0.6
# Slope of the logistic that turns a lexicon valence (VADER: -4..4) into a
# positive/negative confidence: a mild word (valence ~1) gets ~0.77, a strong one ~0.97.
_VALENCE_SLOPE = 1.2
# How far back a negation word (not, never, ...) still negates an opinion word.
_NEGATION_WINDOW = 3
_NOUNS = ("NOUN", "PROPN")
# Review words VADER's lexicon (built from social media) does not have. Valences are on its
# -4..4 scale, each set next to a word it does have of the same strength ("noisy" -0.7,
# "rude" -2.0, "dirty" -1.9, "helpful" 1.8, "comfortable" 2.3). Without them "the service
# was slow" is neutral and mines no opinion.
_REVIEW_LEXICON = {
    "slow": -1.3, "overpriced": -1.8, "bland": -1.2, "stale": -1.4, "cramped": -1.2, "soggy": -1.4,
    "greasy": -1.1, "filthy": -2.4, "unhelpful": -1.8, "smelly": -1.6, "outdated": -1.0,
    "laggy": -1.5, "buggy": -1.6, "tasty": 2.0, "attentive": 1.7, "spacious": 1.6, "prompt": 1.2,
    "speedy": 1.3,
}
_OPINION_POS = ("ADJ", "VERB")
# A document is mixed when the classifier is sure (its ``opinion_at``) of one positive and one
# negative sentence or contrast clause. English uses the stacked classifier
# (``sentiment_classifier``): on its training text, which is the largest, that generalises
# better; French, German and Spanish keep the single model (stacked, their dev accuracy fell
# by one or two documents).
_STACKED = frozenset({"en"})


@dataclass(frozen=True)
class Scores:
    positive: float
    neutral: float
    negative: float


@dataclass(frozen=True)
class Assessment:
    start: int
    end: int
    text: str
    sentiment: str          # positive | negative
    positive: float
    negative: float
    negated: bool


@dataclass(frozen=True)
class Target:
    start: int
    end: int
    text: str
    sentiment: str          # positive | negative | mixed
    positive: float
    negative: float
    assessments: tuple[int, ...]  # indices into the sentence's assessments


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    sentiment: str          # positive | neutral | negative
    scores: Scores
    targets: tuple[Target, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    # A positive and a negative clause (mixed within the sentence); not on the wire.
    opposed: bool = False


@dataclass(frozen=True)
class DocumentSentiment:
    sentiment: str          # positive | neutral | negative | mixed
    scores: Scores
    sentences: tuple[Sentence, ...]


def sentence_scores(compound: float) -> tuple[str, Scores]:
    """A label and three 2-dp confidence scores summing to 1, the label's the largest."""
    strength = abs(compound)
    if compound >= _POSITIVE_AT or compound <= _NEGATIVE_AT:
        top = 0.5 + 0.5 * strength           # 0.525 .. 1.0
        # Most of the remainder is neutral: a weakly positive sentence is more
        # likely neutral than negative.
        neutral, opposite = (1.0 - top) * 0.8, (1.0 - top) * 0.2
        if compound > 0:
            return "positive", _round_scores(top, neutral, opposite)
        return "negative", _round_scores(opposite, neutral, top)
    neutral = 1.0 - 5.0 * strength           # 0.75 .. 1.0 inside the neutral band
    rest = 1.0 - neutral
    if compound > 0:
        return "neutral", _round_scores(rest * 0.8, neutral, rest * 0.2)
    if compound < 0:
        return "neutral", _round_scores(rest * 0.2, neutral, rest * 0.8)
    return "neutral", _round_scores(0.0, 1.0, 0.0)


def document_label(labels: Sequence[str]) -> str:
    """Azure's rule: both positive and negative sentences make a document mixed."""
    has_positive, has_negative = "positive" in labels, "negative" in labels
    if has_positive and has_negative:
        return "mixed"
    if has_positive:
        return "positive"
    if has_negative:
        return "negative"
    return "neutral"


def document_scores(sentences: Sequence[Sentence]) -> Scores:
    """The mean over the opinionated sentences (all sentences when none is): a long
    neutral stretch should not drown the one sentence that carries the opinion."""
    chosen = [s for s in sentences if s.sentiment != "neutral"] or list(sentences)
    if not chosen:
        return Scores(0.0, 1.0, 0.0)
    n = len(chosen)
    return _round_scores(sum(s.scores.positive for s in chosen) / n,
                         sum(s.scores.neutral for s in chosen) / n,
                         sum(s.scores.negative for s in chosen) / n)


def _labelled_scores(probabilities: dict[str, float], label: str) -> Scores:
    """Classifier probabilities as 2-dp scores summing to 1, ``label``'s the largest: where a
    sentence's label was changed to agree with its document, its score trades places with the
    largest."""
    values = dict(probabilities)
    top = max(values, key=values.get)
    values[top], values[label] = values[label], values[top]
    return _round_scores(values["positive"], values["neutral"], values["negative"])


def _round_scores(positive: float, neutral: float, negative: float) -> Scores:
    values = [round(positive, 2), round(neutral, 2), round(negative, 2)]
    # Rounding may leave 0.99 or 1.01; the largest score absorbs the difference.
    values[values.index(max(values))] = round(values[values.index(max(values))] + 1.0 - sum(values), 2)
    return Scores(*values)


class VaderSentimentAnalyzer:
    """Sentence and document sentiment in English, French, German and Spanish; opinion mining
    in English only (it reads the English parse and VADER's lexicon)."""

    name = "classifier+vader-en+lexicons-fr-de-es"
    model_version = "2026-12-05"
    languages = ("en", "fr", "de", "es")

    def __init__(self) -> None:
        self._vader = None
        self._nlp = None
        self._negations: frozenset[str] = frozenset()
        self._rules = {language: SentenceRules(cues, self._valence_of(language)) for language, cues in CUES.items()}
        # French, German and Spanish: a lexicon scorer and a sentence splitter each, made on
        # first use so an English-only deployment does not pay for them.
        self._scorers: dict[str, LexicalScorer] = {}
        self._splitters: dict[str, object] = {}
        # One classifier per language, trained from the shipped text on first use.
        self._classifiers: dict[str, SentimentClassifier] = {}
        self._lock = threading.Lock()

    def load(self) -> None:
        from vaderSentiment.vaderSentiment import NEGATE, SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()
        vader.lexicon.update(_REVIEW_LEXICON)
        vader.lexicon.update(dict(CUES["en"].words))
        nlp = spacy_pipelines.get_pipeline("en")
        vader.polarity_scores("warm up")
        list(nlp.pipe(["Warm up the parser."], disable=["ner"]))
        self._negations = frozenset(NEGATE) | {"n't", "not", "no", "never", "without"}
        self._vader, self._nlp = vader, nlp
        self._classifier("en")  # trained now, so the first request does not wait for it

    @property
    def ready(self) -> bool:
        return self._vader is not None

    def analyze(self, texts: Sequence[str], opinion_mining: bool = False,
                language: str = "en") -> list[DocumentSentiment]:
        if self._vader is None or self._nlp is None:
            raise RuntimeError("VaderSentimentAnalyzer.analyze called before load()")
        language = language.split("-")[0].lower()
        if language not in self.languages:
            raise ValueError(f"no sentiment model for language {language!r}")
        english = language == "en"
        nlp = self._nlp if english else self._splitter(language)
        results = []
        for doc in nlp.pipe(texts, disable=["ner"]) if english else nlp.pipe(texts):
            clusters = _Clusters(doc.text)
            spans = []
            for span in _sentences(doc):
                start, end = clusters.strip(span.start_char, span.end_char)
                if start < end:  # else its only grapheme began in the sentence before, which holds it
                    spans.append((span, start, end))
            texts = [doc.text[a:b] for _, a, b in spans]
            verdict, document, labelled = self._classify(doc.text, texts, language)
            sentences = []
            for (span, start, end), (label, scores) in zip(spans, labelled, strict=True):
                targets, assessments = self._opinions(span, clusters) if opinion_mining and english else ((), ())
                sentences.append(Sentence(start, end, doc.text[start:end], label, scores, targets, assessments))
            if verdict == "mixed" or document is None:
                document = document_scores(sentences)
            results.append(DocumentSentiment(verdict, document, tuple(sentences)))
        return results

    def _classify(self, text: str, sentences: Sequence[str],
                  language: str) -> tuple[str, Scores | None, list[tuple[str, Scores]]]:
        """The document's label and scores and each sentence's: the classifier decides the labels
        and gives the confidences; sentence labels are then made to agree with the document's
        under Azure's rule (a positive document has a positive sentence and no negative one)."""
        if not sentences:
            return "neutral", Scores(0.0, 1.0, 0.0), []
        classifier = self._classifier(language)
        whole = classifier.probabilities([text])[0]
        parts = classifier.probabilities(sentences) if len(sentences) > 1 else [whole]
        # The rules read each sentence in its document ("Waited two weeks. Great." is sarcasm);
        # the classifier reads it alone, so a sentence counts for mixed only where they agree.
        readings = self._compounds(sentences, language)
        compounds = [c for c, _ in readings]
        sure = classifier.opinion_at
        positive = any(p["positive"] > sure and c > _NEGATIVE_AT for p, c in zip(parts, compounds, strict=True))
        negative = any(p["negative"] > sure and c < _POSITIVE_AT for p, c in zip(parts, compounds, strict=True))
        # A sentence's clauses either side of a contrast word ("gorgeous screen, but the battery
        # is awful") are read on their own too: one of each opinion makes the document mixed.
        clauses = [c for sentence in sentences for c in self._rules[language].contrast_clauses(sentence)]
        if len(clauses) > len(sentences):
            for p in classifier.probabilities(clauses):
                positive = positive or p["positive"] > sure
                negative = negative or p["negative"] > sure
        # Sarcasm speaks for the whole document: the praise next to it ("Great, so the fix is to
        # never log in again? Brilliant support.") is more of the same, not a second opinion,
        # and a document with a sarcasm marker is a complaint, whatever its words say.
        sarcastic = any(self._rules[language].read(sentence).sarcastic for sentence in sentences)
        positive = positive and not sarcastic
        if any(opposed for _, opposed in readings) or (len(clauses) > 1 and positive and negative):
            verdict = "mixed"
        else:
            verdict = max(LABELS, key=whole.get)
            if sarcastic:
                verdict = "negative"
        labels = [max(LABELS, key=p.get) for p in parts]
        if verdict != "mixed":
            opposite = {"positive": "negative", "negative": "positive"}.get(verdict)
            labels = ["neutral" if label == opposite or verdict == "neutral" else label for label in labels]
            if verdict != "neutral" and verdict not in labels:
                labels[max(range(len(parts)), key=lambda i: parts[i][verdict])] = verdict
        labelled = [(label, _labelled_scores(p, label)) for label, p in zip(labels, parts, strict=True)]
        return verdict, (None if verdict == "mixed" else _labelled_scores(whole, verdict)), labelled

    def _classifier(self, language: str) -> SentimentClassifier:
        classifier = self._classifiers.get(language)
        if classifier is None:
            # Trained outside the lock (the features call back into the engine, which takes it);
            # two first requests at once may both train, and the first one stored wins.
            rows = training_rows(language)
            classifier = SentimentClassifier(lambda texts: self.lexical_features(texts, language),
                                             stacked=language in _STACKED)
            classifier.fit([r["text"] for r in rows], [r["label"] for r in rows])
            with self._lock:
                classifier = self._classifiers.setdefault(language, classifier)
        return classifier

    def lexical_features(self, texts: Sequence[str], language: str) -> list[list[float]]:
        """The rule engine's view of each text, as classifier features: its sentences' highest,
        lowest and mean compound, whether a sentence holds both opinions, whether any sentence
        passes the positive and the negative thresholds."""
        splitter = self._splitter(language)
        features = []
        for doc in splitter.pipe(texts):
            pieces = [s.text for s in doc.sents if s.text.strip()] or [doc.text]
            scored = self._compounds(pieces, language)
            values = [c for c, _ in scored]
            features.append([max(values), min(values), sum(values) / len(values),
                             float(any(o for _, o in scored)),
                             float(max(values) >= _POSITIVE_AT), float(min(values) <= _NEGATIVE_AT)])
        return features

    def _compounds(self, texts: Sequence[str], language: str) -> list[tuple[float, bool]]:
        """Each sentence's compound score after the rules, and whether it holds both opinions."""
        rules = self._rules[language]
        readings = [rules.read(text) for text in texts]
        scored = [self._score(reading, language) for reading in readings]
        # Praise said alone next to a complaint is sarcasm: "Waited 40 minutes. Great."
        complaint = any(r.complaint for r in readings) or any(c <= _NEGATIVE_AT for c, _ in scored)
        # So is praise in a document another sentence of which is sarcastic: "Great, so the fix
        # is to never log in again? Brilliant support."
        sarcasm = any(r.sarcastic for r in readings)
        results = []
        for reading, (compound, opposed) in zip(readings, scored, strict=True):
            if ((reading.interjection and complaint) or sarcasm) and compound > 0:
                compound, opposed = -compound, False
            results.append((compound, opposed))
        return results

    def _score(self, reading: Reading, language: str) -> tuple[float, bool]:
        compound = normalize(self._valence_sum(reading.masked, language) + reading.valence)
        clause_scores = [normalize(self._valence_sum(text, language) + valence) for text, valence in reading.clauses]
        opposed = (len(clause_scores) > 1 and max(clause_scores) >= _CLAUSE_AT
                   and min(clause_scores) <= -_CLAUSE_AT)
        if not opposed and reading.pieces:
            piece_scores = [normalize(self._valence_sum(text, language) + valence) for text, valence in reading.pieces]
            opposed = max(piece_scores) >= _JUXTAPOSED_AT and min(piece_scores) <= -_JUXTAPOSED_AT
        if reading.sarcastic:
            # What is meant is the opposite of the praise; a sarcastic sentence is not mixed.
            return -max(abs(compound), 0.5), False
        if reading.request and abs(compound) < _REQUEST_AT:
            return 0.0, False
        return compound, opposed

    def _valence_of(self, language: str):
        return lambda text: self._valence_sum(text, language)

    def _valence_sum(self, text: str, language: str) -> float:
        if not text.strip():
            return 0.0
        text, emoji = _emoji_valence(text, CUES[language].emoji)
        if not text.strip():
            return emoji
        if language == "en":
            return emoji + unnormalize(self._vader.polarity_scores(text)["compound"])
        return emoji + self._scorer(language).valence_sum(text)

    def _scorer(self, language: str) -> LexicalScorer:
        scorer = self._scorers.get(language)
        if scorer is None:
            with self._lock:
                scorer = self._scorers.get(language)
                if scorer is None:
                    cues = CUES[language]
                    table = dict(sentiment_lexicons.lexicon(language))
                    table.update(dict(cues.words))
                    scorer = LexicalScorer(table, cues.negators, cues.boosters, negator_after=language == "de")
                    self._scorers[language] = scorer
        return scorer

    def _splitter(self, language: str):
        nlp = self._splitters.get(language)
        if nlp is None:
            with self._lock:
                nlp = self._splitters.get(language)
                if nlp is None:
                    import spacy

                    # Sentence boundaries from punctuation: no statistical model is needed, and
                    # none ships for German or Spanish.
                    nlp = spacy.blank(language)
                    nlp.add_pipe("sentencizer")
                    self._splitters[language] = nlp
        return nlp

    # -- opinion mining ------------------------------------------------------------------

    def _opinions(self, span, clusters: _Clusters) -> tuple[tuple[Target, ...], tuple[Assessment, ...]]:
        masked = _mask_emoji(span.text)
        if masked == span.text:
            return self._opinions_in(span, clusters, 0, span.doc.text)
        # An emoji inside a sentence ("the food was great 😀 but the service was slow") is
        # parsed as a noun or a verb and breaks the tree around it. The sentence is parsed
        # again with each emoji written as spaces of the same length, so the
        # offsets, and every other character, are unchanged.
        sub = self._nlp(masked, disable=["ner"])
        return self._opinions_in(sub[:], clusters, span.start_char, span.doc.text)

    def _opinions_in(self, span, clusters: _Clusters, offset: int,
                     text: str) -> tuple[tuple[Target, ...], tuple[Assessment, ...]]:
        """Opinions in ``span``, whose characters are at ``offset`` in the document ``text``."""
        links: dict[int, list[int]] = {}       # target head token index -> assessment token indices
        valences: dict[int, float] = {}
        for token in span:
            valence = self._valence(token)
            if valence is None or not clusters.aligned(offset + token.idx, offset + token.idx + len(token.text)):
                continue
            # The tagger calls emoji nouns now and then: a target needs a letter. A span that
            # cuts a grapheme cluster (a combining mark split off by the tokenizer) has no
            # offset in text elements, so it is left out.
            heads = [t for t in self._described(token) if t.pos_ in _NOUNS and any(c.isalpha() for c in t.text)
                     and clusters.aligned(*_target_span(t, offset))]
            if not heads:
                continue
            valences[token.i] = valence
            for head in heads:
                links.setdefault(head.i, [])
                if token.i not in links[head.i]:
                    links[head.i].append(token.i)

        doc = span.doc
        order = sorted(valences)
        assessments = tuple(self._assessment(doc[i], valences[i], offset) for i in order)
        position = {i: n for n, i in enumerate(order)}
        targets = []
        for head_i in sorted(links):
            head = doc[head_i]
            linked = tuple(position[i] for i in links[head_i])
            start, end = _target_span(head, offset)
            positives = [assessments[a].positive for a in linked]
            kinds = {assessments[a].sentiment for a in linked}
            sentiment = kinds.pop() if len(kinds) == 1 else "mixed"
            positive = round(sum(positives) / len(positives), 2)
            targets.append(Target(start, end, text[start:end], sentiment, positive,
                                  round(1.0 - positive, 2), linked))
        return tuple(targets), assessments

    def _valence(self, token) -> float | None:
        if token.pos_ not in _OPINION_POS:
            return None
        value = self._vader.lexicon.get(token.lower_)
        if value is None:
            value = self._vader.lexicon.get(token.lemma_.lower())
        return value if value else None

    def _described(self, token) -> list:
        """The nouns an opinion word describes, following the parse."""
        if token.dep_ == "conj" and token.head.pos_ == token.pos_:
            return self._described(token.head)  # "friendly and helpful": same target as "friendly"
        if token.pos_ == "ADJ" and token.dep_ == "amod":
            return [token.head]  # "wonderful view and comfortable beds": only its own noun
        nouns = []
        if token.pos_ == "ADJ" and token.dep_ in ("acomp", "attr", "ROOT", "xcomp"):
            verb = token.head if token.dep_ != "ROOT" else token
            nouns = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        elif token.pos_ == "VERB":
            nouns = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        expanded = []  # "the room and the staff were great": every subject
        for noun in nouns:
            expanded.append(noun)
            expanded.extend(c for c in noun.conjuncts if c.pos_ in _NOUNS)
        return expanded

    def _assessment(self, token, valence: float, offset: int = 0) -> Assessment:
        negated = self._negated(token)
        effective = -valence if negated else valence
        positive = round(1.0 / (1.0 + math.exp(-_VALENCE_SLOPE * effective)), 2)
        return Assessment(
            offset + token.idx, offset + token.idx + len(token.text),
            # Azure reports assessments in lower case ("great" for "Great").
            token.lower_,
            "positive" if effective > 0 else "negative",
            positive, round(1.0 - positive, 2), negated,
        )

    def _negated(self, token) -> bool:
        holders = [token, token.head] if token.dep_ in ("acomp", "attr", "xcomp") else [token]
        if any(c.dep_ == "neg" for h in holders for c in h.children):
            return True
        sent_start = token.sent.start
        window = token.doc[max(sent_start, token.i - _NEGATION_WINDOW):token.i]
        return any(t.lower_ in self._negations for t in window)


_EMOJI = regex.compile(r"(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F|\u200D|\p{Regional_Indicator})+")


def _emoji_valence(text: str, table: tuple[tuple[str, float], ...]) -> tuple[str, float]:
    """``text`` without the emoji of ``table`` (and without variation selectors, which hide an
    emoji from VADER), and their summed valence: each emoji counts up to three times ("🔥🔥🔥")."""
    if not table:
        return text, 0.0
    text = text.replace("\uFE0F", "")
    total = 0.0
    for emoji, valence in table:
        count = text.count(emoji)
        if count:
            total += valence * min(count, 3)
            text = text.replace(emoji, " ")
    return text, total


def _mask_emoji(text: str) -> str:
    """Each run of emoji code points as spaces, one for each code point."""
    return _EMOJI.sub(lambda m: " " * len(m.group()), text)


def _sentences(doc) -> list:
    """The parser's sentences, with wordless ones ("👍🏽", "...") joined to their neighbour:
    an emoji is part of the sentence it decorates, not a sentence of its own."""
    spans = [span for span in doc.sents if span.text.strip()]
    merged: list = []
    pending = None  # wordless sentences waiting for the next one with words
    for span in spans:
        start = pending.start if pending is not None else span.start
        if not any(ch.isalnum() for ch in span.text):
            pending = doc[start:span.end]
            continue
        merged.append(doc[start:span.end])
        pending = None
    if pending is not None:
        if merged:
            merged[-1] = doc[merged[-1].start:pending.end]
        else:
            merged.append(pending)
    return merged


def _target_span(noun, offset: int = 0) -> tuple[int, int]:
    """The noun with its compound modifiers: "wifi connection", not "connection"."""
    compounds = [c for c in noun.lefts if c.dep_ == "compound"]
    first = min([noun, *compounds], key=lambda t: t.i)
    # Only a contiguous run of compounds directly before the noun belongs to it.
    tokens = noun.doc[first.i:noun.i + 1]
    if any(t.dep_ != "compound" for t in tokens[:-1]):
        first = noun
    return offset + first.idx, offset + noun.idx + len(noun.text)


class _Clusters:
    """Grapheme cluster boundaries of one text: Azure's default offsets count text elements,
    so a span must start and end between clusters to have an offset at all."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bounds = [m.start() for m in _GRAPHEME.finditer(text)] + [len(text)]

    def aligned(self, start: int, end: int) -> bool:
        return self._up(start) == start and self._up(end) == end

    def strip(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` moved to cluster boundaries (a cluster goes with the span holding
        its first code point) without leading or trailing whitespace clusters."""
        start, end = self._up(start), self._up(end)
        while start < end and self.text[start].isspace():
            start = self.bounds[bisect_right(self.bounds, start)]
        while end > start:
            last = self.bounds[bisect_left(self.bounds, end) - 1]
            if not self.text[last].isspace():
                break
            end = last
        return start, end

    def _up(self, cp: int) -> int:
        return self.bounds[bisect_left(self.bounds, cp)]
