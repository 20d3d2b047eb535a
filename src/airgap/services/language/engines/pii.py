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
from dataclasses import dataclass, replace

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
from airgap.services.language.engines.pii_proper_nouns import proper_noun_names
from airgap.services.language.engines.pii_role_compounds import role_compounds
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

# Presidio's regions plus the English-speaking ones it leaves out, whose national formats
# ("(02) 9374 4000", "021 555 0198", "01 555 0134") it would not read without a "+".
EN_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IL", "IN", "CA", "BR", "AU", "NZ", "IE")
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
_LEADING_THE = re.compile(r"(?:(?:the|a|an)\s+(?=[A-Z]))?")
_LEADING_WORD = re.compile(r"(?:(?:the|from|on|by|until|till|since)\s+)*", re.IGNORECASE)
# A day of the month named by its ordinal alone: "on the 14th", "by the 3rd" (the date, not "the").
_ORDINAL_DAY = re.compile(r"\b(?:on|by|until|till|before|after|from|due|since)\s+the\s+((?:[12]\d|3[01]|0?[1-9])"
                          r"(?:st|nd|rd|th))\b(?!\s+(?:floor|place|time|century|percentile|anniversary|birthday|row|"
                          r"grade|edition|round|minute|hour|day|week|month|year|attempt|caller|item|page|line))")
# A local number without its area code ("555-0142"), where the words before say it is a phone number.
_LOCAL_PHONE = re.compile(r"(?<![\d.-])\d{3}[-.]\d{4}(?![\d-]|\.\d)")
# A clock time the model misses: "at 14:30", "by 9:45", "17:05 pm". Two-digit minutes and a word
# before it or a.m./p.m. after it, so that ratios ("16:9") and case numbers ("2:23-cv-") are not times.
_CLOCK_TIME = re.compile(r"(?:(?<=\bat )|(?<=\bby )|(?<=\buntil )|(?<=\bbefore )|(?<=\bafter )|(?<=\baround )"
                         r"|(?<=\bfrom )|(?<=\bto ))(?:[01]?\d|2[0-3]):[0-5]\d(?:\s?[ap]\.?m\b\.?)?(?![\d:-])"
                         r"|(?<![\d:.])(?:0?[1-9]|1[0-2]):[0-5]\d\s?[ap]\.?m\b\.?", re.IGNORECASE)
# A date written in digits the recognizers miss: "03.14.2025", "2025/03/14", "on 3/14".
_DIGIT_DATE = re.compile(r"(?<![\w./-])(?:(?:0?[1-9]|[12]\d|3[01])([/.-])(?:0?[1-9]|[12]\d|3[01])\1(?:19|20)\d\d"
                         r"|(?:19|20)\d\d([/.-])(?:0?[1-9]|1[0-2])\2(?:0?[1-9]|[12]\d|3[01]))(?![\w/-]|\.\w)"
                         r"|(?:(?<=\bon )|(?<=\bby )|(?<=\bdue )|(?<=\buntil )|(?<=\bsince ))"
                         r"(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\w/-]|\.\w)", re.IGNORECASE)
_PHONE_CONTEXT = re.compile(r"\b(?:call|calls|called|phone|tel|telephone|ring|text|mobile|cell|reach|dial|fax|"
                            r"extension|ext|number|contact|line)\b[^.]*$", re.IGNORECASE)
