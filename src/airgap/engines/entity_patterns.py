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
# After the street: city, state (two letters, or spelt out before a ZIP code), postcode, country.
_ADDRESS_TAIL = (
    r"(?:,\s*(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+(?=[\s,.]|$))?"
    r"(?:,?\s+[A-Z]{2}(?=[\s,.]|$)|,?\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?=,?\s+\d{5}))?"
    r"(?:,?\s+(?:\d{5}(?:-\d{4})?|\d{4}(?!\d)|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}))?"
    r"(?:,\s*(?:USA|U\.S\.A\.|United States|UK|United Kingdom|Canada|Australia|Ireland|New Zealand)(?!\w))?"
)
ADDRESS_REGEX = (
    # a flat or unit written first belongs to the address: "Apt 4B, 17 Harbour Road"
    r"(?:\b(?:Apt\.?|Apartment|Unit|Flat|Suite)\s*[A-Za-z0-9\-]+,\s*)?"
    r"\b\d{1,6}[A-Z]?\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+)?"
    rf"(?:(?:{_CAPITALISED}|\d+(?:st|nd|rd|th))\s+){{1,4}}"
    rf"(?:{_STREET_TYPES})\b\.?(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b\.?)?"
    r"(?:,?\s+(?:Suite|Ste\.?|Apt\.?|Apartment|Unit|Floor|#)\s*[A-Za-z0-9\-]+)?"
    + _ADDRESS_TAIL +
    r"|\bP\.?\s?O\.?\s+Box\s+\d{1,6}" + _ADDRESS_TAIL +
    # Continental order, street type first: "48 Rue Lepic, 75018 Paris", "12 Via Roma, 00184 Roma"
    r"|\b\d{1,5}[a-z]?,?\s+(?:Rue|Via|Calle|Avenida|Avenue|Boulevard|Bd|Place|Plaza|Piazza|Carrer|Rua)"
    r"\s+(?:(?:de|du|des|la|le|del|di|da|do)\s+){0,2}[A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*){0,2}"
    r"(?:,\s*\d{4,5}\s+[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?)?"
)
_AGE_WORDS = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|"
              r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
              r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)")
AGE_WORDS = _AGE_WORDS  # "seven", "forty-two": ages written in words, for the PII engine too
AGE_REGEX = (
    rf"\b(?:\d{{1,3}}|{_AGE_WORDS})(?:[- ]|\s*-\s*)(?:years?|yrs?\.?|months?|weeks?)(?:[- ]|\s*-\s*)old\b"
    # clinical shorthand and the formal phrase: "54 yo", "54 y/o", "54 y.o.", "54 years of age"
    r"|\b\d{1,3}[- ]?(?:yo|y/o|y\.o\.?|yrs?\.?\s+of\s+age|years?\s+of\s+age)(?![\w/])"
    # "aged 45", "age: 45": the word is the cue, the age is the number
    rf"|(?:(?<=\baged )|(?<=\bage )|(?<=\bage: )|(?<=\bage of )|(?<=\bage:))(?:\d{{1,3}}|{_AGE_WORDS})\b"
    r"|(?:(?<=\bturned )|(?<=\bturns )|(?<=\bturning ))\d{1,3}\b(?!\s*(?:%|percent|degrees|minutes|hours|days))"
    # a clinical note's "34F presents with", "67M with a history of": the number before the sex
    r"|\b\d{1,3}(?=(?-i:[MF])\s+(?:presents|presenting|with|who|c/o|complains|complaining|reports|admitted|s/p)\b)"
)

# A driver's licence is known by its label, not its shape: state formats range from "B7731942"
# (California) and "S530-4417-9921-07" (Florida, Wisconsin) to "123 456 789" (New York) and
# "WDLJ7K2L9X4B" (Washington), all of which also look like order or account numbers.
_LICENSE_CUE = re.compile(
    r"(?<!medical )(?<!business )(?<!software )(?<!professional )(?<!nursing )(?<!marriage )"
    r"\b(?:driver['’]?s?\s+licen[cs]es?|driving\s+licen[cs]es?|licen[cs]es?|CDL|DL|D\.L\.)(?![\w-])",
    re.IGNORECASE,
)
# What may stand between the label and the number: a state, "number", "no.", "#", "is", ":".
_LICENSE_FILLER = re.compile(r"(?:\s*[:#,(]\s*|\s+)(?:[A-Z][A-Za-z]*\.?|number|no\.?|num\.?|ID|id|is|was|reads|"
                             r"of|for|in|issued|with|\(|\))(?![\w-])")
_LICENSE_VALUE = re.compile(r"(?:\s*[:#,(]\s*|\s+)((?=[A-Z0-9*-]*\d)[A-Z0-9][A-Z0-9*]*(?:-[A-Z0-9*]+|[ ]\d+(?![\w-]))*)"
                            r"(?![\w-])")


def find_driver_licenses(text: str) -> list[tuple[int, int]]:
    """Numbers written right after a driver's licence label, with up to four filler words between."""
    found = []
    for cue in _LICENSE_CUE.finditer(text):
        at = cue.end()
        for _ in range(5):
            value = _LICENSE_VALUE.match(text, at)
            if value:
                number = value.group(1)
                digits = sum(c.isdigit() for c in number)
                if 4 <= digits and 6 <= sum(c.isalnum() for c in number) <= 20:
                    found.append((value.start(1), value.end(1)))
                break
            filler = _LICENSE_FILLER.match(text, at)
            if not filler:
                break
            at = filler.end()
    return found


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


_ACRONYM = re.compile(r"^[A-Z0-9&.\-]{2,6}(?: [A-Z0-9&.\-]{2,6})?$")
# Identifier labels the small spaCy model tags as organisations even when no value follows.
_ID_LABELS = frozenset({"SSN", "IBAN", "DEA", "NHS", "IP", "URL", "DOB", "MRN", "ID", "PIN", "ITIN", "EIN", "TIN",
                        "SWIFT", "BIC", "ABA", "VIN", "NPI", "CVV", "ZIP", "NINO", "SIN", "PO", "API"})


# Everyday acronyms for things, departments and procedures, which the small model also calls
# organisations ("the CCTV recorder", "call HR", "an MRI scan").
_COMMON_ACRONYMS = frozenset({"CCTV", "GPS", "USB", "PDF", "HDMI", "VPN", "CPU", "GPU", "RAM", "SSD", "HR", "IT", "QA",
                              "VIP", "ATM", "LED", "LCD", "TV", "DVD", "SMS", "MFA", "2FA", "OTP", "SSO", "CRM", "ERP",
                              "POS", "ICU", "ER", "MRI", "CT", "ECG", "EKG", "EHR", "EMR", "PPE", "OTC", "FAQ", "CEO",
                              "CFO", "CTO", "COO", "KYC", "AML", "APR", "ETA", "RSVP", "ASAP", "FYI", "PTO", "OOO",
                              "W-2", "W-4", "1099", "NDA", "SLA", "KPI", "ROI", "PO", "EOD", "ID", "DM", "PM", "AM"})


def is_identifier_label(text: str, span: EntitySpan, kept: Sequence[EntitySpan]) -> bool:
    """An all-caps "organisation" that labels an identifier ("SSN 536-..", "IBAN DE89..", "IP 10.0.0.1")
    or is an everyday acronym ("CCTV", "HR")."""
    covered = text[span.start:span.end]
    if span.category != "Organization" or not _ACRONYM.match(covered):
        return False
    if covered in _ID_LABELS or covered in _COMMON_ACRONYMS:
        return True
    return any(k.priority > STATISTICAL and 0 <= k.start - span.end <= 12 for k in kept)
