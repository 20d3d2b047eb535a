"""PiiEntityRecognition: personal data found, filtered by category and redacted.

Parameters: ``domain`` (``none`` | ``phi``; v3.1 query string, Language API body)
adds protected health information; ``piiCategories`` (v3.1: comma-separated
query value; Language API: array) keeps only the named categories. Unknown
names are a 400 that lists the valid ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from airgap.platform.errors import BadRequest
from airgap.services.language.documents import DocumentProblem, InputDocument
from airgap.services.language.engines.pii import FILTER_NAMES
from airgap.engines.entity_spans import EntitySpan
from airgap.services.language.features.entities import entities_to_wire, index_type
from airgap.services.language.features.base import V3_0, V3_1, Feature, Parameters
from airgap.services.language.language_support import by_language, unsupported_language
from airgap.services.language.pii_categories import PII_CATEGORIES, SELECT_ALL

_BY_LOWER = {name.lower(): name for name in PII_CATEGORIES}
DOMAINS = ("none", "phi")


def parse_domain(raw: Any) -> str:
    if raw is None or raw == "":
        return "none"
    if not isinstance(raw, str) or raw.strip().lower() not in DOMAINS:
        raise BadRequest(f"Invalid domain {raw!r}; possible values are: {', '.join(DOMAINS)}.",
                         inner_code="InvalidParameterValue")
    return raw.strip().lower()


def parse_categories(raw: Any, api: str) -> list[str] | None:
    """The selected category names (sorted, JSON-friendly for job files), or None for every category."""
    if raw is None:
        return None
    # v3.1's query string carries a comma-separated list; v3.1 job tasks and the Language API an array.
    if isinstance(raw, str):
        names = [n.strip() for n in raw.split(",") if n.strip()]
    elif isinstance(raw, list) and all(isinstance(n, str) for n in raw):
        names = [n.strip() for n in raw]
    else:
        shape = "a comma-separated list" if api in (V3_0, V3_1) else "an array of category names"
        raise BadRequest(f"piiCategories must be {shape}.", inner_code="InvalidParameterValue")
    unknown = [n for n in names if n.lower() not in _BY_LOWER]
    if unknown:
        raise BadRequest(
            f"Invalid piiCategories value(s): {', '.join(unknown)}. Valid categories are: "
            f"{', '.join(PII_CATEGORIES)}.",
            inner_code="InvalidParameterValue",
        )
    canonical = {_BY_LOWER[n.lower()] for n in names}
    if not canonical or canonical & SELECT_ALL:
        return None
    return sorted(canonical)


class PiiEntityRecognition(Feature):
    kind = "PiiEntityRecognition"
    meter = "CognitiveServices.Language.Container.PiiEntityRecognitionTextRecords"
    max_documents = 5  # Azure's synchronous limit for PII

    def parse_options(self, raw: Mapping[str, Any], api: str) -> dict[str, Any]:
        return {"domain": parse_domain(raw.get("domain")),
                "categories": parse_categories(raw.get("piiCategories"), api)}

    def check(self, doc: InputDocument, params: Parameters) -> DocumentProblem | None:
        return unsupported_language(doc, self.engine.languages, "PII detection")

    def run(self, docs: Sequence[InputDocument], params: Parameters) -> list[tuple[list[EntitySpan], str]]:
        selected = params.options.get("categories")
        categories = None if selected is None else set(selected)
        phi = params.options.get("domain") == "phi"
        found: list[list[EntitySpan]] = [[] for _ in docs]
        for language, positions in by_language(docs).items():
            spans_per_doc = self.engine.recognize([docs[i].text for i in positions], phi=phi, language=language)
            for i, spans in zip(positions, spans_per_doc, strict=True):
                found[i] = spans
        results = []
        for doc, spans in zip(docs, found, strict=True):
            if categories is not None:
                spans = [s for s in spans if FILTER_NAMES.get(s.category, s.category) in categories]
            results.append((spans, self.engine.redact(doc.text, spans)))
        return results

    def to_wire(self, doc: InputDocument, result: tuple[list[EntitySpan], str], params: Parameters) -> dict[str, Any]:
        spans, redacted = result
        return {"redactedText": redacted, "entities": entities_to_wire(doc.text, spans, index_type(params))}
