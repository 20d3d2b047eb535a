"""Names the small NER model misses but its tagger still reads as proper nouns (English PII).

``en_core_web_sm`` tags "Ezinne Chukwu" NNP NNP yet finds no entity there, finds "Yilmaz" but not
"Mehmet" before it, and splits "Yevgenia Morozova" into a place and a person. A name it misses
stays readable in ``redactedText``. Here a run of capitalised words the tagger calls proper nouns
becomes one name: a new Person (or an Organization when it ends in a company head word), or the
whole extent of the model's own partial person, place or company guess.

Only words the model left unlabelled, or labelled with an entity the engine kept, take part: an
entity the engine dropped on purpose ("California" in "California license", "Social Security" in
"Social Security number") stays dropped. Form labels ("Employer:"), cue words and titles, roles,
weekdays and months never do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from airgap.engines import entity_lexicon as lexicon
from airgap.engines.entity_spans import STATISTICAL, EntitySpan
from airgap.services.language.engines.spacy_pipelines import get_pipeline

# A name word: a capital, then letters, with inner hyphens or apostrophes ("O'Sullivan", "Soo-ah").
_NAME_SHAPE = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zà-ÿA-ZÀ-ÖØ-Þ'’]*[a-zà-ÿ](?:[-'’][A-Za-zÀ-ÿ][a-zà-ÿ]*)*$")
# An initial inside or before a name ("J. Alvarez", "Mary K. Osei"): it joins a name like a particle.
_INITIAL = re.compile(r"^[A-Z]\.$")
# Lower-case particles inside a name ("Fenna de Jong", "Ludwig van der Berg").
_PARTICLES = frozenset({"de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "das",
                        "bin", "ibn", "al", "el", "ter", "ten"})
# Capitalised words that are not names whatever the tagger says.
_NOT_A_NAME_WORD = lexicon.NOT_A_NAME_WORDS | frozenset({
    "Regards", "Cheers", "Sincerely", "Best", "Attn", "Cc", "Bcc", "Re", "Subject", "Tel", "Fax", "Exp", "Ref",
    "Social", "Security", "Medicare", "Medicaid", "Internet", "Wi-Fi", "Bluetooth", "English", "Spanish", "French",
    "German", "Christmas", "Easter", "Thanksgiving", "Covid", "COVID", "Dept", "Mon", "Tue", "Tues", "Wed", "Thu",
    "Thur", "Thurs", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Yes", "Room", "Form", "Order", "Case", "Ticket", "Invoice", "Job", "Section", "Page", "Step",
})
# A single capitalised word is a name only where its neighbours say so: a sentence opened by it
# and continued by a verb ("Dariusz said", "Lindqvist will present"), or after a preposition or
# a greeting ("with Ingeborg", "Thanks, Thandiwe").
_VERB_AFTER = frozenset({"VBD", "VBZ", "VBP", "MD", "POS"})
_WORD_AFTER_ONE_NAME = frozenset({"from", "here", "says", "said"})  # "Dariusz from IT", "Marta here"
_WORD_BEFORE_ONE_NAME = re.compile(r"(?:\b(?:with|from|to|by|for|and|or|ask|told|tell|thank|thanks|call|called|"
                                   r"email|emailed|cc|per|via|help|cheers)\b|[,:])\s*$", re.IGNORECASE)
# A single name after one of these is a company's: "at Litware", "the Contoso renewal".
_ORGANIZATION_BEFORE = re.compile(r"\b(?:at|the|joined|join|joins|of)\s+$", re.IGNORECASE)


# Lower-case words of recent English that the dictionary below predates.
_MODERN_WORDS = frozenset({"login", "logout", "signup", "checkout", "email", "e-mail", "inbox", "username", "wifi",
                           "online", "offline", "website", "webinar", "app", "apps", "smartphone", "blog", "podcast",
                           "chatbot", "dashboard", "ebook", "emoji", "hashtag", "selfie", "livestream", "upload",
                           "download", "reboot", "firmware", "ok", "okay", "thx", "pls", "btw", "fyi", "lol"})
_dictionary: frozenset[str] | None = None


def _is_dictionary_word(word: str) -> bool:
    """Whether a word is an English word (WordNet's list, shipped with the spaCy model's lemmatizer).

    One capitalised word opening a sentence ("Revenue grew", "Dariusz said") is only a name
    when it is not a word: the tagger calls both proper nouns.
    """
    global _dictionary
    if _dictionary is None:
        table = get_pipeline("en").get_pipe("lemmatizer").lookups.get_table("lemma_index")
        _dictionary = frozenset(w for words in table.values() for w in words) | _MODERN_WORDS
    lower = word.lower().rstrip("'’s") if word.endswith(("'s", "’s")) else word.lower()
    return lower in _dictionary or lower.rstrip("s") in _dictionary


_UNASKED_LABELS = frozenset({"PRODUCT", "NORP", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    proper: bool           # capitalised, tagged a proper noun (or, opening the sentence, any noun)
    particle: bool         # joins a name but is none on its own: "de", "van", an initial
    initial: bool
    first_of_sentence: bool
    tag_after: str
    text_after: str
    ends_run: bool         # punctuation after it ends any name it belongs to


def _words(doc, kept: Sequence[EntitySpan]) -> list[_Word]:
    """Whitespace-separated words with trailing punctuation and "'s" split off."""
    # what the model labelled and the engine did not keep: a place qualifying an identifier, a number.
    # Labels PII never asks for (a name the model took for a product or a nationality) do not count.
    dropped = [(e.start_char, e.end_char) for e in doc.ents if e.label_ not in _UNASKED_LABELS
               and not any(k.start < e.end_char and e.start_char < k.end for k in kept)]
    words: list[_Word] = []
    tokens = list(doc)
    i = 0
    while i < len(tokens):
        j = i
        while j + 1 < len(tokens) and not tokens[j].whitespace_ and not _is_break(tokens[j + 1]):
            j += 1
        group = tokens[i:j + 1]
        start, end = group[0].idx, group[-1].idx + len(group[-1])
        text = doc.text[start:end]
        first = group[0]
        after = tokens[j + 1] if j + 1 < len(tokens) else None
        ends_run = after is None or _is_break(after)
        label = after is not None and after.text == ":"  # a form's field name: "Expiry:", "Employer:"
        opens = first.is_sent_start or i == 0 or tokens[i - 1].text in ".!?;:\n"
        label_ok = not any(s < end and start < e for s, e in dropped)
        proper = not label and bool(_NAME_SHAPE.match(text)) and text not in _NOT_A_NAME_WORD and label_ok and (
            first.tag_ in ("NNP", "NNPS") or (opens and first.tag_ in ("NN", "JJ") and not _is_dictionary_word(text))
        ) and not lexicon.is_role(text)
        initial = bool(_INITIAL.match(text)) and after is not None and not after.is_punct
        words.append(_Word(start, end, text, proper, text in _PARTICLES or initial, initial, opens,
                           after.tag_ if after is not None else "", after.lower_ if after is not None else "",
                           ends_run and not initial))
        i = j + 1
    return words


def _is_break(token) -> bool:
    """Punctuation that ends a word even when written against it ("Visser," "Jong." "Mensah's")."""
    return token.tag_ == "POS" or (token.is_punct and token.text not in "-'’")


def _runs(words: list[_Word]) -> list[list[_Word]]:
    runs, current = [], []
    for word in words:
        if word.proper:
            current.append(word)
        elif word.particle and (word.initial or current and not current[-1].ends_run):
            current.append(word)
            continue
        else:
            if current:
                runs.append(current)
            current = []
            continue
        if word.ends_run:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    # a run never ends on a particle ("Fenna de" before a common word) nor starts on a lower-case one
    out = []
    for run in runs:
        while run and run[-1].particle:
            run = run[:-1]
        while run and run[0].particle and not run[0].initial:
            run = run[1:]
        if run:
            out.append(run)
    return out


def proper_noun_names(text: str, doc, kept: Sequence[EntitySpan]) -> list[EntitySpan]:
    """``kept`` with names read from the tagger: new ones added, partial ones widened to the whole name."""
    words = _words(doc, kept)
    # the model's "person" or "company" that is a cue word on its own: "Email" in "Email Cordelia Ashdown"
    spans = [_without_field_name(text, s) for s in kept if not (
        s.priority == STATISTICAL and s.category in ("Person", "Organization")
        and text[s.start:s.end] in _NOT_A_NAME_WORD)]
    for run in _runs(words):
        start, end = run[0].start, run[-1].end
        inside = [s for s in spans if s.start < end and start < s.end]
        if any(s.priority > STATISTICAL or s.start < start or s.end > end for s in inside):
            continue  # a pattern's span (address, known company, role) or a longer guess: leave it
        if inside and min(s.start for s in inside) == start and max(s.end for s in inside) == end:
            if len(inside) == 1:
                continue  # the model's own reading of the whole run stands
        category = _category(text, run, inside)
        if category is None:
            continue
        confidence = max((s.confidence for s in inside), default=0.6)
        spans = [s for s in spans if s not in inside]
        spans.append(EntitySpan(start, end, category, None, confidence, STATISTICAL))
    return sorted(spans, key=lambda s: (s.start, s.end))


def _without_field_name(text: str, span: EntitySpan) -> EntitySpan:
    """"Valentin Moreau Expiry: 08/27": the model ran a name into the next field's label."""
    if span.priority != STATISTICAL or span.category not in ("Person", "Organization"):
        return span
    if not re.match(r"[ \t]*:", text[span.end:]):
        return span
    last_space = text.rfind(" ", span.start, span.end)
    if last_space <= span.start or not _is_dictionary_word(text[last_space + 1:span.end]):
        return span  # "for Ngozi Balogun: Ifeanyi Balogun": a name before a colon is still a name
    return EntitySpan(span.start, last_space, span.category, span.subcategory, span.confidence, span.priority)


