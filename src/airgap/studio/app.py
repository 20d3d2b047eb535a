"""The ASGI app of ``airgap studio``: the page and its assets, ``/ready``, and the proxy for the rest.

The page and assets are the files ``airgap serve`` serves, from the same package data and the
same fixed table (``airgap.platform.studio.FILES``), with the same Content-Security-Policy: the
browser may call only this origin, which is why every API call passes through here.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import orjson
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route, Router

from airgap.platform.studio import CACHE_HEADERS, ASSETS, CONTENT_SECURITY_POLICY, FILES, PAGE, file_path
from airgap.studio import ready
from airgap.studio.proxy import Proxy, error_envelope, new_client
from airgap.studio.settings import StudioSettings


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
    ]
    # No slash redirects: a path the Studio does not serve belongs to the upstream as it was written.
    return Router(routes, redirect_slashes=False, default=Proxy(settings.upstream, client, settings.route_table()), lifespan=lifespan)

