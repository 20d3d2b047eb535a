"""Input documents of the Language APIs: structural validation and per-document problems.

Whole-request problems (no documents, too many, duplicate ids, wrong types)
are ``BadRequest`` (400). Problems of one document (empty, too long,
unsupported language) become that document's entry in ``errors[]`` of a 200,
as Azure does, and the other documents are still analysed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from airgap.platform.errors import BadRequest
from airgap.services.language.text_elements import count_text_elements, text_records

MAX_TEXT_ELEMENTS = 5120
DATA_LIMITS_URL = "https://aka.ms/text-analytics-data-limits"


@dataclass(frozen=True)
class InputDocument:
    index: int
    id: str
    text: str
    language: str | None = None
    country_hint: str | None = None


@dataclass(frozen=True)
class DocumentProblem:
    """Why one document is not analysed; rendered as a ``DocumentError``."""

    inner_code: str
    message: str
    code: str = "InvalidArgument"

    def to_wire(self, doc_id: str, spell: Callable[[str], str] = str) -> dict[str, Any]:
        return {
            "id": doc_id,
            "error": {
                "code": spell(self.code),
                "message": "Invalid document in request.",
                "innererror": {"code": spell(self.inner_code), "message": self.message},
            },
        }


@dataclass(frozen=True)
class MeasuredDocument:
    doc: InputDocument
    elements: int

    @property
    def records(self) -> int:
        return text_records(self.elements)

    def statistics(self) -> dict[str, int]:
        return {"charactersCount": self.elements, "transactionsCount": self.records}


def parse_documents(documents: Any, *, missing_code: str, max_documents: int, where: str) -> list[InputDocument]:
    """Check the ``documents`` array's structure; ``where`` names it in messages."""
    if documents is None:
        raise BadRequest(f"Missing input documents: send {where} as an array of {{id, text}} objects.",
                         inner_code=missing_code)
    if not isinstance(documents, list):
        raise BadRequest(f"{where} must be an array of {{id, text}} objects, not {_json_type(documents)}.",
                         inner_code="InvalidParameterValue")
    if not documents:
        raise BadRequest(f"Missing input documents: {where} is empty; send at least one document.",
                         inner_code=missing_code)
    if len(documents) > max_documents:
        raise BadRequest(
            f"Batch request contains too many records ({len(documents)}). Max {max_documents} records are permitted.",
            inner_code="InvalidDocumentBatch",
        )
    parsed: list[InputDocument] = []
    seen: set[str] = set()
    for index, raw in enumerate(documents):
        path = f"{where}[{index}]"
        if not isinstance(raw, dict):
            raise BadRequest(f"{path} must be an object with 'id' and 'text', not {_json_type(raw)}.",
                             inner_code="InvalidDocument")
        doc_id = raw.get("id")
        if not isinstance(doc_id, str) or not doc_id:
            raise BadRequest(f"{path}.id must be a non-empty string.", inner_code="InvalidDocument")
        text = raw.get("text")
        if not isinstance(text, str):
            got = "missing" if "text" not in raw else _json_type(text)
            raise BadRequest(f"{path}.text must be a string ({got}).", inner_code="InvalidDocument")
        language = _optional_str(raw, "language", path)
        country_hint = _optional_str(raw, "countryHint", path)
        if doc_id in seen:
            raise BadRequest(
                f"Request contains duplicated Ids ('{doc_id}'). Make sure each document has a unique Id.",
                inner_code="InvalidDocument",
            )
        seen.add(doc_id)
        parsed.append(InputDocument(index, doc_id, text, language, country_hint))
    return parsed


def measure(doc: InputDocument) -> MeasuredDocument | DocumentProblem:
    """The document's size, or why it cannot be analysed at all."""
    if not doc.text.strip():
        return DocumentProblem("InvalidDocument", "Document text is empty.")
    elements = count_text_elements(doc.text)
    if elements > MAX_TEXT_ELEMENTS:
        return DocumentProblem(
            "InvalidDocument",
            f"A document within the request was too large to be processed. Limit document size to: "
            f"{MAX_TEXT_ELEMENTS} text elements. For additional details on the data limitations see {DATA_LIMITS_URL}",
        )
    return MeasuredDocument(doc, elements)


def _optional_str(raw: dict, key: str, path: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"{path}.{key} must be a string, not {_json_type(value)}.", inner_code="InvalidDocument")
    return value


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "null"}.get(type(value), type(value).__name__)
