"""PII detection with Presidio, configured for offline use, in Azure's PII categories.

Presidio's ``AnalyzerEngine`` would otherwise download ``en_core_web_lg`` and
its e-mail recognizer the Public Suffix List. Here its NLP engine is handed the
shared, installed spaCy pipeline (loaded once for NER and PII together) and
tldextract is pinned to its bundled snapshot (see ``patterns``).

Presidio runs only the recognizers registered for a document's language, so
French gets its own instances of the language-independent ones (cards, IBAN,
e-mail, URL, IP, phone in French-speaking regions, numeric dates) next to
``fr_core_news_sm``'s people, places and organisations. The US/UK identifier
patterns and our English address/age patterns stay English-only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    AbaRoutingRecognizer,
    CreditCardRecognizer,
    DateRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    MedicalLicenseRecognizer,
    NhsRecognizer,
    SpacyRecognizer,
    UkNinoRecognizer,
    UrlRecognizer,
    UsBankRecognizer,
    UsItinRecognizer,
    UsLicenseRecognizer,
    UsPassportRecognizer,
    UsSsnRecognizer,
)
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

from airgap.engines import entity_lexicon as lexicon
from airgap.engines import entity_patterns as patterns  # switches tldextract offline before Presidio loads
from airgap.services.language.engines.entities import FR_PHONE_REGIONS, french_trim, without_leading_role
from airgap.services.language.engines.spacy_pipelines import get_pipeline
from airgap.engines.entity_spans import (
    PATTERN,
    STATISTICAL,
    VALIDATED,
    EntitySpan,
    resolve_overlaps,
    snap_to_graphemes,
)


@dataclass(frozen=True)
class PiiType:
    category: str
    subcategory: str | None
    priority: int
    phi_only: bool = False


# Presidio entity -> Azure PII category. VALIDATED: checksum or parser-confirmed.
PII_TYPES: dict[str, PiiType] = {
    "PERSON": PiiType("Person", None, STATISTICAL),
    "ORGANIZATION": PiiType("Organization", None, STATISTICAL),
    # Azure's PII model reports places as (parts of) addresses.
    "LOCATION": PiiType("Address", None, STATISTICAL),
    "DATE_TIME": PiiType("DateTime", "Date", STATISTICAL),
    "ADDRESS": PiiType("Address", None, PATTERN),
    "EMAIL_ADDRESS": PiiType("Email", None, VALIDATED),
    "URL": PiiType("URL", None, PATTERN),
    "PHONE_NUMBER": PiiType("PhoneNumber", None, VALIDATED),
    "IP_ADDRESS": PiiType("IPAddress", None, VALIDATED),
    "CREDIT_CARD": PiiType("CreditCardNumber", None, VALIDATED),
    "IBAN_CODE": PiiType("InternationalBankingAccountNumber", None, VALIDATED),
    "US_SSN": PiiType("USSocialSecurityNumber", None, VALIDATED),
    "US_ITIN": PiiType("USIndividualTaxpayerIdentification", None, PATTERN),
    "US_PASSPORT": PiiType("USUKPassportNumber", None, PATTERN),
    "US_DRIVER_LICENSE": PiiType("USDriversLicenseNumber", None, PATTERN),
    "US_BANK_NUMBER": PiiType("USBankAccountNumber", None, PATTERN),
    "ABA_ROUTING_NUMBER": PiiType("ABARoutingNumber", None, VALIDATED),
    "UK_NINO": PiiType("UKNationalInsuranceNumber", None, PATTERN),
    "UK_NHS": PiiType("UKNationalHealthNumber", None, VALIDATED),
    # Protected health information: only with domain=phi.
    "AGE": PiiType("Quantity", "Age", PATTERN, phi_only=True),
    "MEDICAL_LICENSE": PiiType("DrugEnforcementAgencyNumber", None, VALIDATED, phi_only=True),
}

# Wire category -> the piiCategories filter name that selects it, where they differ.
FILTER_NAMES = {"DateTime": "Date", "Quantity": "Age"}

# spaCy labels that are not personal data.
_IGNORED_LABELS = ["CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "LANGUAGE", "WORK_OF_ART",
                   "PRODUCT", "EVENT", "LAW", "FAC", "NORP", "MISC"]
# Presidio's own default is 0; below this, its context-free regexes (licence, passport,
# bank number: score 0.01-0.05 without a context word nearby) are mostly noise.
SCORE_THRESHOLD = 0.4
_NOT_A_DATE = re.compile(r"^(?:for\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|"
                         r"a few|few)\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)(?:\s+long)?$"
                         r"|\b(?:every|each|daily|weekly|monthly|annually)\b", re.IGNORECASE)
_AGE_AS_DATE = re.compile(r"\b(?:years?|months?)[- ]old\b", re.IGNORECASE)
# A date identifies someone when it is a calendar date or a named day, not "last year" or "noon".
_CALENDAR = re.compile(
    r"\d|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|satur|sun)(?:day)?)\b",
    re.IGNORECASE,
)
# NHS numbers are 10 digits with a mod-11 check, which one in eleven US phone numbers also
# passes ("206-555-0147"); without the word nearby the number is a phone number.
_NHS_CONTEXT = re.compile(r"\b(?:nhs|health)\b", re.IGNORECASE)
# A date written only in digits must read as one: a year, day/month/year in either order, or a
# card's MM/YY expiry. Order, ticket and product numbers, card fragments, blood pressures do not.
_NUMERIC_DATE = re.compile(
    r"^(?:(?:19|20)\d\d"
    r"|(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:\d{2}|(?:19|20)\d\d)"
    r"|(?:19|20)\d\d[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|1[0-2])/(?:\d{2}|(?:19|20)\d\d))$"
)
_MONTH_OR_DAY = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|satur|sun)(?:day)?|"
    r"today|tomorrow|yesterday|noon|midnight)\b|\d\s*(?:[ap]\.?m\b\.?)|\d{1,2}:\d{2}",
    re.IGNORECASE,
)
# A card's expiry date ("Exp: 11/26"), which the date recognizers do not read as a date.
_EXPIRY = re.compile(r"\b(?:exp(?:iry|ires|iration)?\.?(?:\s+date)?:?\s*)((?:0[1-9]|1[0-2])/(?:\d{2}|20\d\d))\b",
                     re.IGNORECASE)
# A date written with a month's name, with its weekday when one leads: the small model drops
# abbreviations ("Wed, Mar 5") or the weekday, which then stays readable after redaction.
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?)"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NAMED_DATE = re.compile(
    rf"(?<![\w/])(?:{_WEEKDAY},?\s+(?:the\s+)?)?(?:{_DAY}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_DAY}(?![\d:]))"
    rf"(?:,?\s+(?:19|20)\d\d)?(?![\w/])"
    rf"|(?<![\w/]){_WEEKDAY},?\s+(?:\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}}))(?![\w/])"
)
_LEADING_WORD = re.compile(r"(?:(?:the|from|on|by|until|till|since)\s+)*", re.IGNORECASE)
# The account context that makes a bare run of digits a bank account rather than a phone number.
_ACCOUNT_CONTEXT = re.compile(r"\b(?:account|acct|a/c|checking|savings)\b", re.IGNORECASE)
# A place or name that qualifies an identifier ("California license", "Driver's license number").
_QUALIFIES_ID = re.compile(r"(?:['’]s)?\s+(?:driver['’]?s\s+|driving\s+)?"
                           r"(?:licen[cs]e|passport|number|ID|card|DL|CDL)\b", re.IGNORECASE)
# A place naming where something is rather than where someone lives: "our Denver office", "the
# Texas branch", "a Boston court". The address is what identifies a person; a site does not.
_PLACE_AS_MODIFIER = re.compile(r"\s+(?:office|offices|branch|branches|team|teams|headquarters|HQ|store|shop|"
                                r"warehouse|site|plant|campus|location|market|region|court|courts|law|laws|"
                                r"subsidiary|division|hub|depot|facility|bureau|time|weather|area code|"
                                r"server|servers|data ?cent(?:er|re)|region)\b")
# An age written right after the person it belongs to: "Maria Lopez, 34, ...", "Tom (7)",
# "my daughter is 9." The number must end the phrase, or it is a count or an amount.
_AGE_AFTER_PERSON = re.compile(r"\s*,\s*(\d{1,3})(?=\s*(?:[,;)]|\.(?!\d)|$))|\s*\((\d{1,3})\)"
                               r"|,?\s+(?:is|was|turns|turned|just turned)\s+(\d{1,3})(?=\s*(?:[,;!)]|\.(?!\d)|$|and\b|"
                               r"now\b|today\b|this\b|next\b|last\b))")


class _Pipelines(dict):
    """Language -> shared pipeline, fetched on first use: French is loaded by its first request."""

    def __missing__(self, language: str):
        pipeline = get_pipeline(language)
        if pipeline is None:
            raise KeyError(f"no spaCy pipeline installed for {language}")
        self[language] = pipeline
        return pipeline


class _SharedSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over the process-wide pipelines instead of its own copies."""

    def load(self) -> None:
        self.nlp = _Pipelines()
        self.nlp["en"]  # English at start, so readiness means English is served

    def process_batch(self, texts, language, batch_size=1, n_process=1, as_tuples=False):  # noqa: ANN001
        # Presidio reads entities and lemmas (for context words), never the dependency
        # parse: skipping the parser makes the spaCy pass about a third faster.
        for doc in self.nlp[language].pipe(texts, batch_size=batch_size, disable=["parser"]):
            yield doc.text, self._doc_to_nlp_artifact(doc, language)


