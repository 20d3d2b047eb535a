"""A Language feature (kind) and the batch pipeline every wire contract shares.

A ``Feature`` knows one analysis kind: its limits, its parameters, which
documents it can take, how to call its engine and how to write one document's
result. ``analyze`` runs the common steps around it: measure documents, split
off per-document errors, run the engine off the event loop on the valid ones,
meter text records and assemble the result set in input order.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from airgap.platform import metrics
from airgap.platform.context import RequestContext
from airgap.platform.errors import BadRequest, lower_camel
from airgap.platform.executor import InferencePool
from airgap.services.language.documents import (
    DocumentProblem,
    InputDocument,
    MeasuredDocument,
    measure,
)

# The four wire contracts; serialisation may differ between them, engines never do.
V3_0, V3_1, V2022_05_01, V2023_04_01 = "v3.0", "v3.1", "2022-05-01", "2023-04-01"


@dataclass(frozen=True)
class Parameters:
    """Task parameters after validation; ``options`` holds the feature's own ones."""

    api: str
    model_version: str = "latest"
    string_index_type: str = "TextElements_v8"
    logging_opt_out: bool = False
    show_stats: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)


class Feature(ABC):
    kind: ClassVar[str]            # wire kind, e.g. "LanguageDetection"
    meter: ClassVar[str]           # billing meter for its text records
    max_documents: ClassVar[int]   # per synchronous request (Azure's data limits)
    # A batch of at most this many characters runs on the event loop: for an engine that takes
    # microseconds (language detection of a few short documents) the hop to the inference pool
    # and back costs more than the call. 0: always in the pool.
    inline_chars: ClassVar[int] = 0

    def __init__(self, engine: Any) -> None:
        self.engine = engine  # the one engine this feature calls, in the inference pool

    @property
    def model_version(self) -> str:
        return self.engine.model_version

    @property
    def engine_name(self) -> str:
        return self.engine.name

    def parse_options(self, raw: Mapping[str, Any], api: str) -> dict[str, Any]:
        """Feature-specific parameters from a request; raise ``BadRequest`` for bad values."""
        return {}

    def check(self, doc: InputDocument, params: Parameters) -> DocumentProblem | None:
        """A per-document problem specific to this feature (e.g. unsupported language)."""
        return None

    @abstractmethod
    def run(self, docs: Sequence[InputDocument], params: Parameters) -> list[Any]:
        """Engine call for the valid documents; runs in the inference pool."""

    @abstractmethod
    def to_wire(self, doc: InputDocument, result: Any, params: Parameters) -> dict[str, Any]:
        """The document result's fields beyond ``id``, ``warnings`` and ``statistics``."""

    def place(self, wire: dict[str, Any], position: int) -> None:
        """Called with the result's index in ``documents`` (which skips erroneous documents),
        for results that point into the response (JSON pointers such as opinion relations)."""


class RefusedFeature(Feature):
    """A kind Azure has that no offline install can serve (it needs a knowledge base, a
    generative model, ...): every request gets the 400 of ``refusal``, raised while the
    options are parsed, before any document is read, run or billed."""

    model_version = "none"  # type: ignore[assignment]
    engine_name = "none"  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__(None)

    @abstractmethod
    def refusal(self, api: str) -> BadRequest: ...

    def parse_options(self, raw: Mapping[str, Any], api: str) -> dict[str, Any]:
        raise self.refusal(api)

    def run(self, docs: Sequence[InputDocument], params: Parameters) -> list[Any]:
        raise AssertionError("unreachable: parse_options always raises")

    def to_wire(self, doc: InputDocument, result: Any, params: Parameters) -> dict[str, Any]:
        raise AssertionError("unreachable: parse_options always raises")


def check_model_version(feature: Feature, requested: str | None) -> str:
    value = (requested or "latest").strip()
    if value not in ("latest", feature.model_version):
        raise BadRequest(
            f"Invalid model version '{value}'. Possible values are: latest, {feature.model_version}.",
            inner_code="ModelVersionIncorrect",
        )
    return value


async def analyze(
    feature: Feature,
    service: str,
    docs: Sequence[InputDocument],
    params: Parameters,
    ctx: RequestContext,
    pool: InferencePool,
) -> dict[str, Any]:
    """The ``{documents, errors, statistics?, modelVersion}`` result set for one task."""
    outcome: dict[int, MeasuredDocument | DocumentProblem] = {}
    valid: list[MeasuredDocument] = []
    for doc in docs:
        measured = measure(doc)
        if isinstance(measured, MeasuredDocument):
            problem = feature.check(doc, params)
            if problem is None:
                valid.append(measured)
            else:
                measured = problem
        outcome[doc.index] = measured

    results: list[Any] = []
    if valid:
        valid_docs = [m.doc for m in valid]
        if feature.inline_chars and sum(len(d.text) for d in valid_docs) <= feature.inline_chars:
            started = time.perf_counter()
            results = feature.run(valid_docs, params)
            metrics.child(metrics.INFERENCE_SECONDS, feature.engine_name).observe(time.perf_counter() - started)
        else:
            results = await pool.run(feature.engine_name, feature.run, valid_docs, params)
    by_index = {m.doc.index: r for m, r in zip(valid, results, strict=True)}

    documents: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for doc in docs:
        item = outcome[doc.index]
        if isinstance(item, DocumentProblem):
            errors.append(item.to_wire(doc.id, lower_camel if params.api == V3_0 else str))
            continue
        wire: dict[str, Any] = {"id": doc.id, **feature.to_wire(doc, by_index[doc.index], params), "warnings": []}
        if params.show_stats:
            wire["statistics"] = item.statistics()
        feature.place(wire, len(documents))
        documents.append(wire)

    records = sum(m.records for m in valid)
    ctx.meter(feature.meter, records)
    metrics.child(metrics.DOCUMENTS, service, feature.kind, "ok").inc(len(valid))
    if errors:
        metrics.child(metrics.DOCUMENTS, service, feature.kind, "error").inc(len(errors))

    result: dict[str, Any] = {"documents": documents, "errors": errors}
    if params.show_stats:
        result["statistics"] = {
            "documentsCount": len(docs),
            "validDocumentsCount": len(valid),
            "erroneousDocumentsCount": len(errors),
            "transactionsCount": records,
        }
    result["modelVersion"] = feature.model_version
    return result
