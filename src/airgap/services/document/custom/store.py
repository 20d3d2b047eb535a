"""Custom document models on the shared mount, so every replica sees them and they survive
restarts. Layout under ``<Mounts:Shared>/document-models`` (``<Mounts:Output>`` when unset)::

    <modelId>.json    the model: its details as the API returns them, plus its template

Written whole (``platform.durable.write_atomic``): a reader sees a model complete or not at all.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import orjson

from airgap.platform.durable import write_atomic

FOLDER = "document-models"
MODEL_ID = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._~-]{1,63}$")
LIMIT = 5000  # customDocumentModels.limit that /info reports: the container's own cap is the disk


def valid_model_id(model_id: str) -> bool:
    return bool(MODEL_ID.match(model_id)) and not model_id.startswith("prebuilt-")


class ModelStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, model_id: str) -> Path:
        return self.root / f"{model_id}.json"

    def get(self, model_id: str) -> dict[str, Any] | None:
        if not valid_model_id(model_id):
            return None
        try:
            return orjson.loads(self._path(model_id).read_bytes())
        except FileNotFoundError:
            return None

    def exists(self, model_id: str) -> bool:
        return valid_model_id(model_id) and self._path(model_id).is_file()

    def save(self, model: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self._path(model["details"]["modelId"]), orjson.dumps(model))

    def delete(self, model_id: str) -> bool:
        if not valid_model_id(model_id):
            return False
        with contextlib.suppress(FileNotFoundError):
            self._path(model_id).unlink()
            return True
        return False

    def ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.stem for p in self.root.glob("*.json") if valid_model_id(p.stem))

    def count(self) -> int:
        return len(self.ids())
