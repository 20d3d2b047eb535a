"""Named entity recognition: spaCy's OntoNotes labels mapped to Azure's taxonomy.

The statistical model finds people, places, organisations, dates and amounts;
Presidio's pattern recognizers (e-mail, URL, IP, phone) and ours (street
address, age) find what it does not; a phrase list finds person types (roles
such as "CEO"). Overlaps are settled in favour of the validated patterns.

French uses ``fr_core_news_sm``, whose NER knows people, places and
organisations only (PER/LOC/ORG; MISC has no Azure category), plus the
language-independent patterns (e-mail, URL, IP, phone in French-speaking regions).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from presidio_analyzer.predefined_recognizers import EmailRecognizer, IpRecognizer, UrlRecognizer
from spacy.matcher import PhraseMatcher

from airgap.engines import entity_patterns as patterns
from airgap.services.language.engines.spacy_pipelines import get_pipeline
from airgap.engines.entity_spans import (
    PATTERN,
    STATISTICAL,
    VALIDATED,
    EntitySpan,
    resolve_overlaps,
    snap_to_graphemes,
)

# spaCy's small model has no per-entity probability; these are its measured
# precision per category on tests/data/entities_en.jsonl (see docs/models.md), rounded
# down and capped at 0.95, so a score means roughly "how often an entity of this kind is right".
_NER_CONFIDENCE = {
    "Person": 0.9, "Location": 0.95, "Organization": 0.75, "DateTime": 0.95, "Quantity": 0.95,
    "Event": 0.65, "Product": 0.5,  # Product: too few examples measured to claim more
}
_PERSON_TYPE_CONFIDENCE = 0.9

# OntoNotes label -> (category, subcategory). Labels left out (NORP, LAW, LANGUAGE,
# WORK_OF_ART) have no Azure category and are not reported.
_LABELS: dict[str, tuple[str, str | None]] = {
    "PERSON": ("Person", None),
    "ORG": ("Organization", None),
    "GPE": ("Location", "GPE"),
    "LOC": ("Location", "Geographical"),
    "FAC": ("Location", "Structural"),
    "EVENT": ("Event", None),
    "PRODUCT": ("Product", None),
    "DATE": ("DateTime", "Date"),
    "TIME": ("DateTime", "Time"),
    "CARDINAL": ("Quantity", "Number"),
    "ORDINAL": ("Quantity", "Ordinal"),
    "PERCENT": ("Quantity", "Percentage"),
    "MONEY": ("Quantity", "Currency"),
    "QUANTITY": ("Quantity", "Dimension"),
}

# Places the small model sometimes calls people ("Zürich" as Person): the cities of the time
# zone database and the names of countries and territories, in the spellings of a few
# languages (babel's CLDR data, already installed for language names). Names that are as
# often a person's (Jordan, Georgia, Victoria, ...) are left to the model.
_GIVEN_NAMES = frozenset({
    "Jordan", "Chad", "Georgia", "Victoria", "Florence", "Austin", "Regina", "Santiago", "Adelaide",
    "Isabel", "Madison", "Charlotte", "Phoenix", "Lincoln", "Nelson", "Chelsea", "Sydney", "Dallas",
    "Denver", "Houston", "Paris", "Kingston", "Eucla", "Monaco", "Jamaica", "India", "Israel",
    "Lima", "Sofia", "Aden", "Kiev", "Hobart", "Darwin", "Perth", "Maria", "Marie", "Vincent",
    "Lucia", "Helena", "Juba", "Tripoli", "Troll", "Casey", "Davis", "Mawson", "Macquarie",
})
_PLACE_LOCALES = ("en", "de", "fr", "es", "it", "pt", "nl")
# "Hotel Zürich", "Zürich Airport": a facility named after the place, not a person.
_FACILITY_WORDS = frozenset({"hotel", "airport", "station", "lake", "harbour", "harbor", "port", "bridge",
                             "cathedral", "castle", "museum", "stadium", "park"})
# A number inside an identifier (the "859" of "859-98-0987", a part or phone number) is
# not a quantity.
_CODE_RUN = re.compile(r"[\w./-]*")
_CODE_SHAPE = re.compile(r"\d+-\d+-\d+|\d{3,}-\d{4,}")


def _places() -> frozenset[str]:
    from babel import Locale
    from babel.core import get_global

    names = {zone.rsplit("/", 1)[-1].replace("_", " ") for zone in get_global("zone_territories") if "/" in zone}
    for code in _PLACE_LOCALES:
        locale = Locale.parse(code)
        names.update(data["city"] for data in locale.time_zones.values() if data.get("city"))
        names.update(name for key, name in locale.territories.items() if key.isalpha())
    return frozenset(names - _GIVEN_NAMES)


def _relabel_place(text: str, span: EntitySpan, places: frozenset[str]) -> EntitySpan:
    """A "person" that is a place (or a facility named after one) is a location."""
    if span.category != "Person":
        return span
    covered = text[span.start:span.end]
    if covered in places:
        return EntitySpan(span.start, span.end, "Location", "GPE", _NER_CONFIDENCE["Location"], span.priority)
    words = covered.split()
    if len(words) == 2 and {words[0].lower(), words[1].lower()} & _FACILITY_WORDS and (
            words[0] in places or words[1] in places):
        return EntitySpan(span.start, span.end, "Location", "Structural", _NER_CONFIDENCE["Location"], span.priority)
    return span


def _inside_code(text: str, span: EntitySpan) -> bool:
    """A Quantity that is (part of) an identifier such as "859-98-0987" or "555-0100"."""
    if span.category != "Quantity" or span.subcategory != "Number":
        return False
    start = span.start
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-./"):
        start -= 1
    run = _CODE_RUN.match(text, start).group().rstrip("./-")
    return bool(_CODE_SHAPE.search(run))


# fr_core_news_sm (WikiNER labels) -> (category, subcategory). LOC mixes cities, countries and
# natural places, so no subcategory is claimed; MISC (nationalities, events, works) is left out.
_FR_LABELS: dict[str, tuple[str, str | None]] = {
    "PER": ("Person", None),
    "LOC": ("Location", None),
    "ORG": ("Organization", None),
}
# Measured precision on tests/data/entities_fr.jsonl (docs/models.md), rounded down.
_FR_CONFIDENCE = {"Person": 0.95, "Location": 0.9, "Organization": 0.95}
# WikiNER spans often keep the article or preposition ("La Seine", "de Lille"); Azure reports the name.
# Elided "l'"/"d'" only in lower case: a capital "L'" is usually part of the name ("L'Oréal").
_FR_LEADING = re.compile(r"^(?:(?i:le|la|les|de|du|des)\s+|[ld]['’])(?=[A-ZÀ-Ý])")
# Regions whose numbers French text usually carries.
FR_PHONE_REGIONS = ("FR", "BE", "CH", "CA", "LU", "MA")

# Presidio entity -> (category, subcategory, overlap priority)
_PATTERN_CATEGORIES: dict[str, tuple[str, str | None, int]] = {
    "EMAIL_ADDRESS": ("Email", None, VALIDATED),
    "URL": ("URL", None, PATTERN),
    "IP_ADDRESS": ("IP", None, VALIDATED),
    "PHONE_NUMBER": ("PhoneNumber", None, VALIDATED),
    "ADDRESS": ("Address", None, PATTERN),
    "AGE": ("Quantity", "Age", PATTERN),
}

PERSON_TYPES = (
    "ceo", "cfo", "cto", "coo", "chief executive", "chief executive officer", "chairman", "chairwoman",
    "president", "vice president", "director", "manager", "engineer", "software engineer", "developer",
    "programmer", "scientist", "researcher", "professor", "teacher", "student", "doctor", "physician",
    "surgeon", "nurse", "pharmacist", "dentist", "patient", "lawyer", "attorney", "judge", "senator",
    "governor", "mayor", "minister", "prime minister", "secretary", "ambassador", "journalist", "reporter",
    "editor", "author", "writer", "artist", "musician", "singer", "actor", "actress", "chef", "pilot",
    "driver", "farmer", "architect", "accountant", "analyst", "consultant", "designer", "founder",
    "co-founder", "entrepreneur", "investor", "employee", "customer", "client", "officer", "police officer",
    "soldier", "firefighter", "coach", "player", "athlete", "captain", "spokesperson", "spokesman",
    "spokeswoman", "intern", "volunteer", "technician", "mechanic", "electrician", "plumber", "cashier",
    "salesperson", "economist", "historian", "biologist", "chemist", "physicist", "mathematician",
    "photographer", "priest", "pastor", "rabbi", "imam", "king", "queen", "prince", "princess",
)

_RANGE = re.compile(r"\b(?:to|through|until|till|and|between)\b|[–—-]\s*\d|\d\s*[–—-]", re.IGNORECASE)
_DURATION = re.compile(
    r"^(?:for\s+|about\s+|over\s+|nearly\s+|almost\s+)?(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|several|a few|few|many)\s+(?:more\s+)?(?:seconds?|minutes?|hours?|days?|"
    r"weeks?|months?|years?|decades?|centuries)(?:\s+long)?$",
    re.IGNORECASE,
)
_SET = re.compile(r"\b(?:every|each|daily|weekly|monthly|yearly|annually|hourly)\b", re.IGNORECASE)
_AGE = re.compile(r"\b(?:years?|months?)[- ]old\b|\baged?\s+\d", re.IGNORECASE)
_TEMPERATURE = re.compile(r"°|\bdegrees?\b|\bcelsius\b|\bfahrenheit\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
# Hedges spaCy includes in amounts ("about 30%"); Azure reports the amount itself.
_HEDGE = re.compile(r"^(?:about|around|approximately|roughly|nearly|almost|some|over|under|more than|less than|"
                    r"up to|at least|at most)\s+", re.IGNORECASE)
_CURRENCY_SYMBOLS = "$€£¥₹"
_NAMED = frozenset({"Person", "Organization", "Location", "Event", "Product"})


def _subcategory(label: str, text: str) -> tuple[str, str | None]:
    category, sub = _LABELS[label]
    if label in ("DATE", "TIME"):
        if _AGE.search(text):
            return "Quantity", "Age"
        if _SET.search(text):
            return category, "Set"
        if _DURATION.match(text.strip()):
            return category, "Duration"
        if _RANGE.search(text):
            return category, "DateRange" if label == "DATE" else "TimeRange"
    elif label == "QUANTITY":
        if _TEMPERATURE.search(text):
            return category, "Temperature"
    elif label == "CARDINAL" and _AGE.search(text):
        return category, "Age"
    return category, sub


class SpacyEntityEngine:
    """Azure-style entities for English and French text, batched through the shared spaCy pipelines."""

    name = "spacy-ner"
    model_version = "2026-12-01"
    languages = ("en", "fr")

    def __init__(self) -> None:
        self._nlp = None
        self._roles: PhraseMatcher | None = None
        self._recognizers = []
        self._fr_recognizers = []
        self._places: frozenset[str] = frozenset()

    def load(self) -> None:
        nlp = get_pipeline("en")
        if nlp is None:
            raise RuntimeError("no spaCy pipeline installed for English")
        roles = PhraseMatcher(nlp.vocab, attr="LOWER")
        roles.add("PersonType", list(nlp.tokenizer.pipe(_with_plurals(PERSON_TYPES))))
        self._roles = roles
        self._recognizers = [EmailRecognizer(), UrlRecognizer(), IpRecognizer(), patterns.QuickPhoneRecognizer(),
                             patterns.address_recognizer(), patterns.age_recognizer()]
        # The street-address and age patterns are English; these work on any text.
        self._fr_recognizers = [EmailRecognizer(), UrlRecognizer(), IpRecognizer(),
                                patterns.QuickPhoneRecognizer(supported_regions=FR_PHONE_REGIONS)]
        self._places = _places()
        self._nlp = nlp
        self.recognize(["Warm up: Ada Lovelace e-mailed ada@example.com on Monday."])

    @property
    def ready(self) -> bool:
        return self._nlp is not None

    def supports(self, language: str) -> bool:
        return language.split("-")[0].lower() in self.languages

    def recognize(self, texts: Sequence[str], language: str = "en") -> list[list[EntitySpan]]:
        if self._nlp is None:
            raise RuntimeError("SpacyEntityEngine.recognize called before load()")
        code = language.split("-")[0].lower()
        if code == "fr":
            nlp = get_pipeline("fr")  # loaded by the first French request (see spacy_pipelines)
            docs = nlp.pipe(texts, disable=["morphologizer", "parser", "attribute_ruler", "lemmatizer"])
            return [self._french_entities(doc) for doc in docs]
        # The small English model's NER has its own embedding layer, so the tagger,
        # parser and lemmatizer are not needed here (about twice as fast).
        docs = self._nlp.pipe(texts, disable=["tagger", "parser", "attribute_ruler", "lemmatizer"])
        return [self._entities(doc) for doc in docs]

    def _french_entities(self, doc) -> list[EntitySpan]:
        text = doc.text
        spans: list[EntitySpan] = []
        for ent in doc.ents:
            if ent.label_ not in _FR_LABELS:
                continue
            category, sub = _FR_LABELS[ent.label_]
            start, end = french_trim(text, ent.start_char, ent.end_char)
            if end > start:
                spans.append(EntitySpan(start, end, category, sub, _FR_CONFIDENCE[category], STATISTICAL))
        spans += self._pattern_spans(text, self._fr_recognizers)
        kept = resolve_overlaps(snap_to_graphemes(text, spans))
        return [s for s in kept if not patterns.is_identifier_label(text, s, kept)]

    @staticmethod
    def _pattern_spans(text: str, recognizers) -> list[EntitySpan]:
        spans = []
        for recognizer in recognizers:
            for hit in recognizer.analyze(text, recognizer.supported_entities, None):
                category, sub, priority = _PATTERN_CATEGORIES[hit.entity_type]
                end = patterns.url_end(text, hit.start, hit.end) if category == "URL" else hit.end
                spans.append(EntitySpan(hit.start, end, category, sub, _pattern_confidence(hit.score), priority))
        return spans

    def _entities(self, doc) -> list[EntitySpan]:
        text = doc.text
        spans: list[EntitySpan] = []
        for ent in doc.ents:
            if ent.label_ not in _LABELS:
                continue
            label = ent.label_
            if label == "CARDINAL" and _YEAR.match(ent.text):
                label = "DATE"  # a bare 4-digit year ("the 2024 price list")
            start, end = _trim(text, ent.start_char, ent.end_char, _LABELS[label][0])
            if end <= start:
                continue
            if label in ("CARDINAL", "MONEY") and start > 0 and text[start - 1] in _CURRENCY_SYMBOLS:
                start -= 1  # "$45": the small model often leaves the symbol out
                label = "MONEY"
            category, sub = _subcategory(label, text[start:end])
            span = EntitySpan(start, end, category, sub, _NER_CONFIDENCE.get(category, 0.6), STATISTICAL)
            if _inside_code(text, span):
                continue
            spans.append(_relabel_place(text, span, self._places))
        spans = _merge_date_and_time(text, spans)
        for _, start, end in self._roles(doc):
            span = doc[start:end]
            spans.append(EntitySpan(span.start_char, span.end_char, "PersonType", None,
                                    _PERSON_TYPE_CONFIDENCE, STATISTICAL))
        spans += self._pattern_spans(text, self._recognizers)
        kept = resolve_overlaps(snap_to_graphemes(text, spans))
        return [s for s in kept if not patterns.is_identifier_label(text, s, kept)]


def _with_plurals(roles: Sequence[str]) -> list[str]:
    """The phrase list matches word forms, not lemmas (the NER pass runs without the lemmatizer)."""
    out = []
    for role in roles:
        if role.endswith("man") or role.endswith("woman"):
            plural = role[:-3] + "men"
        elif role.endswith(("s", "sh", "ch")):
            plural = role + "es"
        elif role.endswith("y") and role[-2:-1] not in "aeiou":
            plural = role[:-1] + "ies"
        else:
            plural = role + "s"
        out += [role, plural]
    return out


def french_trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A French name without the article or preposition the model included, nor trailing punctuation."""
    lead = _FR_LEADING.match(text[start:end])
    if lead and lead.end() < end - start:
        start += lead.end()
    while end > start and text[end - 1] in " .,;:":
        end -= 1
    return start, end


