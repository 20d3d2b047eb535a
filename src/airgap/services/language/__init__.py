"""The Language service: Text Analytics v3.0/v3.1 and the Language API, one set of engines."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from airgap.platform.errors import AzureDialect
from airgap.platform.jobs import JobKind
from airgap.platform.runtime import Runtime
from airgap.services.base import Engine, Meter, Service
from airgap.services.language import api_jobs, api_language, api_retired, api_textanalytics
from airgap.engines.langid import language_identifier
from airgap.services.language.engines.entities import SpacyEntityEngine
from airgap.services.language.engines.keyphrases import YakeKeyPhraseExtractor
from airgap.services.language.engines.pii import PresidioPiiEngine
from airgap.services.language.engines.sentiment import VaderSentimentAnalyzer
from airgap.services.language.engines.summarization import TextRankSummarizer
from airgap.services.language.features.detection import LanguageDetection
from airgap.services.language.features.entities import EntityRecognition
from airgap.services.language.features.keyphrases import KeyPhraseExtraction
from airgap.services.language.features.linking import EntityLinking
from airgap.services.language.features.pii import PiiEntityRecognition
from airgap.services.language.features.sentiment import SentimentAnalysis
from airgap.services.language.features.summarization import AbstractiveSummarization, ExtractiveSummarization
from airgap.services.language.features.base import Feature
from airgap.services.language.jobs import HANDLER as JOB_HANDLER
from airgap.services.language.jobs import LanguageJobHandler


class LanguageService(Service):
    name = "language"
    api_type = "textanalytics"
    title = "Language (Text Analytics v3.0/v3.1, Language 2022-05-01/2023-04-01)"
    routes = (api_textanalytics.PREFIX, api_language.PREFIX)
    # v3.0's contract spells error codes in lowerCamel (invalidRequest); later versions PascalCase.
    dialects = {f"{api_textanalytics.PREFIX}/v3.0": AzureDialect(lower_camel=True)}
    meters = (
        Meter(LanguageDetection.meter, "text record",
              "Language detection: one per started 1,000 text elements of each valid document."),
        Meter(SentimentAnalysis.meter, "text record",
              "Sentiment analysis (with or without opinion mining): one per started 1,000 text elements."),
        Meter(KeyPhraseExtraction.meter, "text record",
              "Key phrase extraction: one per started 1,000 text elements of each valid document."),
        Meter(EntityRecognition.meter, "text record",
              "Named entity recognition: one per started 1,000 text elements of each valid document."),
        Meter(PiiEntityRecognition.meter, "text record",
              "PII detection and redaction: one per started 1,000 text elements of each valid document."),
        Meter(ExtractiveSummarization.meter, "text record",
              "Extractive summarization (jobs): one per started 1,000 text elements of each valid document."),
    )

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.detector = language_identifier(runtime.shared_engines)  # shared: the Translator detects with it too
        self.features: dict[str, Feature] = {f.kind: f for f in (LanguageDetection(self.detector),)}
        self.sentiment = VaderSentimentAnalyzer()
        self.keyphrases = YakeKeyPhraseExtractor()
        for feature in (SentimentAnalysis(self.sentiment), KeyPhraseExtraction(self.keyphrases)):
            self.features[feature.kind] = feature
        # NER and PII share one spaCy pipeline (engines/spacy_pipelines.py); linking only explains itself.
        self.entities = SpacyEntityEngine()
        self.pii = PresidioPiiEngine()
        for feature in (EntityRecognition(self.entities), PiiEntityRecognition(self.pii), EntityLinking()):
            self.features[feature.kind] = feature
        # Kinds served only as job tasks, never on the synchronous routes.
        self.summarizer = TextRankSummarizer()
        self.job_only_features: dict[str, Feature] = {
            f.kind: f for f in (ExtractiveSummarization(self.summarizer), AbstractiveSummarization())}

    def routers(self) -> Sequence[APIRouter]:
        return [api_textanalytics.build_router(self), api_language.build_router(self), api_jobs.build_router(self),
                api_retired.build_router()]

    def job_kinds(self) -> Sequence[JobKind]:
        # Two at a time: a job's tasks are short batches (25 documents at most) run in the inference
        # threads between synchronous requests, so two keep both default threads busy without one
        # job's batches queueing behind another's; no worker process (the models live here).
        return [JobKind(JOB_HANDLER, LanguageJobHandler(self), concurrency=2)]

    def job_feature(self, kind: str) -> Feature | None:
        """The feature behind a job task kind (sync features and job-only ones)."""
        return self.features.get(kind) or self.job_only_features.get(kind)

    def engines(self) -> Sequence[Engine]:
        return [self.detector, self.sentiment, self.keyphrases, self.entities, self.pii, self.summarizer]
