"""Per-document language checks for features whose models cover a few languages only."""

from __future__ import annotations

from collections.abc import Iterable

from airgap.services.language.documents import DocumentProblem, InputDocument

DEFAULT_LANGUAGE = "en"
LANGUAGE_SUPPORT_URL = "https://aka.ms/text-analytics/language-support"


def document_language(doc: InputDocument) -> str:
    """The document's language code, Azure's default (English) when it names none."""
    return (doc.language or "").strip() or DEFAULT_LANGUAGE


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
