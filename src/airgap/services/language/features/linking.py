"""EntityLinking: cannot be served offline, and says so.

Linking resolves mentions to Wikipedia entries (name, URL, Bing id); that
knowledge base is not bundled, so every request gets an error envelope that
names the reason and the alternative instead of an empty or invented result.

The envelope keeps to the contracts' code lists: ``InvalidRequest`` (400, so
clients do not retry) with inner code ``KnowledgeBaseNotFound`` (a code of the
Language API's own list); v3.0's closed inner-code list has no fitting value,
so there the message alone carries the reason.
"""

from __future__ import annotations

from airgap.platform.errors import BadRequest
from airgap.services.language.features.base import V3_0, RefusedFeature

MESSAGE = (
    "Entity linking is not available in this offline container: it links entities to a Wikipedia "
    "knowledge base, and no offline knowledge base is bundled. Use entity recognition "
    "(kind EntityRecognition, or /entities/recognition/general) for entities without links."
)


class NotAvailableOffline(BadRequest):
    """A feature Azure has that needs something no offline install can ship (a knowledge base, a large model)."""


class EntityLinking(RefusedFeature):
    kind = "EntityLinking"
    meter = "CognitiveServices.Language.Container.EntityLinkingTextRecords"  # never billed
    max_documents = 5

    def refusal(self, api: str) -> BadRequest:
        return NotAvailableOffline(MESSAGE, inner_code=None if api == V3_0 else "KnowledgeBaseNotFound")
