"""``profanityAction`` / ``profanityMarker``: profanities in a translation marked or deleted.

Azure's lists are not published; this one is small and hand-written: the common vulgar words of
each language the bundled engines write (no slurs, no words with an innocent everyday sense).
Words are matched whole and case-insensitively in the translated text.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORDS: dict[str, tuple[str, ...]] = {
    "en": ("fuck", "fucking", "fucked", "shit", "shitty", "bullshit", "bitch", "bastard", "asshole", "arsehole",
           "crap", "dickhead", "motherfucker", "piss", "pissed"),
    "es": ("mierda", "joder", "jodido", "puta", "puto", "cabrón", "cabrona", "coño", "gilipollas", "hostia",
           "cojones", "capullo"),
    "fr": ("merde", "putain", "connard", "connasse", "salope", "bordel", "enculé", "chier", "foutre"),
    "pt": ("merda", "porra", "caralho", "foda", "foder", "puta", "cabrão", "filho-da-puta"),
    "ca": ("merda", "collons", "puta", "cabró", "fotre", "capullo"),
    "it": ("merda", "cazzo", "stronzo", "stronza", "vaffanculo", "puttana", "coglione"),
    "gl": ("merda", "carallo", "puta", "cabrón"),
    "de": ("scheiße", "scheisse", "arschloch", "fick", "ficken", "wichser"),
}
WORDS["pt-pt"] = WORDS["pt"]


@lru_cache(maxsize=64)
def _pattern(language: str) -> re.Pattern[str] | None:
    words = WORDS.get(language) or WORDS.get(language.split("-")[0])
    if not words:
        return None
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


def apply(text: str, language: str, action: str, marker: str = "Asterisk") -> str:
    """``action`` NoAction, Marked or Deleted; ``marker`` Asterisk (``***``) or Tag (``<profanity>``)."""
    if action == "NoAction":
        return text
    pattern = _pattern(language)
    if pattern is None:
        return text
    if action == "Deleted":
        text = pattern.sub("", text)
        text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)
        text = re.sub(r"[,;:]+(?=[.!?])", "", text)
        return re.sub(r"[ \t]{2,}", " ", text)
    if marker == "Tag":
        return pattern.sub(r"<profanity>\1</profanity>", text)
    return pattern.sub("***", text)
