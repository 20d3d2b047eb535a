"""LanguageDetection: the language of each document, with Azure's names and country hints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from babel import Locale

from airgap.services.language.documents import DocumentProblem, InputDocument
from airgap.engines.langid import Detection
from airgap.services.language.features.base import Feature, Parameters
from airgap.services.language.language_names import azure_language

_TERRITORIES = frozenset(code for code in Locale("en").territories if len(code) == 2)


def effective_country_hint(hint: str | None) -> str | None:
    """``""`` and ``none`` switch the hint off, as in Azure."""
    if hint is None or hint.strip().lower() in ("", "none"):
        return None
    return hint.strip().upper()


class LanguageDetection(Feature):
    kind = "LanguageDetection"
    meter = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"
    max_documents = 1000
    inline_chars = 1000  # fastText reads at most 1,000 characters of a document: ~130 us on the loop at most

    def check(self, doc: InputDocument, params: Parameters) -> DocumentProblem | None:
        hint = effective_country_hint(doc.country_hint)
        if hint is not None and hint not in _TERRITORIES:
            return DocumentProblem(
                "InvalidCountryHint",
                f"Country hint '{doc.country_hint}' is not an ISO 3166-1 alpha-2 code; use e.g. 'US', or 'none'.",
            )
        return None

    def run(self, docs: Sequence[InputDocument], params: Parameters) -> list[Detection]:
        return self.engine.detect([d.text for d in docs], [effective_country_hint(d.country_hint) for d in docs])

    def to_wire(self, doc: InputDocument, result: Detection, params: Parameters) -> dict[str, Any]:
        name, iso = azure_language(result.language)
        return {"detectedLanguage": {"name": name, "iso6391Name": iso, "confidenceScore": round(result.confidence, 2)}}
