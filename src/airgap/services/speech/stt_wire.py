"""The JSON of recognition results, as Azure writes it (USP ``speech.*`` bodies and REST answers).

Times are 100-ns ticks as JSON numbers. ``simple``: ``RecognitionStatus``, ``DisplayText``,
``Offset``, ``Duration``; ``detailed`` adds ``NBest`` (``Confidence``, ``Lexical``, ``ITN``,
``MaskedITN``, ``Display``, and ``Words`` when word-level timestamps were asked for).
"""

from __future__ import annotations

import re
from typing import Any

from airgap.services.speech.engines.stt_types import Utterance

PROFANITY_OPTIONS = ("masked", "removed", "raw")
FORMATS = ("simple", "detailed")

# A short list of English profanity for profanity=masked|removed (Azure's default is masked).
_PROFANE = frozenset("""
fuck fucks fucked fucker fuckers fucking motherfucker motherfuckers shit shits shitty bullshit bitch bitches
cunt cunts asshole assholes dick dicks dickhead cock cocks pussy wanker wankers twat twats bastard bastards
""".split())
_TOKEN = re.compile(r"[\w'’]+", re.UNICODE)


def _mask(text: str, option: str) -> str:
    if option == "raw":
        return text

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.lower().replace("’", "'") not in _PROFANE:
            return word
        return "*" * len(word) if option == "masked" else ""

    out = _TOKEN.sub(replace, text)
    if option != "removed":
        return out
    # a removed word leaves its neighbours' spaces, and a space before the punctuation that followed it
    return re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", out)).strip()


def _language_confidence(p: float) -> str:
    return "High" if p >= 0.8 else "Normal" if p >= 0.5 else "Low"


def phrase(u: Utterance, fmt: str = "simple", *, profanity: str = "masked", words: bool = False,
           locale: str | None = None, identified: bool = False) -> dict[str, Any]:
    """A recognized phrase (``RecognitionStatus: Success``)."""
    display = _mask(u.display, profanity)
    body: dict[str, Any] = {"RecognitionStatus": "Success", "Offset": u.offset, "Duration": u.duration}
    if identified and locale:
        body["PrimaryLanguage"] = {"Language": locale, "Confidence": _language_confidence(u.language_confidence)}
    body["DisplayText"] = display
    if fmt == "detailed":
        best: dict[str, Any] = {"Confidence": u.confidence, "Lexical": u.lexical, "ITN": u.lexical,
                                "MaskedITN": _mask(u.lexical, "masked" if profanity == "raw" else profanity),
                                "Display": display}
        if words:
            best["Words"] = [{"Word": w.text, "Offset": w.offset, "Duration": w.duration, "Confidence": w.confidence}
                             for w in u.words]
        body["NBest"] = [best]
    return body


def no_match(status: str, offset: int, duration: int) -> dict[str, Any]:
    """``NoMatch`` (speech that gave no words) or ``InitialSilenceTimeout`` (no speech at all)."""
    return {"RecognitionStatus": status, "Offset": offset, "Duration": duration}


def hypothesis(text: str, offset: int, duration: int, *, profanity: str = "masked", locale: str | None = None,
               identified: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"Text": _mask(text, profanity), "Offset": offset, "Duration": duration}
    if identified and locale:
        body["PrimaryLanguage"] = {"Language": locale}
    return body


def join(utterances: list[Utterance]) -> Utterance:
    """Several phrases as one result (REST conversation mode)."""
    first, last = utterances[0], utterances[-1]
    return Utterance(
        offset=first.offset, duration=last.offset + last.duration - first.offset,
        display=" ".join(u.display for u in utterances), lexical=" ".join(u.lexical for u in utterances),
        words=tuple(w for u in utterances for w in u.words),
        confidence=round(sum(u.confidence for u in utterances) / len(utterances), 4),
        language=first.language, language_confidence=first.language_confidence)
