"""The Language service: Text Analytics v3.0/v3.1 and the Language API, one set of engines."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from airgap.platform.errors import AzureDialect
from airgap.platform.runtime import Runtime
from airgap.services.base import Engine, Meter, Service
from airgap.services.language import api_language, api_textanalytics
from airgap.services.language.engines.detection import FastTextLanguageDetector
from airgap.services.language.feature_detection import LanguageDetection
from airgap.services.language.features import Feature


class LanguageService(Service):
    name = "language"
    api_type = "textanalytics"
    title = "Language (Text Analytics v3.0/v3.1, Language 2022-05-01/2023-04-01)"
    path_prefixes = (api_textanalytics.PREFIX, api_language.PREFIX)
    meters = (
        Meter(LanguageDetection.meter, "text record",
              "Language detection: one per started 1,000 text elements of each valid document."),
    )

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.detector = FastTextLanguageDetector()
        self.features: dict[str, Feature] = {f.kind: f for f in (LanguageDetection(self.detector),)}
        # v3.0's contract spells error codes in lowerCamel (invalidRequest); later versions PascalCase.
        runtime.dialects.register(f"{api_textanalytics.PREFIX}/v3.0/", AzureDialect(lower_camel=True))

    def routers(self) -> Sequence[APIRouter]:
        return [api_textanalytics.build_router(self), api_language.build_router(self)]

    def engines(self) -> Sequence[Engine]:
        return [self.detector]
