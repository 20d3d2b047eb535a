"""The Translator's settings section: light (no engine, no service code), so the command line knows
its keys before it parses any (``services.registry.SETTINGS_MODULES``).

``Languages`` is the key Azure's Translator container takes (``Languages=en,fr,es``): a top-level
key, without a section, as there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from airgap.platform.settings import Section, SettingSpec

DEFAULT_MODES = Path("/usr/share/apertium/modes")


def _parse_languages(raw: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip().lower() for c in raw.replace(";", ",").split(",") if c.strip()))
    if codes and "en" not in codes:
        raise ValueError(f"English (en) must be one of the languages, as in Azure's container; got {raw!r}")
    return codes


def _parse_folder(raw: str) -> Path:
    if not raw.strip():
        raise ValueError("expected a folder path, got an empty value")
    return Path(raw.strip())


def _parse_pipelines(raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError(f"expected a whole number, got {raw!r}") from None
    if not 1 <= value <= 16:
        raise ValueError(f"expected 1 to 16, got {raw!r}")
    return value


@dataclass(frozen=True)
class TranslatorSettings:
    languages: tuple[str, ...] = ()
    apertium_modes: Path = DEFAULT_MODES
    apertium_pipelines: int = 1


TRANSLATOR_SETTINGS: Section[TranslatorSettings] = Section(
    specs=(
        SettingSpec("Languages", "languages", _parse_languages, (),
                    "Translator: comma-separated languages to serve (Azure codes; en required, as in Azure). "
                    "Only pairs with both sides listed load; their Apertium pipelines start with the server.",
                    unset_text="(every installed pair)"),
        SettingSpec("Translator:ApertiumModes", "apertium_modes", _parse_folder, DEFAULT_MODES,
                    "Translator: folder of the installed Apertium *.mode files."),
        SettingSpec("Translator:ApertiumPipelines", "apertium_pipelines", _parse_pipelines, 1,
                    "Translator: Apertium pipelines per pair at most (requests to one pair in parallel); 1-16."),
    ),
    build=TranslatorSettings,
)
