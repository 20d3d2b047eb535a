"""Plain text for the speech engines: sentences (each synthesised on its own, so the first audio
leaves after the first sentence) and clauses (their punctuation becomes the pauses of Piper voices)."""

from __future__ import annotations

import re

# Words after which a full stop does not end the sentence (English; other languages rarely abbreviate
# before a capital in text meant to be read aloud).
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt vs etc e.g i.e no fig approx dept est inc ltd co corp jan feb mar apr
jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun ave blvd rd
""".split())

_SENTENCE_END = re.compile(r"([.!?。！？]+[\"'”’)\]]*)(\s+|$)")
_CLAUSE = re.compile(r"([,;:،、，；：]+)(\s+|$)")
# Longest sentence handed to an engine in one piece (characters): longer ones are cut at clauses or spaces.
MAX_SENTENCE = 400


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of ``text`` as ``(start, sentence)``, ``start`` in code points of ``text``; blank ones
    dropped, each at most ``MAX_SENTENCE`` characters."""
    out: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end(1)
        before = text[start:match.start(1)]
        last = before.rsplit(None, 1)[-1].lower().strip("(\"'") if before.split() else ""
        if match.group(1) == "." and (last in ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
            continue  # "Dr. Smith", "J. R. R. Tolkien"
        if match.group(2) == "" and end < len(text):
            continue  # "3.5", "example.com": no space after the dot
        _add(out, text, start, end)
        start = match.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[tuple[int, str]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + (len(piece) - len(piece.lstrip()))
    while len(stripped) > MAX_SENTENCE:
        cut = _cut(stripped)
        out.append((offset, stripped[:cut].rstrip()))
        rest = stripped[cut:]
        offset += cut + (len(rest) - len(rest.lstrip()))
        stripped = rest.strip()
    if stripped:
        out.append((offset, stripped))


def _cut(text: str) -> int:
    window = text[:MAX_SENTENCE]
    for pattern in (_CLAUSE, re.compile(r"\s")):
        found = [m.end(1) if m.re is _CLAUSE else m.start() for m in pattern.finditer(window)]
        found = [f for f in found if f > MAX_SENTENCE // 3]
        if found:
            return found[-1]
    return MAX_SENTENCE


def clauses(sentence: str) -> list[tuple[str, str]]:
    """A sentence as ``(clause, punctuation)`` pairs: the text of each clause without its closing
    punctuation, and that punctuation (``","``, ``"."``, ``"?"``, ... or ``""`` at an unpunctuated end)."""
    out: list[tuple[str, str]] = []
    start = 0
    for match in _CLAUSE.finditer(sentence):
        out.append((sentence[start:match.start(1)].strip(), match.group(1)[0]))
        start = match.end()
    tail = sentence[start:].strip()
    end = re.search(r"([.!?。！？]+)[\"'”’)\]]*$", tail)
    if end:
        out.append((tail[:end.start()].strip(), end.group(1)[-1]))
    elif tail:
        out.append((tail, ""))
    return [(text, punct) for text, punct in out if text]
