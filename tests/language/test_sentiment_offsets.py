"""Property: every sentence, target and assessment span cuts out exactly its text, in all three
string index types, whatever the Unicode (emoji sequences, combining marks, CJK, astral planes).

Runs the real engine and the real wire serialisation in-process; the server adds nothing to
offsets, and a server round trip per example would make the property too slow to explore.
"""

from __future__ import annotations

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airgap.services.language.documents import InputDocument
from airgap.services.language.engines.sentiment import VaderSentimentAnalyzer
from airgap.services.language.features.sentiment import SentimentAnalysis
from airgap.services.language.features.base import V2023_04_01, V3_0, Parameters

INDEX_TYPES = ("TextElements_v8", "UnicodeCodePoint", "Utf16CodeUnit")

PIECES = [
    "The", "food", "was", "great", "not", "good", "terrible", "staff", "friendly", "and", "hotel",
    "Café", "e\u0301clair", "na\u0308ive", "東京", "日本語の文章", "Straße", "😀", "👍🏽", "👩‍👩‍👧", "🇫🇷",
    "𝒜𝓁𝓅𝒽𝒶", "a\u0301\u0300", "\u200d", ".", "!", "?", ",", "...", "\n", "\n\n", "  ", "\t", "-",
]


@pytest.fixture(scope="module")
def feature() -> SentimentAnalysis:
    engine = VaderSentimentAnalyzer()
    engine.load()
    return SentimentAnalysis(engine)


def cut(text: str, offset: int, length: int, index_type: str) -> str:
    if index_type == "UnicodeCodePoint":
        return text[offset:offset + length]
    if index_type == "Utf16CodeUnit":
        return text.encode("utf-16-le", "surrogatepass")[2 * offset:2 * (offset + length)].decode(
            "utf-16-le", "surrogatepass")
    graphemes = regex.findall(r"\X", text)
    return "".join(graphemes[offset:offset + length])


def words(text: str) -> list[str]:
    """The text elements (grapheme clusters) that do not start with whitespace."""
    return [g for g in regex.findall(r"\X", text) if not g[0].isspace()]


texts = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map(" ".join),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60),
).filter(lambda t: t.strip())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_spans_cut_out_their_text(feature, text):
    doc = InputDocument(0, "1", text)
    [result] = feature.run([doc], Parameters(api=V2023_04_01, options={"opinion_mining": True}))
    # The sentences cover every text element of the text but its whitespace ones.
    assert [g for s in result.sentences for g in words(s.text)] == words(text)
    for index_type in INDEX_TYPES:
        params = Parameters(api=V2023_04_01, string_index_type=index_type, options={"opinion_mining": True})
        wire = feature.to_wire(doc, result, params)
        previous_end = 0
        for sentence in wire["sentences"]:
            assert cut(text, sentence["offset"], sentence["length"], index_type) == sentence["text"]
            assert sentence["text"] == sentence["text"].strip() and sentence["text"]
            assert sentence["offset"] >= previous_end  # in order, never overlapping
            previous_end = sentence["offset"] + sentence["length"]
            for item in sentence["targets"] + sentence["assessments"]:
                assert cut(text, item["offset"], item["length"], index_type).lower() == item["text"].lower()
                assert sentence["offset"] <= item["offset"] < previous_end


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_v3_0_offsets_are_text_elements(feature, text):
    doc = InputDocument(0, "1", text)
    [result] = feature.run([doc], Parameters(api=V3_0, options={"opinion_mining": False}))
    # v3.0 has no stringIndexType; whatever a client asks, offsets are graphemes.
    wire = feature.to_wire(doc, result, Parameters(api=V3_0, string_index_type="Utf16CodeUnit",
                                                   options={"opinion_mining": False}))
    for sentence in wire["sentences"]:
        assert cut(text, sentence["offset"], sentence["length"], "TextElements_v8") == sentence["text"]
        assert "targets" not in sentence
