"""Azure's display names and codes for detected languages."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

# Where Azure's wire values differ from the plain English name of the ISO code.
_AZURE_OVERRIDES: dict[str, tuple[str, str]] = {
    "zh": ("Chinese_Simplified", "zh_chs"),
    "zh-Hant": ("Chinese_Traditional", "zh_cht"),
    "prs": ("Dari", "prs"),
    "nb": ("Norwegian", "no"),
    "no": ("Norwegian", "no"),
}

UNKNOWN = ("(Unknown)", "(Unknown)")


@lru_cache(maxsize=512)
def azure_language(code: str | None) -> tuple[str, str]:
    """(name, iso6391Name) as Azure writes them; ``(Unknown)`` for no language."""
    if code is None:
        return UNKNOWN
    if code in _AZURE_OVERRIDES:
        return _AZURE_OVERRIDES[code]
    name = Locale("en").languages.get(code) or code
    return name, code
