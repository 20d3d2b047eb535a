"""The Conversations service: CLU runtime (``/language/:analyze-conversations``), the CLU
authoring routes (import, train as a job in a worker process, deploy), over models trained
offline from a project export and kept on the shared folder; and LUIS prediction (v2.0, v3.0)
over the LUIS apps in ``Mounts:Input``, trained at start."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from airgap.platform.errors import NotFound
from airgap.platform.executor import WorkerSetup
from airgap.platform.jobs import JobKind
from airgap.platform.runtime import Runtime
from airgap.services.base import Engine, Meter, Service
from airgap.services.conversations import api_authoring, api_luis, api_runtime, luis_wire, training
from airgap.services.conversations.engines.model import ConversationModel
from airgap.services.conversations.engines.prebuilt import PrebuiltRecognizers
from airgap.services.conversations.input_mount import InputMount, LoadedApp
from airgap.services.conversations.store import ConversationStore

TEXT_RECORDS = "CognitiveServices.Language.Container.CLUTextRecords"
LUIS_TRANSACTIONS = "CognitiveServices.LUIS.Container.Transactions"
STORE_FOLDER = "conversations"


class ConversationsService(Service):
    name = "conversations"
    api_type = "conversations"
    title = "Conversational language understanding (CLU runtime and authoring 2022-05-01/2023-04-01; LUIS v2.0/v3.0)"
    # Longer than the Language service's /language, so these paths are ours.
    routes = (api_runtime.PATH, api_authoring.PREFIX, api_luis.PREFIX)
    dialects = {prefix: luis_wire.DIALECT for prefix in (*api_luis.V3_PREFIXES, api_luis.V2_PREFIX)}
    meters = (Meter(TEXT_RECORDS, "text record",
                    "Conversation analysis: one per started 1,000 characters of each predicted utterance."),
              Meter(LUIS_TRANSACTIONS, "transaction", "LUIS prediction (v2.0, v3.0): one per predicted query."))
    luis_meter = LUIS_TRANSACTIONS

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        settings = runtime.settings
        root = (settings.shared_dir if settings.shared_dir is not None else settings.output_dir) / STORE_FOLDER
        self.store = ConversationStore(root)
        self.prebuilt = PrebuiltRecognizers()
        self._models: dict[tuple[str, str], tuple[float, ConversationModel]] = {}
        self._models_lock = threading.Lock()
        self._input_loaded = False
        self.input = InputMount(settings.input_dir, self.store, self.prebuilt) if settings.input_dir else None

    @property
    def luis_apps(self) -> dict[tuple[str, str], LoadedApp]:
        return self.input.apps if self.input is not None else {}

    @property
    def luis_errors(self) -> dict[tuple[str, str], str]:
        return self.input.errors if self.input is not None else {}

    def routers(self) -> Sequence[APIRouter]:
        return [api_runtime.build_router(self), api_authoring.build_router(self), api_luis.build_router(self)]

    def load(self) -> None:
        super().load()
        # Synchronously, as the LUIS container loads /input: /ready answers 200 once every app serves.
        if self.input is not None and not self._input_loaded:
            self.input.load()
            self._input_loaded = True

    def engines(self) -> Sequence[Engine]:
        return [self.prebuilt]

    def job_kinds(self) -> Sequence[JobKind]:
        # Training is CPU-bound for seconds to minutes: a worker process per job, off the threads
        # that answer predictions.
        worker = WorkerSetup("clu:train", training.load_prebuilt, (), local=lambda: self.prebuilt)
        return [JobKind(training.HANDLER, training.TrainJobHandler(self), concurrency=1, worker=worker)]

    def model(self, project: str, deployment: str) -> ConversationModel:
        """The deployed model (blocking: call off the event loop). A deployment changed by any
        replica is seen at the next request: the cache is keyed by the deployment file's stamp."""
        stamp = self.store.deployment_stamp(project, deployment)
        if stamp is None or self.store.project(project) is None:
            raise _missing(self.store, project, deployment)
        key = (project, deployment)
        with self._models_lock:
            cached = self._models.get(key)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            record = self.store.deployment(project, deployment)
            if record is None:
                raise _missing(self.store, project, deployment)
            model = ConversationModel(self.store.deployed_model_dir(project, record), self.prebuilt)
            old = self._models.get(key)
            self._models[key] = (stamp, model)
        if old is not None:
            old[1].close()
        return model

    @property
    def ready(self) -> bool:
        return super().ready and (self.input is None or self._input_loaded)

    def close(self) -> None:
        if self.input is not None:
            self.input.close()
        with self._models_lock:
            for _, model in self._models.values():
                model.close()
            self._models.clear()


def _missing(store: ConversationStore, project: str, deployment: str) -> Any:
    if store.project(project) is None:
        return NotFound(f"Project '{project}' was not found. Import it (POST .../authoring/analyze-conversations/"
                        f"projects/{project}/:import), train it and deploy it first.", code="ProjectNotFound")
    return NotFound(f"Deployment '{deployment}' was not found in project '{project}'. Deploy a trained model to it "
                    f"first (PUT .../projects/{project}/deployments/{deployment}).")
