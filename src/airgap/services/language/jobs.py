"""Language analysis jobs: what a job holds, and the handler that runs its tasks.

A job is a list of tasks (one ``Feature`` kind each, with its raw parameters)
over one set of documents. The wire contracts (``api_jobs``) validate a
submission with ``task_parameters`` before accepting it, and the handler
re-derives the same parameters when it runs, so a job file holds only plain
JSON and any server build that knows the kinds can run it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from airgap.platform.context import RequestContext
from airgap.platform.jobs import TERMINAL, JobClaim, JobFailure
from airgap.services.language.documents import InputDocument
from airgap.services.language.features.base import V3_1, Feature, Parameters, analyze, check_model_version
from airgap.services.language.params import param_bool, param_str, string_index_type

if TYPE_CHECKING:
    from airgap.services.language import LanguageService

HANDLER = "language.analyze"
# Azure's limits for the analyze jobs: documents per job and characters over all of them.
MAX_JOB_DOCUMENTS = 25
MAX_JOB_CHARACTERS = 125_000


def task_parameters(feature: Feature, api: str, raw: Mapping[str, Any]) -> Parameters:
    """A task's parameters; raises ``BadRequest`` for bad values. Statistics are always kept."""
    model_key = "model-version" if api == V3_1 else "modelVersion"
    return Parameters(
        api=api,
        model_version=check_model_version(feature, param_str(raw, model_key) or param_str(raw, "modelVersion")),
        string_index_type=string_index_type(param_str(raw, "stringIndexType"), "TextElements_v8"),
        logging_opt_out=param_bool(raw, "loggingOptOut"),
        # Whether to show them is the poll's choice (showStats), so every result keeps them.
        show_stats=True,
        options=feature.parse_options(raw, api),
    )


def job_documents(state_input: Mapping[str, Any]) -> list[InputDocument]:
    return [InputDocument(i, d["id"], d["text"], d.get("language"), d.get("countryHint"))
            for i, d in enumerate(state_input["documents"])]


class LanguageJobHandler:
    """Runs a job's unfinished tasks in order; finished ones (from an earlier attempt) are kept."""

    def __init__(self, service: LanguageService) -> None:
        self.service = service

    async def __call__(self, claim: JobClaim) -> None:
        api = claim.input["api"]
        docs = job_documents(claim.input)
        for index, task in enumerate(claim.tasks):
            if task["status"] in TERMINAL:
                continue
            if claim.cancel_requested():
                return
            feature = self.service.job_feature(task["kind"])
            if feature is None:
                claim.fail_task(index, JobFailure("InvalidRequest", f"Task kind {task['kind']} is not served by "
                                                  "this server.", status=400))
                continue
            usage = RequestContext(request_id=f"{claim.job_id}/tasks/{index}", service=self.service.name)
            try:
                params = task_parameters(feature, api, task.get("parameters") or {})
                results = await analyze(feature, self.service.name, docs, params, usage, self.service.runtime.pool)
            except Exception as exc:
                # One broken task must not take its siblings' results with it. An ApiError keeps its
                # code and message; anything else is logged and reported without its text.
                claim.fail_task(index, JobFailure.of(exc, f"Task {index} ({task['kind']}) of job {claim.job_id}"))
                continue
            await claim.complete_task(index, results, usage)