def _category(text: str, run: list[_Word], inside: Sequence[EntitySpan]) -> str | None:
    name = text[run[0].start:run[-1].end]
    if lexicon.organization_head(name):
        return "Organization"
    if any(s.category == "Person" for s in inside):
        return "Person"
    if inside and all(s.category == "Organization" for s in inside) and len(inside) == 1:
        return "Organization" if len(run) > 2 else "Person"
    names = [w for w in run if not w.particle]
    if len(names) >= 2 or (any(w.initial for w in run) and not inside):
        # a new name needs one word that is no English word: "Customer Service" and "Date Of Birth"
        # are capitalised phrases; "Ezinne Chukwu" is a name
        if inside or not all(_is_dictionary_word(w.text) for w in names):
            return "Person"
        return None
    word = names[0]
    before = text[max(0, word.start - 24):word.start]
    if inside:
        return None  # one word the model already labelled: its own guess stands
    if _is_dictionary_word(word.text):
        return None  # "Revenue grew", "the Board": a capitalised word, not a name
    if _ORGANIZATION_BEFORE.search(before):
        return "Organization"
    if word.first_of_sentence:
        return "Person" if word.tag_after in _VERB_AFTER or word.text_after in _WORD_AFTER_ONE_NAME else None
    if _WORD_BEFORE_ONE_NAME.search(before):
        return "Person"
    return None
