"""SentimentAnalysis: document and sentence sentiment, with opinion mining on request.

Wire differences: v3.0 has no ``stringIndexType`` (its offsets are text
elements, and the SDK discards them) and no opinion mining; v3.1 takes
``opinionMining`` in the query string, the Language API in ``parameters``.
Targets and assessments carry document offsets, as Azure's do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from airgap.platform.string_index import StringIndex
from airgap.services.language.documents import DocumentProblem, InputDocument
from airgap.services.language.engines.sentiment import DocumentSentiment, Scores
from airgap.services.language.features.base import V3_0, V3_1, Feature, Parameters
from airgap.services.language.language_support import by_language, unsupported_language
from airgap.services.language.params import param_bool, query_bool

_DOCUMENT_POINTER = re.compile(r"^#/documents/\d+/")


class SentimentAnalysis(Feature):
    kind = "SentimentAnalysis"
    meter = "CognitiveServices.Language.Container.SentimentTextRecords"
    max_documents = 10  # Azure's limit for sentiment and opinion mining alike

    def parse_options(self, raw: Mapping[str, Any], api: str) -> dict[str, Any]:
        if api == V3_0:
            return {"opinion_mining": False}
        # v3.1's query string carries text ("true", "1"); JSON parameters (the Language API,
        # v3.1 and Language jobs' tasks) carry booleans.
        if isinstance(raw.get("opinionMining"), str) and api == V3_1:
            return {"opinion_mining": query_bool(raw, "opinionMining")}
        return {"opinion_mining": param_bool(raw, "opinionMining")}

    def check(self, doc: InputDocument, params: Parameters) -> DocumentProblem | None:
        return unsupported_language(doc, self.engine.languages, "Sentiment analysis")

    def run(self, docs: Sequence[InputDocument], params: Parameters) -> list[DocumentSentiment]:
        # One engine call per language: each language has its own lexicon and rules.
        results: list[DocumentSentiment | None] = [None] * len(docs)
        for language, positions in by_language(docs).items():
            found = self.engine.analyze([docs[i].text for i in positions],
                                        opinion_mining=params.options["opinion_mining"], language=language)
            for i, result in zip(positions, found, strict=True):
                results[i] = result
        return results  # type: ignore[return-value]

    def to_wire(self, doc: InputDocument, result: DocumentSentiment, params: Parameters) -> dict[str, Any]:
        index = StringIndex(doc.text, "TextElements_v8" if params.api == V3_0 else params.string_index_type)
        mining = params.options["opinion_mining"]
        sentences = []
        for s_i, sentence in enumerate(result.sentences):
            offset, length = index.span(sentence.start, sentence.end)
            item: dict[str, Any] = {
                "text": sentence.text,
                "sentiment": sentence.sentiment,
                "confidenceScores": _scores(sentence.scores),
                "offset": offset,
                "length": length,
            }
            if mining:
                item["targets"] = [
                    {
                        "sentiment": target.sentiment,
                        "confidenceScores": {"positive": target.positive, "negative": target.negative},
                        **_span(index, target.start, target.end),
                        "text": target.text,
                        "relations": [
                            {"relationType": "assessment",
                             # The document index is settled in place(), once it is known.
                             "ref": f"#/documents/{doc.index}/sentences/{s_i}/assessments/{a}"}
                            for a in target.assessments
                        ],
                    }
                    for target in sentence.targets
                ]
                item["assessments"] = [
                    {
                        "sentiment": a.sentiment,
                        "confidenceScores": {"positive": a.positive, "negative": a.negative},
                        **_span(index, a.start, a.end),
                        "text": a.text,
                        "isNegated": a.negated,
                    }
                    for a in sentence.assessments
                ]
            sentences.append(item)
        return {"sentiment": result.sentiment, "confidenceScores": _scores(result.scores), "sentences": sentences}

    def place(self, wire: dict[str, Any], position: int) -> None:
        for sentence in wire.get("sentences", ()):
            for target in sentence.get("targets", ()):
                for relation in target["relations"]:
                    relation["ref"] = _DOCUMENT_POINTER.sub(f"#/documents/{position}/", relation["ref"])


def _scores(scores: Scores) -> dict[str, float]:
    return {"positive": scores.positive, "neutral": scores.neutral, "negative": scores.negative}


def _span(index: StringIndex, start: int, end: int) -> dict[str, int]:
    offset, length = index.span(start, end)
    return {"offset": offset, "length": length}