# Words before a dotted number that make it a software release rather than a date.
_VERSION_BEFORE = re.compile(r"\b(?:version|ver\.?|v|release|build|update|firmware|patch|upgrade)\s*$", re.IGNORECASE)
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
_AGE_AFTER_PERSON = re.compile(rf"\s*,\s*(\d{{1,3}}|{patterns.AGE_WORDS})(?=\s*(?:[,;)]|\.(?!\d)|$))"
                               r"|\s*\((\d{1,3}(?:\s*(?:yrs?|years?|y/o|yo))?)\)"
                               r"|,?\s+(?:is|was|turns|turned|just turned)\s+(\d{1,3})(?=\s*(?:[,;!)]|\.(?!\d)|$|and\b|"
                               r"now\b|today\b|this\b|next\b|last\b|when\b|but\b))")


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
            patterns.QuickPhoneRecognizer(supported_regions=EN_PHONE_REGIONS), DateRecognizer(), UsSsnRecognizer(),
            UsItinRecognizer(),
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
            out.append(self._spans(text, hits, phi, language.split("-")[0].lower(), nlp_artifacts.tokens))
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

    def _spans(self, text: str, hits: Iterable[RecognizerResult], phi: bool, language: str = "en",
               doc=None) -> list[EntitySpan]:  # noqa: ANN001 (a spaCy Doc)
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
                elif _VERSION_BEFORE.search(text[max(0, hit.start - 24):hit.start]):
                    continue  # "firmware update 4.2.17", "version 2.10.24": a release, not a day
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
            elif entity in ("PERSON", "ORGANIZATION", "LOCATION") and _is_code(covered, person=entity == "PERSON"):
                continue  # "LX-4410", "REQ-88213", "Gate B12": a model, ticket or gate, not a name
            elif entity == "UK_NHS" and not _NHS_CONTEXT.search(text[max(0, hit.start - 40):hit.start]):
                continue
            start, end = hit.start, hit.end
            if entity == "DATE_TIME":
                start += len(_LEADING_WORD.match(covered).group())  # "the 3rd of June": the date, not "the"
            elif entity in ("ORGANIZATION", "LOCATION", "PERSON") and language == "en":
                start += len(_LEADING_THE.match(covered).group())  # "the Internal Revenue Service"
            if entity == "URL":
                end = patterns.url_end(text, start, end)
            elif entity in ("PERSON", "ORGANIZATION", "AGE") and covered.endswith(("'s", "’s")):
                end -= 2  # "the 7-year-old's cast": the age, not its possessive
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
        if language == "en":
            kept = _whole_named_dates(text, kept)
        if language == "en" and doc is not None:
            kept = proper_noun_names(text, doc, kept)
        kept = resolve_overlaps(snap_to_graphemes(text, [_whole_words(text, s) for s in kept]))
        if phi and language == "en":
            kept = resolve_overlaps(kept + _ages_after_people(text, kept))
        kept = [s for s in kept if not patterns.is_identifier_label(text, s, kept)]
        # after the acronyms that label nothing are gone: "ICU nurse", "HR manager"
        if language == "en" and doc is not None:
            kept = snap_to_graphemes(text, role_compounds(text, doc, kept))
        return kept


def _whole_words(text: str, span: EntitySpan) -> EntitySpan:
    """A name the model cut inside a word ("Ferreira" of "Ferreira-Lima", "Lind" of "Lindqvist") covers
    the whole word: the rest of it would stay readable in ``redactedText`` and still identify."""
    if span.priority != STATISTICAL or span.category not in ("Person", "Organization"):
        return span
    start, end = span.start, span.end
    while start > 0 and (text[start - 1].isalpha()
                         or (text[start - 1] in "-'’" and text[start - 2:start - 1].isalpha())):
        start -= 1
    while end < len(text) and (text[end].isalpha() or (text[end] in "-" and text[end + 1:end + 2].isalpha())):
        end += 1
    return span if (start, end) == (span.start, span.end) else replace(span, start=start, end=end)


def _is_code(covered: str, person: bool) -> bool:
    """A product, ticket or serial code the model took for a name: digits and no lower-case word.

    No person's name holds a digit; a company's may ("Studio 54"), so only an all-code one is dropped.
    """
    if not any(c.isdigit() for c in covered):
        return False
    return person or not re.search(r"[a-z]{2}", covered)


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
            number = re.match(r"\d+", m.group(group))  # digits, or an age in words ("seven")
            if number is None or int(number.group()) <= 120:
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
    spans += [EntitySpan(m.start(1), m.end(1), "DateTime", "Date", 0.8, STATISTICAL)
              for m in _ORDINAL_DAY.finditer(text)]
    spans += [EntitySpan(m.start(), m.end(), "PhoneNumber", None, 0.7, PATTERN) for m in _LOCAL_PHONE.finditer(text)
              if _PHONE_CONTEXT.search(text[max(0, m.start() - 30):m.start()])]
    # below the model's own dates (0.85): a longer reading it found still wins
    spans += [EntitySpan(m.start(), m.end(), "DateTime", "Date", 0.7, STATISTICAL)
              for pattern in (_CLOCK_TIME, _DIGIT_DATE) for m in pattern.finditer(text)
              if not _VERSION_BEFORE.search(text[max(0, m.start() - 24):m.start()])]
    return spans


def _whole_named_dates(text: str, kept: list[EntitySpan]) -> list[EntitySpan]:
    """A date the model cut inside a written date ("1 June 2024 to 31" + "May 2025") ends where it does."""
    out = list(kept)
    for m in _NAMED_DATE.finditer(text):
        cut = [s for s in out if s.category == "DateTime" and s.start < m.end() and m.start() < s.end
               and (s.start < m.start() < s.end or s.start < m.end() < s.end)]
        if not cut or any(s.priority > STATISTICAL for s in cut):
            continue
        start, end = min(m.start(), *(s.start for s in cut)), max(m.end(), *(s.end for s in cut))
        others = [s for s in out if s.start < end and start < s.end and s not in cut]
        if any(s.category != "DateTime" or s.priority > STATISTICAL for s in others):
            continue
        out = [s for s in out if s not in cut and s not in others]
        out.append(EntitySpan(start, end, "DateTime", "Date", max(s.confidence for s in cut), STATISTICAL))
    return sorted(out, key=lambda s: (s.start, s.end))

