"""ExtractiveSummarization (jobs only): the most central sentences of each document.

AbstractiveSummarization needs a generative model, and none is bundled: the
jobs API refuses it with ``ABSTRACTIVE_UNAVAILABLE`` rather than pretending.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from airgap.platform.errors import BadRequest
from airgap.platform.string_index import StringIndex
from airgap.services.language.documents import DocumentProblem, InputDocument
from airgap.services.language.engines.summarization import RankedSentence
from airgap.services.language.features.base import Feature, Parameters, RefusedFeature
from airgap.services.language.language_support import document_language, unsupported_language

ABSTRACTIVE_UNAVAILABLE = (
    "AbstractiveSummarization is not available offline: it needs a generative language model and none is "
    "bundled with this server. Use ExtractiveSummarization (the document's most central sentences) instead."
)
MAX_SENTENCE_COUNT = 20
SORT_BY = {"offset": "Offset", "rank": "Rank"}


class ExtractiveSummarization(Feature):
    kind = "ExtractiveSummarization"
    meter = "CognitiveServices.Language.Container.ExtractiveSummarizationTextRecords"
    max_documents = 25

    def parse_options(self, raw: Mapping[str, Any], api: str) -> dict[str, Any]:
        count = raw.get("sentenceCount", 3)
        if count is None:
            count = 3
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_SENTENCE_COUNT:
            raise BadRequest(f"sentenceCount must be a whole number from 1 to {MAX_SENTENCE_COUNT}, not {count!r}.",
                             inner_code="InvalidParameterValue")
        sort_by = raw.get("sortBy") or "Offset"
        if not isinstance(sort_by, str) or sort_by.lower() not in SORT_BY:
            raise BadRequest(f"sortBy must be Offset or Rank, not {sort_by!r}.", inner_code="InvalidParameterValue")
        return {"sentence_count": count, "sort_by": SORT_BY[sort_by.lower()]}

    def check(self, doc: InputDocument, params: Parameters) -> DocumentProblem | None:
        # "no" is Norwegian Bokmål ("nb") to the engine; the shared check compares base codes.
        if self.engine.supports(document_language(doc)):
            return None
        return unsupported_language(doc, self.engine.languages, "extractive summarization")

    def run(self, docs: Sequence[InputDocument], params: Parameters) -> list[list[RankedSentence]]:
        ranked = self.engine.rank([d.text for d in docs], [document_language(d) for d in docs])
        count = params.options["sentence_count"]
        chosen = []
        for sentences in ranked:
            # Highest score first; the earlier sentence wins a tie, so results are stable.
            top = sorted(sentences, key=lambda s: (-s.score, s.start))[:count]
            if params.options["sort_by"] == "Offset":
                top.sort(key=lambda s: s.start)
            chosen.append(top)
        return chosen

    def to_wire(self, doc: InputDocument, result: list[RankedSentence], params: Parameters) -> dict[str, Any]:
        index = StringIndex(doc.text, params.string_index_type)
        sentences = []
        for sentence in result:
            offset, length = index.span(sentence.start, sentence.end)
            sentences.append({"text": sentence.text, "rankScore": round(sentence.score, 2),
                              "offset": offset, "length": length})
        return {"sentences": sentences}


class AbstractiveSummarization(RefusedFeature):
    kind = "AbstractiveSummarization"
    meter = "CognitiveServices.Language.Container.AbstractiveSummarizationTextRecords"  # never billed
    max_documents = 25

    def refusal(self, api: str) -> BadRequest:
        return BadRequest(ABSTRACTIVE_UNAVAILABLE, inner_code="NoGenerativeModel")
