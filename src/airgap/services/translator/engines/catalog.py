"""Language names, native names and writing direction, from CLDR (babel), in any display language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError

# Azure's codes that CLDR spells otherwise.
_CLDR = {"pt-pt": "pt_PT", "pt": "pt_BR", "sr-latn": "sr_Latn", "sr-cyrl": "sr_Cyrl", "zh-hans": "zh_Hans",
         "zh-hant": "zh_Hant", "mn-cyrl": "mn_Cyrl", "fr-ca": "fr_CA", "nb": "nb", "nn": "nn"}
# Azure's own English names where they differ from CLDR's.
_AZURE_NAMES = {"pt": "Portuguese (Brazil)", "pt-pt": "Portuguese (Portugal)", "zh-Hans": "Chinese Simplified",
                "zh-Hant": "Chinese Traditional", "sr-Latn": "Serbian (Latin)", "sr-Cyrl": "Serbian (Cyrillic)",
                "nb": "Norwegian", "mn-Cyrl": "Mongolian (Cyrillic)"}

SCRIPT_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic", "Hebr": "Hebrew",
                "Deva": "Devanagari", "Beng": "Bengali", "Gujr": "Gujarati", "Guru": "Gurmukhi", "Taml": "Tamil",
                "Telu": "Telugu", "Knda": "Kannada", "Mlym": "Malayalam", "Orya": "Odia", "Thai": "Thai",
                "Kore": "Korean", "Ethi": "Ethiopic", "Armn": "Armenian", "Geor": "Georgian", "Jpan": "Japanese",
                "Hans": "Chinese Simplified", "Hant": "Chinese Traditional", "Thaa": "Thaana", "Sinh": "Sinhala"}
RTL_SCRIPTS = {"Arab", "Hebr", "Thaa"}


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(_CLDR.get(code.lower(), code.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return None


@lru_cache(maxsize=4096)
def name(code: str, display: str = "en") -> str:
    """The language's name in the display language (``Accept-Language``), English when unknown."""
    shown = _locale(display) or Locale.parse("en")
    if shown.language == "en" and code in _AZURE_NAMES:
        return _AZURE_NAMES[code]
    locale = _locale(code)
    if locale is None:
        return code
    return locale.get_display_name(shown) or code


@lru_cache(maxsize=1024)
def native_name(code: str) -> str:
    locale = _locale(code)
    if locale is None:
        return code
    text = locale.get_display_name(locale) or code
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=1024)
def direction(code: str) -> str:
    locale = _locale(code)
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"


@lru_cache(maxsize=256)
def script_name(script: str, display: str = "en") -> str:
    shown = _locale(display) or Locale.parse("en")
    if shown.language == "en":
        return SCRIPT_NAMES.get(script, script)
    return shown.scripts.get(script) or SCRIPT_NAMES.get(script, script)


@lru_cache(maxsize=256)
def script_native_name(script: str, language: str) -> str:
    locale = _locale(language)
    named = locale.scripts.get(script) if locale is not None else None
    return named or SCRIPT_NAMES.get(script, script)


def script_direction(script: str) -> str:
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def display_language(accept_language: str | None) -> str:
    """The first language of an ``Accept-Language`` header that CLDR knows, else ``en``."""
    if not accept_language:
        return "en"
    for item in accept_language.split(","):
        tag = item.split(";")[0].strip()
        if tag and tag != "*" and _locale(tag) is not None:
            return tag
    return "en"
