"""EntityRecognition: named entities in Azure's categories, with offsets in the requested index type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airgap.platform.string_index import StringIndex
from airgap.services.language.documents import DocumentProblem, InputDocument
from airgap.engines.entity_spans import EntitySpan
from airgap.services.language.features.base import V3_0, Feature, Parameters
from airgap.services.language.language_support import by_language, unsupported_language


def index_type(params: Parameters) -> str:
    """v3.0 has no stringIndexType parameter: its offsets are always text elements."""
    return "TextElements_v8" if params.api == V3_0 else params.string_index_type


def entities_to_wire(text: str, spans: Sequence[EntitySpan], index_type: str) -> list[dict[str, Any]]:
    """Azure ``Entity`` objects; ``subcategory`` only where there is one, as Azure does."""
    index = StringIndex(text, index_type)
    out = []
    for span in spans:
        offset, length = index.span(span.start, span.end)
        entity: dict[str, Any] = {"text": text[span.start:span.end], "category": span.category}
        if span.subcategory:
            entity["subcategory"] = span.subcategory
        entity.update(offset=offset, length=length, confidenceScore=span.confidence)
        out.append(entity)
    return out


class EntityRecognition(Feature):
    kind = "EntityRecognition"
    meter = "CognitiveServices.Language.Container.EntityRecognitionTextRecords"
    max_documents = 5  # Azure's synchronous limit for NER

    def check(self, doc: InputDocument, params: Parameters) -> DocumentProblem | None:
        return unsupported_language(doc, self.engine.languages, "Entity recognition")

    def run(self, docs: Sequence[InputDocument], params: Parameters) -> list[list[EntitySpan]]:
        results: list[list[EntitySpan]] = [[] for _ in docs]
        for language, positions in by_language(docs).items():
            found = self.engine.recognize([docs[i].text for i in positions], language)
            for i, spans in zip(positions, found, strict=True):
                results[i] = spans
        return results

    def to_wire(self, doc: InputDocument, result: list[EntitySpan], params: Parameters) -> dict[str, Any]:
        return {"entities": entities_to_wire(doc.text, result, index_type(params))}
