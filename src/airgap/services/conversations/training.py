"""The CLU ``:train`` job: one task that trains a project into a model label, run in the job
kind's worker process (``platform.executor.WorkPool``), never on the request path."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airgap.platform.context import RequestContext
from airgap.platform.jobs import JobClaim, JobFailure
from airgap.services.conversations.engines.model import train_model
from airgap.services.conversations.engines.prebuilt import PrebuiltRecognizers
from airgap.services.conversations.engines.project import ProjectError, parse_project
from airgap.services.conversations.store import ConversationStore, now_iso

if TYPE_CHECKING:
    from airgap.services.conversations.service import ConversationsService

HANDLER = "conversations.train"
TRAINING_CONFIG_VERSION = "2022-09-01"


def load_prebuilt() -> PrebuiltRecognizers:
    """A worker process's setup: the prebuilt recognizers, built once."""
    recognizers = PrebuiltRecognizers()
    recognizers.load()
    return recognizers


def train_project(prebuilt: PrebuiltRecognizers, root: str, project: str, label: str) -> dict[str, Any]:
    """Train ``project``'s stored export into model ``label``; returns the model's record."""
    store = ConversationStore(Path(root))
    record = store.project(project)
    if record is None:
        raise ProjectError(f"Project {project!r} was deleted before it could be trained.")
    parsed = parse_project(record["export"], project)
    started_at, started = now_iso(), time.monotonic()
    staging = store.staging_dir(project, label)
    try:
        counts = train_model(parsed, staging, prebuilt)
        seconds = round(time.monotonic() - started, 3)
        trained = {"label": label, "modelId": f"{label}-{started_at.replace(':', '').replace('-', '')}",
                   "lastTrainedDateTime": now_iso(), "trainingStartedDateTime": started_at,
                   "lastTrainingDurationInSeconds": seconds,
                   "modelTrainingConfigVersion": TRAINING_CONFIG_VERSION, **counts}
        store.publish_model(project, label, staging, trained)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    store.touch_project(project, "lastTrainedDateTime")
    return trained


class TrainJobHandler:
    def __init__(self, service: ConversationsService) -> None:
        self.service = service

    async def __call__(self, claim: JobClaim) -> None:
        assert claim.work is not None  # the kind declares its worker (ConversationsService.job_kinds)
        job = claim.input
        try:
            trained = await claim.work.run(train_project, str(self.service.store.root), job["project"],
                                           job["modelLabel"])
        except ProjectError as exc:
            claim.fail_task(0, JobFailure("InvalidRequest", str(exc), "InvalidParameterValue", status=400))
            return
        # Training is not billed (the container bills predictions); the record says when it ran.
        await claim.complete_task(0, trained, RequestContext(request_id=f"{claim.job_id}/train",
                                                             service=self.service.name))
