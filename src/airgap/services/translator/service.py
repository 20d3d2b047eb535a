"""The Translator service: Text Translation 3.0 (at the root and under ``/translator/text/v3.0``)
and 2026-06-06 (the same paths, told apart by ``api-version``), over Apertium's pairs, the user's
mounted neural models, and shared language identification."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from airgap.engines.langid import language_identifier
from airgap.platform.errors import AZURE
from airgap.platform.processes import ProcessSpec
from airgap.platform.runtime import Runtime
from airgap.services.base import Engine, Meter, Service
from airgap.services.translator import api
from airgap.services.translator.engines.apertium import ApertiumClient, ApertiumEngine, discover, server_argv
from airgap.services.translator.engines.routing import Router
from airgap.services.translator.engines.transliteration import Transliterator
from airgap.services.translator.errors import TRANSLATOR
from airgap.services.translator.settings import TRANSLATOR_SETTINGS, TranslatorSettings

APERTIUM_PROCESS = "apertium"
TRANSLATED_CHARACTERS = "CognitiveServices.TextTranslation.Container.TranslatedCharacters"
DOCUMENT_CHARACTERS = "CognitiveServices.TextTranslation.Container.OneDocumentTranslatedCharacters"


class TranslatorService(Service):
    name = "translator"
    api_type = "texttranslation"
    title = "Translator (Text Translation 3.0 and 2026-06-06)"
    # 3.0's operations live at the root: exactly these first segments are the Translator's
    # (matched by whole segment, so /languages is not the Language service's /language).
    routes = ("/translate", "/transliterate", "/detect", "/breaksentence", "/dictionary", "/languages",
              "/translator")
    dialect = TRANSLATOR
    # Document translation speaks the Azure envelope with string codes, as Document Translation does.
    dialects = {"/translator/document": AZURE}
    settings = (TRANSLATOR_SETTINGS,)
    meters = (
        Meter(TRANSLATED_CHARACTERS, "character",
              "Characters of the input, once per target language (translate), or once (transliterate, "
              "detect, breaksentence, dictionary lookup and examples)."),
        Meter(DOCUMENT_CHARACTERS, "character",
              "Characters of the text of a document translated synchronously (document:translate)."),
    )

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.config: TranslatorSettings = runtime.settings.section(TRANSLATOR_SETTINGS)
        self.detector = language_identifier(runtime.shared_engines)  # the Language service's model
        self.apertium = ApertiumEngine(ApertiumClient(self._apertium_url), self.config.apertium_modes,
                                       self.config.languages)
        self.neural: Any = None
        if runtime.settings.models_dir is not None:  # Mounts:Models, a platform setting (Speech reads it too)
            from airgap.services.translator.engines.neural import NeuralEngine  # ctranslate2 only when mounted

            self.neural = NeuralEngine(runtime.settings.models_dir, self.config.languages, runtime.settings.threads)
        engines = [e for e in (self.neural, self.apertium) if e is not None]
        self.router = Router(engines)
        self.transliterator = Transliterator()

    def _apertium_url(self) -> str:
        return self.runtime.processes.address(APERTIUM_PROCESS).url

    def processes(self) -> Sequence[ProcessSpec]:
        modes = discover(self.config.apertium_modes, self.config.languages or None)
        if not modes:
            return []
        names = sorted({m.name for m in modes.values()})
        # With Languages= the chosen pairs start with the server; otherwise each on first use.
        preload = names if self.config.languages else []
        argv = server_argv("{port}", self.config.apertium_modes, names if self.config.languages else [],
                           preload, self.config.apertium_pipelines)
        return [ProcessSpec(name=APERTIUM_PROCESS, argv=argv, port=0, health="http", health_path="/health",
                            startup_timeout=60.0, health_interval=2.0)]

    def routers(self) -> Sequence[APIRouter]:
        return [api.build_router(self), api.build_document_router(self)]

    def engines(self) -> Sequence[Engine]:
        engines: list[Any] = [self.detector, self.apertium, self.transliterator]
        if self.neural is not None:
            engines.append(self.neural)
        return engines

    def load(self) -> None:
        super().load()
        self.router.refresh()
