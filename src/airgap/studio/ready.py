"""``GET /ready`` of the Studio: every service's own ``/ready``, merged.

The page shows a tab per name in ``services``; behind a front that sends ``/ready`` to one
service, that would be one tab. So the Studio asks each server in ``Studio:Ready`` itself, all
at once, with short timeouts: a server whose host does not resolve (its compose profile is off)
or that does not answer in time is left out, and named under ``unreachable``.

The answer keeps ``airgap serve``'s shape (``status``, ``services``, and ``processes``,
``reason``, ``error`` when any server gave them). Its status code is 200 when any service is
ready, so that the page is usable, and the container healthy, while another service still loads
(the body's ``status`` stays ``notReady`` until every one is ready, as the page reports).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

# A server that does not answer its /ready within this is as good as absent for the page.
CONNECT_SECONDS = 1.0
ANSWER_SECONDS = 2.5


@dataclass(frozen=True)
class Answer:
    """What one server said on ``/ready`` (``body``), or why it said nothing (``failure``)."""

    name: str
    url: str
    body: dict[str, Any] | None = None
    failure: str | None = None


async def ask(client: httpx.AsyncClient, name: str, url: str) -> Answer:
    try:
        response = await asyncio.wait_for(
            client.get(url + "/ready", headers={"Accept": "application/json"},
                       timeout=httpx.Timeout(ANSWER_SECONDS, connect=CONNECT_SECONDS)),
            ANSWER_SECONDS + 0.5)  # name resolution too, which httpx's timeouts may not bound
    except (httpx.HTTPError, OSError) as exc:
        return Answer(name, url, failure=f"{type(exc).__name__}: {exc}".rstrip(": "))
    except asyncio.TimeoutError:
        return Answer(name, url, failure=f"no answer within {ANSWER_SECONDS:g} s")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("services"), dict):
        return Answer(name, url, failure=f"HTTP {response.status_code} without an airgap /ready body")
    return Answer(name, url, body=body)


def merge(answers: list[Answer]) -> tuple[int, dict[str, Any]]:
    """(status code, body) of the merged readiness."""
    services: dict[str, str] = {}
    processes: dict[str, str] = {}
    reasons: list[str] = []
    errors: list[str] = []
    all_ready = True
    for answer in answers:
        if answer.body is None:
            continue
        services.update({str(k): str(v) for k, v in answer.body["services"].items()})
        if isinstance(answer.body.get("processes"), dict):
            processes.update(answer.body["processes"])
        for key, into in (("reason", reasons), ("error", errors)):
            text = answer.body.get(key)
            if text and text not in into:
                into.append(str(text))
        all_ready = all_ready and answer.body.get("status") == "ready"
    unreachable = {a.name: f"{a.url}: {a.failure}" for a in answers if a.body is None}
    body: dict[str, Any] = {"status": "ready" if services and all_ready else "notReady", "services": services}
    if processes:
        body["processes"] = processes
    if not services:
        reasons.append("No airgap server answered /ready (Studio:Ready): "
                       + "; ".join(f"{name} at {why}" for name, why in unreachable.items()) + ".")
    if reasons:
        body["reason"] = " ".join(reasons)
    if errors:
        body["error"] = " ".join(errors)
    if unreachable:
        body["unreachable"] = unreachable
    # Studio only: the servers behind this answer, whose own /status and /metrics the page may ask
    # for at /studio/servers/{name}/... (the Operations tab's choice of server).
    body["servers"] = [a.name for a in answers]
    return (200 if "ready" in services.values() else 503), body


async def merged(client: httpx.AsyncClient, targets: tuple[tuple[str, str], ...]) -> tuple[int, dict[str, Any]]:
    return merge(list(await asyncio.gather(*(ask(client, name, url) for name, url in targets))))
