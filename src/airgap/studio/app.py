"""The ASGI app of ``airgap studio``: the page and its assets, ``/ready``, each server's own
housekeeping answers (``/studio/servers/{name}/{status,metrics,ready}``, for the Operations tab),
and the proxy for the rest.

The page and assets are the files ``airgap serve`` serves, from the same package data and the
same fixed table (``airgap.platform.studio.FILES``), with the same Content-Security-Policy: the
browser may call only this origin, which is why every API call passes through here.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
import orjson
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route, Router

from airgap.platform.studio import CACHE_HEADERS, ASSETS, CONTENT_SECURITY_POLICY, FILES, PAGE, file_path
from airgap.studio import ready
from airgap.studio.proxy import Proxy, error_envelope, new_client
from airgap.studio.settings import StudioSettings


# What the Operations tab reads of each server behind the Studio (public housekeeping routes only).
SERVER_ROUTES = frozenset({"status", "metrics", "ready"})


def create_app(settings: StudioSettings) -> Router:
    client = new_client()
    targets = settings.ready_targets()

    async def page(request: Request) -> Response:
        return FileResponse(str(file_path("index.html")), media_type="text/html; charset=utf-8",
                            headers={**CACHE_HEADERS, "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                                     "X-Content-Type-Options": "nosniff"})

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in FILES:
            status, headers, body = error_envelope(
                404, "NotFound", f"Resource not found: GET {ASSETS}/{name}. The Studio's assets are "
                                 f"{', '.join(sorted(FILES))}.")
            return Response(body, status_code=status, headers={k.decode(): v.decode() for k, v in headers})
        return FileResponse(str(file_path(name)), media_type=FILES[name],
                            headers={**CACHE_HEADERS, "X-Content-Type-Options": "nosniff"})

    async def server_route(request: Request) -> Response:
        """GET /studio/servers/{name}/{status|metrics|ready}: that server's own answer, as it gave it."""
        name, what = request.path_params["name"], request.path_params["what"]
        base = dict(targets).get(name)
        if base is None or what not in SERVER_ROUTES:
            status, headers, body = error_envelope(
                404, "NotFound", f"Resource not found: GET {request.url.path}. The servers are "
                                 f"{', '.join(n for n, _ in targets)} (Studio:Ready), each with "
                                 f"{', '.join(sorted(SERVER_ROUTES))}.")
            return Response(body, status_code=status, headers={k.decode(): v.decode() for k, v in headers})
        try:
            answer = await client.get(f"{base}/{what}", headers={
                k: v for k, v in request.headers.items() if k.lower() in ("accept", "ocp-apim-subscription-key")})
        except httpx.HTTPError as exc:
            status, headers, body = error_envelope(
                503, "ServiceUnavailable", f"The Studio could not reach {name} at {base} (Studio:Ready) for "
                                           f"/{what}: {type(exc).__name__}. Check that it runs.")
            return Response(body, status_code=status, headers={k.decode(): v.decode() for k, v in headers})
        return Response(answer.content, status_code=answer.status_code,
                        media_type=answer.headers.get("content-type", "application/octet-stream"))

    async def readiness(request: Request) -> Response:
        status, body = await ready.merged(client, targets)
        return Response(orjson.dumps(body), status_code=status, media_type="application/json; charset=utf-8")

    @contextlib.asynccontextmanager
    async def lifespan(app) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await client.aclose()

    routes = [
        Route(PAGE, page, methods=["GET", "HEAD"]),
        Route(ASSETS + "/{name}", asset, methods=["GET", "HEAD"]),
        Route("/ready", readiness, methods=["GET", "HEAD"]),
        Route("/ContainerReadiness", readiness, methods=["GET", "HEAD"]),
        Route(PAGE + "/servers/{name}/{what}", server_route, methods=["GET"]),
    ]
    # No slash redirects: a path the Studio does not serve belongs to the upstream as it was written.
    return Router(routes, redirect_slashes=False, default=Proxy(settings.upstream, client, settings.route_table()), lifespan=lifespan)

