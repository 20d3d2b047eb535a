"""The second stage of language detection: Lingua, only for languages fastText confuses.

fastText lid.176 is fast and right on most short texts, but within groups of close languages
(Bokmål/Danish/Swedish, Indonesian/Malay, Croatian/Serbian/Bosnian, ...) its top answer on a
short sentence is close to a coin toss. Lingua (lingua-language-detector, models inside its
wheel) separates them well when it only has to choose among the group's languages. Building it
with all 75 languages costs 1.3 GB and 20 s, so a detector is built per language set, lazily;
Lingua loads each language's n-gram model once per process (about 35 MB a language) and shares
it between detectors, so only the groups that requests actually reach cost memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder


@dataclass(frozen=True)
class Group:
    name: str
    triggers: frozenset[str]  # fastText codes whose top answer sends a text to this group
    lingua: tuple[str, ...]  # Lingua's Language names the group chooses among
    script: str | None = None  # "latin" / "cyrillic": the group serves only texts in that script


# Lingua has no Galician, Nepali or Dari: those are decided by langid_markers after Lingua.
GROUPS: tuple[Group, ...] = (
    Group("scandinavian", frozenset({"no", "nb", "nn", "da", "sv"}), ("BOKMAL", "NYNORSK", "DANISH", "SWEDISH")),
    Group("malay", frozenset({"id", "ms"}), ("INDONESIAN", "MALAY")),
    # fastText often names Slovene for a short Serbian or Bosnian sentence, and "sh" (Serbo-Croatian,
    # which Azure does not return) for any of them.
    Group("bcs", frozenset({"hr", "sr", "bs", "sh", "sl"}), ("CROATIAN", "SERBIAN", "BOSNIAN", "SLOVENE"), "latin"),
    Group("iberian", frozenset({"gl", "pt", "es", "ca", "mwl"}), ("PORTUGUESE", "SPANISH", "CATALAN")),
    Group("czech_slovak", frozenset({"cs", "sk"}), ("CZECH", "SLOVAK")),
    Group("devanagari", frozenset({"hi", "mr", "ne", "bh", "new", "mai", "sa"}), ("HINDI", "MARATHI")),
    Group("cyrillic", frozenset({"ru", "uk", "be", "bg", "mk", "sr", "kk", "mn"}),
          ("RUSSIAN", "UKRAINIAN", "BELARUSIAN", "BULGARIAN", "MACEDONIAN", "SERBIAN", "KAZAKH", "MONGOLIAN"),
          "cyrillic"),
    # pnb (Shahmukhi Punjabi), azb and mzn are what fastText names for short Urdu or Persian.
    Group("perso_arabic", frozenset({"fa", "ur", "ar", "pnb", "azb", "mzn"}), ("PERSIAN", "URDU", "ARABIC")),
    Group("turkic", frozenset({"tr", "az"}), ("TURKISH", "AZERBAIJANI")),
)

# Below this fastText score the top answer is a guess: the other candidates Lingua knows are
# added to the group's choice (a short Slovak sentence read as Polish 0.21, Slovak 0.19).
UNSURE = 0.5

_BY_NAME = {language.name: language for language in Language.all()}
_LINGUA_CODES = {language.iso_code_639_1.name.lower(): language for language in Language.all()}
# Lingua says "nb" for Bokmål where fastText (and so the rest of airgap) says "no".
_FROM_LINGUA = {"nb": "no"}


def script_of(text: str) -> str | None:
    """"latin", "cyrillic" or None, by the majority of the letters."""
    if text.isascii():  # most requests: no per-character loop
        return "latin" if any(ch.isalpha() for ch in text) else None
    latin = cyrillic = 0
    for ch in text:
        if ch.isalpha():
            if ch < "\u0250":
                latin += 1
            elif "\u0400" <= ch < "\u0530":
                cyrillic += 1
    if not latin and not cyrillic:
        return None
    return "latin" if latin >= cyrillic else "cyrillic"


# The fastText codes whose group is decided per script: only texts that may reach one of them
# need ``script_of`` (a pass over every character).
_SCRIPTED = frozenset().union(*(group.triggers for group in GROUPS if group.script is not None))


def script_needed(candidates: Sequence[tuple[str, float]]) -> bool:
    """Whether ``group_for`` may look at the script for these candidates."""
    if not candidates:
        return False
    looked_at = candidates if candidates[0][1] < UNSURE else candidates[:1]
    return any(code in _SCRIPTED for code, _score in looked_at)


def group_for(candidates: Sequence[tuple[str, float]], script: str | None) -> tuple[Group, frozenset[str]] | None:
    """The group a text goes to, and the Lingua languages to choose among; None: fastText decides.

    The group is the one of the best-ranked candidate that has one; when fastText is unsure,
    a lower candidate's group counts as well, and the other candidates Lingua knows join the choice.
    """
    if not candidates:
        return None
    top, score = candidates[0]
    unsure = score < UNSURE
    if unsure and top not in _LINGUA_CODES and not any(top in group.triggers for group in GROUPS):
        return None  # Lingua could not name this language (Kyrgyz, Pashto, ...): keep fastText's guess
    for code, _score in candidates if unsure else candidates[:1]:
        for group in GROUPS:
            if code in group.triggers and (group.script is None or group.script == script):
                languages = set(group.lingua)
                if unsure:
                    languages.update(_LINGUA_CODES[c].name for c, _ in candidates if c in _LINGUA_CODES)
                return group, frozenset(languages)
    return None


@lru_cache(maxsize=128)
def _detector(languages: frozenset[str]) -> LanguageDetector:
    # Building is cheap (~0.1 ms); the models load on the first detection, into Lingua's
    # process-wide cache, so a detector built twice by two threads costs no memory twice.
    return LanguageDetectorBuilder.from_languages(*(_BY_NAME[name] for name in sorted(languages))).build()


def rank(text: str, languages: frozenset[str]) -> list[tuple[str, float]]:
    """Lingua's reading among ``languages``: (ISO 639-1 code, share), best first; [] for none."""
    values = _detector(languages).compute_language_confidence_values(text)
    ranked = []
    for value in values:
        code = value.language.iso_code_639_1.name.lower()
        ranked.append((_FROM_LINGUA.get(code, code), float(value.value)))
    return ranked if ranked and ranked[0][1] > 0.0 else []