def _pattern_confidence(score: float) -> float:
    # Presidio scores phone numbers 0.4 before context; a match that phonenumbers
    # validated is more certain than that for an entity recognizer.
    return round(min(1.0, max(score, 0.8)), 2)


def _trim(text: str, start: int, end: int, category: str) -> tuple[int, int]:
    """spaCy spans may start with "the" or a hedge, or end with "'s"; Azure reports the entity only."""
    span = text[start:end]
    for prefix in ("the ", "The "):
        if span.startswith(prefix) and len(span) > len(prefix):
            start += len(prefix)
            span = span[len(prefix):]
    if category not in _NAMED:
        hedge = _HEDGE.match(span)
        if hedge and hedge.end() < len(span):
            start += hedge.end()
            span = span[hedge.end():]
    for suffix in ("'s", "’s"):
        if span.endswith(suffix):
            end -= len(suffix)
            span = span[: -len(suffix)]
    while end > start and text[end - 1] in " .,;:":
        end -= 1
    return start, end


def _merge_date_and_time(text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
    """"Thursday at 2 pm": a date directly followed by its time is one DateTime, as in Azure."""
    spans = sorted(spans, key=lambda s: s.start)
    merged: list[EntitySpan] = []
    for span in spans:
        last = merged[-1] if merged else None
        if (last is not None and last.subcategory == "Date" and span.subcategory == "Time"
                and text[last.end:span.start].strip().lower() in ("", "at", ",", "by")):
            merged[-1] = EntitySpan(last.start, span.end, "DateTime", "DateTime", last.confidence, STATISTICAL)
            continue
        merged.append(span)
    return merged

