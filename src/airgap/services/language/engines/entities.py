"""Named entity recognition: spaCy's OntoNotes labels mapped to Azure's taxonomy.

The statistical model finds people, places, organisations, dates and amounts;
Presidio's pattern recognizers (e-mail, URL, IP, phone) and ours (street
address, age) find what it does not; a word list finds person types (roles
such as "CEO", `engines/entity_lexicon.py`). Overlaps are settled in favour of the validated patterns.

French uses ``fr_core_news_sm``, whose NER knows people, places and
organisations only (PER/LOC/ORG; MISC has no Azure category), plus the
language-independent patterns (e-mail, URL, IP, phone in French-speaking regions).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from presidio_analyzer.predefined_recognizers import EmailRecognizer, IpRecognizer, UrlRecognizer

from airgap.engines import entity_lexicon as lexicon
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
    "EMAIL_ADDRESS": ("Email", None, VALIDATED),  # Presidio's and ours (any suffix)
    "URL": ("URL", None, PATTERN),
    "IP_ADDRESS": ("IP", None, VALIDATED),
    "PHONE_NUMBER": ("PhoneNumber", None, VALIDATED),
    "ADDRESS": ("Address", None, PATTERN),
    "AGE": ("Quantity", "Age", PATTERN),
}

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
                    r"up to|at least|at most|past|beyond|from|by)\s+", re.IGNORECASE)
# Frequency adjectives spaCy tags DATE on their own ("Monthly payments", "the quarterly review").
_FREQUENCY_ADJECTIVE = re.compile(r"^(?:daily|weekly|monthly|quarterly|yearly|annual|annually|nightly|hourly)$",
                                  re.IGNORECASE)
# "Simone Biles, 27, won": a bare number between commas right after a person is an age.
_AGE_AFTER_NAME = re.compile(r"\s*,\s*\d{1,3}\s*,")
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
        self._recognizers = []
        self._fr_recognizers = []
        self._places: frozenset[str] = frozenset()

    def load(self) -> None:
        nlp = get_pipeline("en")
        if nlp is None:
            raise RuntimeError("no spaCy pipeline installed for English")
        self._recognizers = [EmailRecognizer(), UrlRecognizer(), IpRecognizer(), patterns.QuickPhoneRecognizer(),
                             patterns.address_recognizer(), patterns.age_recognizer(), patterns.email_recognizer(),
                             patterns.url_recognizer()]
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
        people = lexicon.people(text)
        for ent in doc.ents:
            if ent.label_ not in _LABELS:
                continue
            label = ent.label_
            if label in ("ORG", "GPE", "LOC", "FAC") and people.get(ent.start_char) == ent.end_char:
                label = "PERSON"  # a name the small model took for a company or a place
            if label == "CARDINAL" and _YEAR.match(ent.text):
                label = "DATE"  # a bare 4-digit year ("the 2024 price list")
            start, end = _trim(text, ent.start_char, ent.end_char, _LABELS[label][0])
            if end <= start:
                continue
            if label in ("CARDINAL", "MONEY") and start > 0 and text[start - 1] in _CURRENCY_SYMBOLS:
                start -= 1  # "$45": the small model often leaves the symbol out
                label = "MONEY"
            if label in ("DATE", "TIME") and _FREQUENCY_ADJECTIVE.match(text[start:end]):
                continue
            category, sub = _subcategory(label, text[start:end])
            if category == "Quantity" and sub in ("Number", "Dimension"):
                end, sub = _with_unit(text, end, sub)
            span = EntitySpan(start, end, category, sub, _NER_CONFIDENCE.get(category, 0.6), STATISTICAL)
            if _inside_code(text, span):
                continue
            if category == "Person":
                span = EntitySpan(without_leading_role(text, start, end), end, category, sub, span.confidence,
                                  STATISTICAL)
            spans.append(_relabel_named_place(text, _relabel_place(text, span, self._places)))
        spans = _merge_date_and_time(text, spans)
        spans = _ages_after_names(text, spans)
        spans += [EntitySpan(start, end, "PersonType", None, _PERSON_TYPE_CONFIDENCE, STATISTICAL)
                  for start, end in lexicon.find_roles(text)]
        spans += lexicon_spans(text)
        spans += self._pattern_spans(text, self._recognizers)
        kept = resolve_overlaps(snap_to_graphemes(text, spans))
        return [s for s in kept if not patterns.is_identifier_label(text, s, kept)]


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
    for prefix in ("the ", "The ", "from ", "From "):
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
    while end > start and text[end - 1] in " .,;:'’":
        end -= 1
    if category == "DateTime" and _CLOCK_ABBREVIATION.search(text, 0, end + 1) and text[end:end + 1] == ".":
        end += 1  # "3 p.m." keeps its final dot even at the end of a sentence
    return start, end


_CLOCK_ABBREVIATION = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)


def _with_unit(text: str, end: int, sub: str) -> tuple[int, str]:
    """A number keeps the unit written after it: "40 mg", "150 mmHg", "35 °C", "25 basis points"."""
    found = lexicon.unit_after(text, end)
    if found is None:
        return end, sub
    unit_end, kind = found
    if "basis point" in text[end:unit_end] or text[end:unit_end].strip() == "bps":
        return unit_end, "Percentage"
    return unit_end, kind


def _relabel_named_place(text: str, span: EntitySpan) -> EntitySpan:
    """A "person" or "organisation" whose head word is a kind of place ("Bondi Beach", "Chase Center")."""
    if span.category not in ("Person", "Organization", "Location"):
        return span
    kind = lexicon.place_kind(text[span.start:span.end])
    if kind is None or (span.category == "Location" and span.subcategory == kind):
        return span
    return EntitySpan(span.start, span.end, "Location", kind, _NER_CONFIDENCE["Location"], span.priority)


def _ages_after_names(text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
    people_end = {s.end for s in spans if s.category == "Person"}
    out = []
    for span in spans:
        covered = text[span.start:span.end]
        if covered.isdigit() and len(covered) <= 3 and span.category in ("Quantity", "DateTime") and any(
                _AGE_AFTER_NAME.fullmatch(text, end, text.find(",", span.end) + 1) for end in people_end
                if end < span.start):
            span = EntitySpan(span.start, span.end, "Quantity", "Age", _NER_CONFIDENCE["Quantity"], span.priority)
        out.append(span)
    return out


def without_leading_role(text: str, start: int, end: int) -> int:
    """Where a person's name starts when the model took a title or role in with it ("Attorney Nadia Rahman")."""
    for role_start, role_end in lexicon.find_roles(text[start:end]):
        if role_start == 0 and role_end < end - start and text[start + role_end] == " ":
            return start + role_end + 1
    return start


def lexicon_spans(text: str) -> list[EntitySpan]:
    """Known names and shapes the small model misses or mislabels; they outrank its guesses."""
    spans = [EntitySpan(start, end, "Organization", sub, _NER_CONFIDENCE["Organization"], PATTERN)
             for start, end, sub in lexicon.find_organizations(text)]
    spans += [EntitySpan(start, end, "Product", None, _NER_CONFIDENCE["Product"], PATTERN)
              for start, end in lexicon.find_products(text)]
    spans += [EntitySpan(start, end, "Event", None, _NER_CONFIDENCE["Event"], PATTERN)
              for start, end in lexicon.find_events(text)]
    spans += [EntitySpan(start, end, "Skill", None, 0.6, PATTERN) for start, end in lexicon.find_skills(text)]
    spans += [EntitySpan(m.start(), m.end(), "DateTime", "Set", _NER_CONFIDENCE["DateTime"], PATTERN)
              for m in lexicon.SET_PHRASE.finditer(text)]
    return spans


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

