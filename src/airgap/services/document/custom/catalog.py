"""The custom models as the model routes show them: details (``DocumentModelDetails``), the
list's summaries and the count for ``/info``, read from the shared-mount store."""

from __future__ import annotations

import asyncio
from typing import Any

from airgap.services.document.custom.store import LIMIT, ModelStore

CUSTOM_METER = "CognitiveServices.FormRecognizer.Container.CustomPages"


class CustomModels:
    def __init__(self, store: ModelStore) -> None:
        self.store = store

    async def model(self, model_id: str) -> dict[str, Any] | None:
        return await asyncio.to_thread(self.store.get, model_id)

    async def details(self, model_id: str, api_version: str) -> dict[str, Any] | None:
        model = await self.model(model_id)
        return None if model is None else details(model, api_version)

    async def summaries(self, api_version: str) -> list[dict[str, Any]]:
        def read() -> list[dict[str, Any]]:
            found = (self.store.get(i) for i in self.store.ids())
            return [summary(m, api_version) for m in found if m is not None]

        return await asyncio.to_thread(read)

    async def count(self) -> tuple[int, int]:
        return await asyncio.to_thread(self.store.count), LIMIT


def summary(model: dict[str, Any], api_version: str) -> dict[str, Any]:
    d = model["details"]
    out = {"modelId": d["modelId"], "createdDateTime": d["createdDateTime"], "apiVersion": d["apiVersion"]}
    if d.get("description"):
        out["description"] = d["description"]
    if d.get("tags"):
        out["tags"] = d["tags"]
    return out


def details(model: dict[str, Any], api_version: str) -> dict[str, Any]:
    d = model["details"]
    template = model["template"]
    out = summary(model, api_version)
    if api_version >= "2024-11-30":
        out["buildMode"] = "template"
        out["modifiedDateTime"] = d["createdDateTime"]
    out["docTypes"] = {d["modelId"]: {"buildMode": "template", "fieldSchema": template["fieldSchema"],
                                       "fieldConfidence": template["fieldConfidence"],
                                       **({"description": d["description"]} if d.get("description") else {})}}
    return out