class PresidioPiiEngine:
    name = "presidio-pii"
    model_version = "2026-12-01"
    languages = ("en", "fr")

    def __init__(self) -> None:
        self._analyzer: AnalyzerEngine | None = None
        self._anonymizer: AnonymizerEngine | None = None

    def load(self) -> None:
        nlp_engine = _SharedSpacyEngine(
            models=[{"lang_code": lang, "model_name": "shared"} for lang in self.languages],
            ner_model_configuration=NerModelConfiguration(labels_to_ignore=_IGNORED_LABELS),
        )
        nlp_engine.load()
        recognizers = [
            SpacyRecognizer(supported_entities=["PERSON", "ORGANIZATION", "LOCATION", "DATE_TIME"]),
            CreditCardRecognizer(), IbanRecognizer(), EmailRecognizer(), UrlRecognizer(), IpRecognizer(),
            patterns.QuickPhoneRecognizer(), DateRecognizer(), UsSsnRecognizer(), UsItinRecognizer(),
            UsPassportRecognizer(), UsLicenseRecognizer(), UsBankRecognizer(), AbaRoutingRecognizer(),
            UkNinoRecognizer(), NhsRecognizer(), MedicalLicenseRecognizer(), patterns.address_recognizer(),
            patterns.age_recognizer(), patterns.email_recognizer(), patterns.url_recognizer(),
            SpacyRecognizer(supported_language="fr", supported_entities=["PERSON", "ORGANIZATION", "LOCATION"]),
            CreditCardRecognizer(supported_language="fr"), IbanRecognizer(supported_language="fr"),
            EmailRecognizer(supported_language="fr"), UrlRecognizer(supported_language="fr"),
            IpRecognizer(supported_language="fr"), DateRecognizer(supported_language="fr"),
            patterns.QuickPhoneRecognizer(supported_language="fr", supported_regions=FR_PHONE_REGIONS),
            patterns.email_recognizer("fr"), patterns.url_recognizer("fr"),
        ]
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=list(self.languages))
        self._analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine,
                                        supported_languages=list(self.languages),
                                        default_score_threshold=SCORE_THRESHOLD)
        self._anonymizer = AnonymizerEngine()
        self.recognize(["Warm up: Ada Lovelace, ada@example.com, 425-555-0123."], phi=True)

    @property
    def ready(self) -> bool:
        return self._analyzer is not None

    def supports(self, language: str) -> bool:
        return language.split("-")[0].lower() in self.languages

    def recognize(self, texts: Sequence[str], phi: bool = False, language: str = "en") -> list[list[EntitySpan]]:
        analyzer = self._analyzer
        if analyzer is None:
            raise RuntimeError("PresidioPiiEngine.recognize called before load()")
        wanted = [name for name, t in PII_TYPES.items() if phi or not t.phi_only]
        artifacts = analyzer.nlp_engine.process_batch(list(texts), language, batch_size=max(1, len(texts)))
        out = []
        for text, nlp_artifacts in artifacts:
            hits = analyzer.analyze(text, language, entities=wanted, nlp_artifacts=nlp_artifacts)
            out.append(self._spans(text, hits, phi, language.split("-")[0].lower()))
        return out

    def redact(self, text: str, spans: Iterable[EntitySpan]) -> str:
        """The text with one ``*`` per character of each span (Azure's default masking)."""
        results = [RecognizerResult("PII", s.start, s.end, s.confidence) for s in spans]
        if not results:
            return text
        mask = OperatorConfig("mask", {"masking_char": "*", "chars_to_mask": len(text), "from_end": False})
        # No merging across the spaces between two entities: Azure masks the entities only.
        return self._anonymizer.anonymize(text, results, operators={"DEFAULT": mask},
                                          merge_entities_with_spaces=False).text

    def _spans(self, text: str, hits: Iterable[RecognizerResult], phi: bool, language: str = "en") -> list[EntitySpan]:
        spans = []
        people = lexicon.people(text) if language == "en" else {}
        for hit in hits:
            entity = hit.entity_type
            if entity in ("ORGANIZATION", "LOCATION") and hit.end >= people.get(hit.start, hit.end + 1):
                # "belongs to Noah Fischer", "Patient: Ezekiel Thornbury": a name the small model took
                # for a company or a place, sometimes with the next word
                entity, hit = "PERSON", RecognizerResult("PERSON", hit.start, people[hit.start], hit.score)
            covered = text[hit.start:hit.end]
            if entity == "DATE_TIME":
                if _AGE_AS_DATE.search(covered):
                    if not phi:
                        continue
                    entity = "AGE"
                elif _NOT_A_DATE.search(covered) or not _CALENDAR.search(covered):
                    continue  # durations, recurrences and vague times identify no one
                elif language == "en" and not _is_date(covered):
                    continue  # the month and day names it knows are English
            elif entity == "US_SSN" and covered.startswith("9"):
                entity = "US_ITIN"  # no Social Security number starts with 9; every ITIN does
            elif entity == "PHONE_NUMBER" and covered.isdigit() and _ACCOUNT_CONTEXT.search(
                    text[max(0, hit.start - 40):hit.start]):
                entity = "US_BANK_NUMBER"
            elif entity in ("LOCATION", "ORGANIZATION", "PERSON") and _qualifies_identifier(
                    text, hit.start, hit.end, person=entity == "PERSON"):
                continue
            elif entity == "LOCATION" and _PLACE_AS_MODIFIER.match(text, hit.end):
                continue
            elif entity == "UK_NHS" and not _NHS_CONTEXT.search(text[max(0, hit.start - 40):hit.start]):
                continue
            start, end = hit.start, hit.end
            if entity == "DATE_TIME":
                start += len(_LEADING_WORD.match(covered).group())  # "the 3rd of June": the date, not "the"
            if entity == "URL":
                end = patterns.url_end(text, start, end)
            elif entity in ("PERSON", "ORGANIZATION") and covered.endswith(("'s", "’s")):
                end -= 2
            elif language == "fr" and entity in ("PERSON", "ORGANIZATION", "LOCATION"):
                start, end = french_trim(text, start, end)
            kind = PII_TYPES.get(entity)
            if kind is None:
                continue
            if entity == "PERSON":
                start = without_leading_role(text, start, end)
            spans.append(EntitySpan(start, end, kind.category, kind.subcategory,
                                     round(min(1.0, hit.score), 2), kind.priority))
        if language == "en":
            spans += _lexicon_spans(text, people)
        kept = resolve_overlaps(snap_to_graphemes(text, spans))
        if phi and language == "en":
            kept = resolve_overlaps(kept + _ages_after_people(text, kept))
        return [s for s in kept if not patterns.is_identifier_label(text, s, kept)]


