"""API versions a pinned SDK still asks for but this server does not serve: a 404 that says so.

Without these routes an old client (``azure-ai-formrecognizer`` 3.0 asking for
``/formrecognizer/v2.0/...``, Read 3.0/3.1, Text Analytics 2.1) gets a bare "Resource not found",
which reads like a wrong endpoint. ``retired_versions_router`` answers every method under each
retired version's path with the Azure envelope (404, ``NotFound`` / ``UnsupportedApiVersion``)
naming the version asked for, the versions served here, and the SDK release that speaks each.
A service includes the router last in ``routers()``: its paths are ``{base}/{version}/...`` for
the listed retired versions only, so they never shadow a served route.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter, Request

from airgap.platform.errors import NotFound

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@dataclass(frozen=True)
class Served:
    """One version served here: how a request names it and the SDK release that speaks it."""

    api: str      # e.g. "/text/analytics/v3.1" or "/language/:analyze-text?api-version=2023-04-01"
    clients: str  # e.g. "azure-ai-textanalytics 5.1.x"


def retired_message(family: str, version: str, target: str, served: Sequence[Served]) -> str:
    offered = "; ".join(f"{s.api} ({s.clients})" for s in served)
    return (f"{family} {version} is not served by this container (asked for by {target}). "
            f"It serves: {offered}. Use a client release that speaks one of these.")


def retired_versions_router(family: str, base: str, retired: Sequence[str], served: Sequence[Served]) -> APIRouter:
    """A 404 with the versions served for ``{base}/{version}`` and everything under it."""
    router = APIRouter(include_in_schema=False)

    def answer(version: str):
        async def retired_version(request: Request) -> None:
            target = f"{request.method} {request.url.path}"
            raise NotFound(retired_message(family, version, target, served), inner_code="UnsupportedApiVersion")
        return retired_version

    for version in retired:
        for path in (f"{base}/{version}", f"{base}/{version}/{{rest:path}}"):
            router.add_api_route(path, answer(version), methods=METHODS, name=f"retired {base}/{version}")
    return router
