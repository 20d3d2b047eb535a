"""The services bundled with airgap, imported only when a server hosts them."""

from __future__ import annotations

import importlib
import os

from airgap.services.base import Service

BUNDLED: dict[str, str] = {
    "language": "airgap.services.language:LanguageService",
    "vision": "airgap.services.vision:VisionService",
    "document": "airgap.services.document:DocumentService",
    "translator": "airgap.services.translator.service:TranslatorService",
    "speech": "airgap.services.speech.service:SpeechService",
    "conversations": "airgap.services.conversations.service:ConversationsService",
    "anomaly": "airgap.services.anomaly.service:AnomalyService",
}

# Services that run (Services=name) but are not packaged yet: no image, compose or Helm entry, so
# they are never hosted by default (an empty Services). They join BUNDLED with their image.
UNPACKAGED: dict[str, str] = {}


# Modules that declare the settings sections of the bundled services (and of `airgap studio`).
# They are light (no model, no service code), so the command line can know every key before it
# parses any.
SETTINGS_MODULES: tuple[str, ...] = ("airgap.ocr.settings", "airgap.services.translator.settings",
                                     "airgap.services.speech.settings", "airgap.services.speech.tts_settings",
                                     "airgap.studio.settings")


# Tests host services of their own beside the bundled ones (tests/support/echo_service.py):
# AIRGAP_EXTRA_SERVICES="echo=tests.support.echo_service:EchoService[,name=module:Class...]",
# then Services=echo. An environment variable, not a setting: workers inherit it, and no
# Key=Value on a command line can load code. Production never sets it.
EXTRA_SERVICES_ENV = "AIRGAP_EXTRA_SERVICES"


def _known() -> dict[str, str]:
    extra = {}
    for item in os.environ.get(EXTRA_SERVICES_ENV, "").split(","):
        name, _, target = item.partition("=")
        if name.strip() and ":" in target:
            extra[name.strip().lower()] = target.strip()
    return {**BUNDLED, **UNPACKAGED, **extra}


class UnknownService(ValueError):
    pass


def import_settings() -> None:
    """Register every bundled service's settings sections (``platform.settings.Section``)."""
    for module_name in SETTINGS_MODULES:
        importlib.import_module(module_name)


def resolve(names: tuple[str, ...]) -> list[type[Service]]:
    """Service classes for ``Services=...``; empty means every bundled one."""
    chosen = names or tuple(BUNDLED)
    known = _known()
    unknown = [n for n in chosen if n not in known]
    if unknown:
        raise UnknownService(
            f"Unknown service(s) {', '.join(unknown)} in setting Services; bundled: {', '.join([*BUNDLED, *UNPACKAGED])}."
        )
    classes = []
    for name in chosen:
        module_name, _, attr = known[name].partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Each service's packages are an extra (pyproject.toml), and each image has only its own.
            if (exc.name or "").split(".")[0] == "airgap":
                raise
            raise UnknownService(
                f"Service {name} is not installed here (its package {exc.name} is missing): set Services to "
                f"the services this install has, or install them with pip install 'airgap[{name}]'."
            ) from exc
        classes.append(getattr(module, attr))
    return classes
