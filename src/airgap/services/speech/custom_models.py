"""Custom Speech: the user's Whisper models in ``Mounts:Models``, chosen by endpoint id.

A request names its model with ``cid=`` (the Speech SDK's ``SpeechConfig.endpoint_id``, and the
REST short-audio query), or the ``ModelId`` setting names the model of every request without one,
as in Azure's Custom Speech container. The model with id ``X`` is the CTranslate2 Whisper folder
``<Mounts:Models>/X/`` (or ``<Mounts:Models>/X/model/``). Each model is loaded once, on its first
request, on the inference pool, and kept; a missing or broken folder is a ``CustomModelError``
with a reason short enough for a websocket close frame (123 bytes), never a server error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from airgap.services.speech.engines.stt_models import NotAModel, custom, model_folder
from airgap.services.speech.engines.stt_whisper import WhisperRecognizer
from airgap.services.speech.settings import MODEL_ID, SpeechSettings

log = logging.getLogger("airgap.speech")

Run = Callable[..., Awaitable[Any]]


class CustomModelError(ValueError):
    """The custom model a request asks for cannot serve it; the message says why."""


@dataclass(frozen=True)
class CustomModel:
    id: str
    folder: Path
    recognizer: WhisperRecognizer


class CustomModels:
    def __init__(self, root: Path | None, settings: SpeechSettings, workers: int) -> None:
        self.root = root
        self.settings = settings
        self.workers = workers
        self.default = settings.model_id  # ModelId
        self._loaded: dict[str, CustomModel] = {}
        self._loading = asyncio.Lock()  # loads are rare: one at a time, and a model never twice

    async def resolve(self, model_id: str | None, run: Run) -> CustomModel | None:
        """The model for a request's ``cid`` (or ``ModelId`` when it has none); None: the bundled models."""
        model_id = (model_id or "").strip() or self.default
        if model_id is None:
            return None
        model = self._loaded.get(model_id)
        if model is not None:
            return model
        async with self._loading:
            model = self._loaded.get(model_id)
            if model is None:
                model = await self._load(model_id, run)
                self._loaded[model_id] = model
        return model

    def served_by(self, model: CustomModel, request_id: str, what: str) -> None:
        """Billing stays audio seconds whatever the model; the log says which model served."""
        log.info("Speech to text %s %s served by custom model %s (%s, %s)", what, request_id, model.id,
                 model.folder, model.recognizer.model_version)

    def load_default(self) -> None:
        """Load the ``ModelId`` model with the server, as Azure's container does; call off the event loop.
        A failure is logged, not raised: the server starts, and each request gets the reason."""
        if self.default is None:
            return
        try:
            model = self._prepare(self.default)
            log.info("Loading custom speech model %s (ModelId) from %s", model.id, model.folder)
            model.recognizer.load()
        except CustomModelError as exc:
            log.error("ModelId=%s cannot serve: %s", self.default, exc)
            return
        except Exception as exc:  # noqa: BLE001 - the user's files
            log.error("ModelId=%s cannot serve: the model could not be loaded: %s", self.default, exc)
            return
        self._loaded[model.id] = model

    async def _load(self, model_id: str, run: Run) -> CustomModel:
        model = await run("whisper-custom", self._prepare, model_id)  # file reads: off the event loop
        recognizer, folder = model.recognizer, model.folder
        log.info("Loading custom speech model %s from %s for its first request", model_id, folder)
        try:
            await run(recognizer.name, recognizer.load)
        except Exception as exc:  # noqa: BLE001 - the user's files: any failure is theirs to read about
            log.warning("Custom speech model %s in %s could not be loaded: %s", model_id, folder, exc)
            raise CustomModelError(f"Custom model {folder} could not be loaded: {exc}") from None
        log.info("Custom speech model %s loaded (%s)", model_id,
                 "multilingual" if recognizer.multilingual else "English only")
        return model

    def _prepare(self, model_id: str) -> CustomModel:
        """The model's folder, checked (a few file reads), and its recognizer, not loaded yet."""
        if not MODEL_ID.fullmatch(model_id):
            raise CustomModelError(f"Custom model id '{model_id[:40]}' is not valid: use the name of a folder in "
                                   "Mounts:Models.")
        if self.root is None:
            raise CustomModelError(f"Custom model '{model_id}' asked for, but no Mounts:Models folder is set.")
        folder = self.root / model_id
        if not folder.is_dir():
            raise CustomModelError(f"Custom model '{model_id}' not found in {self.root} (Mounts:Models).")
        folder = model_folder(folder)
        try:
            files = custom(folder, model_id)
        except NotAModel as exc:
            raise CustomModelError(f"Custom model: {exc}.") from None
        recognizer = WhisperRecognizer(model_id, self.settings.threads_per_decode, self.workers,
                                       self.settings.beam_size, files=files)
        return CustomModel(model_id, folder, recognizer)

    def close(self) -> None:
        for model in self._loaded.values():
            model.recognizer.close()
        self._loaded.clear()
