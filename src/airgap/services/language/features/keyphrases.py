"""KeyPhraseExtraction: the main noun phrases of each document, most important first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airgap.services.language.documents import DocumentProblem, InputDocument
from airgap.services.language.features.base import Feature, Parameters
from airgap.services.language.language_support import document_language, unsupported_language


class KeyPhraseExtraction(Feature):
    kind = "KeyPhraseExtraction"
    meter = "CognitiveServices.Language.Container.KeyPhrasesTextRecords"
    max_documents = 10

    def check(self, doc: InputDocument, params: Parameters) -> DocumentProblem | None:
        return unsupported_language(doc, self.engine.languages, "Key phrase extraction")

    def run(self, docs: Sequence[InputDocument], params: Parameters) -> list[list[str]]:
        # One engine call per language, results put back in input order.
        by_language: dict[str, list[int]] = {}
        for i, doc in enumerate(docs):
            by_language.setdefault(document_language(doc), []).append(i)
        results: list[list[str]] = [[] for _ in docs]
        for language, positions in by_language.items():
            for i, phrases in zip(positions, self.engine.extract([docs[i].text for i in positions], language),
                                  strict=True):
                results[i] = phrases
        return results

    def to_wire(self, doc: InputDocument, result: list[str], params: Parameters) -> dict[str, Any]:
        return {"keyPhrases": result}
