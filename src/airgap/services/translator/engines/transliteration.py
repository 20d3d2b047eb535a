"""Transliteration between scripts, from packages that ship their data (nothing is downloaded).

- Japanese (kana and kanji) to Latin: cutlet (MIT) over the MeCab tokenizer fugashi with the
  UniDic-lite dictionary in its wheel (readings in context, Hepburn; pykakasi, 10 MB, would do
  with less data but is GPL, and GPL code stays out of airgap's process);
- Chinese (Simplified and Traditional) to Latin: pypinyin (pinyin with tone marks, phrase
  dictionary for polyphonic characters);
- every other pair: ICU's transforms (PyICU with ICU and its data inside the wheel,
  ``pyicu-wheels``): Cyrillic, Greek, Arabic, Hebrew, Devanagari and the other Indic scripts,
  Thai, Hangul, Ethiopic, Armenian, Georgian to Latin and back, and Latin to kana.

``SUPPORT`` lists, per language, the scripts it converts from and to; only what an installed
package can do is listed (no Latin to Han: that needs an input method, not a transliteration).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

# language -> {from script: (to scripts)}; checked against the ICU transforms present at load.
_ICU_SCRIPTS = {
    "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic", "Hebr": "Hebrew", "Deva": "Devanagari",
    "Beng": "Bengali", "Gujr": "Gujarati", "Guru": "Gurmukhi", "Taml": "Tamil", "Telu": "Telugu",
    "Knda": "Kannada", "Mlym": "Malayalam", "Orya": "Oriya", "Thai": "Thai", "Kore": "Hangul",
    "Ethi": "Ethiopic", "Armn": "Armenian", "Geor": "Georgian", "Thaa": "Thaana",
}
_LANGUAGE_SCRIPTS = {
    "ru": "Cyrl", "uk": "Cyrl", "bg": "Cyrl", "be": "Cyrl", "mk": "Cyrl", "sr-Cyrl": "Cyrl", "kk": "Cyrl",
    "ky": "Cyrl", "tt": "Cyrl", "mn-Cyrl": "Cyrl", "el": "Grek", "ar": "Arab", "fa": "Arab", "ur": "Arab",
    "ps": "Arab", "he": "Hebr", "hi": "Deva", "mr": "Deva", "ne": "Deva", "mai": "Deva", "bn": "Beng",
    "as": "Beng", "gu": "Gujr", "pa": "Guru", "ta": "Taml", "te": "Telu", "kn": "Knda", "ml": "Mlym",
    "or": "Orya", "th": "Thai", "ko": "Kore", "am": "Ethi", "ti": "Ethi", "hy": "Armn", "ka": "Geor",
    "dv": "Thaa",
}


class UnsupportedScript(ValueError):
    """No installed transliterator converts this language from this script to that one."""


@dataclass(frozen=True)
class Transliteration:
    text: str
    script: str


class Transliterator:
    name = "icu-cutlet-pypinyin"
    model_version = "icu-77"

    def __init__(self) -> None:
        self._icu: dict[str, object] = {}
        self._lock = threading.Lock()
        self._cutlet = None
        self.support: dict[str, dict[str, tuple[str, ...]]] = {}

    def load(self) -> None:
        import icu

        available = set(icu.Transliterator.getAvailableIDs())
        support: dict[str, dict[str, tuple[str, ...]]] = {}
        for language, script in _LANGUAGE_SCRIPTS.items():
            name = _ICU_SCRIPTS[script]
            scripts: dict[str, tuple[str, ...]] = {}
            if f"{name}-Latin" in available:
                scripts[script] = ("Latn",)
            if f"Latin-{name}" in available:
                scripts["Latn"] = (script,)
            if scripts:
                support[language] = scripts
        import cutlet  # noqa: F401 - both must import: their data ships inside the wheels
        import pypinyin  # noqa: F401

        support["ja"] = {"Jpan": ("Latn",), "Latn": ("Jpan",)}
        support["zh-Hans"] = {"Hans": ("Latn",)}
        support["zh-Hant"] = {"Hant": ("Latn",)}
        self.support = support

    @property
    def ready(self) -> bool:
        return bool(self.support)

    def scripts(self, language: str) -> dict[str, tuple[str, ...]]:
        return self.support.get(language, {})

    def check(self, language: str, from_script: str, to_script: str) -> None:
        scripts = self.support.get(language)
        if scripts is None:
            raise UnsupportedScript(f"no transliteration for language {language}")
        if to_script not in scripts.get(from_script, ()):
            raise UnsupportedScript(f"{language} cannot be transliterated from {from_script} to {to_script}")

    def transliterate(self, language: str, from_script: str, to_script: str, texts: Sequence[str]) -> list[Transliteration]:
        self.check(language, from_script, to_script)
        if language == "ja" and from_script == "Jpan":
            convert = self._japanese
        elif language.startswith("zh-"):
            convert = _pinyin
        else:
            source = "Latin" if from_script == "Latn" else _ICU_SCRIPTS[from_script]
            target = "Hiragana" if to_script == "Jpan" else ("Latin" if to_script == "Latn" else _ICU_SCRIPTS[to_script])
            transform = self._transform(f"{source}-{target}")

            def convert(text: str) -> str:
                with self._lock:  # an ICU Transliterator is not safe to share between threads
                    return transform.transliterate(text)
        return [Transliteration(convert(t), to_script) for t in texts]

    def _transform(self, transform_id: str):
        found = self._icu.get(transform_id)
        if found is None:
            import icu

            found = self._icu[transform_id] = icu.Transliterator.createInstance(transform_id)
        return found

    def _japanese(self, text: str) -> str:
        with self._lock:  # one MeCab tagger, not shared between threads
            if self._cutlet is None:
                import cutlet

                self._cutlet = cutlet.Cutlet("hepburn")
            return self._cutlet.romaji(text, capitalize=False)


_PUNCT = re.compile(r"^[\s\W]+$")
_FULLWIDTH = str.maketrans("。、，！？：；（）「」『』　", ".,,!?:;()\"\"\"\" ")


def _join(parts: list[tuple[str, str]]) -> str:
    """Romanized tokens joined by spaces, punctuation attached to the word before it."""
    out = ""
    for original, latin in parts:
        latin = latin.translate(_FULLWIDTH)
        if not latin:
            continue
        if not out or _PUNCT.match(latin) or out.endswith((" ", "(", "\"")) or original.isspace():
            out += latin
        else:
            out += " " + latin
    return out.strip()


def _pinyin(text: str) -> str:
    from pypinyin import Style, pinyin

    tokens = pinyin(text, style=Style.TONE, errors="default", v_to_u=True)
    # pinyin() keeps non-Han runs (Latin, digits, punctuation) as one token each.
    return _join([(t[0], t[0]) for t in tokens])
