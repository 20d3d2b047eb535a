"""The Translator's settings section: Azure's top-level ``Languages`` key, the model mount, Apertium."""

from __future__ import annotations

from pathlib import Path

import pytest

from airgap.platform.settings import Settings, SettingsError
from airgap.services import registry
from airgap.services.translator.settings import TRANSLATOR_SETTINGS

registry.import_settings()


def test_defaults():
    config = Settings.load([]).section(TRANSLATOR_SETTINGS)
    assert config.languages == () and Settings.load([]).models_dir is None
    assert config.apertium_modes == Path("/usr/share/apertium/modes") and config.apertium_pipelines == 1


def test_languages_is_a_top_level_key_as_in_azure():
    assert Settings.load(["Languages=en,FR; es"]).section(TRANSLATOR_SETTINGS).languages == ("en", "fr", "es")
    assert Settings.load([], {"LANGUAGES": "en,de"}).section(TRANSLATOR_SETTINGS).languages == ("en", "de")
    assert Settings.load(["languages=en"]).section(TRANSLATOR_SETTINGS).languages == ("en",)


def test_english_is_required_as_in_azure():
    with pytest.raises(SettingsError, match="Languages.*English"):
        Settings.load(["Languages=fr,es"])


def test_models_mount_and_apertium_settings_round_trip_to_workers():
    settings = Settings.load(["Mounts:Models=/usr/local/models", "TRANSLATOR__APERTIUMPIPELINES=3",
                              "Languages=en,es"])
    reparsed = Settings.load(settings.to_tokens())
    again = reparsed.section(TRANSLATOR_SETTINGS)
    # Mounts:Models is the platform's (Translator and Speech both read it), not the section's.
    assert reparsed.models_dir == Path("/usr/local/models") and again.apertium_pipelines == 3
    assert again.languages == ("en", "es")
    with pytest.raises(SettingsError, match="Translator:ApertiumPipelines"):
        Settings.load(["Translator:ApertiumPipelines=0"])
