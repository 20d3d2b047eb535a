"""Azure locales (en-US, de-DE) and Whisper's language codes (en, de)."""

from __future__ import annotations

# Whisper's code for a locale whose primary subtag differs from it.
_WHISPER = {"nb": "no", "nn": "nn", "fil": "tl", "iw": "he", "jv": "jw", "yue": "yue", "zh": "zh"}
# The locale Azure names for a language when it was identified among no candidates.
_DEFAULT_LOCALE = {
    "en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "it": "it-IT", "pt": "pt-BR", "nl": "nl-NL",
    "sv": "sv-SE", "da": "da-DK", "no": "nb-NO", "fi": "fi-FI", "pl": "pl-PL", "cs": "cs-CZ", "ru": "ru-RU",
    "uk": "uk-UA", "tr": "tr-TR", "el": "el-GR", "ja": "ja-JP", "ko": "ko-KR", "zh": "zh-CN", "ar": "ar-EG",
    "he": "he-IL", "hi": "hi-IN", "id": "id-ID", "vi": "vi-VN", "th": "th-TH", "ro": "ro-RO", "hu": "hu-HU",
    "ca": "ca-ES", "tl": "fil-PH",
}


def whisper_code(locale: str) -> str:
    primary = locale.strip().replace("_", "-").split("-")[0].lower()
    return _WHISPER.get(primary, primary)


def is_english(locale: str) -> bool:
    return whisper_code(locale) == "en"


def locale_for(code: str, candidates: tuple[str, ...] = ()) -> str:
    """The Azure locale to report for a Whisper code: the matching candidate, else the usual one."""
    for candidate in candidates:
        if whisper_code(candidate) == code:
            return candidate
    return _DEFAULT_LOCALE.get(code, code)


def normalize_locale(raw: str) -> str:
    """``en-us`` -> ``en-US`` (the SDK lower-cases some of them)."""
    parts = raw.strip().replace("_", "-").split("-")
    if len(parts) >= 2 and len(parts[-1]) == 2:
        parts[-1] = parts[-1].upper()
    parts[0] = parts[0].lower()
    return "-".join(p for p in parts if p)
