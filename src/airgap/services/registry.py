"""The services bundled with airgap, imported only when a server hosts them."""

from __future__ import annotations

import importlib

from airgap.services.base import Service

BUNDLED: dict[str, str] = {
    "language": "airgap.services.language:LanguageService",
    "vision": "airgap.services.vision:VisionService",
    "document": "airgap.services.document:DocumentService",
}


class UnknownService(ValueError):
    pass


def resolve(names: tuple[str, ...]) -> list[type[Service]]:
    """Service classes for ``Services=...``; empty means every bundled one."""
    chosen = names or tuple(BUNDLED)
    unknown = [n for n in chosen if n not in BUNDLED]
    if unknown:
        raise UnknownService(
            f"Unknown service(s) {', '.join(unknown)} in setting Services; bundled: {', '.join(BUNDLED)}."
        )
    classes = []
    for name in chosen:
        module_name, _, attr = BUNDLED[name].partition(":")
        classes.append(getattr(importlib.import_module(module_name), attr))
    return classes
