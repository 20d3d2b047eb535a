"""Extractive summarisation: the engine's ranking and the feature's wire form."""

from __future__ import annotations

import pytest

from airgap.platform.errors import BadRequest
from airgap.services.language.documents import InputDocument
from airgap.services.language.engines.summarization import TextRankSummarizer, split_sentences, textrank
from airgap.services.language.features.summarization import AbstractiveSummarization, ExtractiveSummarization
from airgap.services.language.features.base import V2023_04_01, Parameters

APOLLO = (
    "The Apollo program was the third United States human spaceflight program carried out by NASA. "
    "It succeeded in preparing and landing the first humans on the Moon from 1968 to 1972. "
    "Apollo was first conceived during the Eisenhower administration as a three-person spacecraft. "
    "I had a sandwich for lunch yesterday. "
    "The Apollo spaceflight program set major milestones in human spaceflight and landed humans on the Moon."
)


@pytest.fixture(scope="module")
def feature() -> ExtractiveSummarization:
    engine = TextRankSummarizer()
    engine.load()
    return ExtractiveSummarization(engine)


def summarize(feature: ExtractiveSummarization, text: str, language: str = "en", **raw) -> list[dict]:
    params = Parameters(api=V2023_04_01, string_index_type=raw.pop("index", "UnicodeCodePoint"),
                        options=feature.parse_options(raw, V2023_04_01))
    doc = InputDocument(0, "1", text, language)
    [result] = feature.run([doc], params)
    return feature.to_wire(doc, result, params)["sentences"]


def test_the_off_topic_sentence_ranks_last(feature) -> None:
    sentences = summarize(feature, APOLLO, sentenceCount=5, sortBy="Rank")
    assert len(sentences) == 5
    assert sentences[-1]["text"] == "I had a sandwich for lunch yesterday."
    scores = [s["rankScore"] for s in sentences]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0 and all(0 < s <= 1 for s in scores)


def test_sentence_count_and_offset_order(feature) -> None:
    by_rank = summarize(feature, APOLLO, sentenceCount=2, sortBy="Rank")
    by_offset = summarize(feature, APOLLO, sentenceCount=2)
    assert len(by_offset) == 2
    assert sorted(by_rank, key=lambda s: s["offset"]) == by_offset
    assert by_offset[0]["offset"] < by_offset[1]["offset"]
    assert "sandwich" not in " ".join(s["text"] for s in by_offset)


@pytest.mark.parametrize("index", ["UnicodeCodePoint", "Utf16CodeUnit", "TextElements_v8"])
def test_offsets_cut_out_each_sentence(feature, index) -> None:
    text = "Café 👩‍👩‍👧 owners met today.  Ünïcode e\u0301 matters a lot! 😀😀 Emoji count differently in UTF-16."
    sentences = summarize(feature, text, sentenceCount=3, index=index)
    assert len(sentences) == 3
    for sentence in sentences:
        if index == "UnicodeCodePoint":
            cut = text[sentence["offset"]:sentence["offset"] + sentence["length"]]
        elif index == "Utf16CodeUnit":
            units = text.encode("utf-16-le")
            cut = units[2 * sentence["offset"]:2 * (sentence["offset"] + sentence["length"])].decode("utf-16-le")
        else:
            import regex
            graphemes = regex.findall(r"\X", text)
            cut = "".join(graphemes[sentence["offset"]:sentence["offset"] + sentence["length"]])
        assert cut == sentence["text"]


def test_sentences_are_trimmed_spans() -> None:
    text = "  First one here.   Second one?\n\nThird!  "
    assert [text[s:e] for s, e in split_sentences(text, "en")] == ["First one here.", "Second one?", "Third!"]


def test_scripts_without_spaces_are_ranked() -> None:
    engine = TextRankSummarizer()
    engine.load()
    [ranked] = engine.rank(["我们今天去公园。天气很好！公园里有很多人。"], ["zh-Hans"])
    assert [s.text for s in ranked] == ["我们今天去公园。", "天气很好！", "公园里有很多人。"]
    assert ranked[1].score < ranked[0].score  # the sentence sharing no characters with the others is least central


def test_textrank_degenerate_inputs() -> None:
    assert textrank([["a"]]).tolist() == [1.0]
    assert textrank([[], []]).tolist() == [1.0, 1.0]


def test_unsupported_language_is_a_document_problem(feature) -> None:
    params = Parameters(api=V2023_04_01, options=feature.parse_options({}, V2023_04_01))
    problem = feature.check(InputDocument(0, "1", "Text.", "xx"), params)
    assert problem is not None and problem.inner_code == "UnsupportedLanguageCode"
    assert feature.check(InputDocument(0, "1", "Text.", "en-US"), params) is None


@pytest.mark.parametrize("raw", [{"sentenceCount": 0}, {"sentenceCount": 21}, {"sentenceCount": "3"},
                                 {"sentenceCount": True}, {"sortBy": "Length"}, {"sortBy": 1}])
def test_bad_parameters_are_400(feature, raw) -> None:
    with pytest.raises(BadRequest):
        feature.parse_options(raw, V2023_04_01)


def test_abstractive_summarization_says_why_not() -> None:
    with pytest.raises(BadRequest, match="generative"):
        AbstractiveSummarization().parse_options({}, V2023_04_01)
