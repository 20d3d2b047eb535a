"""Per-document language checks for features whose models cover a few languages only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from airgap.services.language.documents import DocumentProblem, InputDocument

DEFAULT_LANGUAGE = "en"
LANGUAGE_SUPPORT_URL = "https://aka.ms/text-analytics/language-support"


def document_language(doc: InputDocument) -> str:
    """The document's language code, Azure's default (English) when it names none."""
    return (doc.language or "").strip() or DEFAULT_LANGUAGE


def by_language(docs: Sequence[InputDocument]) -> dict[str, list[int]]:
    """Positions of the documents per language code, so an engine is called once per language."""
    groups: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        groups.setdefault(document_language(doc).split("-")[0].lower(), []).append(i)
    return groups


def unsupported_language(
    doc: InputDocument, supported: Iterable[str], feature: str | None = None
) -> DocumentProblem | None:
    """``UnsupportedLanguageCode`` for a document whose language the feature's model does not cover.

    ``feature`` ("Sentiment analysis") names the feature in the message when given.
    """
    codes = tuple(supported)
    language = document_language(doc)
    if language.split("-")[0].lower() in codes:
        return None
    return DocumentProblem(
        "UnsupportedLanguageCode",
        f"Invalid language code '{language}'"
        + (f" for {feature}" if feature else "")
        + f". Supported languages: {', '.join(codes)}. "
        f"For additional details see {LANGUAGE_SUPPORT_URL}",
    )