def _is_date(covered: str) -> bool:
    if _MONTH_OR_DAY.search(covered):
        return True
    return bool(_NUMERIC_DATE.match(covered.strip()))


def _qualifies_identifier(text: str, start: int, end: int, person: bool = False) -> bool:
    """"California license", "US passport", "Driver's license", "(California)" after a licence number.

    A person's possessive names the owner, not the kind of document: "Nina's number" stays a person.
    """
    m = _QUALIFIES_ID.match(text, end)
    if m:
        return not (person and m.group().startswith(("'", "’")))
    return text[start - 1:start] == "(" and text[end:end + 1] == ")" and bool(
        re.search(r"\d\s*$", text[max(0, start - 16):start - 1]))


def _ages_after_people(text: str, kept: Sequence[EntitySpan]) -> list[EntitySpan]:
    ages = []
    for span in kept:
        if span.category not in ("Person", "PersonType"):
            continue
        m = _AGE_AFTER_PERSON.match(text, span.end)
        if m:
            group = next(g for g in (1, 2, 3) if m.group(g))
            if int(m.group(group)) <= 120:
                ages.append(EntitySpan(m.start(group), m.end(group), "Quantity", "Age", 0.7, PATTERN))
    return ages


def _lexicon_spans(text: str, people: dict[int, int] | None = None) -> list[EntitySpan]:
    """Person types (Azure's PII reports roles), known given names, organisations by name or shape."""
    spans = [EntitySpan(start, end, "PersonType", None, 0.8, STATISTICAL) for start, end in lexicon.find_roles(text)]
    # Below the model's own people (0.85), so a longer name it found is kept whole.
    spans += [EntitySpan(start, end, "Person", None, 0.6, STATISTICAL) for start, end in (people or {}).items()
              if not _qualifies_identifier(text, start, end, person=True)]
    spans += [EntitySpan(start, end, "USDriversLicenseNumber", None, 0.9, VALIDATED)
              for start, end in patterns.find_driver_licenses(text)]
    spans += [EntitySpan(start, end, "Organization", None, 0.8, PATTERN)
              for start, end, _ in lexicon.find_organizations(text)]
    spans += [EntitySpan(m.start(1), m.end(1), "DateTime", "Date", 0.8, PATTERN) for m in _EXPIRY.finditer(text)]
    # Above the model's dates (0.85) at equal length; a longer date it found still wins.
    spans += [EntitySpan(m.start(), m.end(), "DateTime", "Date", 0.9, STATISTICAL) for m in _NAMED_DATE.finditer(text)]
    return spans

