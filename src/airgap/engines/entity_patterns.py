"""Pattern recognizers shared by the entity and PII engines, and Presidio's offline switch.

Presidio's recognizers (e-mail, URL, IP, phone via ``phonenumbers``, cards with
Luhn, IBAN with checksum, ...) are well kept; they are used as they are, plus two
of ours that Presidio lacks: street addresses and ages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import tldextract.tldextract as _tldextract

# The e-mail recognizer calls tldextract, whose default extractor fetches the Public
# Suffix List from the network on first use. With no URLs it reads only the snapshot
# bundled in the wheel. This must run before any Presidio recognizer is used.
_tldextract.TLD_EXTRACTOR.suffix_list_urls = ()

from presidio_analyzer import Pattern, PatternRecognizer  # noqa: E402
from presidio_analyzer.predefined_recognizers import PhoneRecognizer  # noqa: E402

from airgap.engines.entity_spans import STATISTICAL, EntitySpan  # noqa: E402

_STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Square|Sq|"
    "Parkway|Pkwy|Terrace|Ter|Highway|Hwy|Circle|Cir|Trail|Trl|Plaza|Alley|Crescent|Close|Row"
)
_CAPITALISED = r"[A-Z][A-Za-z0-9'\-]*\.?"
# "1 Microsoft Way, Redmond, WA 98052", "221B Baker Street, London NW1 6XE", "500 5th Ave, Suite 300"
ADDRESS_REGEX = (
    r"\b\d{1,6}[A-Z]?\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+)?"
    rf"(?:(?:{_CAPITALISED}|\d+(?:st|nd|rd|th))\s+){{1,4}}"
    rf"(?:{_STREET_TYPES})\b\.?"
    r"(?:,?\s+(?:Suite|Ste\.?|Apt\.?|Apartment|Unit|Floor|#)\s*[A-Za-z0-9\-]+)?"
    r"(?:,\s*(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+(?=[\s,.]|$))?"
    r"(?:,?\s+[A-Z]{2}(?=[\s,.]|$))?"
    r"(?:,?\s+(?:\d{5}(?:-\d{4})?|\d{4}(?!\d)|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}))?"
    # Continental order, street type first: "48 Rue Lepic, 75018 Paris", "12 Via Roma, 00184 Roma"
    r"|\b\d{1,5}[a-z]?,?\s+(?:Rue|Via|Calle|Avenida|Avenue|Boulevard|Bd|Place|Plaza|Piazza|Carrer|Rua)"
    r"\s+(?:(?:de|du|des|la|le|del|di|da|do)\s+){0,2}[A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*){0,2}"
    r"(?:,\s*\d{4,5}\s+[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?)?"
)
AGE_REGEX = (
    r"\b\d{1,3}(?:[- ]|\s*-\s*)(?:years?|yrs?|months?|weeks?)(?:[- ]|\s*-\s*)old\b"
    # "aged 45", "age: 45": the word is the cue, the age is the number
    r"|(?:(?<=\baged )|(?<=\bage )|(?<=\bage: )|(?<=\bage of )|(?<=\bage:))\d{1,3}\b"
    r"|(?<=\bturned )\d{1,3}\b(?!\s*(?:%|percent|degrees|minutes|hours|days))"
)


# Six digits close together: every phone number ``phonenumbers`` can match has them.
_PHONE_HINT = re.compile(r"(?:\d\D{0,3}){6}")


class QuickPhoneRecognizer(PhoneRecognizer):
    """Presidio's phone recognizer, skipped on text that cannot hold a phone number.

    It runs ``phonenumbers``' matcher once per region (8 by default), about 5 ms
    for a sentence: as much as the whole spaCy pass, mostly on text without digits.
    """

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: ANN001, D102 (Presidio's signature)
        if not _PHONE_HINT.search(text):
            return []
        return super().analyze(text, entities, nlp_artifacts)


def address_recognizer(language: str = "en") -> PatternRecognizer:
    # Capitalisation is what tells "1 Microsoft Way" from "3 ways": match case-sensitively
    # whatever flags Presidio's registry passes.
    return PatternRecognizer(
        supported_entity="ADDRESS",
        name="AddressRecognizer",
        supported_language=language,
        patterns=[Pattern("street address", f"(?-i:{ADDRESS_REGEX})", 0.7)],
        context=["address", "live", "lives", "located", "ship", "deliver", "office", "visit"],
    )


def age_recognizer(language: str = "en") -> PatternRecognizer:
    return PatternRecognizer(
        supported_entity="AGE",
        name="AgeRecognizer",
        supported_language=language,
        patterns=[Pattern("age", AGE_REGEX, 0.8)],
        context=["age", "old", "patient", "born"],
    )


# Presidio's e-mail and URL recognizers keep only hosts whose suffix is in the Public Suffix
# List, so reserved names ("contoso.example", "db.test", RFC 2606) and new TLDs are lost;
# an address written out with "@" or a scheme is personal data whatever its suffix.
EMAIL_REGEX = r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b"
URL_REGEX = r"\b(?:https?://|www\.)[^\s<>\"'()\[\]{}]+"


def email_recognizer(language: str = "en") -> PatternRecognizer:
    return PatternRecognizer(supported_entity="EMAIL_ADDRESS", name="AnySuffixEmailRecognizer",
                             supported_language=language, patterns=[Pattern("e-mail", EMAIL_REGEX, 1.0)])


def url_recognizer(language: str = "en") -> PatternRecognizer:
    return PatternRecognizer(supported_entity="URL", name="AnySuffixUrlRecognizer",
                             supported_language=language, patterns=[Pattern("url", URL_REGEX, 0.9)])


def url_end(text: str, start: int, end: int) -> int:
    """Where a matched link really ends: sentence punctuation after it is not part of it."""
    while end > start and text[end - 1] in ".,;:!?)'\"":
        end -= 1
    return end


_ACRONYM = re.compile(r"^[A-Z0-9&.\-]{2,6}$")
# Identifier labels the small spaCy model tags as organisations even when no value follows.
_ID_LABELS = frozenset({"SSN", "IBAN", "DEA", "NHS", "IP", "URL", "DOB", "MRN", "ID", "PIN", "ITIN", "EIN", "TIN",
                        "SWIFT", "BIC", "ABA", "VIN", "NPI", "CVV", "ZIP", "NINO", "SIN", "PO", "API"})


def is_identifier_label(text: str, span: EntitySpan, kept: Sequence[EntitySpan]) -> bool:
    """An all-caps "organisation" that labels an identifier ("SSN 536-..", "IBAN DE89..", "IP 10.0.0.1")."""
    covered = text[span.start:span.end]
    if span.category != "Organization" or not _ACRONYM.match(covered):
        return False
    return covered in _ID_LABELS or any(k.priority > STATISTICAL and 0 <= k.start - span.end <= 12 for k in kept)
