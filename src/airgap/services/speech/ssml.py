"""SSML as Azure's text to speech reads it, parsed into what to speak: text pieces (each with its
voice, language, prosody and, for ``phoneme``, IPA), breaks and bookmarks.

Parsed with the standard library's XML parser through ``defusedxml`` (no DTD, no entity
expansion, no external references). Elements: ``speak`` (root), ``voice`` (switching voices within
one request), ``prosody`` (rate, pitch, volume), ``break``, ``say-as`` (characters, spell-out,
cardinal, number, ordinal, digits, telephone, date, time), ``sub``, ``phoneme`` (IPA, for Piper
voices), ``p``/``s`` (sentence edges), ``lang``, ``emphasis``, ``bookmark``, ``audio`` (its fallback
content: nothing is fetched offline); ``mstts:express-as`` and other ``mstts:`` elements are
accepted and ignored with a log line. Bad SSML raises ``SsmlError`` with the reason.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from airgap.services.speech.engines.tts_types import Prosody

log = logging.getLogger("airgap.speech.tts")

MAX_VOICES = 50        # voice elements per document (Azure's limit)
MAX_BREAK_MS = 20_000  # longest break (Azure: 20 s)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

RATES = {"x-slow": 0.5, "slow": 0.64, "medium": 1.0, "fast": 1.55, "x-fast": 2.0, "default": 1.0}
PITCHES = {"x-low": 0.7, "low": 0.85, "medium": 1.0, "high": 1.15, "x-high": 1.3, "default": 1.0}
VOLUMES = {"silent": 0.0, "x-soft": 0.2, "soft": 0.4, "medium": 0.6, "loud": 0.8, "x-loud": 1.0, "default": 1.0}
STRENGTHS = {"none": 0, "x-weak": 250, "weak": 500, "medium": 750, "strong": 1000, "x-strong": 1250}
BASE_PITCH_HZ = 150.0  # what "+50Hz" is relative to
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


class SsmlError(ValueError):
    """The SSML cannot be spoken; the message says why (and where, for XML errors)."""


@dataclass(frozen=True)
class Piece:
    text: str
    voice: str | None         # the voice name asked for (None: the default voice)
    lang: str | None          # xml:lang in effect
    prosody: Prosody = Prosody()
    phonemes: str | None = None  # IPA replacing the text's own pronunciation


@dataclass(frozen=True)
class Break:
    ms: int
    voice: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Bookmark:
    name: str


@dataclass(frozen=True)
class SentenceEdge:
    """The end of a ``p`` or ``s``: text on either side is never joined into one sentence."""


Item = Piece | Break | Bookmark | SentenceEdge


@dataclass
class Document:
    items: list[Item] = field(default_factory=list)
    lang: str | None = None
    billable_characters: int = 0

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.items if isinstance(p, Piece))


@dataclass(frozen=True)
class _State:
    voice: str | None
    lang: str | None
    prosody: Prosody


def parse(ssml: str | bytes) -> Document:
    if isinstance(ssml, bytes):
        try:
            ssml = ssml.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SsmlError("The SSML is not UTF-8 text.") from None
    if not ssml.strip():
        raise SsmlError("The SSML is empty; send <speak version=\"1.0\" xml:lang=\"en-US\">...</speak>.")
    try:
        root = fromstring(ssml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise SsmlError(f"The SSML declares a DTD or entities, which are not allowed ({type(exc).__name__}).") from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise SsmlError(f"The SSML is not well-formed XML: {_xml_reason(exc)} (line {line}, column {column + 1}).") \
            from None
    if _local(root.tag) != "speak":
        raise SsmlError(f"The SSML's root element is <{_local(root.tag)}>; it must be <speak>.")
    doc = Document(lang=root.get(XML_LANG) or root.get("lang"))
    counter = {"voices": 0}
    _walk(root, _State(None, doc.lang, Prosody()), doc, counter)
    doc.items = _merge(doc.items)
    doc.billable_characters = billable_characters(ssml)
    return doc


def plain_text(text: str, voice: str | None = None, lang: str | None = None) -> Document:
    """A document speaking ``text`` as it is (no markup)."""
    doc = Document(items=[Piece(_squash(text), voice, lang)] if text.strip() else [], lang=lang)
    doc.billable_characters = count_characters(text)
    return doc


def _xml_reason(exc: ParseError) -> str:
    return re.sub(r":\s*line \d+, column \d+$", "", str(exc))


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag: object) -> str:
    return str(tag)[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _text(doc: Document, state: _State, text: str | None, phonemes: str | None = None) -> None:
    if text and (text.strip() or phonemes):
        doc.items.append(Piece(_squash(text), state.voice, state.lang, state.prosody, phonemes))
    elif text:
        doc.items.append(Piece(" ", state.voice, state.lang, state.prosody))


def _walk(element: Element, state: _State, doc: Document, counter: dict[str, int]) -> None:
    _text(doc, state, element.text)
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            _text(doc, state, child.tail)
            continue
        _element(child, state, doc, counter)
        _text(doc, state, child.tail)


def _element(child: Element, state: _State, doc: Document, counter: dict[str, int]) -> None:
    name = _local(child.tag)
    lang = child.get(XML_LANG)
    inner = replace(state, lang=lang) if lang else state
    if _namespace(child.tag) == "http://www.w3.org/2001/mstts":
        if name == "express-as":
            log.info("SSML mstts:express-as (style=%s, role=%s) is accepted and ignored: the voices here have no "
                     "styles", child.get("style"), child.get("role"))
        elif name != "silence":
            log.info("SSML mstts:%s is accepted and ignored", name)
        if name in ("silence", "viseme", "audioduration", "backgroundaudio"):
            return
        _walk(child, inner, doc, counter)
        return
    if name == "voice":
        voice_name = (child.get("name") or "").strip()
        if not voice_name:
            raise SsmlError("A <voice> element has no name attribute; write <voice name=\"en-US-JennyNeural\">.")
        counter["voices"] += 1
        if counter["voices"] > MAX_VOICES:
            raise SsmlError(f"The SSML has more than {MAX_VOICES} <voice> elements.")
        doc.items.append(SentenceEdge())
        _walk(child, replace(inner, voice=voice_name), doc, counter)
        doc.items.append(SentenceEdge())
    elif name == "prosody":
        _walk(child, replace(inner, prosody=_prosody(child, state.prosody)), doc, counter)
    elif name == "break":
        doc.items.append(Break(_break_ms(child), state.voice, state.lang))
    elif name in ("p", "s", "paragraph", "sentence"):
        doc.items.append(SentenceEdge())
        _walk(child, inner, doc, counter)
        doc.items.append(SentenceEdge())
    elif name == "say-as":
        spoken = say_as("".join(child.itertext()), (child.get("interpret-as") or "").lower(),
                        (child.get("format") or "").lower(), inner.lang)
        _text(doc, inner, f" {spoken} " if spoken.strip() else spoken)
    elif name == "sub":
        alias = child.get("alias")
        if alias is None:
            raise SsmlError("A <sub> element has no alias attribute.")
        _text(doc, inner, alias)
    elif name == "phoneme":
        alphabet = (child.get("alphabet") or "ipa").lower()
        ph = child.get("ph")
        if ph is None:
            raise SsmlError("A <phoneme> element has no ph attribute.")
        text = "".join(child.itertext())
        if alphabet == "ipa":
            _text(doc, inner, text or ph, phonemes=ph)
        else:
            log.info("SSML phoneme alphabet %s is not supported; the text is spoken as written", alphabet)
            _text(doc, inner, text)
    elif name == "bookmark":
        doc.items.append(Bookmark(child.get("mark") or ""))
    elif name == "audio":
        log.info("SSML <audio src=%s>: nothing is fetched offline; its fallback text is spoken", child.get("src"))
        _walk(child, inner, doc, counter)
    elif name in ("lang", "emphasis", "mark", "speak"):
        if name == "mark":
            doc.items.append(Bookmark(child.get("name") or ""))
        _walk(child, inner, doc, counter)
    else:
        log.info("SSML element <%s> is not known; its text is spoken", name)
        _walk(child, inner, doc, counter)


def _merge(items: list[Item]) -> list[Item]:
    """Adjacent text with the same voice, language and prosody as one piece (one sentence is one
    engine call); sentence edges kept only where they separate text."""
    out: list[Item] = []
    for item in items:
        last = out[-1] if out else None
        if (isinstance(item, Piece) and isinstance(last, Piece) and item.phonemes is None and last.phonemes is None
                and (item.voice, item.lang, item.prosody) == (last.voice, last.lang, last.prosody)):
            out[-1] = replace(last, text=_squash(last.text + item.text))
        elif isinstance(item, SentenceEdge) and (not out or isinstance(last, SentenceEdge)):
            continue
        else:
            out.append(item)
    kept = [i for i in out if not (isinstance(i, Piece) and not i.text.strip() and i.phonemes is None)]
    clean: list[Item] = []
    for item in kept:
        if isinstance(item, SentenceEdge) and (not clean or isinstance(clean[-1], SentenceEdge)):
            continue
        clean.append(item)
    while clean and isinstance(clean[-1], SentenceEdge):
        clean.pop()
    return clean


# -- attribute values ---------------------------------------------------------------------------

def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise SsmlError(f"'{text}' is not a number.") from None


def _relative(value: str, base: float, table: dict[str, float], what: str, unit_hz: bool = False) -> float:
    v = value.strip().lower()
    if not v:
        return base
    if v in table:
        return base * table[v] if what != "volume" else table[v]
    try:
        if v.endswith("%"):
            return base * (1 + _number(v[:-1]) / 100)
        if v.endswith("st"):
            return base * 2 ** (_number(v[:-2]) / 12)
        if v.endswith("hz") and unit_hz:
            hz = _number(v[:-2])
            return base * (1 + hz / BASE_PITCH_HZ) if v[0] in "+-" else hz / BASE_PITCH_HZ
        if what == "volume":
            return base + _number(v) / 100 if v[0] in "+-" else _number(v) / 100
        return base * _number(v)
    except SsmlError:
        raise SsmlError(f"prosody {what}='{value}' is not valid.") from None


def _prosody(element: Element, current: Prosody) -> Prosody:
    rate = _relative(element.get("rate", ""), current.rate, RATES, "rate")
    pitch = _relative(element.get("pitch", ""), current.pitch, PITCHES, "pitch", unit_hz=True)
    volume = _relative(element.get("volume", ""), current.volume, VOLUMES, "volume")
    return Prosody(rate=min(max(rate, 0.5), 3.0), pitch=min(max(pitch, 0.5), 2.0), volume=min(max(volume, 0.0), 1.0))


def _break_ms(element: Element) -> int:
    time = (element.get("time") or "").strip().lower()
    if time:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s)", time)
        if not match:
            raise SsmlError(f"break time='{element.get('time')}' is not valid; write e.g. 500ms or 2s.")
        ms = float(match.group(1)) * (1000 if match.group(2) == "s" else 1)
        return int(min(ms, MAX_BREAK_MS))
    strength = (element.get("strength") or "medium").strip().lower()
    if strength not in STRENGTHS:
        raise SsmlError(f"break strength='{strength}' is not valid; use {', '.join(STRENGTHS)}.")
    return STRENGTHS[strength]


# -- say-as --------------------------------------------------------------------------------------

def say_as(text: str, interpret: str, fmt: str, lang: str | None) -> str:
    text = text.strip()
    english = (lang or "en").lower().startswith("en")
    if interpret in ("characters", "spell-out", "letters", "verbatim"):
        return " ".join(ch.upper() if ch.isalpha() else ch for ch in text if not ch.isspace())
    if interpret in ("digits", "number_digit"):
        return " ".join(ch for ch in text if not ch.isspace())
    if interpret == "telephone":
        groups = [g for g in re.split(r"[^\dA-Za-z+]+", text) if g]
        return ", ".join(" ".join(g) for g in groups)
    if interpret in ("cardinal", "number"):
        return text.replace(",", "") if english and re.fullmatch(r"[\d,]+(\.\d+)?", text) else text
    if interpret == "ordinal":
        digits = re.sub(r"\D", "", text)
        if not digits:
            return text
        if not english:
            return digits + "."
        n = int(digits)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if interpret == "date":
        return _date(text, fmt, english)
    return text


def _date(text: str, fmt: str, english: bool) -> str:
    parts = [p for p in re.split(r"[-/.\s]+", text) if p]
    fmt = fmt or {3: "mdy", 2: "md"}.get(len(parts), "")
    if len(fmt) != len(parts) or not all(p.isdigit() for p in parts) or set(fmt) - set("dmy"):
        return text
    value = dict(zip(fmt, (int(p) for p in parts), strict=True))
    month = value.get("m")
    if month is not None and not 1 <= month <= 12:
        return text
    if not english:
        return " ".join(str(value[k]) + ("." if k == "d" else "") for k in fmt if k in value)
    words = []
    if month is not None:
        words.append(MONTHS[month - 1])
    if "d" in value:
        words.append(say_as(str(value["d"]), "ordinal", "", "en"))
    if "y" in value:
        if words:
            words[-1] += ","
        words.append(str(value["y"]))
    return " ".join(words)


# -- billing -------------------------------------------------------------------------------------

_NOT_BILLED = re.compile(r"<\?xml[^>]*\?>|</?(?:[\w-]+:)?(?:speak|voice)\b[^>]*>", re.I)


def billable_characters(ssml: str) -> int:
    """Characters Azure bills for an SSML request: everything inside the document, markup included,
    except the ``speak`` and ``voice`` tags; a Chinese, Japanese or Korean ideograph counts twice."""
    return count_characters(_NOT_BILLED.sub("", ssml).strip())


def count_characters(text: str) -> int:
    return sum(2 if _ideograph(ch) else 1 for ch in text)


def _ideograph(ch: str) -> bool:
    return ord(ch) >= 0x2E80 and unicodedata.east_asian_width(ch) == "W" and unicodedata.category(ch) == "Lo"
